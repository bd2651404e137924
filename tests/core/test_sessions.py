"""The session cookie (core/sessions.py) reads and writes exactly as Starlette's
SessionMiddleware does, request by request, though it verifies each cookie only once."""

from __future__ import annotations

import json
from base64 import b64encode
from collections.abc import Callable
from typing import Any

import itsdangerous
import pytest
from starlette.middleware import sessions as starlette_sessions

from core import sessions

SECRET = "test-secret-key"
MAX_AGE = 3600
NOW = 1_800_000_000
Action = Callable[[dict[str, Any]], None]


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Both middlewares stamp and check ages with itsdangerous's clock: held still here."""
    now = [NOW]
    monkeypatch.setattr(itsdangerous.TimestampSigner, "get_timestamp", lambda _self: now[0])
    return now


def signed(data: dict[str, Any], at: int = NOW, secret: str = SECRET) -> str:
    signer = itsdangerous.TimestampSigner(secret)
    signer.get_timestamp = lambda: at  # type: ignore[method-assign]
    return signer.sign(b64encode(json.dumps(data).encode())).decode()


async def serve(middleware: Any, cookies: list[str], action: Action) -> tuple[list, dict]:
    """One request through `middleware`: its response headers and the session it saw."""
    seen: dict[str, Any] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.update(scope["session"])
        action(scope["session"])
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x", b"1")]})
        await send({"type": "http.response.body", "body": b""})

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    headers = [(b"host", b"testserver"), *((b"cookie", c.encode()) for c in cookies)]
    middleware.app = app
    await middleware({"type": "http", "headers": headers}, None, send)
    return list(sent[0]["headers"]), seen


def both(https: bool = False) -> list[Any]:
    async def unused(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError

    return [
        cls.SessionMiddleware(
            unused, secret_key=SECRET, max_age=MAX_AGE, same_site="lax", https_only=https
        )
        for cls in (starlette_sessions, sessions)
    ]


def read(session: dict[str, Any]) -> None:
    session.get("csrf")
    session.mark_accessed()  # type: ignore[attr-defined]  # as request.session does


def write(session: dict[str, Any]) -> None:
    session["csrf"] = "new token"


def clear(session: dict[str, Any]) -> None:
    session.clear()


def untouched(session: dict[str, Any]) -> None:
    pass


CASES: list[tuple[str, list[str], Action]] = [
    ("no cookie, session unused", [], untouched),
    ("no cookie, session started", [], write),
    ("valid cookie, read", [f"session={signed({'uid': 7, 'csrf': 'a'})}; lang=en"], read),
    ("valid cookie, unused", [f"session={signed({'uid': 7})}"], untouched),
    ("valid cookie, changed", [f"lang=ar; session={signed({'uid': 7})}"], write),
    ("valid cookie, cleared", [f"session={signed({'uid': 7})}"], clear),
    ("empty session cookie, cleared", [f"session={signed({})}"], clear),
    ("another key's cookie", [f"session={signed({'uid': 1}, secret='other')}"], write),
    ("another key's cookie, cleared", [f"session={signed({'uid': 1}, secret='other')}"], clear),
    ("not a cookie of ours", ["session=garbage"], read),
    ("expired", [f"session={signed({'uid': 7}, at=NOW - MAX_AGE - 1)}"], write),
    ("oldest still valid", [f"session={signed({'uid': 7}, at=NOW - MAX_AGE)}"], read),
    ("signed in the future", [f"session={signed({'uid': 7}, at=NOW + 5)}"], write),
    (
        "two cookie headers, the later wins",
        [f"session={signed({'uid': 1})}", f"session={signed({'uid': 2})}"],
        read,
    ),
]


@pytest.mark.parametrize("https", [False, True])
@pytest.mark.parametrize(("cookies", "action"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_the_same_headers_and_session_as_starlettes(
    cookies: list[str], action: Action, https: bool
) -> None:
    theirs, ours = both(https)
    for _ in range(2):  # the second time, ours answers from the cookie it verified
        assert await serve(ours, cookies, action) == await serve(theirs, cookies, action)


async def test_a_kept_cookie_still_expires_at_its_second(fixed_time: list[int]) -> None:
    _theirs, ours = both()
    cookie = [f"session={signed({'uid': 7})}"]
    assert (await serve(ours, cookie, read))[1] == {"uid": 7}
    fixed_time[0] = NOW + MAX_AGE
    assert (await serve(ours, cookie, read))[1] == {"uid": 7}
    fixed_time[0] = NOW + MAX_AGE + 1
    assert (await serve(ours, cookie, read))[1] == {}
    fixed_time[0] = NOW - 1  # the clock set back: "signed in the future", refused as before
    assert (await serve(ours, cookie, read))[1] == {}


async def test_a_change_to_the_session_does_not_reach_the_next_request() -> None:
    """A request may change what the session holds in place (a flash message's list); the
    next request with the same cookie starts from what the cookie says."""
    _theirs, ours = both()
    cookie = [f"session={signed({'uid': 7, 'flash': [['success', 'Saved']]})}"]

    def pop_in_place(session: dict[str, Any]) -> None:
        session["flash"].clear()

    await serve(ours, cookie, pop_in_place)
    assert (await serve(ours, cookie, read))[1] == {"uid": 7, "flash": [["success", "Saved"]]}


async def test_cookies_signed_by_either_are_read_by_the_other() -> None:
    theirs, ours = both()
    for writer, reader in [(theirs, ours), (ours, theirs)]:
        headers, _ = await serve(writer, [], write)
        [set_cookie] = [value.decode() for name, value in headers if name == b"set-cookie"]
        cookie = set_cookie.split(";", 1)[0]
        assert (await serve(reader, [cookie], read))[1] == {"csrf": "new token"}


async def test_other_connections_pass_through() -> None:
    _theirs, ours = both()
    seen = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope)

    ours.app = app
    await ours({"type": "lifespan"}, None, None)
    assert seen == [{"type": "lifespan"}]


@pytest.mark.parametrize(
    "headers",
    [
        [],
        [b"lang=en"],
        [b"session=abc; lang=ar"],
        [b'lang="en"; other=1', b"lang=ar"],
        [b"lang=ar", b"x=1"],
        [b"lang; =en; lang=ar; lang=en"],
        [b" lang = ar ; session=z=="],
        [b"lang=%D8%B9; a=\\"],
    ],
)
def test_a_cookie_is_read_as_starlettes_request_reads_it(headers: list[bytes]) -> None:
    from starlette.requests import Request

    scope = {"type": "http", "headers": [(b"accept", b"*/*"), *((b"cookie", h) for h in headers)]}
    for name in ("lang", "session", "x", ""):
        for _ in range(2):  # parsed, then kept
            assert sessions.request_cookie(scope, name) == Request(scope).cookies.get(name)
