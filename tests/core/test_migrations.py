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


def test_makemigrations_writes_what_the_models_need(tmp_path):
    """On a copy of the project without its last migration, `makemigrations --name` writes
    that migration again under the given name, and then finds nothing more to write."""
    import shutil

    ignore = shutil.ignore_patterns(".*", "__pycache__", "node_modules", "tests", "bench")
    for item in ROOT.iterdir():
        if item.is_dir() and (item / "__init__.py").exists() and item.name != "tests":
            shutil.copytree(item, tmp_path / item.name, ignore=ignore)
    last = sorted((tmp_path / "migrations").glob("0*.py"))[-1]
    last.unlink()
    number = last.name.split("_", 1)[0]

    def run(*args: str) -> subprocess.CompletedProcess:
        import os

        return subprocess.run(
            [sys.executable, "-m", "core.cli", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(tmp_path)},
            timeout=120,
            check=False,
        )

    made = run("makemigrations", "--name", "again")
    assert made.returncode == 0, made.stderr
    written = tmp_path / "migrations" / f"{number}_again.py"
    assert written.exists(), made.stdout
    assert "class Migration" in written.read_text()
    assert run("makemigrations", "--check").returncode == 0
    assert "no changes detected" in run("makemigrations").stdout
