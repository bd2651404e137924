"""Changing the password while signed in: the current one is checked, other sessions end."""

from __future__ import annotations

import httpx
import pytest

from accounts.models import User
from core.audit import AuditEntry
from tests.accounts.helpers import (
    NEW_PASSWORD,
    escape,
    field_errors,
    heading,
    log_in,
    nav_name,
    notices,
    snapshot,
)
from tests.conftest import body, post_form
from tests.factories import PASSWORD, make_user, sign_in


async def change(
    client: httpx.AsyncClient, current: str, new: str, confirm: str | None = None
) -> httpx.Response:
    data = {
        "current_password": current,
        "password": new,
        "password_confirm": new if confirm is None else confirm,
    }
    return await post_form(client, "/account/password", data, page="/account/password")


async def test_change_password_signs_out_the_other_sessions(client, app, deliver):
    user = await make_user("layla@example.org", name_ar="ليلى الحربي")
    await sign_in(client, user)
    transport = httpx.ASGITransport(app=app, client=("198.51.100.30", 2222))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as laptop:
        await sign_in(laptop, user)
        assert nav_name((await laptop.get("/")).text) == "ليلى الحربي"

        page = await client.get("/account/password")
        assert heading(page.text) == "تغيير كلمة المرور"
        response = await change(client, PASSWORD, NEW_PASSWORD)
        assert response.status_code == 303
        assert response.headers["location"] == "http://testserver/account/profile"

        profile = await client.get("/account/profile")
        assert notices(profile.text) == ["تم تغيير كلمة المرور."]
        assert nav_name(profile.text) == "ليلى الحربي"  # this session stays signed in

        assert nav_name((await laptop.get("/")).text) is None  # the other one is signed out
        assert (await laptop.get("/account/profile")).status_code == 303

    [mail] = await deliver()
    assert mail["To"] == "layla@example.org"
    assert mail["Subject"] == "تم تغيير كلمة المرور لحسابك على منصّة"
    assert "وتم تسجيل الخروج من جميع الجلسات الأخرى" in body(mail)
    entry = await AuditEntry.get(action="accounts.change_password")
    assert (entry.actor_id, entry.object_id) == (user.id, str(user.id))

    transport = httpx.ASGITransport(app=app, client=("198.51.100.31", 3333))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as fresh:
        assert (await log_in(fresh, user.email, PASSWORD)).status_code == 422
        assert (await log_in(fresh, user.email, NEW_PASSWORD)).status_code == 303


async def test_a_wrong_current_password_changes_nothing(client):
    user = await make_user("careful@example.org")
    await sign_in(client, user)
    await client.get("/account/password")
    before = await snapshot()
    response = await change(client, "not my current one", NEW_PASSWORD)
    assert response.status_code == 422
    assert field_errors(response.text) == {"current_password": "كلمة المرور الحالية غير صحيحة."}
    assert NEW_PASSWORD not in response.text
    after = await snapshot()
    assert after["users"] == before["users"] and after["mails"] == before["mails"]


async def test_guessing_the_current_password_is_limited(client):
    user = await make_user("guarded@example.org")
    await sign_in(client, user)
    for _ in range(5):
        assert (await change(client, "a wrong guess 1234", NEW_PASSWORD)).status_code == 422
    blocked = await change(client, PASSWORD, NEW_PASSWORD)
    assert blocked.status_code == 429
    assert "محاولات كثيرة جدًا. حاول مرة أخرى بعد 15 دقيقة." in blocked.text
    assert (await User.get(id=user.id)).password_hash == user.password_hash


@pytest.mark.parametrize(
    ("current", "new", "confirm", "expected"),
    [
        ("", "", "", {"current_password": "هذا الحقل مطلوب.", "password": "هذا الحقل مطلوب."}),
        (PASSWORD, "tiny", "tiny", {"password": "استخدم 10 أحرف على الأقل."}),
        (PASSWORD, "y" * 200, "y" * 200, {"password": "استخدم 128 حرفًا على الأكثر."}),
        (
            PASSWORD,
            "1234567890",
            "1234567890",
            {"password": "كلمة المرور هذه سهلة التخمين. استخدم عبارة أطول وأقل شيوعًا."},
        ),
        (
            PASSWORD,
            "i am nasser.k indeed",
            "i am nasser.k indeed",
            {"password": "لا تستخدم بريدك الإلكتروني ضمن كلمة المرور."},
        ),
        (
            PASSWORD,
            NEW_PASSWORD,
            "something else entirely",
            {"password_confirm": "كلمتا المرور غير متطابقتين."},
        ),
        (
            PASSWORD,
            PASSWORD,
            PASSWORD,
            {"password": "اختر كلمة مرور مختلفة عن كلمة المرور الحالية."},
        ),
    ],
)
async def test_bad_change_password_input(client, current, new, confirm, expected):
    user = await make_user("nasser.k@example.org")
    await sign_in(client, user)
    await client.get("/account/password")
    before = await snapshot()
    response = await change(client, current, new, confirm)
    assert response.status_code == 422
    assert field_errors(response.text) == {k: escape(v) for k, v in expected.items()}
    for secret in {current, new, confirm} - {""}:
        assert f'value="{secret}"' not in response.text
    after = await snapshot()
    assert after["users"] == before["users"] and after["mails"] == before["mails"]


async def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = await client.get("/account/password")
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/login?next=%2Faccount%2Fpassword"
