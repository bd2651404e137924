"""What every request carries (core/security.py): its id down to the audit log, no database
read for a static file, and no Argon2 work on the event loop (issue 8's correctness debts)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator

from argon2 import PasswordHasher
from tortoise import Tortoise

from accounts.models import User
from accounts.passwords import verify_password
from core.audit import AuditEntry
from tests.conftest import post_form
from tests.factories import PASSWORD, make_user, sign_in


@contextlib.contextmanager
def counted() -> Iterator[list[str]]:
    """Every SQL statement run on the default connection while the block runs."""
    connection = Tortoise.get_connection("default")
    seen: list[str] = []
    originals = {
        name: getattr(connection, name) for name in ("execute_query", "execute_query_dict")
    }
    for name, original in originals.items():

        def wrapper(sql, values=None, _original=original):  # noqa: ANN001, ANN202
            seen.append(sql)
            return _original(sql, values)

        setattr(connection, name, wrapper)
    try:
        yield seen
    finally:
        for name in originals:
            delattr(connection, name)


async def change_password(client, **kwargs):  # noqa: ANN001, ANN003, ANN201
    data = {
        "current_password": PASSWORD,
        "password": "a brand new sentence 77",
        "password_confirm": "a brand new sentence 77",
    }
    return await post_form(client, "/account/password", data, page="/account/password", **kwargs)


async def test_an_audit_entry_carries_the_id_of_the_request_that_made_it(client) -> None:
    user = await make_user()
    await sign_in(client, user)
    response = await change_password(client, headers={"x-request-id": "probe-42"})
    assert response.status_code == 303
    assert response.headers["x-request-id"] == "probe-42"
    entry = await AuditEntry.get(action="accounts.change_password")
    assert (entry.actor_id, entry.request_id) == (user.id, "probe-42")


async def test_a_generated_request_id_is_the_one_recorded(client) -> None:
    user = await make_user()
    await sign_in(client, user)
    response = await change_password(client)
    assert response.status_code == 303
    generated = response.headers["x-request-id"]
    assert len(generated) == 16
    assert (await AuditEntry.get(action="accounts.change_password")).request_id == generated


async def test_a_static_file_reads_nothing_from_the_database(client) -> None:
    await sign_in(client, await make_user(name_en="Huda"))
    with counted() as seen:
        response = await client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert seen == []
    with counted() as seen:  # a page does load the signed-in user
        page = await client.get("/account/profile")
    assert page.status_code == 200
    assert any("accounts_user" in statement for statement in seen)


async def test_a_sign_in_does_not_stall_the_other_requests(client) -> None:
    """Argon2 with the production profile costs about 140 ms: run on the event loop, every
    other request of the worker waited that long; in a thread, the loop keeps turning."""
    # The cost is in the hash, whatever the settings. One lane: the production profile's four
    # threads would compete with the event loop for this machine's cores.
    stored = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=1).hash(PASSWORD)
    started = time.perf_counter()
    assert verify_password(stored, PASSWORD, "test")
    cost = time.perf_counter() - started
    user = await make_user()
    await User.filter(id=user.id).update(password_hash=stored)

    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.002)

    beating = asyncio.create_task(ticker())
    await asyncio.sleep(0.01)
    try:
        await sign_in(client, user)
    finally:
        beating.cancel()
    longest = max(b - a for a, b in zip(ticks, ticks[1:], strict=False))
    assert longest < cost / 2, (
        f"the loop stood still {longest * 1000:.0f} ms (Argon2 {cost * 1000:.0f} ms)"
    )
    assert (await client.get("/account/profile")).status_code == 200
