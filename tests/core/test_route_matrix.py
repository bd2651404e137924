"""Every core and accounts route, for each kind of visitor: the status they get.

Events and judging keep their own matrices (tests/events, tests/judging); this one fails if a
core or accounts route is added without a row here."""

from __future__ import annotations

import uuid

import pytest
from starlette.routing import Route

from core.mail.outbox import queue
from core.routing import flat
from tests.factories import make_user, sign_in

ANON, USER, ADMIN = "anonymous", "user", "admin"
SIGN_IN = 303  # anonymous visitors are sent to the sign-in page
MATRIX = {
    "core:home": ("/", {ANON: 200, USER: 200, ADMIN: 200}),
    "core:healthz": ("/healthz", {ANON: 200, USER: 200, ADMIN: 200}),
    "core:openapi": ("/api/v1/openapi.json", {ANON: 200, USER: 200, ADMIN: 200}),
    "core:download": (f"/files/{uuid.uuid4()}", {ANON: 404, USER: 404, ADMIN: 404}),
    "core:admin_outbox": ("/admin/outbox", {ANON: SIGN_IN, USER: 404, ADMIN: 200}),
    "core:admin_outbox_detail": ("/admin/outbox/{mail}", {ANON: SIGN_IN, USER: 404, ADMIN: 200}),
    "core:admin_audit": ("/admin/audit", {ANON: SIGN_IN, USER: 404, ADMIN: 200}),
    "core:language": ("/language", {ANON: 405, USER: 405, ADMIN: 405}),
    "accounts:signup": ("/signup", {ANON: 200, USER: 303, ADMIN: 303}),
    # a GET leads back to the sign-in page, where the resend form is (issue 11, item 8)
    "accounts:resend": ("/verify/resend", {ANON: 303, USER: 303, ADMIN: 303}),
    "accounts:verify": ("/verify/not-a-token", {ANON: 400, USER: 400, ADMIN: 400}),
    "accounts:login": ("/login", {ANON: 200, USER: 200, ADMIN: 200}),
    "accounts:logout": ("/logout", {ANON: 405, USER: 405, ADMIN: 405}),
    "accounts:forgot": ("/password/forgot", {ANON: 200, USER: 200, ADMIN: 200}),
    "accounts:reset": ("/password/reset/not-a-token", {ANON: 400, USER: 400, ADMIN: 400}),
    "accounts:profile": ("/account/profile", {ANON: SIGN_IN, USER: 200, ADMIN: 200}),
    "accounts:change_password": ("/account/password", {ANON: SIGN_IN, USER: 200, ADMIN: 200}),
}


def test_every_core_and_accounts_route_is_in_the_matrix(app):
    names = {
        r.name
        for r in flat(app.routes)
        if isinstance(r, Route) and r.name.split(":")[0] in {"core", "accounts"}
    }
    assert names == set(MATRIX)


@pytest.mark.parametrize("who", [ANON, USER, ADMIN])
async def test_each_visitor_gets_the_expected_answer_on_every_route(client, who):
    if who != ANON:
        await sign_in(client, await make_user(admin=who == ADMIN))
    mail = await queue("someone@example.org", "accounts/password_changed", "ar", name="x")
    for name, (path, expected) in MATRIX.items():
        response = await client.get(path.format(mail=mail.id))
        assert response.status_code == expected[who], (name, who, response.status_code)
        if response.status_code == SIGN_IN and who == ANON and name.startswith("core:admin"):
            assert response.headers["location"].startswith("http://testserver/login?next=")
        if response.status_code == 404:
            assert "الصفحة غير موجودة" in response.text or "غير متاح" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/logout",
        "/language?lang=ar",
        "/verify/resend",
        "/signup",
        "/login",
        "/password/forgot",
        "/account/profile",
        "/account/password",
    ],
)
async def test_every_form_refuses_a_post_without_the_csrf_token(client, path):
    await sign_in(client, await make_user())
    response = await client.post(path, data={"email": "x@example.org"})
    assert response.status_code == 403
    assert "انتهت صلاحية النموذج" in response.text
