"""Error pages in both languages; a 500 never shows its insides; no input gives a 500."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests
from core.i18n import gettext as _
from tests.conftest import csrf

AR = '<html lang="ar" dir="rtl">'
EN = '<html lang="en" dir="ltr">'


@pytest.fixture
def failing_app(app):  # noqa: ANN001, ANN201
    """The app with routes that raise each business error, and one that crashes."""

    async def forbidden(request: Request) -> Response:
        raise Forbidden(_("You do not have permission to do this."))

    async def invalid(request: Request) -> Response:
        raise Invalid({"title": _("This field is required.")})

    async def missing(request: Request) -> Response:
        raise NotFound(_("This page does not exist or is not available to you."))

    async def conflict(request: Request) -> Response:
        raise Conflict()

    async def too_many(request: Request) -> Response:
        raise TooManyRequests(_("Too many attempts"), retry_after=120)

    async def crash(request: Request) -> Response:
        raise RuntimeError("database password is hunter2")

    app.router.routes.extend(
        [
            Route("/test/forbidden", forbidden),
            Route("/test/invalid", invalid),
            Route("/test/missing", missing),
            Route("/test/conflict", conflict),
            Route("/test/too-many", too_many),
            Route("/test/crash", crash),
        ]
    )
    return app


@pytest.fixture
async def web(failing_app):  # noqa: ANN001, ANN201
    transport = httpx.ASGITransport(
        app=failing_app, raise_app_exceptions=False, client=("203.0.113.7", 1234)
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


def h1(page: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert match, "no <h1> on the page"
    return match.group(1).strip()


async def test_unknown_path_is_a_translated_404(web):
    arabic = await web.get("/no/such/page")
    assert arabic.status_code == 404
    assert AR in arabic.text
    assert h1(arabic.text) == "الصفحة غير موجودة"
    assert "<title>الصفحة غير موجودة · منصّة</title>" in arabic.text
    assert "هذه الصفحة غير موجودة أو غير متاحة لك." in arabic.text
    assert "العودة إلى الصفحة الرئيسية" in arabic.text
    english = await web.get("/no/such/page?lang=en")
    assert english.status_code == 404
    assert EN in english.text
    assert h1(english.text) == "Page not found"
    assert "This page does not exist or is not available to you." in english.text


async def test_wrong_method_is_a_405_with_allow(web):
    response = await web.get("/logout")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert h1(response.text) == "هذا الإجراء غير متاح هنا"
    english = await web.get("/logout?lang=en")
    assert h1(english.text) == "This action is not available here"


async def test_forbidden_is_a_403_page_with_its_message(web):
    response = await web.get("/test/forbidden")
    assert response.status_code == 403
    assert h1(response.text) == "ليست لديك صلاحية"
    assert "ليست لديك صلاحية للقيام بهذا." in response.text
    english = await web.get("/test/forbidden?lang=en")
    assert h1(english.text) == "You do not have permission"
    assert "You do not have permission to do this." in english.text


async def test_invalid_is_a_422_page_listing_the_problems(web):
    response = await web.get("/test/invalid")
    assert response.status_code == 422
    assert h1(response.text) == "يرجى تصحيح النموذج"
    assert "<li>هذا الحقل مطلوب.</li>" in response.text
    english = await web.get("/test/invalid?lang=en")
    assert h1(english.text) == "Please correct the form"
    assert "<li>This field is required.</li>" in english.text


async def test_other_business_errors(web):
    missing = await web.get("/test/missing?lang=en")
    assert (missing.status_code, h1(missing.text)) == (404, "Page not found")
    conflict = await web.get("/test/conflict?lang=en")
    assert (conflict.status_code, h1(conflict.text)) == (
        409,
        "This conflicts with the current state",
    )
    limited = await web.get("/test/too-many")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "120"
    assert h1(limited.text) == "Too many attempts"  # the lang cookie set above still holds


async def test_crash_is_a_friendly_500_with_the_request_id(web, caplog):
    caplog.set_level(logging.ERROR, logger="manassa")
    response = await web.get("/test/crash")
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    assert AR in response.text
    assert h1(response.text) == "حدث خطأ من جهتنا"
    assert (
        "سُجّلت المشكلة. إن تكررت، أرسل إلينا هذا الرقم المرجعي: "
        f'<code dir="ltr" data-testid="request-id">{request_id}</code>'
    ) in response.text
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text and "RuntimeError" not in response.text
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].getMessage() == f"request {request_id} failed: GET /test/crash"
    assert "hunter2" in str(logged[0].exc_info[1])


async def test_switching_language_on_a_crashing_page_still_keeps_the_choice(web):
    crashed = await web.get("/test/crash?lang=en")
    assert crashed.status_code == 500
    assert h1(crashed.text) == "Something went wrong on our side"
    assert any(c.startswith("lang=en;") for c in crashed.headers.get_list("set-cookie"))
    assert h1((await web.get("/no-such-page")).text) == "Page not found"


async def test_crash_page_in_english_after_switching(web):
    await web.get("/?lang=en")
    response = await web.get("/test/crash", headers={"X-Request-Id": "req-123"})
    assert response.status_code == 500
    assert EN in response.text
    assert h1(response.text) == "Something went wrong on our side"
    assert '<code dir="ltr" data-testid="request-id">req-123</code>' in response.text


# --- No input gives a 500 -------------------------------------------------------------------

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
anything = st.text(st.characters(codec="utf-8"), max_size=40)
segment = st.text(st.characters(codec="utf-8", exclude_characters="/?#"), min_size=1, max_size=40)
params = st.lists(
    st.tuples(
        st.sampled_from(["lang", "next", "email", "page", "q", "state", "inline", "x"]), anything
    ),
    max_size=5,
)


@FUZZ
@given(
    path=st.sampled_from(
        ["/", "/login", "/signup", "/password/forgot", "/no-such-page", "/static/css/site.css"]
    ),
    query=params,
)
async def test_query_strings_never_give_a_500(web, path, query):
    response = await web.get(path, params=query)
    assert response.status_code < 500, (path, query, response.text[:300])


@FUZZ
@given(
    prefix=st.sampled_from(
        [
            "/verify/",
            "/password/reset/",
            "/files/",
            "/static/",
            "/",
            "/static/css/",
            "/admin/outbox/",
        ]
    ),
    part=segment,
)
async def test_path_segments_never_give_a_500(web, prefix, part):
    response = await web.get(prefix + quote(part, safe=""))
    assert response.status_code < 500, (prefix, part, response.text[:300])


@FUZZ
@given(
    path=st.sampled_from(["/login", "/signup", "/password/forgot", "/verify/resend"]),
    form=st.dictionaries(
        st.sampled_from(["email", "password", "name", "language", "next", "x", "password_confirm"]),
        anything,
        max_size=6,
    ),
)
async def test_form_bodies_never_give_a_500(web, path, form):
    token = await csrf(web)
    response = await web.post(path, data={"csrf_token": token, **form})
    assert response.status_code < 500, (path, form, response.text[:300])


@FUZZ
@given(
    raw=st.binary(max_size=200),
    ctype=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "application/json",
            "text/plain",
        ]
    ),
)
async def test_raw_bodies_never_give_a_500(web, raw, ctype):
    token = await csrf(web)
    response = await web.post(
        "/login", content=raw, headers={"Content-Type": ctype, "X-CSRF-Token": token}
    )
    assert response.status_code < 500, (raw, ctype, response.text[:300])
