"""The SQLite engine the app runs on: Tortoise's own, except that every transaction begins as
a writer (`BEGIN IMMEDIATE`).

Tortoise begins its transactions with a plain (deferred) `BEGIN`. A deferred transaction that
reads first and writes later is refused at once with "database is locked" (SQLITE_BUSY_SNAPSHOT,
no waiting for the busy timeout) when another process committed after its first read: with two
server processes on one file, concurrent joins and submits answered 500. A transaction begun
with `BEGIN IMMEDIATE` takes the write lock first, waiting up to the busy timeout for it, and
then reads what the other writers committed.

Tortoise offers no setting for the kind of BEGIN; its configuration does let an app name its own
engine module (`"engine"` of a connection, public), which is what this is. The one dependence
on Tortoise's internals is here: the transaction wrapper's `begin()` and the client's
`_in_transaction()` and `_lock`, as found in tortoise-orm 1.1 (pinned in pyproject.toml).
tests/core/test_sqlite_engine.py fails loudly when a new Tortoise changes them: it checks that
an ORM transaction holds the write lock before its first statement.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError

from core import sql

ENGINE = __name__
BUSY_TIMEOUT_MS = 5000
"""How long a writer waits for another's write lock when the URL does not say."""


class ImmediateTransaction(SqliteTransactionWrapper):
    """A transaction that holds SQLite's write lock from its first moment."""

    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # the lock was not free within the timeout
            raise TransactionManagementError(exc) from exc


QUICK_READ_STEPS = 20_000
"""SQLite virtual-machine steps a read may take on the event loop (well under a millisecond);
a read that needs more is interrupted and run again in aiosqlite's thread."""
STEPS_PER_CALL = 1_000
"""How often SQLite calls the reader's progress handler, which counts one read's steps.

SQLite counts a prepared statement's steps over all its runs, and Python's sqlite3 keeps
statements prepared for reuse: a handler called every QUICK_READ_STEPS steps interrupted a
short read now and then (a scan of 1,300 steps, 15 times in 1,000 runs), and each such read
went to aiosqlite's thread, queued behind every other request's reads (the participant's
dashboard under load: some requests waited 1.5 to 2 s). The handler now counts the calls
since the read began."""
READS = ("SELECT", "WITH")
KEPT_READS = 4096
"""Reused reads kept at most (one per signed-in session: core.sql.Statement's reuse_rows);
all are dropped when one more would be kept."""


class ImmediateSqliteClient(SqliteClient):
    """Tortoise's SQLite client; transactions begin as writers. The hand-written statements of
    the hottest requests (core.sql.rows: the signed-in user, the scope of a public results
    page) read outside a transaction at once on the event loop (`quick_read`)."""

    _reader: sqlite3.Connection | None = None
    _steps = 0  # the progress handler's calls since the current quick read began
    _kept: dict[tuple[Any, ...], tuple[int, list[dict[str, Any]]]]
    """Reused reads (`quick_read(..., reuse=True)`) by statement and values: the rows, and
    the reader's PRAGMA data_version read just before them (a version is the reader's own:
    a new reader starts with none kept)."""

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransaction(self), self._lock)

    def quick_read(
        self, query: str, values: list[Any] | None, reuse: bool = False
    ) -> list[dict[str, Any]] | None:
        """The rows of a read that SQLite answers within QUICK_READ_STEPS, read on the event
        loop's thread from the client's own read-only connection to the file; None when it
        cannot be answered so (not a read, an in-memory database, a longer read, any error),
        and the caller then runs it as Tortoise does.

        With `reuse` (values that can be a dict key), the rows are kept, and the same list is
        handed out again for the same statement and values while the reader's PRAGMA
        data_version, read before each such read, is the one read before them. SQLite changes
        it whenever another connection commits (another process, Tortoise's own connection,
        the group commit's; the reader itself only reads), so the kept rows are exactly what
        the statement would read now, and reading the version costs far less than reading the
        rows: the signed-in user's rows, read on every signed-in request, cost 0.055 ms of CPU
        a request in the app, the version 0.03. The caller must only read the rows.

        Each statement through aiosqlite is a round trip to its thread, which costs far more
        than a read by key. Only core.sql.rows asks: the ORM's own reads keep aiosqlite's
        thread (measured with every ORM read here, signed-in pages served more requests but
        some waited over 2 s under load). In WAL mode a reader never waits
        for a writer and sees what was committed when it starts, which is all a statement
        outside a transaction may see (a transaction's statements go through its own client,
        ImmediateTransaction, never here)."""
        reader = self._quick_reader(query)
        if reader is None:
            return None
        key: tuple[Any, ...] | None = None
        try:
            if reuse:
                key = (query, *(values or ()))
                version = reader.execute("PRAGMA data_version").fetchone()[0]
                kept = self._kept.get(key)
                if kept is not None and kept[0] == version:
                    return kept[1]
            cursor = _execute(reader, query, values)
            found = cursor.fetchall()
        except sqlite3.Error:  # interrupted (too long), busy, wrong thread ...: as Tortoise does
            return None
        # Each row as a dict by the cursor's column names, zipped once: sqlite3.Row looks each
        # name up among all the columns (a row of eighty columns, three tables joined, took
        # six times as long to turn into a dict).
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in found]
        if key is not None:
            if len(self._kept) >= KEPT_READS:
                self._kept.clear()
            self._kept[key] = (version, rows)
        return rows

    def quick_tuples(self, query: str, values: list[Any] | None) -> list[tuple[Any, ...]] | None:
        """quick_read's rows as the cursor gives them, a tuple each in the statement's column
        order (core.sql.tuples): a read whose rows are used by position, or kept whole as a
        key, need not become dicts (27 rows of 21 columns took about 30 µs to)."""
        reader = self._quick_reader(query)
        if reader is None:
            return None
        try:
            found: list[tuple[Any, ...]] = _execute(reader, query, values).fetchall()
        except sqlite3.Error:  # as quick_read
            return None
        return found

    def _quick_reader(self, query: str) -> sqlite3.Connection | None:
        """The reader for a quick read of `query`, its step count started; None when `query`
        is not a read or there is no reader (quick_read)."""
        if not query.lstrip()[:6].upper().startswith(READS):
            return None
        reader = self._reader or self._open_reader()
        if reader is not None:
            self._steps = 0
        return reader

    def _too_long(self) -> int:
        """The reader's progress handler: interrupt a read past QUICK_READ_STEPS (about; the
        first call of a read may come sooner than STEPS_PER_CALL steps into it)."""
        self._steps += 1
        return int(self._steps > QUICK_READ_STEPS // STEPS_PER_CALL)

    def _open_reader(self) -> sqlite3.Connection | None:
        name = self.filename
        if (
            not name
            or name == ":memory:"
            or name.startswith("file::memory:")
            or "mode=memory" in name
        ):
            return None  # only its own connection sees an in-memory database
        if self.pragmas.get("journal_mode", "").upper() != "WAL":
            return None  # a reader could wait for a writer on the event loop
        reader = sqlite3.connect(name, timeout=0, isolation_level=None)
        reader.execute("PRAGMA query_only=ON")
        reader.set_progress_handler(self._too_long, STEPS_PER_CALL)
        self._reader = reader
        self._kept = {}
        return reader

    async def close(self) -> None:
        """Closes the connection, the reader, and the group commit's own connection."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        await super().close()
        await sql.close_group(self)


client_class = ImmediateSqliteClient


def connection_config(url: str) -> dict[str, Any]:
    """The connection's configuration for a `sqlite://` URL: Tortoise's reading of the URL,
    on this engine, with a busy timeout."""
    config = expand_db_url(url)
    config["engine"] = ENGINE
    credentials = config["credentials"]
    credentials["busy_timeout"] = int(credentials.get("busy_timeout", BUSY_TIMEOUT_MS))
    return config


def _execute(reader: sqlite3.Connection, query: str, values: list[Any] | None) -> sqlite3.Cursor:
    """A quick read's statement run on the reader, a NUL in its text written as Tortoise's
    SqliteClient writes it."""
    return reader.execute(query.replace("\x00", "'||CHAR(0)||'"), values or ())
