"""CPU time per request, in-process: `python -m bench.cpu [--requests N] [--profile PATH]`.

Throughput under wrk is noisy on a shared 2-core machine; the CPU time a request costs the
serving process is not. This loads the demo into a temporary SQLite file (as `make bench`
does), builds the app in this process, signs the demo accounts in, and serves each page N times
through httpx's ASGI transport, timing `time.process_time()` (every thread of the process,
aiosqlite's included). The bare 10 KB Jinja page (bench/ceiling.py) is measured the same way,
and each page's cost is printed beside its ratio to it (ceiling's CPU / page's CPU, which is
what the throughput ratio tends to when the CPU is the limit).

`--profile PAGE` (a page's label or path) prints cProfile's top functions for that page instead;
`--json PATH` also writes the figures, as `make bench` does (under "cpu_per_request" in
bench/results/latest.json). Besides the signed-in pages, the anonymous published pages make
bench measures are found in the demo data: the public results, the shortlist, the cycle page.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from bench.bench_events import CAPTAIN, DEMO_PASSWORD, EVENT_PAGE, EVENT_SLUG
from bench.servers import manassa, manassa_command, manassa_env

JUDGE = "judge@manassa.local"
ORGANIZER = "organizer@manassa.local"
PAGES: list[tuple[str, str | None, str]] = [
    ("home anonymous", None, "/"),
    ("home signed in", CAPTAIN, "/"),
    ("event page anonymous", None, EVENT_PAGE),
    ("event page signed in", CAPTAIN, EVENT_PAGE),
    ("participant dashboard", CAPTAIN, "/me/events"),
    ("my nominations", CAPTAIN, "/me/awards"),
    ("judge's queue", JUDGE, "/judging/queue"),
    ("organizer dashboard", ORGANIZER, f"/events/{EVENT_SLUG}/manage"),
]


async def _sign_in(client: httpx.AsyncClient, email: str) -> None:
    import re

    login = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
    assert token, "no CSRF token on the sign-in page"
    answer = await client.post(
        "/login", data={"csrf_token": token.group(1), "email": email, "password": DEMO_PASSWORD}
    )
    assert answer.status_code == 303, f"{email} could not sign in ({answer.status_code})"
    await client.get(answer.headers["location"])


def _caller(app: Any, path: str, cookies: httpx.Cookies | None) -> Callable[[], Awaitable[int]]:
    """A GET of `path` straight through the ASGI app (no HTTP client's cost in the figure),
    with the client's cookies; returns the status."""
    cookie = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
    headers = [(b"host", b"127.0.0.1:8000"), (b"accept", b"text/html")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def call() -> int:
        status = 0

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(dict(scope, state={}), receive, send)
        return status

    return call


async def _cpu_per_request(call: Callable[[], Awaitable[int]], n: int) -> float:
    for _ in range(max(5, n // 10)):  # warm up (templates compiled, caches filled)
        status = await call()
        assert status == 200, status
    best = float("inf")
    for _ in range(ROUNDS):  # the least disturbed of a few rounds (2 shared cores)
        start = time.process_time()
        for _ in range(n):
            await call()
        best = min(best, (time.process_time() - start) / n * 1000)
    return best


ROUNDS = 3


async def measure(n: int, profile: str | None, only: list[str]) -> dict[str, Any]:
    """Each page's CPU time per request (ms), the ceiling's under "ceiling"."""
    from bench import ceiling
    from core.app import create_app

    base = await _cpu_per_request(_caller(ceiling.app, "/", None), n)
    print(f"{'ceiling (bare 10 KB Jinja page)':34} {base:7.3f} ms CPU/request")
    found: dict[str, Any] = {"ceiling": {"ms": round(base, 4)}}
    app = create_app()
    async with app.router.lifespan_context(app):
        clients: dict[str | None, httpx.AsyncClient] = {}
        for _label, account, _path in PAGES:
            if account not in clients:
                clients[account] = httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url=os.environ["BASE_URL"]
                )
                if account:
                    await _sign_in(clients[account], account)
        for label, account, path in PAGES:
            if only and not any(o in label or o == path for o in only):
                continue
            call = _caller(app, path, clients[account].cookies if account else None)
            if profile and profile in (path, label):
                await _cpu_per_request(call, 20)
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(n):
                    await call()
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
                return found
            cost = await _cpu_per_request(call, n)
            print(f"{label:34} {cost:7.3f} ms CPU/request  ceiling/page {base / cost:5.2f}")
            found[label] = {
                "path": path,
                "ms": round(cost, 4),
                "ceiling_per_page": round(base / cost, 3),
            }
    return found


def _published_pages(database: Path) -> list[tuple[str, str | None, str]]:
    """The anonymous published pages make bench measures against the ceiling, found in the
    demo data as it does: the Mediathon's public results, the award's shortlist and cycle."""
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        scope = db.execute(
            "SELECT scope_type, scope_id FROM judging_round WHERE state = 'published'"
            " ORDER BY id LIMIT 1"
        ).fetchone()
        shortlisted = db.execute(
            "SELECT slug FROM awards_cycle WHERE visibility = 'published'"
            " AND shortlist_published_at IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
        newest = db.execute(  # the first cycle of /api/v1/awards
            "SELECT slug FROM awards_cycle WHERE visibility = 'published'"
            " ORDER BY year DESC, id DESC LIMIT 1"
        ).fetchone()
    pages: list[tuple[str, str | None, str]] = []
    if scope is not None:
        pages.append(("results page anonymous", None, f"/judging/{scope[0]}/{scope[1]}/results"))
    if shortlisted is not None:
        pages.append(("award shortlist anonymous", None, f"/awards/{shortlisted[0]}/shortlist"))
    if newest is not None:
        pages.append(("award cycle page anonymous", None, f"/awards/{newest[0]}"))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", help="a page's label or path: profile it instead")
    parser.add_argument("--only", nargs="*", default=[], help="labels or paths to measure")
    parser.add_argument("--path", action="append", default=[], help="extra ACCOUNT:PATH pages")
    parser.add_argument("--keep", help="a folder for the demo database, reused when there")
    parser.add_argument("--json", help="also write the figures to this file (make bench does)")
    args = parser.parse_args()
    for extra in args.path:
        account, _, path = extra.rpartition(":")
        PAGES.append((path, account or None, path))
    with tempfile.TemporaryDirectory(prefix="manassa-cpu-") as tmp:
        folder = Path(args.keep or tmp)
        env = manassa_env(folder, 8000)
        if not (folder / "bench.sqlite3").exists():
            folder.mkdir(parents=True, exist_ok=True)
            manassa(env, *manassa_command(), "migrate")
            manassa(env, *manassa_command(), "demo")
        PAGES.extend(_published_pages(folder / "bench.sqlite3"))
        os.environ.update({**env, "SECRET_KEY": "cpu-bench-secret-key-0123456789"})
        found = asyncio.run(measure(args.requests, args.profile, args.only))
    if args.json:
        Path(args.json).write_text(json.dumps(found, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
