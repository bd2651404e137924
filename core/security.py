"""Request ids, security headers, locale choice, signed-in user, CSRF.

All middlewares are pure ASGI (no BaseHTTPMiddleware) so they cost little per request and
never buffer a streamed upload.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import unquote_plus

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core import i18n
from core.sessions import request_cookie
from core.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LANG_COOKIE = "lang"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{1,64}")
_MULTIPART_CSRF = re.compile(
    rb'^--(?P<b>[^\r\n]+)\r\nContent-Disposition: form-data; name="csrf_token"\r\n'
    rb"(?:[^\r\n]+\r\n)*\r\n(?P<token>[A-Za-z0-9_\-]{1,128})\r\n",
    re.IGNORECASE,
)
_URLENCODED_CSRF = re.compile(rb"(?:^|&)" + CSRF_FIELD.encode() + rb"=([^&]*)")
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

STATIC_PREFIX = "/static/"
"""Paths served as files: no signed-in user is loaded for them."""
current_request_id: ContextVar[str] = ContextVar("manassa_request_id", default="")
"""The id of the request being served ("" outside one): the audit log records it, so a
failed request's id (shown on the 500 page) leads to what it changed."""

UserLoader = Callable[[Request], Awaitable[Any]]
LanguageSaver = Callable[[Any, str], Awaitable[None]]


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    headers = {
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "same-origin",
        "cross-origin-opener-policy": "same-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=()",
    }
    if settings.https:
        headers["strict-transport-security"] = "max-age=63072000; includeSubDomains"
    return [(k.encode(), v.encode()) for k, v in headers.items()]


def _request_id(scope: Scope) -> str:
    """A proxy's X-Request-Id when it is a plain token (it is logged and shown), else a new one.
    The first such header, as request.headers.get gives it, without building the headers."""
    sent = next((value for name, value in scope["headers"] if name == b"x-request-id"), b"")
    text = sent.decode("latin-1")
    return text if _REQUEST_ID.fullmatch(text) else secrets.token_hex(8)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (pages without forms set no cookie)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def rotate_session(request: Request, **values: Any) -> None:
    """A new session at sign-in or sign-out: nothing of the old one survives."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update(values)
    request.session["sid"] = secrets.token_urlsafe(16)
    request.session["csrf"] = secrets.token_urlsafe(32)
    if lang:
        request.session["lang"] = lang


def language_cookie(lang: str, settings: Settings) -> str:
    """The Set-Cookie value that keeps a chosen language for a year."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[LANG_COOKIE] = lang
    morsel = cookie[LANG_COOKIE]
    morsel["path"] = "/"
    morsel["max-age"] = str(365 * 24 * 3600)
    morsel["samesite"] = "Lax"
    if settings.https:
        morsel["secure"] = True
    return morsel.OutputString()


def chosen_language(request: Request) -> str | None:
    """The language picked with ?lang= on this request, if it is one we speak."""
    if not request.scope.get("query_string"):  # most requests: no query to parse
        return None
    query = request.query_params.get("lang")
    return query if query in i18n.LANGUAGES else None


class RequestContextMiddleware:
    """Request id, security headers, signed-in user and language for every HTTP request."""

    def __init__(
        self,
        app: ASGIApp,
        settings: Settings,
        user_loader: UserLoader | None = None,
        language_saver: LanguageSaver | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.headers = security_headers(settings)
        self.user_loader = user_loader
        self.language_saver = language_saver

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        request_id = _request_id(scope)
        request.state.request_id = request_id
        request_token = current_request_id.set(request_id)
        try:
            await self._serve(scope, receive, send, request, request_id)
        finally:
            current_request_id.reset(request_token)

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, request: Request, request_id: str
    ) -> None:
        loader = None if scope["path"].startswith(STATIC_PREFIX) else self.user_loader
        request.state.user = await loader(request) if loader else None
        lang, chosen = await self._language(request)
        # The 500 handler runs outside this middleware: it reads the language from here.
        request.state.lang = lang

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = language_cookie(lang, self.settings) if chosen else None
                self._add_headers(message, request_id, cookie)
            await send(message)

        with i18n.use_locale(lang):
            await self.app(scope, receive, send_wrapper)

    def _add_headers(self, message: Message, request_id: str, cookie: str | None) -> None:
        """The security headers a response has not set itself (a download sets a stricter
        CSP), the request id and the language cookie; on raw header pairs, as this runs for
        every response."""
        raw = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"]
        present = {k.lower() for k, _ in raw}
        raw += [pair for pair in self.headers if pair[0] not in present]
        raw.append((b"x-request-id", request_id.encode("latin-1")))
        if cookie is not None:
            raw.append((b"set-cookie", cookie.encode("latin-1")))
        message["headers"] = raw

    async def _language(self, request: Request) -> tuple[str, bool]:
        chosen = chosen_language(request)
        user = request.state.user
        lang = i18n.choose_language(
            chosen,
            request_cookie(request.scope, LANG_COOKIE),  # as request.cookies has it, parsed once
            getattr(user, "language", None),
            self.settings.default_language,
        )
        # ?lang= switches the session and the cookie only; the profile changes by a POST
        # (core.language), which the CSRF check guards.
        return lang, chosen is not None


class CSRFMiddleware:
    """Refuse unsafe requests without the session's token (form field or X-CSRF-Token header).

    For multipart bodies the token must be the form's first field: only the bytes up to it are
    held back, so large uploads still stream.
    """

    def __init__(self, app: ASGIApp, on_refused: ASGIApp) -> None:
        self.app = app
        self.on_refused = on_refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        expected = scope.get("session", {}).get("csrf")
        request = Request(scope)
        sent = request.headers.get(CSRF_HEADER)
        held: list[Message] = []
        if sent is None:
            sent, held = await self._token_from_body(request, receive)
        if not expected or not sent or not secrets.compare_digest(str(sent), str(expected)):
            await self.on_refused(scope, receive, send)
            return
        await self.app(scope, _replay(held, receive), send)

    async def _token_from_body(
        self, request: Request, receive: Receive
    ) -> tuple[str | None, list[Message]]:
        ctype = request.headers.get("content-type", "")
        limit = 1024 * 1024 if ctype.startswith("application/x-www-form-urlencoded") else 16384
        multipart = ctype.startswith("multipart/form-data")
        held: list[Message] = []
        body = b""
        while True:
            message = await receive()
            held.append(message)
            body += message.get("body", b"")
            if multipart and (match := _MULTIPART_CSRF.match(body)):
                # Stop at the token: the rest of the upload streams on to the handler.
                return match.group("token").decode(), held
            if not message.get("more_body") or len(body) >= limit:
                break
        if ctype.startswith("application/x-www-form-urlencoded") and len(body) < limit:
            # Only the token is needed (the handler parses the form): no decoding of the rest.
            found = _URLENCODED_CSRF.search(body)
            return (unquote_plus(found.group(1).decode("latin-1")) if found else None), held
        return None, held


def _replay(held: list[Message], receive: Receive) -> Receive:
    queue = list(held)

    async def replayed() -> Message:
        if queue:
            return queue.pop(0)
        return await receive()

    return replayed


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
