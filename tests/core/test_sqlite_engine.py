"""The app's SQLite engine (core/sqlite_engine.py): every ORM transaction holds the write lock
from its first moment, so a transaction that reads then writes waits for other processes'
writers instead of failing with "database is locked". These tests fail loudly when a new
Tortoise changes what the engine relies on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from core import sqlite_engine
from core.db import connected, tortoise_config
from core.settings import Settings
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(
    bool(TEST_DATABASE_URL),
    reason="SQLite in this process: the PostgreSQL run would share Tortoise's per-process cache of "
    "insert statements (keyed by connection name, not dialect) with the tests after it",
)


def file_settings(settings: Settings, tmp_path: Path) -> Settings:
    return settings.replace(database_url=f"sqlite://{tmp_path / 'engine.sqlite3'}")


def test_sqlite_urls_are_configured_on_the_engine(settings: Settings, tmp_path: Path) -> None:
    config = tortoise_config(file_settings(settings, tmp_path))["connections"]["default"]
    assert config["engine"] == "core.sqlite_engine"
    assert config["credentials"]["file_path"] == str(tmp_path / "engine.sqlite3")
    assert config["credentials"]["busy_timeout"] == 5000
    assert config["credentials"]["journal_mode"] == "WAL"
    given = settings.replace(database_url=f"sqlite://{tmp_path / 'x.sqlite3'}?busy_timeout=250")
    assert tortoise_config(given)["connections"]["default"]["credentials"]["busy_timeout"] == 250


async def test_an_orm_transaction_holds_the_write_lock_before_its_first_statement(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "engine.sqlite3"
    async with connected(file_settings(settings, tmp_path)):
        client = Tortoise.get_connection("default")
        assert isinstance(client, sqlite_engine.ImmediateSqliteClient)
        await client.execute_script("CREATE TABLE t (n INTEGER)")
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            async with in_transaction():
                # A deferred BEGIN would leave the lock free until the first write.
                with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                    other.execute("BEGIN IMMEDIATE")
            other.execute("BEGIN IMMEDIATE")  # released at the commit
            other.execute("ROLLBACK")
        finally:
            other.close()


async def test_a_read_then_write_transaction_waits_for_another_processs_commit(
    settings: Settings, tmp_path: Path
) -> None:
    """The failure of the issue: read, another process commits, then write. With a deferred
    BEGIN the write fails at once ("database is locked"); begun as a writer, the other
    process waits for this transaction and both writes are kept."""
    path = tmp_path / "engine.sqlite3"
    async with connected(file_settings(settings, tmp_path)):
        client = Tortoise.get_connection("default")
        await client.execute_script("CREATE TABLE t (n INTEGER)")
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            async with in_transaction() as tx:
                await tx.execute_query("SELECT COUNT(*) FROM t")
                with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                    other.execute("INSERT INTO t VALUES (1)")  # must wait: refused at timeout 0
                await tx.execute_query("INSERT INTO t VALUES (2)")
            other.execute("INSERT INTO t VALUES (3)")
        finally:
            other.close()
        _count, rows = await client.execute_query("SELECT n FROM t ORDER BY n")
        assert [row["n"] for row in rows] == [2, 3]
