"""The account limits hold exactly under a burst of concurrent requests, against a live server
with two worker processes (on SQLite, or on PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live import PASSWORD, Live, browser_like, burst, csrf_token, live_server

OWNER = "owner@example.org"
WRONG = "a wrong guess 1234"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_server(tmp_path_factory.mktemp("bursts"), workers=2) as server:
        server.manassa("create-admin", "--email", OWNER, "--password", PASSWORD)
        yield server


async def sign_in(live: Live, address: str, password: str) -> int:
    async with browser_like(live, address) as client:
        token = await csrf_token(client, "/login")
        data = {"csrf_token": token, "email": OWNER, "password": password}
        return (await client.post("/login", data=data)).status_code


async def test_60_wrong_passwords_for_one_account_let_exactly_5_through(live):
    async with browser_like(live, "192.0.2.1") as client:
        forms = [{"email": OWNER, "password": WRONG}] * 60
        statuses = await burst(client, "/login", forms, "/login")
    assert statuses == [422] * 5 + [429] * 55

    # The guesses lock the account from their address only: its owner signs in from another.
    assert await sign_in(live, "192.0.2.1", PASSWORD) == 429
    assert await sign_in(live, "192.0.2.2", PASSWORD) == 303


async def test_60_sign_ins_from_one_address_let_exactly_20_through(live):
    async with browser_like(live, "192.0.2.20") as client:
        forms = [{"email": f"guess{n}@example.org", "password": WRONG} for n in range(60)]
        statuses = await burst(client, "/login", forms, "/login")
    assert statuses == [422] * 20 + [429] * 40


async def test_100_sign_ups_from_one_address_create_exactly_10_accounts(live):
    forms = [
        {
            "name": "Burst Person",
            "email": f"signup{n}@example.org",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "language": "en",
        }
        for n in range(100)
    ]
    async with browser_like(live, "192.0.2.30") as client:
        statuses = await burst(client, "/signup", forms, "/signup")
    assert statuses == [200] * 10 + [429] * 90
    like = "signup%@example.org"
    assert await live.scalar("SELECT count(*) FROM accounts_user WHERE email LIKE ?", like) == 10
    mails = "SELECT count(*) FROM core_outbox_message WHERE recipient LIKE ?"
    assert await live.scalar(mails, like) == 10


async def test_100_password_resets_from_one_address_let_exactly_10_through(live):
    forms = [{"email": f"reset{n}@example.org"} for n in range(99)] + [{"email": OWNER}]
    async with browser_like(live, "192.0.2.40") as client:
        statuses = await burst(client, "/password/forgot", forms, "/password/forgot")
    assert statuses == [200] * 10 + [429] * 90
