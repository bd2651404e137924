"""The schema comes from migrations: they must match the models and build a working database."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manassa(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_migrations_match_the_models():
    result = manassa("makemigrations", "--check")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "migrations match the models" in result.stdout


def test_migrate_builds_every_table_and_demo_data_loads(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite://{tmp_path}/fresh.sqlite3",
        "SECURITY_ARGON2_PROFILE": "test",
        "UPLOADS_DIR": str(tmp_path / "uploads"),
    }
    migrated = manassa("migrate", env=env)
    assert migrated.returncode == 0, migrated.stderr
    assert "applied models.0001_initial" in migrated.stdout
    demo = manassa("demo", "--if-empty", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "participant@manassa.local" in demo.stdout
    with sqlite3.connect(tmp_path / "fresh.sqlite3") as db:
        tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
        users = db.execute("select count(*) from accounts_user").fetchone()[0]
    assert {"accounts_user", "core_outbox_message", "core_audit_entry"} <= tables
    assert any(t.startswith("events_") for t in tables)
    assert any(t.startswith("judging_") for t in tables)
    assert users >= 6
    again = manassa("demo", "--if-empty", env=env)
    assert "demo data not loaded" in again.stdout
