"""`manassa` on a real SQLite file: the commands a domain offers through its hooks
(accounts: `create-admin`) run next to the core's own, and `demo --if-empty` asks the domains
whether the database already holds their data."""

from __future__ import annotations

import sqlite3

import pytest

from core.cli import main
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(
    bool(TEST_DATABASE_URL),
    reason="SQLite in this process: the PostgreSQL run would share Tortoise's per-process cache of "
    "insert statements (keyed by connection name, not dialect) with the tests after it",
)


@pytest.fixture
def database(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    path = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{path}")
    monkeypatch.setenv("UPLOADS_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("MAIL_DEV_SINK_DIR", str(tmp_path / "mail"))
    assert main(["migrate"]) == 0
    return path


def test_help_lists_the_command_accounts_offers(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert "create-admin" in capsys.readouterr().out


def test_create_admin_runs_from_the_accounts_hooks(database, capsys):
    code = main(
        ["create-admin", "--email", "Boss@Example.org", "--password", "admin pass phrase 1"]
    )
    assert code == 0
    assert "admin ready: boss@example.org" in capsys.readouterr().out
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT email, is_admin FROM accounts_user").fetchall()
    assert rows == [("boss@example.org", 1)]


def test_create_admin_refuses_a_weak_password(database):
    with pytest.raises(SystemExit) as exited:
        main(["create-admin", "--email", "boss@example.org", "--password", "short"])
    assert "too weak" in str(exited.value.code)


def test_demo_if_empty_asks_the_domains_whether_data_exists(database, capsys):
    main(["create-admin", "--email", "boss@example.org", "--password", "admin pass phrase 1"])
    capsys.readouterr()
    assert main(["demo", "--if-empty"]) == 0
    assert capsys.readouterr().out.strip() == "the database already has data: demo data not loaded"
