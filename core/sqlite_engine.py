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


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransaction(self), self._lock)

    async def close(self) -> None:
        """Closes the connection, and the group commit's own connection to the file."""
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
