"""The app's SQLite engine (core/sqlite_engine.py): every ORM transaction holds the write lock
from its first moment, so a transaction that reads then writes waits for other processes'
writers instead of failing with "database is locked". These tests fail loudly when a new
Tortoise changes what the engine relies on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.exceptions import OperationalError
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


async def test_small_reads_outside_a_transaction_are_answered_on_the_event_loop(
    settings: Settings, tmp_path: Path
) -> None:
    """A read by key needs no round trip to aiosqlite's thread (issue 12: a signed-in page
    makes several): it is answered from the client's own read-only connection, and sees
    every write committed before it, by the ORM or by another connection."""
    path = tmp_path / "engine.sqlite3"
    async with connected(file_settings(settings, tmp_path)):
        client = Tortoise.get_connection("default")
        assert isinstance(client, sqlite_engine.ImmediateSqliteClient)
        await client.execute_script("CREATE TABLE t (n INTEGER PRIMARY KEY, name TEXT)")
        await client.execute_query("INSERT INTO t VALUES (1, 'one')")
        assert [dict(r) for r in client.quick_read("SELECT * FROM t", [])] == [
            {"n": 1, "name": "one"}
        ]
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("INSERT INTO t VALUES (2, 'two')")
        finally:
            other.close()
        assert await client.execute_query_dict("SELECT name FROM t WHERE n = ?", [2]) == [
            {"name": "two"}
        ]
        count, rows = await client.execute_query("SELECT n FROM t ORDER BY n")
        assert (count, [r["n"] for r in rows]) == (2, [1, 2])
        # the same, as tuples in the statement's order (core.sql.tuples)
        assert client.quick_tuples("SELECT name, n FROM t ORDER BY n", []) == [
            ("one", 1),
            ("two", 2),
        ]
        # the reader only reads
        assert client.quick_read("INSERT INTO t VALUES (3, 'three')", []) is None
        assert client.quick_read("DELETE FROM t", []) is None
        assert client.quick_tuples("DELETE FROM t", []) is None
        assert len(await client.execute_query_dict("SELECT n FROM t")) == 2


async def test_a_transaction_reads_its_own_writes_and_long_reads_leave_the_event_loop(
    settings: Settings, tmp_path: Path
) -> None:
    async with connected(file_settings(settings, tmp_path)):
        client = Tortoise.get_connection("default")
        await client.execute_script("CREATE TABLE t (n INTEGER)")
        async with in_transaction() as tx:
            await tx.execute_query("INSERT INTO t VALUES (7)")
            assert [r["n"] for r in await tx.execute_query_dict("SELECT n FROM t")] == [7]
        # more SQLite steps than a read may take on the event loop: run in aiosqlite's thread,
        # with the same answer
        counting = (
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) "
            "SELECT COUNT(*) AS n FROM c"
        )
        assert client.quick_read(counting, []) is None
        assert await client.execute_query_dict(counting) == [{"n": 200000}]
        assert client.quick_read("SELECT 1 AS one", []) is not None
        # errors are Tortoise's, as before
        with pytest.raises(OperationalError):
            await client.execute_query("SELECT * FROM no_such_table")


async def test_a_short_read_is_answered_on_the_event_loop_every_time(
    settings: Settings, tmp_path: Path
) -> None:
    """SQLite counts a prepared statement's steps over all its runs (and sqlite3 keeps it
    prepared): the limit must hold per read, or a short read repeated by every request is
    now and then interrupted and sent to aiosqlite's thread, behind everyone else's reads."""
    async with connected(file_settings(settings, tmp_path)):
        client = Tortoise.get_connection("default")
        await client.execute_script("CREATE TABLE t (n INTEGER)")
        await client.execute_query(
            "INSERT INTO t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
            "WHERE x < 200) SELECT x FROM c"
        )
        answered = [client.quick_read("SELECT SUM(n) AS total FROM t", []) for _ in range(500)]
        assert answered == [[{"total": 20100}]] * 500


async def test_an_in_memory_database_is_read_through_its_only_connection(
    settings: Settings,
) -> None:
    async with connected(settings.replace(database_url="sqlite://:memory:")):
        client = Tortoise.get_connection("default")
        await client.execute_script("CREATE TABLE t (n INTEGER)")
        assert client.quick_read("SELECT n FROM t", []) is None
        await client.execute_query("INSERT INTO t VALUES (1)")
        assert await client.execute_query_dict("SELECT n FROM t") == [{"n": 1}]


async def test_a_reused_read_is_read_anew_once_anything_is_committed(
    settings: Settings, tmp_path: Path
) -> None:
    """A read asked to be reused (the signed-in user, on every request) hands out the rows it
    read while the database is unchanged, and reads them again after any commit: by another
    process (here another connection), or by Tortoise's own connection in this one."""
    path = tmp_path / "engine.sqlite3"
    query = "SELECT n, name FROM t WHERE n = ?"
    async with connected(file_settings(settings, tmp_path)):
        client = Tortoise.get_connection("default")
        assert isinstance(client, sqlite_engine.ImmediateSqliteClient)
        await client.execute_script("CREATE TABLE t (n INTEGER PRIMARY KEY, name TEXT)")
        await client.execute_query("INSERT INTO t VALUES (1, 'one'), (2, 'two')")
        first = client.quick_read(query, [1], reuse=True)
        assert first == [{"n": 1, "name": "one"}]
        assert client.quick_read(query, [1], reuse=True) is first  # nothing changed
        assert client.quick_read(query, [2], reuse=True) == [{"n": 2, "name": "two"}]
        assert client.quick_read(query, [1]) is not first  # not asked to reuse: read

        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("UPDATE t SET name = 'uno' WHERE n = 1")
        finally:
            other.close()
        second = client.quick_read(query, [1], reuse=True)
        assert second == [{"n": 1, "name": "uno"}]
        assert client.quick_read(query, [1], reuse=True) is second

        await client.execute_query("DELETE FROM t WHERE n = 2")  # another row, still a commit
        third = client.quick_read(query, [1], reuse=True)
        assert third == second and third is not second
        assert client.quick_read(query, [2], reuse=True) == []

        async with in_transaction() as tx:
            await tx.execute_query("UPDATE t SET name = 'eins' WHERE n = 1")
            # not committed yet: the reader sees the database as it was
            assert client.quick_read(query, [1], reuse=True) == [{"n": 1, "name": "uno"}]
        assert client.quick_read(query, [1], reuse=True) == [{"n": 1, "name": "eins"}]
