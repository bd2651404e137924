"""Rate limits kept in the database, so several workers share one count.

One row per (bucket, key) counts the attempts of a window that opens with its first attempt.
An attempt is taken by one conditional upsert, which the database runs atomically on SQLite
and on PostgreSQL: the row is created, or reset when its window is over, or counted up while
it is under the limit; a statement that changed no row means the limit is reached. So a burst
of concurrent attempts lets exactly `limit` through, whatever the number of workers.

An attempt is taken before the work it guards (a reservation) and can be given back with
`refund()` when the work turns out not to count (a sign-in that succeeded, say). Rows whose
window ended a day ago are pruned now and then by `take()` itself.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from tortoise import fields
from tortoise.models import Model

from core import sql
from core.clock import now

PRUNE_AFTER_SECONDS = 86400  # longer than any window
PRUNE_EVERY_SECONDS = 300.0  # per process
_last_prune = -math.inf  # the first take of a process prunes


class RateLimit(Model):
    """The attempts counted for one key of one bucket, since `started` (epoch milliseconds)."""

    id = fields.BigIntField(primary_key=True)
    bucket = fields.CharField(max_length=40)
    key = fields.CharField(max_length=320)
    started = fields.BigIntField()
    count = fields.IntField()

    class Meta:
        table = "core_rate_limit"
        unique_together = (("bucket", "key"),)


@dataclass(frozen=True)
class Ticket:
    """One attempt taken; `refund()` gives it back."""

    bucket: str
    key: str
    started: int
    count: int  # the attempts of the window, this one included


_TAKE = sql.Statement(
    """
    INSERT INTO core_rate_limit (bucket, "key", started, count) VALUES (?, ?, ?, 1)
    ON CONFLICT (bucket, "key") DO UPDATE SET
      count = CASE WHEN core_rate_limit.started <= ? THEN 1 ELSE core_rate_limit.count + 1 END,
      started = CASE WHEN core_rate_limit.started <= ? THEN excluded.started
                     ELSE core_rate_limit.started END
    WHERE core_rate_limit.started <= ? OR core_rate_limit.count < ?
    RETURNING started, count
    """
)
_TAKE_WITH = sql.Statement(
    """
    INSERT INTO core_rate_limit (bucket, "key", started, count) VALUES (?, ?, ?, 1)
    ON CONFLICT (bucket, "key") DO UPDATE SET
      count = CASE WHEN core_rate_limit.started <= ? THEN 1 ELSE core_rate_limit.count + 1 END,
      started = CASE WHEN core_rate_limit.started <= ? THEN excluded.started
                     ELSE core_rate_limit.started END
    WHERE core_rate_limit.started <= ? OR core_rate_limit.count < ?
    """
)
# PostgreSQL's driver reports no row count for an INSERT through Tortoise ("INSERT 0 1" is read
# as 0): there the same upsert runs in a CTE whose selected rows are counted instead.
_TAKE_WITH_COUNTED = sql.Statement(
    """
    WITH taken AS (
    INSERT INTO core_rate_limit (bucket, "key", started, count) VALUES (?, ?, ?, 1)
    ON CONFLICT (bucket, "key") DO UPDATE SET
      count = CASE WHEN core_rate_limit.started <= ? THEN 1 ELSE core_rate_limit.count + 1 END,
      started = CASE WHEN core_rate_limit.started <= ? THEN excluded.started
                     ELSE core_rate_limit.started END
    WHERE core_rate_limit.started <= ? OR core_rate_limit.count < ?
    RETURNING count
    ) SELECT count FROM taken
    """
)
_STARTED = sql.Statement('SELECT started FROM core_rate_limit WHERE bucket = ? AND "key" = ?')
_COUNTED = sql.Statement(
    'SELECT started, count FROM core_rate_limit WHERE bucket = ? AND "key" = ?'
)
_REFUND = sql.Statement(
    'UPDATE core_rate_limit SET count = count - 1 WHERE bucket = ? AND "key" = ? '
    "AND started = ? AND count > 0"
)
_CLEAR = sql.Statement('DELETE FROM core_rate_limit WHERE bucket = ? AND "key" = ?')
_PRUNE = sql.Statement("DELETE FROM core_rate_limit WHERE started < ?")


def _now_ms() -> int:
    return int(now().timestamp() * 1000)


class Refused(Exception):
    """The limit is reached; `retry_after` seconds until the window ends."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


async def take(bucket: str, key: str, limit: int, window: int) -> Ticket:
    """Count one attempt, or raise Refused (and count nothing) when `limit` attempts were
    taken in the window."""
    await _prune_now_and_then()
    at = _now_ms()
    expired = at - window * 1000
    found = await sql.rows(_TAKE, (bucket, key, at, expired, expired, expired, limit))
    if found:
        return Ticket(bucket, key, int(found[0]["started"]), int(found[0]["count"]))
    started = await sql.rows(_STARTED, (bucket, key))
    opened = int(started[0]["started"]) if started else at
    raise Refused(max(1, -(-(opened + window * 1000 - at) // 1000)))


def taking(bucket: str, key: str, limit: int, window: int) -> sql.Write:
    """One attempt as a write of the caller's own transaction (`sql.write_together`, which on
    SQLite joins the group commit instead of a commit of its own): it changes no row once
    `limit` attempts were taken in the window, and its `expect` of one row then undoes the
    whole transaction (`sql.Unchanged`), so nothing is counted and nothing the attempt guards
    is written; `retry_after()` then says when to try again."""
    at = _now_ms()
    expired = at - window * 1000
    params = (bucket, key, at, expired, expired, expired, limit)
    return sql.Write(_take_statement(), params, expect=1)


def counting(bucket: str, key: str, window: int) -> sql.Write:
    """An unlimited counter of attempts per window, as a write of the caller's transaction
    (read it with `counted()`)."""
    at = _now_ms()
    expired = at - window * 1000
    return sql.Write(_take_statement(), (bucket, key, at, expired, expired, expired, 2**31 - 1))


def _take_statement() -> sql.Statement:
    postgres = sql.connection().capabilities.dialect == "postgres"
    return _TAKE_WITH_COUNTED if postgres else _TAKE_WITH


async def counted(bucket: str, key: str, window: int) -> int:
    """The attempts counted for `key` in its current window (0 when it is over or unknown)."""
    await _prune_now_and_then()
    found = await sql.rows(_COUNTED, (bucket, key))
    if not found or int(found[0]["started"]) <= _now_ms() - window * 1000:
        return 0
    return int(found[0]["count"])


async def retry_after(bucket: str, key: str, window: int) -> int:
    """Seconds until the current window of `key` ends (at least 1)."""
    at = _now_ms()
    started = await sql.rows(_STARTED, (bucket, key))
    opened = int(started[0]["started"]) if started else at
    return max(1, -(-(opened + window * 1000 - at) // 1000))


async def try_take(bucket: str, key: str, limit: int, window: int) -> Ticket | None:
    """Count one use of a silent quota; None (and nothing counted) when it is used up."""
    try:
        return await take(bucket, key, limit, window)
    except Refused:
        return None


async def refund(ticket: Ticket) -> None:
    """Give an attempt back (its window still open)."""
    await sql.execute(_REFUND, (ticket.bucket, ticket.key, ticket.started))


async def clear(bucket: str, key: str) -> None:
    await sql.execute(_CLEAR, (bucket, key))


async def prune(older_than: int = PRUNE_AFTER_SECONDS) -> int:
    """Forget the rows whose window opened more than `older_than` seconds ago."""
    return await sql.execute(_PRUNE, (_now_ms() - older_than * 1000,))


async def _prune_now_and_then() -> None:
    global _last_prune
    moment = time.monotonic()
    if moment - _last_prune >= PRUNE_EVERY_SECONDS:
        _last_prune = moment
        await prune()
