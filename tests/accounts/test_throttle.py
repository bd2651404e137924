"""Login throttling per (account, address), per address, and per account from every address."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest

from core.app import create_app
from tests.accounts.helpers import log_in
from tests.factories import PASSWORD, make_user

WRONG = "a wrong guess 1234"


@pytest.fixture
def app(settings, db):  # noqa: ANN001, ANN201
    return create_app(dataclasses.replace(settings, security_login_max_failures_account_all=3))


@pytest.fixture
def at(app):  # noqa: ANN001, ANN201
    """`at(address)`: a client seen as coming from that address."""

    def client(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 1234))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    return client


@pytest.fixture
async def clients(at) -> AsyncIterator[dict[str, httpx.AsyncClient]]:  # noqa: ANN001
    opened = {a: at(a) for a in ("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4")}
    opened["owner"] = at("203.0.113.50")
    yield opened
    for client in opened.values():
        await client.aclose()


async def test_guesses_from_one_address_do_not_lock_the_owner_out(clients):
    user = await make_user("owned@example.org")
    guesser, owner = clients["198.51.100.1"], clients["owner"]
    statuses = [(await log_in(guesser, user.email, WRONG)).status_code for _ in range(6)]
    assert statuses == [422, 422, 422, 429, 429, 429]  # the per-account total is 3 here
    assert (await log_in(owner, user.email, PASSWORD)).status_code == 303


async def test_a_guess_spread_over_addresses_meets_the_per_account_total(clients):
    user = await make_user("spread@example.org")
    a, b, c, d = (clients[f"198.51.100.{n}"] for n in range(1, 5))
    for client in (a, b, c):
        assert (await log_in(client, user.email, WRONG)).status_code == 422
    # the total is used up: an address that failed before is refused ...
    refused = await log_in(a, user.email, WRONG)
    assert refused.status_code == 429
    assert "محاولات كثيرة جدًا. حاول مرة أخرى بعد 15 دقيقة." in refused.text
    # ... a new address gets one try, not more ...
    assert (await log_in(d, user.email, WRONG)).status_code == 422
    assert (await log_in(d, user.email, WRONG)).status_code == 429
    # ... and the owner at a clean address still signs in.
    assert (await log_in(clients["owner"], user.email, PASSWORD)).status_code == 303
