"""A live `manassa serve --workers 2` for the tests of behaviour under concurrent requests.

It runs on a temporary SQLite file, or, when TEST_DATABASE_URL is set (the PostgreSQL run of
CI), on a database of its own in that cluster, dropped afterwards. Requests from the tests
come from loopback, whose X-Forwarded-For the server trusts: a test names its own client
address with `forwarded(address)`, so tests sharing a server do not share address limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import sqlite3
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx

from bench.servers import free_port, manassa_command, running

ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "a long walk by the sea 42"  # noqa: S105 - test accounts only


@dataclass(frozen=True)
class Live:
    base_url: str
    database_url: str
    env: dict[str, str]

    def manassa(self, *command: str) -> str:
        done = subprocess.run(  # noqa: S603
            [*manassa_command(), *command],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"manassa {' '.join(command)}:\n{done.stdout}{done.stderr}"
        return done.stdout

    async def scalar(self, query: str, *params: Any) -> Any:
        """One value read straight from the server's database (`?` placeholders)."""
        if self.database_url.startswith("sqlite://"):
            with contextlib.closing(sqlite3.connect(self.database_url[9:].split("?")[0])) as db:
                return db.execute(query, params).fetchone()[0]
        parts = query.split("?")
        text = parts[0] + "".join(f"${n}{p}" for n, p in enumerate(parts[1:], start=1))
        conn = await asyncpg.connect(self.database_url.replace("asyncpg://", "postgresql://"))
        try:
            return await conn.fetchval(text, *params)
        finally:
            await conn.close()


def _postgres_admin_url() -> str:
    url = urlsplit(TEST_DATABASE_URL.replace("asyncpg://", "postgresql://"))
    return url._replace(path="/postgres").geturl()


@contextlib.contextmanager
def _database(tmp: Path) -> Iterator[str]:
    if not TEST_DATABASE_URL:
        yield f"sqlite://{tmp / 'live.sqlite3'}?busy_timeout=5000"
        return
    url = TEST_DATABASE_URL.format("live_" + secrets.token_hex(6))
    name = urlsplit(url).path.lstrip("/")

    async def admin(statement: str) -> None:
        conn = await asyncpg.connect(_postgres_admin_url())
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.contextmanager
def live_server(tmp: Path, workers: int = 2, **extra: str) -> Iterator[Live]:
    """A migrated, empty server with `workers` processes; `extra` settings as environment."""
    port = free_port()
    with _database(tmp) as database_url:
        env = {
            **os.environ,
            "APP_ENV": "test",
            "SECURITY_ARGON2_PROFILE": "test",
            "SECRET_KEY": "live-secret-key-not-for-production",
            "DATABASE_URL": database_url,
            "BASE_URL": f"http://127.0.0.1:{port}",
            "MAIL_BACKEND": "memory",
            "MAIL_WORKER_IN_APP": "false",
            "MAIL_DEV_SINK": "false",
            "UPLOADS_DIR": str(tmp / "uploads"),
            "SERVER_WORKERS": str(workers),
            "LOG_LEVEL": "WARNING",
            **extra,
        }
        live = Live(f"http://127.0.0.1:{port}", database_url, env)
        live.manassa("migrate")
        serve = [*manassa_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
        with running("manassa", serve, env, port, tmp / "server.log"):
            yield live


def forwarded(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


@contextlib.asynccontextmanager
async def browser_like(live: Live, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client with its own cookies, seen by the server as coming from `address`."""
    limits = httpx.Limits(max_connections=100)
    async with httpx.AsyncClient(
        base_url=live.base_url, headers=forwarded(address), timeout=60, limits=limits
    ) as client:
        yield client


async def csrf_token(client: httpx.AsyncClient, page: str) -> str:
    response = await client.get(page)
    match = CSRF_INPUT.search(response.text)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


async def burst(
    client: httpx.AsyncClient, url: str, forms: list[dict[str, str]], page: str
) -> list[int]:
    """Post every form at once (one CSRF token for all); the status codes, sorted."""
    token = await csrf_token(client, page)
    answers = await asyncio.gather(
        *(client.post(url, data={"csrf_token": token, **form}) for form in forms)
    )
    return sorted(answer.status_code for answer in answers)
