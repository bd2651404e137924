"""Sign-in and sign-out: no enumeration, rate limits, session rotation, safe `next`."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from accounts.models import User
from core import clock
from tests.accounts.helpers import (
    escape,
    field_errors,
    heading,
    html_lang,
    input_value,
    log_in,
    nav_name,
    notices,
    snapshot,
)
from tests.conftest import csrf, post_form
from tests.factories import PASSWORD, make_user

WRONG = "البريد الإلكتروني أو كلمة المرور غير صحيحة."


def session_cookie(response: httpx.Response) -> str:
    [header] = [h for h in response.headers.get_list("set-cookie") if h.startswith("session=")]
    return header


async def test_a_verified_person_signs_in_and_sees_their_name(client):
    user = await make_user(
        "khalid@example.org", name_ar="خالد المنصوري", name_en="Khalid Al-Mansoori"
    )
    response = await log_in(client, "Khalid@Example.org ", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/"
    home = await client.get("/")
    assert nav_name(home.text) == "خالد المنصوري"
    assert nav_name((await client.get("/?lang=en")).text) == "Khalid Al-Mansoori"
    user = await User.get(id=user.id)
    assert user.last_login_at is not None


async def test_unknown_email_and_wrong_password_look_the_same(client):
    await make_user("known@example.org")
    wrong = await log_in(client, "known@example.org", "not my password at all")
    unknown = await log_in(client, "unknown@example.org", "not my password at all")
    assert wrong.status_code == unknown.status_code == 422
    assert WRONG in wrong.text
    assert wrong.text.replace("known@example.org", "E") == unknown.text.replace(
        "unknown@example.org", "E"
    )
    assert input_value(wrong.text, "email") == "known@example.org"
    assert "not my password at all" not in wrong.text
    assert nav_name(wrong.text) is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"email": "", "password": ""},
            {"email": "هذا الحقل مطلوب.", "password": "هذا الحقل مطلوب."},
        ),
        (
            {"email": "not-an-email", "password": PASSWORD},
            {"email": "أدخل بريدًا إلكترونيًا صحيحًا، مثل name@example.com."},
        ),
        (
            {"email": "<script>x</script>@example.org", "password": PASSWORD},
            {"email": "أدخل بريدًا إلكترونيًا صحيحًا، مثل name@example.com."},
        ),
        (
            {"email": "known@example.org", "password": "p" * 129},
            {"password": "استخدم 128 حرفًا على الأكثر."},
        ),
    ],
)
async def test_bad_sign_in_input_is_refused_field_by_field(client, data, expected):
    await make_user("known@example.org")
    await client.get("/login")
    before = await snapshot()
    response = await post_form(client, "/login", data)
    assert response.status_code == 422
    assert field_errors(response.text) == {k: escape(v) for k, v in expected.items()}
    assert input_value(response.text, "email") == escape(data["email"].lower())
    assert input_value(response.text, "password") is None
    assert "<script>x" not in response.text
    assert await snapshot() == before  # not even a rate-limit hit


async def test_five_failures_lock_the_account_for_the_window(client):
    user = await make_user("target@example.org")
    for _ in range(5):
        assert (await log_in(client, user.email, "a wrong guess 1234")).status_code == 422
    locked = await log_in(client, user.email, PASSWORD)  # even the right password waits
    assert locked.status_code == 429
    assert "محاولات كثيرة جدًا. حاول مرة أخرى بعد 15 دقيقة." in locked.text
    assert 895 <= int(locked.headers["retry-after"]) <= 901
    assert nav_name(locked.text) is None

    clock.travel(dt.timedelta(minutes=10))
    later = await log_in(client, user.email, PASSWORD)
    assert later.status_code == 429
    assert "حاول مرة أخرى بعد 5 دقائق." in later.text

    clock.travel(dt.timedelta(minutes=5, seconds=2))
    assert (await log_in(client, user.email, PASSWORD)).status_code == 303


async def test_the_lock_message_in_english_counts_minutes(client):
    user = await make_user("en-lock@example.org", language="en")
    for _ in range(5):
        await log_in(client, user.email, "a wrong guess 1234")
    clock.travel(dt.timedelta(minutes=14, seconds=30))
    response = await client.get("/login?lang=en")
    assert response.status_code == 200
    locked = await log_in(client, user.email, PASSWORD)
    assert "Too many attempts. Try again in 1 minute." in locked.text


async def test_a_success_clears_the_account_count(client):
    user = await make_user("forgetful@example.org")
    for _ in range(4):
        await log_in(client, user.email, "a wrong guess 1234")
    assert (await log_in(client, user.email, PASSWORD)).status_code == 303
    for _ in range(5):
        assert (await log_in(client, user.email, "a wrong guess 1234")).status_code == 422
    assert (await log_in(client, user.email, "a wrong guess 1234")).status_code == 429


async def test_twenty_failures_from_one_address_block_it(client, app):
    for n in range(20):
        response = await log_in(client, f"guess{n % 4}@example.org", "a wrong guess 1234")
        assert response.status_code == 422
    user = await make_user("innocent@example.org")
    blocked = await log_in(client, user.email, PASSWORD)
    assert blocked.status_code == 429
    assert "محاولات كثيرة جدًا. حاول مرة أخرى بعد 15 دقيقة." in blocked.text

    # Another address is not blocked, and the window passing unblocks this one.
    transport = httpx.ASGITransport(app=app, client=("198.51.100.9", 4321))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        assert (await log_in(other, user.email, PASSWORD)).status_code == 303
    clock.travel(dt.timedelta(minutes=16))
    assert (await log_in(client, user.email, PASSWORD)).status_code == 303


async def test_sign_in_rotates_the_session_cookie_and_the_csrf_token(client):
    user = await make_user()
    page = await client.get("/login")
    before = session_cookie(page)
    old_token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]

    response = await client.post(
        "/login", data={"csrf_token": old_token, "email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 303
    after = session_cookie(response)
    assert after.split(";")[0] != before.split(";")[0]
    attributes = [a.strip().lower() for a in after.split(";")[1:]]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes

    stale = await client.post("/logout", data={"csrf_token": old_token})
    assert stale.status_code == 403
    assert nav_name((await client.get("/")).text) == user.display_name  # still signed in


async def test_an_old_session_cookie_is_useless_after_sign_in_elsewhere(client, app):
    """A cookie captured before sign-in (session fixation) does not carry the sign-in."""
    user = await make_user()
    await client.get("/login")
    planted = client.cookies["session"]
    await log_in(client, user.email, PASSWORD)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 1234))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", cookies={"session": planted}
    ) as attacker:
        assert nav_name((await attacker.get("/")).text) is None


@pytest.mark.parametrize("target", ["/account/profile", "/account/profile?tab=1"])
async def test_next_sends_back_to_a_local_page(client, target):
    user = await make_user()
    page = await client.get("/login", params={"next": target})
    assert f'name="next" value="{escape(target)}"' in page.text
    response = await log_in(client, user.email, PASSWORD, next=target)
    assert response.status_code == 303
    assert response.headers["location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "http:evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "/\t/evil.example",
    ],
)
async def test_next_ignores_other_sites(client, target):
    user = await make_user()
    page = await client.get("/login", params={"next": target})
    assert 'name="next" value=""' in page.text
    response = await log_in(client, user.email, PASSWORD, next=target)
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/"


async def test_a_page_that_needs_sign_in_comes_back_after_it(client):
    user = await make_user()
    response = await client.get("/account/password")
    assert response.status_code == 303
    login_url = response.headers["location"]
    assert login_url == "http://testserver/login?next=%2Faccount%2Fpassword"
    page = await client.get(login_url)
    assert 'name="next" value="/account/password"' in page.text
    signed_in = await log_in(client, user.email, PASSWORD, next="/account/password")
    assert signed_in.headers["location"] == "/account/password"
    assert heading((await client.get("/account/password")).text) == "تغيير كلمة المرور"


async def test_sign_out_needs_the_csrf_token(client):
    user = await make_user()
    await log_in(client, user.email, PASSWORD)
    refused = await client.post("/logout")
    assert refused.status_code == 403
    assert nav_name((await client.get("/")).text) == user.display_name

    token = await csrf(client, "/")
    response = await client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    home = await client.get("/")
    assert nav_name(home.text) is None
    assert notices(home.text) == ["تم تسجيل خروجك."]


async def test_a_copy_of_a_signed_out_cookie_signs_nobody_in(client, app):
    """Signing out ends the session on the server too: a copy of its cookie (a shared
    computer, a stolen cookie) is refused, while the person's other sessions stay."""
    user = await make_user(name_ar="سلمى القاسمي")
    await log_in(client, user.email, PASSWORD)
    copied = client.cookies["session"]
    transport = httpx.ASGITransport(app=app, client=("198.51.100.40", 4444))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as phone:
        await log_in(phone, user.email, PASSWORD)
        token = await csrf(client, "/")
        assert (await client.post("/logout", data={"csrf_token": token})).status_code == 303

        client.cookies.set("session", copied)
        assert nav_name((await client.get("/")).text) is None
        answer = await client.get("/account/profile")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("http://testserver/login")
        assert nav_name((await phone.get("/")).text) == "سلمى القاسمي"  # still signed in


async def test_ended_sessions_are_forgotten_once_their_cookies_expire(client, settings):
    from accounts.models import EndedSession

    user = await make_user()
    for _ in range(2):
        await log_in(client, user.email, PASSWORD)
        await client.post("/logout", data={"csrf_token": await csrf(client, "/")})
    assert await EndedSession.filter(user_id=user.id).count() == 2
    clock.travel(dt.timedelta(seconds=settings.security_session_max_age + 60))
    await log_in(client, user.email, PASSWORD)
    await client.post("/logout", data={"csrf_token": await csrf(client, "/")})
    assert await EndedSession.filter(user_id=user.id).count() == 1


async def test_sign_out_keeps_the_chosen_language(client):
    user = await make_user(language="ar")
    await client.get("/?lang=en")
    await log_in(client, user.email, PASSWORD)
    token = await csrf(client, "/")
    await client.post("/logout", data={"csrf_token": token})
    home = await client.get("/")
    assert notices(home.text) == ["You have signed out."]


async def test_a_deactivated_account_cannot_sign_in(client):
    user = await make_user(is_active=False)
    response = await log_in(client, user.email, PASSWORD)
    assert response.status_code == 422
    assert WRONG in response.text


async def test_a_deactivated_account_is_signed_out(client):
    user = await make_user()
    await log_in(client, user.email, PASSWORD)
    await User.filter(id=user.id).update(is_active=False)
    assert nav_name((await client.get("/")).text) is None


async def test_the_welcome_speaks_the_profile_language_and_sign_out_keeps_it(client):
    user = await make_user(
        "sarah@example.org", language="en", name_ar="سارة", name_en="Sarah Johnson"
    )
    assert html_lang((await client.get("/login")).text) == ("ar", "rtl")  # a fresh browser
    await log_in(client, user.email, PASSWORD)
    home = await client.get("/")
    assert html_lang(home.text) == ("en", "ltr")
    assert notices(home.text) == ["Welcome, Sarah Johnson."]

    token = await csrf(client, "/")
    await client.post("/logout", data={"csrf_token": token})
    home = await client.get("/")
    assert nav_name(home.text) is None
    assert html_lang(home.text) == ("en", "ltr")
    assert notices(home.text) == ["You have signed out."]


async def test_a_language_chosen_before_sign_in_wins_over_the_profile(client):
    user = await make_user(language="en", name_ar="سارة", name_en="Sarah")
    await client.get("/login?lang=ar")
    await log_in(client, user.email, PASSWORD)
    home = await client.get("/")
    assert html_lang(home.text) == ("ar", "rtl")
    assert notices(home.text) == ["مرحبًا بك، سارة."]
