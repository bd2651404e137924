"""core.ratelimit: a window opened by the first attempt, refunds, and pruning."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time

import pytest

from core import clock, ratelimit
from core.ratelimit import RateLimit, Refused


async def test_exactly_the_limit_is_taken_then_the_window_says_when(db):
    tickets = [await ratelimit.take("b", "k", 3, 600) for _ in range(3)]
    assert [t.count for t in tickets] == [1, 2, 3]
    clock.travel(dt.timedelta(seconds=100))
    with pytest.raises(Refused) as refused:
        await ratelimit.take("b", "k", 3, 600)
    assert refused.value.retry_after == 500
    assert await RateLimit.filter(bucket="b", key="k").values_list("count", flat=True) == [3]

    clock.travel(dt.timedelta(seconds=500))
    assert (await ratelimit.take("b", "k", 3, 600)).count == 1  # a new window


async def test_concurrent_takes_in_one_process_stop_at_the_limit(db):
    taken = await asyncio.gather(*(ratelimit.try_take("b", "k", 7, 600) for _ in range(30)))
    assert sum(t is not None for t in taken) == 7


async def test_a_refund_gives_one_attempt_back_within_its_window(db):
    first = await ratelimit.take("b", "k", 2, 600)
    await ratelimit.take("b", "k", 2, 600)
    await ratelimit.refund(first)
    assert (await ratelimit.take("b", "k", 2, 600)).count == 2
    assert await ratelimit.try_take("b", "k", 2, 600) is None


async def test_rows_older_than_a_day_are_pruned_by_take(db, monkeypatch):
    monkeypatch.setattr(ratelimit, "_last_prune", time.monotonic())  # pruned a moment ago
    await ratelimit.take("b", "old", 3, 600)
    clock.travel(dt.timedelta(days=1, seconds=1))
    await ratelimit.take("b", "recent", 3, 600)
    assert await RateLimit.all().count() == 2  # pruned at most every few minutes per process
    monkeypatch.setattr(ratelimit, "_last_prune", -math.inf)  # due again
    await ratelimit.take("b", "new", 3, 600)
    assert sorted(await RateLimit.all().values_list("key", flat=True)) == ["new", "recent"]


async def test_an_attempt_taken_within_a_transaction_undoes_it_at_the_limit(db):
    from core import sql

    log = sql.Statement(
        "INSERT INTO core_rate_limit (bucket, \"key\", started, count) VALUES ('work', ?, 0, 0)"
    )
    for n in range(3):
        await sql.write_together([ratelimit.taking("b", "k", 3, 600), sql.Write(log, (str(n),))])
    assert await ratelimit.counted("b", "k", 600) == 3
    clock.travel(dt.timedelta(seconds=100))
    with pytest.raises(sql.Unchanged):
        await sql.write_together([sql.Write(log, ("refused",)), ratelimit.taking("b", "k", 3, 600)])
    assert not await RateLimit.filter(bucket="work", key="refused").exists()  # undone
    assert await ratelimit.counted("b", "k", 600) == 3
    assert await ratelimit.retry_after("b", "k", 600) == 500
    clock.travel(dt.timedelta(seconds=500))
    assert await ratelimit.counted("b", "k", 600) == 0  # the window is over
    await sql.write_together([ratelimit.taking("b", "k", 3, 600)])
    assert await ratelimit.counted("b", "k", 600) == 1


async def test_a_counter_within_a_transaction_counts_without_a_limit(db):
    from core import sql

    for _ in range(5):
        await sql.write_together([ratelimit.counting("c", "net", 60)])
    assert await ratelimit.counted("c", "net", 60) == 5
    assert await ratelimit.counted("c", "other", 60) == 0
