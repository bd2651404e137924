"""Bursts of concurrent writes against two server processes sharing one database: no write
path answers 500, and the invariants hold (issue 13, "database is locked").

- 150 concurrent joins for one free seat: exactly one person joins, everyone else is told the
  team is full.
- 40 concurrent submits by two members of one team: every submit is kept as a version of its
  own, numbered without gaps or repeats.

On SQLite (two processes on one file, where an ORM transaction that read first used to be
refused with "database is locked"), and on PostgreSQL when TEST_DATABASE_URL is set. The
servers are started once for the module: `manassa serve --workers 2`. Sessions are signed with
the server's secret key, as a sign-in would sign them (no 150 Argon2 sign-ins)."""

from __future__ import annotations

import asyncio
import collections
import json
import os
import secrets
import sqlite3
import subprocess
import time
import urllib.request
import uuid
from base64 import b64encode
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import itsdangerous
import pytest

from bench.servers import ROOT, free_port, manassa_command, stop_process
from tests.conftest import TEST_DATABASE_URL
from tests.events.samples import PDF

JOINERS = 150
SUBMITS = 40
SECRET = "burst-secret-key-not-for-production"  # noqa: S105 - a test server's
START_SECONDS = 60.0


@dataclass
class Person:
    id: int
    session_version: int
    cookie: str
    csrf: str


@dataclass
class Burst:
    base_url: str
    database_url: str
    slug: str
    join_code: str
    full_team: int
    joiners: list[Person]
    submit_slug: str
    submit_team: int
    submitters: list[Person]
    track: int


def session_cookie(user_id: int, session_version: int) -> tuple[str, str]:
    """A signed session as the sign-in leaves it (Starlette's SessionMiddleware format)."""
    csrf = secrets.token_urlsafe(32)
    session = {
        "uid": user_id,
        "sv": session_version,
        "sid": secrets.token_urlsafe(16),
        "csrf": csrf,
    }
    data = b64encode(json.dumps(session).encode())
    return itsdangerous.TimestampSigner(SECRET).sign(data).decode(), csrf


def server_env(tmp: Path, port: int, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "APP_ENV": "test",
        "SECURITY_ARGON2_PROFILE": "test",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "MAIL_WORKER_IN_APP": "false",
        "MAIL_DEV_SINK": "false",
        "UPLOADS_DIR": str(tmp / "uploads"),
        "SECURITY_FORM_MAX_PER_HOUR": "100000",
        "LOG_LEVEL": "WARNING",
    }


def postgres_database() -> str:
    """A new database on the test server; the URL the app reads."""
    import asyncpg

    url = TEST_DATABASE_URL.format(f"burst_{uuid.uuid4().hex[:12]}")
    name = url.rsplit("/", 1)[1]

    async def create() -> None:
        admin = await asyncpg.connect(
            url.replace("asyncpg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
        )
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()

    asyncio.run(create())
    return url


def drop_postgres_database(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]

    async def drop() -> None:
        admin = await asyncpg.connect(
            url.replace("asyncpg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
        )
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    asyncio.run(drop())


async def prepare(database_url: str) -> dict:
    """The two scenes, written through the app's own models."""
    from tortoise.transactions import in_transaction

    from core.db import connected
    from core.settings import Settings
    from events.models import Track
    from tests.events.factories import make_event, make_team, register
    from tests.factories import make_user

    settings = Settings(env="test", secret_key=SECRET, database_url=database_url)
    async with connected(settings), in_transaction():  # one commit: the setup stays quick
        event = await make_event(phase="registration", team_max=2)
        team = await make_team(event, await make_user())
        joiners = [await make_user() for _ in range(JOINERS)]
        for person in joiners:
            await register(person, event)
        contest = await make_event(phase="submission")
        one, two = await make_user(), await make_user()
        crew = await make_team(contest, one, two)
        track = await Track.filter(event=contest).order_by("position").first()
        assert track is not None
        return {
            "slug": event.slug,
            "join_code": team.join_code,
            "full_team": team.id,
            "joiners": [(u.id, u.session_version) for u in joiners],
            "submit_slug": contest.slug,
            "submit_team": crew.id,
            "submitters": [(u.id, u.session_version) for u in (one, two)],
            "track": track.id,
        }


def people(pairs: list[tuple[int, int]]) -> list[Person]:
    return [Person(uid, sv, *session_cookie(uid, sv)) for uid, sv in pairs]


def wait_healthy(process: subprocess.Popen, base_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=1) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"manassa serve did not start:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def burst(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Burst]:
    tmp = tmp_path_factory.mktemp("burst")
    port = free_port()
    if TEST_DATABASE_URL:
        database_url = postgres_database()
    else:
        database_url = f"sqlite://{tmp / 'burst.sqlite3'}?busy_timeout=5000"
    env = server_env(tmp, port, database_url)
    migrated = subprocess.run(  # noqa: S603
        [*manassa_command(), "migrate"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    scene = asyncio.run(prepare(database_url))
    log = tmp / "server.log"
    serve = [*manassa_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [*serve, "--workers", "2"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_healthy(process, env["BASE_URL"], log)
        yield Burst(
            base_url=env["BASE_URL"],
            database_url=database_url,
            slug=scene["slug"],
            join_code=scene["join_code"],
            full_team=scene["full_team"],
            joiners=people(scene["joiners"]),
            submit_slug=scene["submit_slug"],
            submit_team=scene["submit_team"],
            submitters=people(scene["submitters"]),
            track=scene["track"],
        )
    finally:
        stop_process(process, timeout=20)
        if TEST_DATABASE_URL:
            drop_postgres_database(database_url)


async def query(burst: Burst, text: str, *params: object) -> list[tuple]:
    """Read the servers' database from outside (sqlite3 or asyncpg)."""
    if burst.database_url.startswith("sqlite://"):
        path = burst.database_url.removeprefix("sqlite://").split("?", 1)[0]
        with sqlite3.connect(path) as db:
            return db.execute(text, params).fetchall()
    import asyncpg

    numbered = text
    for n in range(1, len(params) + 1):
        numbered = numbered.replace("?", f"${n}", 1)
    conn = await asyncpg.connect(burst.database_url.replace("asyncpg://", "postgresql://"))
    try:
        return [tuple(row) for row in await conn.fetch(numbered, *params)]
    finally:
        await conn.close()


def client(burst: Burst) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=JOINERS + 50, max_keepalive_connections=0)
    return httpx.AsyncClient(base_url=burst.base_url, timeout=60.0, limits=limits)


def tally(responses: list[httpx.Response]) -> dict[int, int]:
    return dict(sorted(collections.Counter(r.status_code for r in responses).items()))


async def test_150_joins_for_one_free_seat(burst: Burst) -> None:
    async def join(http: httpx.AsyncClient, person: Person) -> httpx.Response:
        return await http.post(
            f"/events/{burst.slug}/join",
            data={"csrf_token": person.csrf, "code": burst.join_code},
            headers={"cookie": f"session={person.cookie}; lang=en"},
        )

    async with client(burst) as http:
        started = time.monotonic()
        responses = await asyncio.gather(*(join(http, p) for p in burst.joiners))
        seconds = time.monotonic() - started
    print(f"\n150 joins for one seat: {tally(responses)} in {seconds:.1f} s")
    assert tally(responses) == {303: 1, 409: JOINERS - 1}
    assert all(
        "This team is full (2 members)." in r.text for r in responses if r.status_code == 409
    )
    members = await query(
        burst, "SELECT COUNT(*) FROM events_team_member WHERE team_id = ?", burst.full_team
    )
    counted = await query(
        burst, "SELECT member_count FROM events_team WHERE id = ?", burst.full_team
    )
    assert members == [(2,)] and counted == [(2,)]


async def test_40_submits_by_two_members_of_one_team(burst: Burst) -> None:
    target = f"/events/{burst.submit_slug}/teams/{burst.submit_team}/submission"
    fields = {
        "summary": "A WhatsApp checker.",
        "problem": "Rumours spread faster than corrections.",
        "solution": "Forward a message, get sources back.",
        "audience": "Messaging users",
        "video_url": "https://video.example.org/v",
        "prototype_url": "",
        "track": str(burst.track),
    }

    async def submit(http: httpx.AsyncClient, n: int) -> httpx.Response:
        person = burst.submitters[n % 2]
        return await http.post(
            target,
            data={"csrf_token": person.csrf, **fields, "title": f"Idea {n}", "action": "submit"},
            files={"attachments": (f"idea-{n}.pdf", PDF, "application/pdf")} if n == 0 else None,
            headers={"cookie": f"session={person.cookie}; lang=en"},
        )

    async with client(burst) as http:
        first = await submit(http, 0)  # the attachment a submit needs, once
        assert first.status_code == 303, first.text
        started = time.monotonic()
        responses = await asyncio.gather(*(submit(http, n) for n in range(1, SUBMITS + 1)))
        seconds = time.monotonic() - started
    print(f"\n40 submits by two members: {tally(responses)} in {seconds:.1f} s")
    assert tally(responses) == {303: SUBMITS}
    versions = await query(
        burst,
        "SELECT v.number FROM events_submission_version v JOIN events_submission s "
        "ON s.id = v.submission_id WHERE s.team_id = ? ORDER BY v.number",
        burst.submit_team,
    )
    stored = await query(
        burst, "SELECT version_count FROM events_submission WHERE team_id = ?", burst.submit_team
    )
    assert [n for (n,) in versions] == list(range(1, SUBMITS + 2))
    assert stored == [(SUBMITS + 1,)]
