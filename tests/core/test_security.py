"""CSRF on unsafe methods, security headers on every response, session cookie flags."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from core.app import create_app
from core.security import CSP
from tests.conftest import csrf
from tests.factories import make_user, sign_in

REFUSED_AR = "انتهت صلاحية النموذج أو أُرسل من موقع آخر. أعد تحميل الصفحة وحاول مرة أخرى."
REFUSED_EN = "The form expired or was sent from another site. Reload the page and try again."
EXPECTED_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


@pytest.fixture
def notes(app) -> list[str]:  # noqa: ANN001
    """A tiny state-changing route: every accepted POST/PUT/PATCH/DELETE appends a note."""
    kept: list[str] = []

    async def write(request: Request) -> Response:
        async with request.form() as data:
            kept.append(f"{request.method} {data.get('text', '')}")
        return PlainTextResponse("saved")

    app.router.routes.append(
        Route("/test/notes", write, methods=["POST", "PUT", "PATCH", "DELETE"])
    )
    return kept


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- CSRF -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_unsafe_request_without_token_is_refused_in_arabic(client, notes, method):
    await csrf(client)  # the session exists and has a token: it just was not sent
    response = await client.request(method, "/test/notes", data={"text": "hello"})
    assert response.status_code == 403
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "<h1>ليست لديك صلاحية</h1>" in response.text
    assert REFUSED_AR in response.text
    assert notes == []


async def test_refusal_is_in_english_after_switching(client, notes):
    await client.get("/?lang=en")
    response = await client.post("/test/notes", data={"text": "hello"})
    assert response.status_code == 403
    assert '<html lang="en" dir="ltr">' in response.text
    assert "<h1>You do not have permission</h1>" in response.text
    assert REFUSED_EN in response.text
    assert notes == []


async def test_wrong_token_is_refused(client, notes):
    token = await csrf(client)
    response = await client.post(
        "/test/notes", data={"csrf_token": token[:-2] + "xx", "text": "hello"}
    )
    assert response.status_code == 403
    assert REFUSED_AR in response.text
    assert notes == []


async def test_token_of_another_session_is_refused(app, client, notes):
    other_token = await csrf(client)
    transport = httpx.ASGITransport(app=app, client=("198.51.100.9", 4321))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        await csrf(other)  # a session of its own, with a different token
        response = await other.post(
            "/test/notes", data={"csrf_token": other_token, "text": "stolen"}
        )
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as fresh:
        no_session = await fresh.post(
            "/test/notes", data={"csrf_token": other_token, "text": "no session"}
        )
    assert response.status_code == 403
    assert REFUSED_AR in response.text
    assert no_session.status_code == 403
    assert notes == []


async def test_form_field_token_passes(client, notes):
    token = await csrf(client)
    response = await client.post("/test/notes", data={"csrf_token": token, "text": "مرحبا"})
    assert response.status_code == 200
    assert response.text == "saved"
    assert notes == ["POST مرحبا"]


async def test_header_token_passes(client, notes):
    token = await csrf(client)
    response = await client.delete("/test/notes", headers={"X-CSRF-Token": token})
    assert response.text == "saved"
    wrong = await client.delete("/test/notes", headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    assert notes == ["DELETE "]


async def test_refused_sign_out_keeps_the_user_signed_in(client):
    user = await make_user(name_ar="سارة")
    await sign_in(client, user)
    response = await client.post("/logout")
    assert response.status_code == 403
    assert REFUSED_AR in response.text
    home = await client.get("/")
    assert 'data-testid="nav-profile">سارة</a>' in home.text


def _multipart(boundary: str, token: str, payload: bytes, chunk: int) -> list[bytes]:
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return [head] + [payload[i : i + chunk] for i in range(0, len(payload), chunk)] + [tail]


class CountingBody:
    """A request body sent chunk by chunk (no Content-Length), counting what was pulled."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.pulled = 0

    async def __aiter__(self):  # noqa: ANN204
        for chunk in self.chunks:
            self.pulled += 1
            yield chunk


async def test_multipart_with_token_first_passes_and_streams(app, client):
    body = CountingBody([])

    async def probe(request: Request) -> Response:
        pulled_before_handler = body.pulled
        async with request.form() as form:
            upload = form["file"]
            size = len(await upload.read())
        return JSONResponse(
            {"before": pulled_before_handler, "size": size, "token_field": form["csrf_token"] != ""}
        )

    app.router.routes.append(Route("/test/probe", probe, methods=["POST"]))
    token = await csrf(client)
    body.chunks = _multipart("b0undary", token, b"x" * (50 * 16384), 16384)
    response = await client.post(
        "/test/probe",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=b0undary"},
    )
    assert response.json() == {"before": 1, "size": 50 * 16384, "token_field": True}
    assert body.pulled == 52  # head, 50 chunks, tail: all of it reached the handler


async def test_multipart_with_token_not_first_is_refused(app, client, notes):
    token = await csrf(client)
    response = await client.post(
        "/test/notes", files={"file": ("a.txt", b"hello")}, data={"text": "x", "csrf_token": token}
    )
    # httpx puts data fields first: text, then csrf_token, then the file
    assert response.status_code == 403
    assert REFUSED_AR in response.text
    assert notes == []


async def test_multipart_from_httpx_with_token_first_passes(client, notes):
    token = await csrf(client)
    response = await client.post(
        "/test/notes",
        data={"csrf_token": token, "text": "with file"},
        files={"file": ("a.txt", b"hello")},
    )
    assert response.text == "saved"
    assert notes == ["POST with file"]


async def test_safe_methods_need_no_token(client):
    response = await client.get("/login")
    assert response.status_code == 200
    head = await client.head("/")
    assert head.status_code == 200


# --- Security headers -----------------------------------------------------------------------


def _assert_security_headers(response: httpx.Response) -> None:
    assert response.headers["content-security-policy"] == EXPECTED_CSP
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["x-request-id"])


async def test_policy_constant_is_the_one_sent():
    assert CSP == EXPECTED_CSP


@pytest.mark.parametrize(
    "path", ["/", "/login", "/no-such-page", "/static/css/site.css", "/static/missing.css"]
)
async def test_security_headers_on_pages_errors_and_static_files(client, path):
    response = await client.get(path)
    _assert_security_headers(response)
    assert "strict-transport-security" not in response.headers
    assert len(response.headers.get_list("content-security-policy")) == 1


async def test_security_headers_on_a_server_error(app, settings):
    async def boom(request: Request) -> Response:
        raise RuntimeError("boom")

    app.router.routes.append(Route("/test/boom", boom))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        response = await c.get("/test/boom")
    assert response.status_code == 500
    _assert_security_headers(response)


async def test_security_headers_on_a_csrf_refusal(client, notes):
    response = await client.post("/test/notes")
    assert response.status_code == 403
    _assert_security_headers(response)


async def test_session_cookie_is_httponly_and_lax_without_secure_over_http(client):
    response = await client.get("/login")
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("session="))
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "secure" not in flags


async def test_https_adds_hsts_and_secure_cookies(settings, db):
    app = create_app(settings.replace(base_url="https://manassa.example"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        page = await c.get("/login")
        switched = await c.get("/?lang=en")
    assert page.headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"
    session = next(c for c in page.headers.get_list("set-cookie") if c.startswith("session="))
    flags = {part.strip().lower() for part in session.split(";")[1:]}
    assert {"httponly", "samesite=lax", "secure"} <= flags
    lang = next(c for c in switched.headers.get_list("set-cookie") if c.startswith("lang="))
    assert "Secure" in lang
    assert "SameSite=Lax" in lang


async def test_request_id_from_a_proxy_is_kept_only_when_plain(client):
    kept = await client.get("/", headers={"X-Request-Id": "edge-42.a_b"})
    assert kept.headers["x-request-id"] == "edge-42.a_b"
    replaced = await client.get("/", headers={"X-Request-Id": "<script>alert(1)</script>"})
    assert re.fullmatch(r"[0-9a-f]{16}", replaced.headers["x-request-id"])
    assert "<script>alert(1)" not in replaced.text


async def test_a_foreign_host_header_is_refused_so_links_never_name_another_site(client):
    response = await client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.text
    assert (await client.get("/")).status_code == 200


def test_production_trusts_only_the_base_url_host_unless_told_otherwise(settings):
    production = settings.replace(env="production", base_url="https://manassa.example.gov")
    assert production.trusted_hosts == ["manassa.example.gov"]
    assert production.replace(allowed_hosts=("a.example", "b.example")).trusted_hosts == [
        "a.example",
        "b.example",
    ]
