"""Judging under load, over HTTP (registered in bench/__main__.py; run just these with
`python -m bench.bench_judging_http`):

- saving a score sheet: judges' POSTs of the scoring form (draft saves, session cookie and
  CSRF token, the optimistic version check satisfied) against a bare Starlette endpoint that
  inserts one row through Tortoise (bench/insert_app.py), served the same way against the same
  kind of database in the same run;
- the public results page of the demo's published event against the bare 10 KB Jinja page.

The score sheets belong to generated judges and entries added to the bench database (a round
open for scoring in a demo event). Each sheet is saved by one connection at a time: a wrk Lua
script hands a free sheet to each request, with the sheet's current version (read from the
database before each run), and frees it when the redirect to that sheet comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bench.load import WRK_THREADS, LoadResult, Wrk, parse_wrk
from bench.servers import ROOT, Server, free_port, manassa_env, running

if TYPE_CHECKING:
    from bench.__main__ import Bench, Measurement

SAVE_TARGET_RATIO = 0.50
RESULTS_TARGET_RATIO = 0.60
BENCH_JUDGES = 8
SHEETS_PER_JUDGE = 32  # 256 sheets: many more than the connections, so none waits for another
SOURCE_BASE = 9_000_000  # source ids of the generated entries, far from real submissions
SCORES = {"score_c1": "4", "score_c2": "7.5", "score_c3": "3", "score_c4": "2"}
COMMENT = "فكرة واضحة وعرض متقن؛ نقترح اختبارها مع جمهور صغير. A clear, well-made pitch."
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Sheet:
    """One judge's score sheet of one entry, as the load script saves it."""

    entry_id: int
    cookie: str
    token: str


# --- the measurements ----------------------------------------------------------------------------


def _measurement(
    bench: Bench, name: str, figures: dict[str, Any], checks: list[tuple[str, bool]]
) -> Measurement:
    """A Measurement of the module that defines Bench (bench/__main__.py runs as `__main__`)."""
    return sys.modules[type(bench).__module__].Measurement(name, figures, checks)


def score_save_vs_insert(bench: Bench) -> Measurement:
    """A judge saving a draft score sheet against a bare endpoint inserting one row."""
    if not isinstance(bench.loader, Wrk):
        return _measurement(
            bench,
            "score_save_vs_insert",
            {"skipped": "wrk is not installed"},
            [("score save measured (needs wrk: apt-get install wrk)", False)],
        )
    manassa = bench.servers["manassa"]
    fixture = prepare_fixture(manassa)
    sheets = [signed_in_sheets(manassa, judge, fixture["password"]) for judge in fixture["judges"]]
    flat = [sheet for judge_sheets in sheets for sheet in judge_sheets]
    database = manassa.log.parent / "bench.sqlite3"
    written_before = saved_versions(database)
    with insert_server(manassa.log.parent, workers_of(bench)) as bare:
        runs = {
            "insert": lambda seconds: run_script(bench, bare.url("/rows"), INSERT_SCRIPT, seconds),
            "save": lambda seconds: run_script(
                bench, manassa.url("/"), save_script(flat, saved_versions(database)), seconds
            ),
        }
        results, requests = best_runs(bench, runs)
    insert, save = results["insert"], results["save"]
    written = sum(saved_versions(database).values()) - sum(written_before.values())
    return save_measurement(bench, insert, save, written, requests["save"])


def save_measurement(
    bench: Bench, insert: LoadResult, save: LoadResult, written: int, answered: int
) -> Measurement:
    ratio = save.requests_per_second / insert.requests_per_second
    print(f"  bare insert (Starlette + Tortoise, 1 row) {insert.summary()}")
    print(f"  score sheet saved (judge, draft)         {save.summary()}")
    print(
        f"  ratio save / insert                      {ratio:.2f}  (target >= "
        f"{SAVE_TARGET_RATIO:.2f})"
    )
    print(f"  sheet versions written {written:,} for {answered:,} answered saves")
    return _measurement(
        bench,
        "score_save_vs_insert",
        {
            "insert": insert.as_dict(),
            "save": save.as_dict(),
            "ratio": round(ratio, 3),
            "target_ratio": SAVE_TARGET_RATIO,
            "versions_written": written,
            "saves_answered": answered,
        },
        [
            (
                f"score save >= {SAVE_TARGET_RATIO:.2f} x bare insert ({ratio:.2f})",
                ratio >= SAVE_TARGET_RATIO,
            ),
            ("no errors under load (saves and inserts)", save.errors == 0 and insert.errors == 0),
            ("every answered save wrote a new sheet version", written >= answered > 0),
        ],
    )


def results_vs_ceiling(bench: Bench) -> Measurement:
    """The public results page (anonymous, Arabic) against the bare 10 KB Jinja page."""
    manassa = bench.servers["manassa"]
    results_url = manassa.url(published_results_path(manassa))
    require_results_page(results_url)
    ceiling, results = bench.best(bench.servers["ceiling"].url("/"), results_url)
    ratio = results.requests_per_second / ceiling.requests_per_second
    print(f"  ceiling (bare Starlette + Jinja, 10 KB)   {ceiling.summary()}")
    print(f"  public results page (anonymous, Arabic)   {results.summary()}")
    print(
        f"  ratio results / ceiling                   {ratio:.2f}  (target >= "
        f"{RESULTS_TARGET_RATIO:.2f})"
    )
    return _measurement(
        bench,
        "results_vs_ceiling",
        {
            "ceiling": ceiling.as_dict(),
            "results": results.as_dict(),
            "ratio": round(ratio, 3),
            "target_ratio": RESULTS_TARGET_RATIO,
        },
        [
            (
                f"public results page >= {RESULTS_TARGET_RATIO:.2f} x ceiling ({ratio:.2f})",
                ratio >= RESULTS_TARGET_RATIO,
            ),
            ("no errors under load (results page)", results.errors == 0 and ceiling.errors == 0),
        ],
    )


MEASUREMENTS: list[Callable[[Bench], Measurement]] = [score_save_vs_insert, results_vs_ceiling]


# --- running wrk with a script -------------------------------------------------------------------

INSERT_SCRIPT = """
wrk.method = "POST"
wrk.body = "note=bench"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""


def run_script(bench: Bench, url: str, script: str, seconds: float) -> LoadResult:
    """One wrk run with a Lua script (written next to the servers' logs)."""
    assert isinstance(bench.loader, Wrk)
    path = bench.servers["manassa"].log.parent / f"load-{secrets.token_hex(4)}.lua"
    path.write_text(script, encoding="utf-8")
    try:
        done = subprocess.run(  # noqa: S603
            [
                bench.loader.path,
                f"-t{WRK_THREADS}",
                f"-c{bench.connections}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "-s",
                str(path),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        path.unlink()
    return parse_wrk(done.stdout)


def best_runs(
    bench: Bench, runs: dict[str, Callable[[float], LoadResult]]
) -> tuple[dict[str, LoadResult], dict[str, int]]:
    """As Bench.best: warm each up, then take turns `rounds` times and keep each one's best
    run; also how many requests each answered in all (warm-ups included)."""
    answered = dict.fromkeys(runs, 0)
    for name, run in runs.items():
        answered[name] += run(bench.warmup).requests
    kept: dict[str, LoadResult] = {}
    for _ in range(bench.rounds):
        for name, run in runs.items():
            result = run(bench.duration)
            answered[name] += result.requests
            if name not in kept or result.requests_per_second > kept[name].requests_per_second:
                kept[name] = result
    return kept, answered


def save_script(sheets: list[Sheet], versions: dict[int, int]) -> str:
    """The Lua script saving drafts: each wrk thread owns every WRK_THREADS-th sheet; a request
    takes a free sheet at its current version; the 303 back to the sheet frees it, one version
    on."""
    rows = ",\n".join(
        f'  {{entry = "{s.entry_id}", cookie = "{s.cookie}", token = "{s.token}", '
        f"version = {versions.get(s.entry_id, 0)}}}"
        for s in sheets
    )
    body = "&".join(
        f"{k}={quote(v)}"
        for k, v in {
            **SCORES,
            "comment_for_team": COMMENT,
            "note_for_organizers": "",
            "action": "draft",
        }.items()
    )
    return (
        SAVE_SCRIPT.replace("@SHEETS@", rows)
        .replace("@BODY@", body)
        .replace("@THREADS@", str(WRK_THREADS))
    )


SAVE_SCRIPT = """
local sheets = {
@SHEETS@
}
local threads = @THREADS@
local created = 0
local free, busy, last = {}, {}, nil

function setup(thread)
  thread:set("index", created)
  created = created + 1
end

function init(args)
  for i, sheet in ipairs(sheets) do
    if (i - 1) % threads == index then
      table.insert(free, sheet)
    end
  end
end

function request()
  local sheet = table.remove(free) or last  -- never empty while sheets outnumber connections
  last = sheet
  busy[sheet.entry] = sheet
  local body = "csrf_token=" .. sheet.token .. "&@BODY@&version=" .. sheet.version
  return wrk.format("POST", "/judging/entries/" .. sheet.entry,
                    {["Cookie"] = sheet.cookie,
                     ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  local location = headers["location"] or headers["Location"] or ""
  local entry = string.match(location, "/judging/entries/(%d+)$")
  local sheet = entry and busy[entry]
  if sheet and status == 303 then
    busy[entry] = nil
    sheet.version = sheet.version + 1
    table.insert(free, sheet)
  end
end
"""


def saved_versions(database: Path) -> dict[int, int]:
    """Each generated entry's sheet version (read-only; WAL lets it read beside the servers)."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT a.entry_id, s.version FROM judging_score_sheet s JOIN judging_assignment a"
            " ON a.id = s.assignment_id JOIN judging_entry e ON e.id = a.entry_id"
            " WHERE e.source_id >= ?",
            (SOURCE_BASE,),
        ).fetchall()
    return {int(entry): int(version) for entry, version in rows}


@contextlib.contextmanager
def insert_server(tmp: Path, workers: int) -> Iterator[Server]:
    """bench/insert_app.py with the same uvicorn settings as the ceiling (and `manassa
    serve`), on a SQLite file beside Manassa's with the same busy timeout."""
    port = free_port()
    env = {
        **os.environ,
        "BENCH_INSERT_DATABASE_URL": f"sqlite://{tmp / 'insert.sqlite3'}?busy_timeout=5000",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.insert_app:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--proxy-headers",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    with running("insert", command, env, port, tmp / "insert.log") as server:
        yield server


def workers_of(bench: Bench) -> int:
    """The uvicorn workers this run gives each server (the harness's --workers)."""
    harness = sys.modules[type(bench).__module__]
    with contextlib.suppress(SystemExit, AttributeError):
        return int(harness.parse_args(sys.argv[1:]).workers)
    return 2


# --- the judges and their sheets -----------------------------------------------------------------


def prepare_fixture(manassa: Server) -> dict[str, Any]:
    """Generated judges and entries in the bench database (see `prepare`), in a subprocess
    with the server's settings."""
    env = manassa_env(manassa.log.parent, manassa.port)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.bench_judging_http", "prepare"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: preparing the judging fixture failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def signed_in_sheets(manassa: Server, judge: dict[str, Any], password: str) -> list[Sheet]:
    """Sign the judge in as a browser would; their session cookie and CSRF token serve every
    request (the flash each save adds to the session comes back in a cookie wrk ignores)."""
    import httpx

    with httpx.Client(base_url=manassa.url(""), timeout=30) as client:
        token = csrf_token(client.get("/login").text)
        answer = client.post(
            "/login", data={"csrf_token": token, "email": judge["email"], "password": password}
        )
        if answer.status_code != 303:
            raise SystemExit(f"bench: {judge['email']} could not sign in ({answer.status_code})")
        page = client.get(f"/judging/entries/{judge['entries'][0]}")
        if page.status_code != 200:
            raise SystemExit(f"bench: {judge['email']} cannot open a sheet ({page.status_code})")
        cookie = f"session={client.cookies['session']}"
        token = csrf_token(page.text)
    return [Sheet(entry, cookie, token) for entry in judge["entries"]]


def csrf_token(html: str) -> str:
    found = CSRF_INPUT.search(html)
    if found is None:
        raise SystemExit("bench: no CSRF token in the page")
    return found.group(1)


def published_results_path(manassa: Server) -> str:
    database = manassa.log.parent / "bench.sqlite3"
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        row = db.execute(
            "SELECT scope_type, scope_id FROM judging_round WHERE state = ? ORDER BY id LIMIT 1",
            ("published",),
        ).fetchone()
    if row is None:
        raise SystemExit("bench: the demo data has no published judging round")
    return f"/judging/{row[0]}/{row[1]}/results"


def require_results_page(url: str) -> None:
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback only
        page = answer.read().decode()
    if '<html lang="ar" dir="rtl">' not in page or 'data-testid="winners-overall"' not in page:
        raise SystemExit(f"bench: {url} did not answer with the Arabic results and winners")


async def prepare() -> dict[str, Any]:
    """In the bench database: a round open for scoring in a demo event, with the demo rubric,
    BENCH_JUDGES accepted judges (the demo password) and SHEETS_PER_JUDGE entries each."""
    from accounts.demo import DEMO_PASSWORD
    from core.db import connected
    from core.settings import load_settings

    async with connected(load_settings()):
        round_ = await _open_round()
        judges = [await _judge(round_, n) for n in range(BENCH_JUDGES)]
        entries = await _entries(round_, len(judges) * SHEETS_PER_JUDGE)
        return {"password": DEMO_PASSWORD, "judges": await _assign(round_, judges, entries)}


async def _open_round() -> Any:
    from core.clock import now
    from judging.demo import RUBRIC
    from judging.enums import RoundState
    from judging.models import Criterion, Round

    demo_round = (
        await Round.filter(state=RoundState.DRAFT).order_by("id").first()
        or await Round.all().order_by("id").first()
    )
    if demo_round is None:
        raise SystemExit("bench: the demo data has no judging round")
    round_ = await Round.create(
        scope_type=demo_round.scope_type,
        scope_id=demo_round.scope_id,
        name_ar="جولة قياس الأداء",
        name_en="Benchmark round",
        judges_per_entry=1,
        starts_at=now() - dt.timedelta(days=1),
        ends_at=now() + dt.timedelta(days=30),
        state=RoundState.OPEN,
    )
    for position, values in enumerate(RUBRIC, start=1):
        await Criterion.create(round=round_, key=f"c{position}", position=position, **values)
    return round_


async def _judge(round_: Any, number: int) -> Any:
    from accounts.enums import Role
    from accounts.models import Membership, User
    from core.clock import now
    from judging.demo import JUDGES
    from judging.enums import JudgeState
    from judging.models import Judge

    template = await User.get(email=JUDGES[0])  # the demo password's hash, computed once
    user = await User.create(
        email=f"bench-judge{number}@bench.manassa.local",
        password_hash=template.password_hash,
        name_ar=f"محكم {number}",
        name_en=f"Judge {number}",
        language="ar",
        email_verified_at=now(),
    )
    await Membership.create(
        user=user, scope_type=round_.scope_type, scope_id=round_.scope_id, role=Role.JUDGE.value
    )
    return await Judge.create(
        scope_type=round_.scope_type,
        scope_id=round_.scope_id,
        email=user.email,
        name=user.name_en,
        language="ar",
        user=user,
        state=JudgeState.ACCEPTED,
        token_hash=secrets.token_hex(32),
        responded_at=now(),
    )


async def _entries(round_: Any, count: int) -> list[Any]:
    from judging.models import Entry

    await Entry.bulk_create(
        [
            Entry(
                round_id=round_.id,
                source="events.submission",
                source_id=SOURCE_BASE + n,
                title_ar=f"مبادرة القياس {n}",
                title_en=f"Benchmark entry {n}",
            )
            for n in range(count)
        ]
    )
    return list(await Entry.filter(round_id=round_.id).order_by("id"))


async def _assign(round_: Any, judges: list[Any], entries: list[Any]) -> list[dict[str, Any]]:
    """Each entry to one judge in turn: every (judge, entry) sheet is its own."""
    from judging.models import Assignment

    await Assignment.bulk_create(
        [
            Assignment(round_id=round_.id, entry_id=entry.id, judge_id=judges[n % len(judges)].id)
            for n, entry in enumerate(entries)
        ]
    )
    return [
        {
            "email": judge.email,
            "entries": [e.id for n, e in enumerate(entries) if n % len(judges) == index],
        }
        for index, judge in enumerate(judges)
    ]


def main(argv: list[str]) -> int:
    if argv[:1] == ["prepare"]:
        print(json.dumps(asyncio.run(prepare())))
        return 0
    from bench import __main__ as harness

    harness.MEASUREMENTS[:] = MEASUREMENTS
    return harness.main([*argv, "--no-judging"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
