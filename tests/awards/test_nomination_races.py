"""Two nominators nominating the same nominee at the same moment, against a live server with
two worker processes (on SQLite, or on PostgreSQL when TEST_DATABASE_URL is set): one
nomination crediting both, never two nominations of one nominee."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.live import PASSWORD, ROOT, Live, browser_like, csrf_token, live_server

NOMINATORS = ("huda@example.org", "omar@example.org")
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
ROUNDS = 6
SEED: dict[str, str] = {}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_server(tmp_path_factory.mktemp("award-races"), workers=2) as server:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "tests.awards.race_seed", PASSWORD, *NOMINATORS],
            cwd=ROOT,
            env=server.env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        SEED["slug"], SEED["category"] = done.stdout.split()
        yield server


async def _signed_in(client: httpx.AsyncClient, email: str) -> None:
    token = await csrf_token(client, "/login")
    data = {"csrf_token": token, "email": email, "password": PASSWORD}
    assert (await client.post("/login", data=data)).status_code == 303


def _form(n: int, token: str, key: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "form_key": key,
        "action": "submit",
        "nominee": "other",
        "relation": "colleague",
        "nominee_name_ar": f"سارة المطيري {n}",
        "nominee_name_en": f"Sara Almutairi {n}",
        "nominee_email": f"sara{n}@news.example.sa",
        "nominee_organization": "Al-Riyadh Daily",
        "nominee_language": "ar",
        "work_title": f"Who drinks the water? {n}",
        "work_outlet": "Al-Riyadh Daily",
        "work_published_on": "2026-03-01",
        "work_links": f"https://news.example.sa/water-{n}",
        "statement": "A year-long investigation into water tankers.",
    }


async def test_two_nominators_of_one_nominee_at_once_make_one_nomination_crediting_both(live):
    url = f"/awards/{SEED['slug']}/nominate/{SEED['category']}"
    async with (
        browser_like(live, "192.0.2.61") as first,
        browser_like(live, "192.0.2.62") as second,
    ):
        await _signed_in(first, NOMINATORS[0])
        await _signed_in(second, NOMINATORS[1])
        for n in range(ROUNDS):
            forms = []
            for client in (first, second):
                page = await client.get(url)
                assert page.status_code == 200, page.text[:500]
                token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
                key = FORM_KEY.search(page.text)
                assert token and key
                forms.append(_form(n, token.group(1), key.group(1)))
            answers = await asyncio.gather(
                first.post(url, data=forms[0]), second.post(url, data=forms[1])
            )
            assert [a.status_code for a in answers] == [303, 303], [a.text[:300] for a in answers]

    for n in range(ROUNDS):
        email = f"sara{n}@news.example.sa"
        in_race = "SELECT count(*) FROM awards_nomination WHERE nominee_email = ? AND state <> ?"
        assert await live.scalar(in_race, email, "merged") == 1
        credited = (
            "SELECT count(DISTINCT c.user_id) FROM awards_nomination_credit c"
            " JOIN awards_nomination n ON n.id = c.nomination_id"
            " WHERE n.nominee_email = ? AND n.state <> ?"
        )
        assert await live.scalar(credited, email, "merged") == 2
