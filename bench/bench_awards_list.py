"""The organizer's nominations list of an award cycle at 5 and at 5,000 nominations, run by
`python -m bench` (see MEASUREMENTS in __main__.py) or alone with
`python bench/bench_awards_list.py`.

- awards_nominations_list_scaling: the first page answers with the same number of SQL
  statements at 5 and at 5,000 nominations (one count, one page, the page's nominators, plus the
  cycle, the categories and the signed-in person), and its median time grows by less than 2x.

Each database is built on the migrated schema (as the server runs it) in a temporary directory,
in bulk; the pages are asked in process through the ASGI app, as for the Mediathon's list.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_events import (  # noqa: E402
    DEMO_PASSWORD,
    LIST_REQUESTS,
    LIST_ROUNDS,
    LIST_WARMUP,
    TIME_RATIO_LIMIT,
    UNUSABLE,
    _settings,
    _sign_in,
    counting_queries,
)

if TYPE_CHECKING:
    from bench.__main__ import Bench, Measurement

FEW, MANY = 5, 5000
PAGE = 50
URL = "/awards/bench/manage/nominations"
STATES = ("awaiting_nominee", "submitted", "eligible", "ineligible", "submitted")


async def build(settings: Any, nominations: int) -> None:
    """An organizer, a published cycle in screening with seven categories, and `nominations`
    nominations by as many nominators, each credited, in bulk."""
    from accounts.models import Membership, User
    from accounts.passwords import hash_password
    from awards.enums import NomineeType, Visibility
    from awards.models import Category, Cycle, Nomination, NominationCredit

    now = dt.datetime.now(dt.UTC)
    day = dt.timedelta(days=1)
    organizer = await User.create(
        email="organizer@bench.local",
        name_en="Organizer",
        language="en",
        password_hash=hash_password(DEMO_PASSWORD, settings.security_argon2_profile),
        email_verified_at=now,
    )
    cycle = await Cycle.create(
        slug="bench",
        year=now.year,
        name_ar="جائزة القياس",
        name_en="Bench Award",
        visibility=Visibility.PUBLISHED,
        nominations_open=now - 40 * day,
        nominations_close=now - 10 * day,
        screening_ends=now + 5 * day,
        appeals_close=now + 12 * day,
    )
    await Membership.create(
        user=organizer, scope_type="award_cycle", scope_id=cycle.id, role="organizer"
    )
    types = (NomineeType.INDIVIDUAL, NomineeType.GROUP, NomineeType.INSTITUTION)
    categories = [
        await Category.create(
            cycle=cycle,
            position=i,
            name_ar=f"فئة {i}",
            name_en=f"Category {i}",
            nominee_type=types[i % 3],
        )
        for i in range(7)
    ]
    first = organizer.id + 1
    ids = range(first, first + nominations)
    batch = 1000
    await User.bulk_create(
        [
            User(
                id=i,
                email=f"nominator-{i}@bench.local",
                password_hash=UNUSABLE,
                name_en=f"Nominator {i}",
                email_verified_at=now,
            )
            for i in ids
        ],
        batch_size=batch,
    )
    await Nomination.bulk_create(
        [
            Nomination(
                id=i,
                cycle=cycle,
                category=categories[i % 7],
                created_by_id=i,
                state=STATES[i % len(STATES)],
                nominee_name_ar=f"مرشح {i:05d}",
                nominee_name_en=f"Nominee {i:05d}",
                nominee_email=f"nominee-{i}@bench.local",
                work_title=f"Work {i:05d}",
                work_outlet=f"Outlet {i % 40}",
                submitted_at=now - dt.timedelta(minutes=i),
                version_count=1,
                fingerprint="0" * 64,
            )
            for i in ids
        ],
        batch_size=batch,
    )
    await NominationCredit.bulk_create(
        [NominationCredit(nomination_id=i, user_id=i) for i in ids], batch_size=batch
    )


async def _built(directory: Path, nominations: int) -> Any:
    from core.db import connected

    settings = _settings(directory)
    async with connected(settings):
        await build(settings, nominations)
    return settings


async def measure(settings: Any) -> dict[str, Any]:
    import httpx

    from core.app import create_app
    from core.db import connected

    async with connected(settings):
        transport = httpx.ASGITransport(app=create_app(settings), client=("127.0.0.1", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            await _sign_in(c, "organizer@bench.local")
            page = (await c.get(URL)).text
            with counting_queries() as statements:
                await c.get(URL)
            for _ in range(LIST_WARMUP):
                await c.get(URL)
            times = []
            for _ in range(LIST_REQUESTS):
                started = time.perf_counter()
                answer = await c.get(URL)
                times.append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200
    total = re.search(r'<span class="muted">\((\d[\d,]*)\)</span>', page)
    table = re.search(r'data-testid="nominations">(.*?)</table>', page, re.S)
    return {
        "queries": len(statements),
        "statements": statements,
        "rows": table.group(1).count("<tr>") - 1 if table else 0,
        "total": int(total.group(1).replace(",", "")) if total else -1,
        "median_ms": round(statistics.median(times), 3),
        "p90_ms": round(statistics.quantiles(times, n=10, method="inclusive")[8], 3),
    }


async def scaling(tmp: Path) -> dict[int, dict[str, Any]]:
    settings = {n: await _built(tmp / f"nominations-{n}", n) for n in (FEW, MANY)}
    results: dict[int, dict[str, Any]] = {}
    for _ in range(LIST_ROUNDS):  # taking turns spreads a slow spell of the machine over both
        for n, one in settings.items():
            measured = await measure(one)
            if n not in results or measured["median_ms"] < results[n]["median_ms"]:
                results[n] = measured
    return results


def run() -> tuple[dict[str, Any], list[tuple[str, bool]]]:
    with tempfile.TemporaryDirectory(prefix="manassa-bench-awards-list-") as name:
        results = asyncio.run(scaling(Path(name)))
    few, many = results[FEW], results[MANY]
    ratio = many["median_ms"] / few["median_ms"]
    for n, r in results.items():
        print(
            f"  {n:>5,} nominations: {r['queries']} queries, first page median "
            f"{r['median_ms']:.2f} ms (p90 {r['p90_ms']:.2f} ms, {r['rows']} rows)"
        )
    print(f"  time ratio {MANY:,} / {FEW}: {ratio:.2f}  (target < {TIME_RATIO_LIMIT:.1f})")
    figures = {
        "few": {k: v for k, v in few.items() if k != "statements"},
        "many": {k: v for k, v in many.items() if k != "statements"},
        "statements": many["statements"],
        "time_ratio": round(ratio, 3),
        "time_ratio_limit": TIME_RATIO_LIMIT,
    }
    checks = [
        (
            f"nominations list: {many['queries']} queries with {MANY:,} nominations, "
            f"{few['queries']} with {FEW}",
            many["queries"] == few["queries"],
        ),
        (
            "nominations list shows a full first page of the cycle's nominations",
            few["rows"] == FEW and many["rows"] == PAGE and many["total"] == MANY,
        ),
        (
            f"nominations list time x{ratio:.2f} from {FEW} to {MANY:,} nominations "
            f"(< {TIME_RATIO_LIMIT:.1f})",
            ratio < TIME_RATIO_LIMIT,
        ),
    ]
    return figures, checks


def awards_nominations_list_scaling(bench: Bench) -> Measurement:
    """The organizer's nominations list with 5 and with 5,000 nominations."""
    figures, checks = run()
    return sys.modules[type(bench).__module__].Measurement(
        "awards_nominations_list_scaling", figures, checks
    )


MEASUREMENTS: list[Callable[[Bench], Measurement]] = [awards_nominations_list_scaling]


def main() -> int:
    _figures, checks = run()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
