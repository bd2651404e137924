"""The award's results (registered in bench/__main__.py; run the counting figures alone with
`python -m bench.bench_award_results [--votes N]`):

- `award_tabulation_1m`: one category with 1,000,000 public votes and 50 jury ballots (IRV over
  10 finalists), seeded with bulk inserts into a SQLite file migrated as the server's; the
  count read from the database (the public tally by one GROUP BY, the ballots, the calibrated
  scores) and tabulated (awards.services.results.tabulate): under 2 s; then at 4x the votes,
  under 5x the time. Beside it, informational: streaming every counted vote as the bundle's
  per-vote file needs (awards.services.results.counted_votes) at 1/4 of the votes and at the
  full count.
- IRV over 10,000 ranked ballots and 20 finalists is bench/bench_awards.py's `awards_irv`.
- `award_results_page_vs_ceiling`: the demo's published results page (anonymous, Arabic)
  against the bare 10 KB Jinja page, in the same run: at least 0.70.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import sqlite3
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.__main__ import Bench, Measurement

VOTES = 1_000_000
JURORS = 50
FINALISTS = 10
TABULATION_LIMIT_S = 2.0
SCALE_LIMIT = 5.0  # 4x the votes in under 5x the time
IRV_BALLOTS, IRV_FINALISTS, IRV_LIMIT_S = 10_000, 20, 0.5
PAGE_TARGET_RATIO = 0.70


def _measurement(
    bench: Bench | None, name: str, figures: dict[str, Any], checks: list[tuple[str, bool]]
) -> Measurement:
    if bench is None:
        from bench.__main__ import Measurement

        return Measurement(name, figures, checks)
    return sys.modules[type(bench).__module__].Measurement(name, figures, checks)


# --- tabulating from the database ------------------------------------------------------------


def _seed_votes(path: Path, category_id: int, cycle_id: int, first: int, votes: int) -> None:
    """`votes` more voters and their votes, in bulk inside SQLite (a recursive CTE, one
    transaction): finalists `first` .. `first + FINALISTS - 1` unevenly, 1% voided, spread
    over ten days by the hour."""
    db = sqlite3.connect(path)
    try:
        start = db.execute("SELECT COALESCE(MAX(id), 0) FROM awards_voter").fetchone()[0]
        with db:
            db.execute(
                "INSERT INTO awards_voter (id, cycle_id, key, verified_at, created_at) "
                "WITH RECURSIVE n(x) AS (SELECT ? UNION ALL SELECT x + 1 FROM n WHERE x < ?) "
                "SELECT x, ?, printf('%064d', x), '2026-11-01 00:00:00+00:00', "
                "'2026-11-01 00:00:00+00:00' FROM n",
                (start + 1, start + votes, cycle_id),
            )
            db.execute(
                "INSERT INTO awards_public_vote "
                "(category_id, voter_id, nomination_id, cast_at, changes, voided) "
                "WITH RECURSIVE n(x) AS (SELECT ? UNION ALL SELECT x + 1 FROM n WHERE x < ?) "
                "SELECT ?, x, ? + ((x * 7) % 13) % ?, "
                "printf('2026-11-%02d %02d:00:00+00:00', 10 + (x / 24) % 10, x % 24), 0, "
                "x % 100 = 0 FROM n",
                (start + 1, start + votes, category_id, first, FINALISTS),
            )
    finally:
        db.close()


async def _build() -> tuple[int, int, list[int]]:
    """A cycle past voting, one category with FINALISTS on its shortlist and JURORS ballots."""
    from accounts.enums import ScopeType
    from accounts.models import User
    from awards.enums import NominationState, NomineeType, Relation, Visibility
    from awards.models import Category, Cycle, JuryBallot, Nomination, ShortlistedNomination
    from core.clock import now
    from judging.enums import JudgeState
    from judging.models import Judge

    moment = now()
    day = dt.timedelta(days=1)
    cycle = await Cycle.create(
        slug="bench-results",
        year=moment.year,
        name_en="Bench",
        visibility=Visibility.PUBLISHED,
        nominations_open=moment - 100 * day,
        nominations_close=moment - 90 * day,
        screening_ends=moment - 80 * day,
        appeals_close=moment - 70 * day,
        voting_opens=moment - 20 * day,
        voting_closes=moment - 10 * day,
    )
    category = await Category.create(
        cycle=cycle,
        name_en="Bench category",
        nominee_type=NomineeType.INDIVIDUAL,
        public_vote=True,
        quorum=3,
        shortlist_approved_at=moment - 30 * day,
        fraud_review_signed_at=moment - 5 * day,
    )
    owner = await User.create(email="owner@bench.example", password_hash="-")  # noqa: S106
    finalists = []
    for rank in range(1, FINALISTS + 1):
        nomination = await Nomination.create(
            cycle=cycle,
            category=category,
            created_by=owner,
            state=NominationState.ELIGIBLE,
            relation=Relation.COLLEAGUE,
            nominee_name_en=f"Finalist {rank}",
        )
        await ShortlistedNomination.create(
            category=category, nomination=nomination, rank=rank, score=100 - rank
        )
        finalists.append(nomination.id)
    await User.bulk_create(
        [User(email=f"juror{i}@bench.example", password_hash="-") for i in range(JURORS)]  # noqa: S106
    )
    jurors = await User.filter(email__startswith="juror").values_list("id", flat=True)
    await Judge.bulk_create(  # seated on the cycle's jury: only seated jurors' ballots count
        [
            Judge(
                scope_type=ScopeType.AWARD_CYCLE.value,
                scope_id=cycle.id,
                email=f"juror{i}@bench.example",
                user_id=juror,
                state=JudgeState.ACCEPTED,
                token_hash=f"bench-juror-{i}",
            )
            for i, juror in enumerate(jurors)
        ]
    )
    rng = random.Random(7)  # noqa: S311 - benchmark data
    await JuryBallot.bulk_create(
        [
            JuryBallot(
                category_id=category.id,
                juror_id=juror,
                ranking=rng.sample(finalists, k=rng.randint(3, FINALISTS)),
                cast_at=moment,
                updated_at=moment,
            )
            for juror in jurors
        ]
    )
    assert finalists == list(range(finalists[0], finalists[0] + FINALISTS))  # a fresh file
    return cycle.id, category.id, finalists


async def _time(make: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        await make()
        best = min(best, time.perf_counter() - started)
    return best


def _counter(function: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    async def call() -> Any:
        return await function(*args)

    return call


async def _drain(category: Any, secret: bytes) -> None:
    """Every counted vote as the bundle's per-vote file reads it."""
    from awards.services import results

    async for _vote in results.counted_votes(category, secret):
        pass


async def _tabulation(tmp: Path, votes: int) -> dict[str, Any]:
    from awards.models import Category
    from awards.services import results
    from bench.bench_events import _settings
    from core.db import connected

    settings = _settings(tmp / "db")
    path = Path(settings.database_url.split("://", 1)[1].split("?", 1)[0])
    secret = results.secret_of(settings)
    figures: dict[str, Any] = {"votes": votes, "jurors": JURORS, "finalists": FINALISTS}
    async with connected(settings):
        cycle_id, category_id, finalists = await _build()
    stream_at: dict[int, float] = {}
    tabulate_at: dict[int, float] = {}
    seeded = 0
    for target in (votes // 4, votes, 4 * votes):
        started = time.perf_counter()
        _seed_votes(path, category_id, cycle_id, finalists[0], target - seeded)
        seeded = target
        print(f"  seeded {target:,} votes in {time.perf_counter() - started:.1f} s", flush=True)
        async with connected(settings):
            category = await Category.get(id=category_id)

            count = _counter(results.tabulate, category, secret)
            stream = _counter(_drain, category, secret)

            if target >= votes:
                tabulate_at[target] = await _time(count, repeat=5)
                found = await count()
                figures[f"winner_{target}"] = found.winner
                figures["ballots_counted"] = found.jury.ballots
                print(f"  tabulated {target:,} votes: {tabulate_at[target]:.3f} s", flush=True)
            if target <= votes:
                stream_at[target] = await _time(stream, repeat=1)
                print(f"  streamed {target:,} votes: {stream_at[target]:.2f} s", flush=True)
    one, four = tabulate_at[votes], tabulate_at[4 * votes]
    figures.update(
        {
            "tabulate_s": round(one, 4),
            "tabulate_4x_s": round(four, 4),
            "scale": round(four / one, 2),
            "stream_quarter_s": round(stream_at[votes // 4], 3),
            "stream_s": round(stream_at[votes], 3),
            "stream_scale": round(stream_at[votes] / stream_at[votes // 4], 2),
        }
    )
    return figures


def tabulation_from_database(bench: Bench | None = None, votes: int = VOTES) -> Measurement:
    """One category: 1,000,000 public votes and 50 jury ballots, counted from SQLite."""
    with tempfile.TemporaryDirectory(prefix="manassa-bench-award-results-") as name:
        figures = asyncio.run(_tabulation(Path(name), votes))
    checks = [
        (
            f"the count reads the {JURORS} jury ballots ({figures['ballots_counted']})",
            figures["ballots_counted"] == JURORS,
        ),
        (
            f"award tabulation of {votes:,} votes from the database < {TABULATION_LIMIT_S:.0f} s "
            f"({figures['tabulate_s']:.3f} s)",
            figures["tabulate_s"] < TABULATION_LIMIT_S,
        ),
        (
            f"award tabulation at 4x the votes < {SCALE_LIMIT:.0f}x the time "
            f"({figures['scale']:.2f}x)",
            figures["scale"] < SCALE_LIMIT,
        ),
    ]
    return _measurement(bench, "award_tabulation_1m", figures, checks)


# --- the public results page ------------------------------------------------------------------


def results_path(base_url: str) -> str:
    """The results page of the first cycle whose results the API answers."""
    with urllib.request.urlopen(base_url + "/api/v1/awards", timeout=5) as answer:  # noqa: S310
        cycles = json.load(answer)["cycles"]
    for cycle in cycles:
        path = f"/awards/{cycle['slug']}/results"
        try:
            with urllib.request.urlopen(base_url + "/api/v1" + path, timeout=5):  # noqa: S310
                return path
        except urllib.error.HTTPError:
            continue
    raise SystemExit("bench: the demo data has no published award results")


def results_page_vs_ceiling(bench: Bench) -> Measurement:
    """The published results page (anonymous, Arabic) against the bare 10 KB Jinja page."""
    manassa = bench.servers["manassa"]
    url = manassa.url(results_path(manassa.url("")))
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback only
        page = answer.read().decode()
    if '<html lang="ar" dir="rtl">' not in page or 'data-testid="result-category"' not in page:
        raise SystemExit(f"bench: {url} did not answer with the Arabic results page")
    ceiling, found = bench.best(bench.servers["ceiling"].url("/"), url)
    ratio = found.requests_per_second / ceiling.requests_per_second
    print(f"  ceiling (bare Starlette + Jinja, 10 KB)   {ceiling.summary()}")
    print(f"  award results page (anonymous, Arabic)    {found.summary()}")
    print(f"  ratio results page / ceiling              {ratio:.2f}  (target >= 0.70)")
    return _measurement(
        bench,
        "award_results_page_vs_ceiling",
        {
            "ceiling": ceiling.as_dict(),
            "results_page": found.as_dict(),
            "ratio": round(ratio, 3),
            "target_ratio": PAGE_TARGET_RATIO,
        },
        [
            (f"award results page >= 0.70 x ceiling ({ratio:.2f})", ratio >= PAGE_TARGET_RATIO),
            ("no errors under load (results page)", found.errors == 0 and ceiling.errors == 0),
        ],
    )


MEASUREMENTS: list[Callable[[Bench], Measurement]] = [
    results_page_vs_ceiling,
    tabulation_from_database,
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_award_results")
    parser.add_argument("--votes", type=int, default=VOTES)
    parser.add_argument(
        "--page", action="store_true", help="also the results page against the ceiling (servers)"
    )
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per page run")
    args = parser.parse_args(argv)
    measured = [tabulation_from_database(votes=args.votes)]
    if args.page:
        from bench.__main__ import Bench, started_servers
        from bench.load import pick_loader

        with started_servers(2) as servers:
            bench = Bench(pick_loader(), args.duration, 1.0, 64, 2, servers)
            measured.append(results_page_vs_ceiling(bench))
    checks = [check for m in measured for check in m.checks]
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
