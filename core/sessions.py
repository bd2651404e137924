"""The signed session cookie: Starlette's SessionMiddleware, with each cookie verified once.

Starlette's middleware checks the cookie's HMAC signature (itsdangerous derives the key and
signs the value again), decodes it from base64 and parses every cookie of the request, on
every request: a signed-in browser sends the same cookie request after request. This one keeps
what a verified cookie says, by the cookie's exact value, and checks only its age on the next
requests: the same cookie (name, value, attributes, signer and `max_age`), the same
`request.session` (Starlette's own Session), the same headers. Cookies Starlette's middleware
signed keep working, and the other way round. A signature is valid or not whatever the time;
its age is checked on every request, as itsdangerous checks it (`TimestampSigner.unsign`), so
a cookie expires at the same second.
"""

from __future__ import annotations

import functools
import json
from base64 import b64decode, b64encode
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import itsdangerous
from itsdangerous.exc import BadSignature
from starlette.datastructures import MutableHeaders, Secret
from starlette.middleware.sessions import Session
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

VERIFIED_KEPT = 4096
"""Verified cookies kept at most (about one per browser signed in lately); all are dropped when
one more would be kept."""
COOKIE_HEADERS_KEPT = 4096


@functools.lru_cache(maxsize=COOKIE_HEADERS_KEPT)
def header_cookies(header: bytes) -> Mapping[str, str]:
    """The cookies of one Cookie header as Starlette reads them (cookie_parser), parsed once
    per distinct header: a browser sends the same one request after request, and both the
    session and the language are read from it. Read-only, as it is shared."""
    return MappingProxyType(cookie_parser(header.decode("latin-1")))


def request_cookie(scope: Scope, name: str) -> str | None:
    """The cookie `name` as `request.cookies` has it (every Cookie header, a later one
    winning), without building the request's headers and cookies."""
    value = None
    for key, header in scope["headers"]:
        if key == b"cookie":
            value = header_cookies(header).get(name, value)
    return value


class SessionMiddleware:
    """starlette.middleware.sessions.SessionMiddleware (the arguments the app gives it), with
    the same cookie."""

    def __init__(
        self,
        app: ASGIApp,
        secret_key: str | Secret,
        session_cookie: str = "session",
        max_age: int | None = 14 * 24 * 60 * 60,  # 14 days, in seconds
        path: str = "/",
        same_site: Literal["lax", "strict", "none"] = "lax",
        https_only: bool = False,
    ) -> None:
        self.app = app
        self.signer = itsdangerous.TimestampSigner(str(secret_key))
        self.session_cookie = session_cookie
        self.max_age = max_age
        self.path = path
        self.security_flags = "httponly; samesite=" + same_site
        if https_only:  # Secure flag can be used with HTTPS only
            self.security_flags += "; secure"
        self.verified: dict[str, tuple[bytes, int]] = {}
        """What each verified cookie says (its JSON, parsed again for each request: a session
        holds lists that a request may change, a flash message's) and when it was signed."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        found = request_cookie(scope, self.session_cookie)
        data = self._session_data(found) if found is not None else None
        initial_session_was_empty = data is None
        scope["session"] = session = Session(data) if data is not None else Session()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start" and session.accessed:
                self._add_headers(message, session, initial_session_was_empty)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _session_data(self, cookie: str) -> dict[str, object] | None:
        """What a valid cookie of an age within `max_age` says; None for any other."""
        kept = self.verified.get(cookie)
        if kept is None:
            try:
                value, signed = self.signer.unsign(
                    cookie.encode("utf-8"), max_age=self.max_age, return_timestamp=True
                )
            except BadSignature:  # also SignatureExpired
                return None
            kept = (b64decode(value), int(signed.timestamp()))
            if len(self.verified) >= VERIFIED_KEPT:
                self.verified.clear()
            self.verified[cookie] = kept
        elif self.max_age is not None:
            age = self.signer.get_timestamp() - kept[1]
            if age > self.max_age or age < 0:  # as TimestampSigner.unsign refuses it
                return None
        data: dict[str, object] = json.loads(kept[0])
        return data

    def _add_headers(
        self, message: Message, session: Session, initial_session_was_empty: bool
    ) -> None:
        """Vary: Cookie and, when the session changed, the new cookie (or its removal), as
        Starlette's middleware writes them."""
        message.setdefault("headers", [])
        headers = MutableHeaders(scope=message)
        headers.add_vary_header("Cookie")
        if session.modified and session:
            # We have session data to persist.
            data = b64encode(json.dumps(session).encode("utf-8"))
            data = self.signer.sign(data)
            max_age = f"Max-Age={self.max_age}; " if self.max_age is not None else ""
            headers.append(
                "Set-Cookie",
                f"{self.session_cookie}={data.decode('utf-8')}; path={self.path}; "
                f"{max_age}{self.security_flags}",
            )
        elif session.modified and not initial_session_was_empty:
            # The session has been cleared.
            headers.append(
                "Set-Cookie",
                f"{self.session_cookie}=null; path={self.path}; "
                f"expires=Thu, 01 Jan 1970 00:00:00 GMT; {self.security_flags}",
            )
