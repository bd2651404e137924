"""kill -9 under vote load: the live server (its master and both workers, SIGKILL to the whole
process group) dies while votes are being cast; after a restart on the same database, every
vote that was answered with success is there (on SQLite, or on PostgreSQL when
TEST_DATABASE_URL is set)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from awards.voters import voter_key
from bench.servers import Server, free_port, manassa_command, wait_healthy
from tests.awards.test_vote_races import seed, token_of, verified
from tests.live import ROOT, Live, _database, forwarded

VOTERS = 60
CATEGORIES = 3
KILL_AFTER = 40  # successful votes before the kill
SECRET = "kill-secret-key-not-for-production"


def _env(tmp: Path, database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "APP_ENV": "test",
        "SECURITY_ARGON2_PROFILE": "test",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "BASE_URL": f"http://127.0.0.1:{port}",
        "MAIL_BACKEND": "memory",
        "MAIL_WORKER_IN_APP": "false",
        "MAIL_DEV_SINK": "false",
        "UPLOADS_DIR": str(tmp / "uploads"),
        "SERVER_WORKERS": "2",
        "LOG_LEVEL": "WARNING",
    }


@contextlib.contextmanager
def _server(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen]:
    """`manassa serve` in a process group of its own (so one signal reaches every worker)."""
    serve = [*manassa_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603
            serve, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_healthy(Server("manassa", port, log), process)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A temporary SQLite file, or a database of its own in TEST_DATABASE_URL's cluster."""
    with _database(tmp_path) as url:
        yield url


async def test_every_vote_answered_with_success_survives_kill_9(tmp_path, database_url):
    port = free_port()
    env = _env(tmp_path, database_url, port)
    live = Live(f"http://127.0.0.1:{port}", database_url, env)
    live.manassa("migrate")
    slug, categories = seed(live, CATEGORIES)
    emails = [f"voter{n}@kill{n}.example" for n in range(VOTERS)]
    clients = [
        httpx.AsyncClient(base_url=live.base_url, headers=forwarded(f"10.9.{n}.1"), timeout=30)
        for n in range(VOTERS)
    ]
    succeeded: list[tuple[str, int, int]] = []
    failed = 0
    try:
        with _server(env, port, tmp_path / "server.log") as process:
            tokens = []
            for client, email in zip(clients, emails, strict=True):
                await verified(live, client, slug, email)
                tokens.append(await token_of(client, f"/awards/{slug}/vote/{categories[0][0]}"))
            killed = asyncio.Event()

            async def vote(n: int, category: list[int]) -> None:
                nonlocal failed
                nomination = category[1 + n % 3]
                try:
                    answer = await clients[n].post(
                        f"/awards/{slug}/vote/{category[0]}",
                        data={"csrf_token": tokens[n], "nomination": str(nomination)},
                    )
                except httpx.HTTPError:
                    failed += 1
                    return
                if answer.status_code == 303:
                    succeeded.append((emails[n], category[0], nomination))
                    if len(succeeded) >= KILL_AFTER and not killed.is_set():
                        killed.set()
                        os.killpg(process.pid, signal.SIGKILL)
                else:
                    failed += 1

            await asyncio.gather(
                *(vote(n, category) for category in categories for n in range(VOTERS))
            )
            process.wait(timeout=30)
            assert killed.is_set() and process.returncode == -signal.SIGKILL
        assert len(succeeded) >= KILL_AFTER and failed > 0, (len(succeeded), failed)

        with _server(env, port, tmp_path / "server.log"):
            missing = []
            for email, category, nomination in succeeded:
                found = await live.scalar(
                    "SELECT count(*) FROM awards_public_vote p"
                    " JOIN awards_voter v ON v.id = p.voter_id"
                    " WHERE v.key = ? AND p.category_id = ? AND p.nomination_id = ?",
                    voter_key(SECRET.encode(), email),
                    category,
                    nomination,
                )
                if found != 1:
                    missing.append((email, category))
            assert missing == []
            # the voter's session outlived the server: their choice is shown to them
            email, category, _nomination = succeeded[0]
            page = await clients[emails.index(email)].get(f"/awards/{slug}/vote/{category}")
            assert page.status_code == 200 and "You voted for" in page.text
    finally:
        for client in clients:
            await client.aclose()
