"""A forgotten password, reset from a mailed single-use link that expires after an hour."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from accounts.models import User
from core import clock
from tests.accounts.helpers import (
    NEW_PASSWORD,
    escape,
    field_errors,
    heading,
    input_value,
    local_path,
    log_in,
    nav_name,
    notices,
    snapshot,
)
from tests.conftest import body, first_link, html_body, post_form
from tests.factories import PASSWORD, make_user

LINK_NOT_VALID = (
    "رابط إعادة التعيين هذا غير صالح أو منتهي الصلاحية أو سبق استخدامه. اطلب رابطًا جديدًا."
)


async def ask_for_link(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await post_form(client, "/password/forgot", {"email": email}, page="/password/forgot")


async def choose(
    client: httpx.AsyncClient, path: str, password: str, confirm: str | None = None
) -> httpx.Response:
    """Post a new password; the CSRF token comes from the forgot page, so a dead link's
    refusal (which shows no form) can be posted to as well."""
    data = {"password": password, "password_confirm": password if confirm is None else confirm}
    return await post_form(client, path, data, page="/password/forgot")


async def reset_link(client: httpx.AsyncClient, deliver, email: str) -> str:  # noqa: ANN001
    await ask_for_link(client, email)
    mails = [m for m in await deliver() if m["To"] == email]
    return local_path(first_link(mails[-1]))


async def test_reset_from_the_mailed_link_end_to_end(client, deliver):
    user = await make_user("huda@example.org", name_ar="هدى العتيبي")
    forgot = await client.get("/password/forgot")
    assert heading(forgot.text) == "إعادة تعيين كلمة المرور"

    sent = await ask_for_link(client, "huda@example.org")
    assert sent.status_code == 200
    assert heading(sent.text) == "تحقّق من بريدك الوارد"
    assert (
        'إذا كان هناك حساب مسجّل بالبريد الإلكتروني <bdi dir="ltr">huda@example.org</bdi>'
    ) in sent.text

    [mail] = await deliver()
    assert mail["Subject"] == "إعادة تعيين كلمة المرور لحسابك على منصّة"
    assert "مرحبًا هدى العتيبي،" in body(mail)
    assert "تنتهي صلاحيته خلال 60 دقيقة" in body(mail)
    link = first_link(mail)
    assert link.startswith("http://testserver/password/reset/")
    assert f'href="{link}"' in html_body(mail)

    form = await client.get(local_path(link))
    assert form.status_code == 200
    assert heading(form.text) == "اختر كلمة مرور جديدة"

    done = await choose(client, local_path(link), NEW_PASSWORD)
    assert done.status_code == 303
    assert done.headers["location"] == "http://testserver/login?email=huda%40example.org"
    login_page = await client.get(done.headers["location"])
    assert notices(login_page.text) == ["تم تغيير كلمة المرور. سجّل الدخول بكلمة المرور الجديدة."]

    [changed] = (await deliver())[1:]
    assert changed["To"] == "huda@example.org"
    assert changed["Subject"] == "تم تغيير كلمة المرور لحسابك على منصّة"
    assert "إن لم تقم بذلك، فأعد تعيين كلمة المرور فورًا من صفحة تسجيل الدخول." in body(changed)

    assert (await log_in(client, user.email, PASSWORD)).status_code == 422
    assert (await log_in(client, user.email, NEW_PASSWORD)).status_code == 303
    assert nav_name((await client.get("/")).text) == "هدى العتيبي"


async def test_the_link_works_once(client, deliver):
    user = await make_user("once@example.org")
    link = await reset_link(client, deliver, user.email)
    assert (await choose(client, link, NEW_PASSWORD)).status_code == 303

    again = await client.get(link)
    assert again.status_code == 400
    assert heading(again.text) == "الرابط غير صالح"
    assert LINK_NOT_VALID in again.text
    assert 'href="http://testserver/password/forgot"' in again.text

    stored = (await User.get(id=user.id)).password_hash
    second = await choose(client, link, "yet another long phrase 9")
    assert second.status_code == 400
    assert (await User.get(id=user.id)).password_hash == stored


async def test_a_newer_link_does_not_revive_an_older_one(client, deliver):
    user = await make_user("two@example.org")
    first = await reset_link(client, deliver, user.email)
    second = await reset_link(client, deliver, user.email)
    assert (await choose(client, second, NEW_PASSWORD)).status_code == 303
    assert (await client.get(first)).status_code == 400


async def test_the_link_expires_after_one_hour(client, deliver):
    user = await make_user("slow@example.org", language="en")
    link = await reset_link(client, deliver, user.email)
    clock.travel(dt.timedelta(minutes=59))
    assert (await client.get(link)).status_code == 200
    clock.travel(dt.timedelta(minutes=1, seconds=5))
    expired = await client.get(link + "?lang=en")
    assert expired.status_code == 400
    assert heading(expired.text) == "Link not valid"
    assert "This reset link is invalid, expired or already used. Ask for a new one." in expired.text
    refused = await choose(client, link, NEW_PASSWORD)
    assert refused.status_code == 400
    assert (await log_in(client, user.email, PASSWORD)).status_code == 303


async def test_a_tampered_or_foreign_token_is_refused(client, deliver):
    user = await make_user("tamper@example.org")
    link = await reset_link(client, deliver, user.email)
    for bad in (link[:-3] + "xyz", "/password/reset/not-a-token", link + "A"):
        response = await client.get(bad)
        assert response.status_code == 400
        assert heading(response.text) == "الرابط غير صالح"


async def test_a_verification_link_is_not_a_reset_link(client, deliver):
    await post_form(
        client,
        "/signup",
        {
            "name": "ريم",
            "email": "mix@example.org",
            "password": "tall palms by the sea 42",
            "password_confirm": "tall palms by the sea 42",
            "language": "ar",
        },
        page="/signup",
    )
    verify = local_path(first_link((await deliver())[0]))
    token = verify.rsplit("/", 1)[1]
    assert (await client.get(f"/password/reset/{token}")).status_code == 400


async def test_unknown_and_known_addresses_get_the_same_page(client, deliver):
    await make_user("real@example.org")
    known = await ask_for_link(client, "real@example.org")
    unknown = await ask_for_link(client, "ghost@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("real@example.org", "E") == unknown.text.replace(
        "ghost@example.org", "E"
    )
    assert [m["To"] for m in await deliver()] == ["real@example.org"]


async def test_reset_mails_to_one_account_are_capped_silently(client, deliver):
    await make_user("flooded@example.org")
    for _ in range(7):
        response = await ask_for_link(client, "flooded@example.org")
        assert response.status_code == 200
        assert "flooded@example.org" in response.text
    assert len(await deliver()) == 5


async def test_the_forgot_form_is_rate_limited_per_address(client):
    for n in range(10):
        assert (await ask_for_link(client, f"p{n}@example.org")).status_code == 200
    response = await ask_for_link(client, "p10@example.org")
    assert response.status_code == 429
    assert "محاولات كثيرة جدًا. حاول مرة أخرى بعد" in response.text
    assert input_value(response.text, "email") == "p10@example.org"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "هذا الحقل مطلوب."),
        ("no-at-sign", "أدخل بريدًا إلكترونيًا صحيحًا، مثل name@example.com."),
        ("<b>x</b>@example.org", "أدخل بريدًا إلكترونيًا صحيحًا، مثل name@example.com."),
        ("x" * 300 + "@example.org", "أدخل بريدًا إلكترونيًا صحيحًا، مثل name@example.com."),
    ],
)
async def test_bad_forgot_input_is_refused(client, email, message):
    await client.get("/password/forgot")
    before = await snapshot()
    response = await ask_for_link(client, email)
    assert response.status_code == 422
    assert field_errors(response.text) == {"email": escape(message)}
    assert input_value(response.text, "email") == escape(email.lower())
    assert "<b>x</b>" not in response.text
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("password", "confirm", "expected"),
    [
        ("", "", {"password": "هذا الحقل مطلوب."}),
        ("short", "short", {"password": "استخدم 10 أحرف على الأقل."}),
        ("z" * 129, "z" * 129, {"password": "استخدم 128 حرفًا على الأكثر."}),
        (
            "password123",
            "password123",
            {"password": "كلمة المرور هذه سهلة التخمين. استخدم عبارة أطول وأقل شيوعًا."},
        ),
        (
            "weak-maryam.q-2026",
            "weak-maryam.q-2026",
            {"password": "لا تستخدم بريدك الإلكتروني ضمن كلمة المرور."},
        ),
        (NEW_PASSWORD, NEW_PASSWORD + "!", {"password_confirm": "كلمتا المرور غير متطابقتين."}),
    ],
)
async def test_bad_new_passwords_are_refused(client, deliver, password, confirm, expected):
    user = await make_user("maryam.q@example.org")
    link = await reset_link(client, deliver, user.email)
    before = await snapshot()
    response = await choose(client, link, password, confirm)
    assert response.status_code == 422
    assert field_errors(response.text) == {k: escape(v) for k, v in expected.items()}
    if password:
        assert password not in response.text
    assert await snapshot() == before
    assert (await client.get(link)).status_code == 200  # the link still works after a typo


async def test_a_reset_signs_out_every_session(client, deliver, app):
    user = await make_user("stolen@example.org")
    transport = httpx.ASGITransport(app=app, client=("198.51.100.20", 1111))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as thief:
        await log_in(thief, user.email, PASSWORD)
        assert nav_name((await thief.get("/")).text) == user.display_name
        link = await reset_link(client, deliver, user.email)
        await choose(client, link, NEW_PASSWORD)
        assert nav_name((await thief.get("/")).text) is None


async def test_a_reset_confirms_an_unverified_address(client, deliver):
    user = await make_user("unverified@example.org", verified=False)
    link = await reset_link(client, deliver, user.email)
    assert (await choose(client, link, NEW_PASSWORD)).status_code == 303
    assert (await User.get(id=user.id)).email_verified_at is not None
    assert (await log_in(client, user.email, NEW_PASSWORD)).status_code == 303
