"""Who is signed in, on a SQLite file as the servers run it: the signed-in user's read is then
answered from the rows read before while the database is unchanged (core/sqlite_engine.py), so
every change that ends a session must still be seen on the very next request, whichever
process made it."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from tortoise import Tortoise

from core.app import create_app
from core.db import connected
from core.settings import Settings
from tests.accounts.helpers import nav_name
from tests.conftest import TEST_DATABASE_URL, post_form
from tests.factories import make_user, sign_in

pytestmark = pytest.mark.skipif(
    bool(TEST_DATABASE_URL), reason="the SQLite engine's own reads: SQLite only"
)


@pytest.fixture
async def on_file(settings: Settings, tmp_path: Path) -> AsyncIterator[tuple[Path, object]]:
    path = tmp_path / "app.sqlite3"
    file_settings = settings.replace(database_url=f"sqlite://{path}")
    async with connected(file_settings):
        await Tortoise.generate_schemas()
        yield path, create_app(file_settings)


def browser(app: object, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 1234))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def another_process(path: Path, statement: str, *params: object) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute(statement, params)
    finally:
        other.close()


async def test_a_change_by_another_process_ends_the_session_on_the_next_request(
    on_file: tuple[Path, object],
) -> None:
    path, app = on_file
    user = await make_user("nadia@example.org", name_ar="نادية")
    async with browser(app, "198.51.100.40") as client:
        await sign_in(client, user)
        for _ in range(2):  # the second read is the one answered from the kept rows
            assert nav_name((await client.get("/")).text) == "نادية"
        another_process(path, "UPDATE accounts_user SET name_ar = ? WHERE id = ?", "ندى", user.id)
        assert nav_name((await client.get("/")).text) == "ندى"
        # the password changed elsewhere: the session's version is no longer the user's
        another_process(
            path,
            "UPDATE accounts_user SET session_version = session_version + 1 WHERE id = ?",
            user.id,
        )
        assert nav_name((await client.get("/")).text) is None
        assert (await client.get("/account/profile")).status_code == 303


async def test_an_inactive_user_and_a_signed_out_copy_are_refused_at_once(
    on_file: tuple[Path, object],
) -> None:
    path, app = on_file
    user = await make_user("omar@example.org", name_ar="عمر")
    async with browser(app, "198.51.100.41") as client, browser(app, "198.51.100.42") as copy:
        await sign_in(client, user)
        copy.cookies.update(client.cookies)  # the same session cookie in another browser
        assert nav_name((await copy.get("/")).text) == "عمر"
        assert nav_name((await copy.get("/")).text) == "عمر"
        signed_out = await post_form(client, "/logout", {}, page="/")
        assert signed_out.status_code == 303
        assert nav_name((await copy.get("/")).text) is None  # the copy is signed out too

        await sign_in(client, user)
        assert nav_name((await client.get("/")).text) == "عمر"
        another_process(path, "UPDATE accounts_user SET is_active = 0 WHERE id = ?", user.id)
        assert nav_name((await client.get("/")).text) is None


def test_the_same_rows_give_the_same_user_which_nothing_can_change() -> None:
    """accounts.auth keeps the user last read from the same rows and hands it to every request
    that reads them: it is frozen, so no request can change what another one sees."""
    import dataclasses

    from accounts import auth

    row = {
        "u__id": 1,
        "u__email": "same@example.org",
        "u__name_ar": "أمل",
        "u__name_en": "",
        "u__organization": "",
        "u__job_title": "",
        "u__phone": "",
        "u__language": "ar",
        "u__is_admin": 0,
        "u__email_verified_at": None,
        "u__session_version": 1,
        "m_scope_type": "event",
        "m_scope_id": 1,
        "m_role": "judge",
    }
    found = [row]
    user = auth._signed_in(found)
    assert auth._signed_in(found) is user  # the very rows SQLite handed out again
    assert auth._signed_in([dict(row)]) is user  # rows read anew, unchanged
    assert user.roles == frozenset({("event", 1, "judge")}) and user.is_admin is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        user.name_ar = "غيرها"  # type: ignore[misc]
    assert auth._signed_in([{**row, "u__name_ar": "ندى"}]).name_ar == "ندى"
