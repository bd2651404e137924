"""The public vote under concurrency, against a live server with two worker processes (on
SQLite, or on PostgreSQL when TEST_DATABASE_URL is set): 200 concurrent votes of one voter in
one category leave exactly one vote; 200 concurrent verifications of one code verify once."""

from __future__ import annotations

import asyncio
import itertools
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.live import ROOT, Live, browser_like, forwarded, live_server

ATTEMPTS = 200
_seeded = itertools.count(1)
CODE = re.compile(r"\b(\d{6})\b")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed(live: Live, categories: int) -> tuple[str, list[list[int]]]:
    """A cycle in VOTING on the live server's database: its slug, and per category its id and
    its finalists' nomination ids."""
    slug = f"vote-race-{next(_seeded)}"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.awards.vote_race_seed", slug, str(categories)],
        cwd=ROOT,
        env=live.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    return lines[0].strip(), [[int(x) for x in line.split()] for line in lines[1:] if line]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_server(tmp_path_factory.mktemp("vote-races"), workers=2) as server:
        yield server


async def token_of(client: httpx.AsyncClient, url: str) -> str:
    page = await client.get(url)
    assert page.status_code == 200, page.text[:500]
    match = TOKEN.search(page.text)
    assert match
    return match.group(1)


async def ask_code(live: Live, client: httpx.AsyncClient, slug: str, email: str) -> str:
    """Ask a code for `email` in this client's session; the code, read from the outbox."""
    token = await token_of(client, f"/awards/{slug}/vote?lang=en")
    sent = await client.post(
        f"/awards/{slug}/vote/code", data={"csrf_token": token, "email": email}
    )
    assert sent.status_code == 303, sent.text[:500]
    text = await live.scalar(
        "SELECT body_text FROM core_outbox_message WHERE recipient = ? ORDER BY id DESC LIMIT 1",
        email,
    )
    return CODE.search(text).group(1)


async def verified(live: Live, client: httpx.AsyncClient, slug: str, email: str) -> None:
    code = await ask_code(live, client, slug, email)
    token = await token_of(client, f"/awards/{slug}/vote")
    done = await client.post(
        f"/awards/{slug}/vote/verify", data={"csrf_token": token, "code": code}
    )
    assert done.status_code == 303, done.text[:500]


async def test_one_voter_voting_200_times_at_once_leaves_exactly_one_vote(live):
    slug, [[category, *finalists]] = seed(live, 1)
    async with browser_like(live, "192.0.2.10") as client:
        await verified(live, client, slug, "racer@example.org")
        token = await token_of(client, f"/awards/{slug}/vote/{category}")
        url = f"/awards/{slug}/vote/{category}"
        answers = await asyncio.gather(
            *(
                client.post(
                    url,
                    data={"csrf_token": token, "nomination": str(finalists[n % 2])},
                    # one address each: the per-address limit is not what is tested here
                    headers=forwarded(f"10.20.{n // 250}.{n % 250 + 1}"),
                )
                for n in range(ATTEMPTS)
            )
        )
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {303: ATTEMPTS}, statuses
    in_category = "SELECT count(*) FROM awards_public_vote WHERE category_id = ?"
    assert await live.scalar(in_category, category) == 1
    chosen = await live.scalar(
        "SELECT nomination_id FROM awards_public_vote WHERE category_id = ?", category
    )
    assert chosen in finalists[:2]
    logged = "SELECT count(*) FROM awards_vote_log WHERE category_id = ?"
    assert await live.scalar(logged, category) == ATTEMPTS


async def test_one_code_verified_200_times_at_once_works_once(live):
    slug, _categories = seed(live, 1)
    async with browser_like(live, "192.0.2.11") as client:
        code = await ask_code(live, client, slug, "twice@example.org")
        token = await token_of(client, f"/awards/{slug}/vote")
        answers = await asyncio.gather(
            *(
                client.post(f"/awards/{slug}/vote/verify", data={"csrf_token": token, "code": code})
                for _ in range(ATTEMPTS)
            )
        )
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {303: 1, 422: ATTEMPTS - 1}, statuses
    refused = next(a for a in answers if a.status_code == 422)
    assert "This code has expired or was already used. Ask for a new code." in refused.text
    of_cycle = " JOIN awards_cycle c ON c.id = t.cycle_id WHERE c.slug = ?"
    used = "SELECT count(*) FROM awards_vote_code t" + of_cycle + " AND t.used_at IS NOT NULL"
    assert await live.scalar(used, slug) == 1
    assert await live.scalar("SELECT count(*) FROM awards_voter t" + of_cycle, slug) == 1
