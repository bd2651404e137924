"""The profile: names in Arabic and English, organization, job title, phone, language."""

from __future__ import annotations

import httpx
import pytest

from accounts.models import User
from tests.accounts.helpers import (
    escape,
    field_errors,
    heading,
    html_lang,
    input_value,
    nav_name,
    notices,
    snapshot,
)
from tests.conftest import post_form
from tests.factories import make_user, sign_in

FULL = {
    "name_ar": "نورة القحطاني",
    "name_en": "Noura Al-Qahtani",
    "organization": "قناة الخليج الإخبارية",
    "job_title": "محررة أخبار",
    "phone": "+966 50 123 4567",
    "language": "ar",
}


async def save(client: httpx.AsyncClient, **changes: str) -> httpx.Response:
    return await post_form(client, "/account/profile", {**FULL, **changes}, page="/account/profile")


@pytest.fixture
async def noura(client) -> User:  # noqa: ANN001
    user = await make_user("noura@example.org", name_ar="نورة", name_en="")
    await sign_in(client, user)
    return user


async def test_the_profile_shows_what_is_stored(client, noura):
    page = await client.get("/account/profile")
    assert page.status_code == 200
    assert heading(page.text) == "ملفك الشخصي"
    assert input_value(page.text, "name_ar") == "نورة"
    assert input_value(page.text, "name_en") == ""
    assert '<option value="ar" selected>' in page.text
    assert '<p class="muted" dir="ltr">noura@example.org</p>' in page.text


async def test_saving_the_profile_stores_every_field(client, noura):
    response = await save(client, phone="+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧")  # typed with Arabic digits
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/account/profile"
    page = await client.get("/account/profile")
    assert notices(page.text) == ["تم حفظ ملفك الشخصي."]
    assert nav_name(page.text) == "نورة القحطاني"
    user = await User.get(id=noura.id)
    assert (
        user.name_ar,
        user.name_en,
        user.organization,
        user.job_title,
        user.phone,
        user.language,
    ) == (
        "نورة القحطاني",
        "Noura Al-Qahtani",
        "قناة الخليج الإخبارية",
        "محررة أخبار",
        "+966 50 123 4567",
        "ar",
    )
    assert input_value(page.text, "organization") == "قناة الخليج الإخبارية"


async def test_choosing_english_switches_the_interface(client, noura):
    response = await save(client, language="en")
    assert response.status_code == 303
    page = await client.get("/account/profile")
    assert html_lang(page.text) == ("en", "ltr")
    assert heading(page.text) == "Your profile"
    assert notices(page.text) == ["Your profile has been saved."]
    assert nav_name(page.text) == "Noura Al-Qahtani"
    assert '<option value="en" selected>' in page.text
    assert (await User.get(id=noura.id)).language == "en"

    back = await save(client, language="ar")
    assert back.status_code == 303
    assert html_lang((await client.get("/")).text) == ("ar", "rtl")


async def test_the_language_follows_the_person_to_a_new_browser(client, app, noura):
    await save(client, language="en")
    transport = httpx.ASGITransport(app=app, client=("198.51.100.40", 4444))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as phone:
        await sign_in(phone, noura)
        assert html_lang((await phone.get("/")).text) == ("en", "ltr")


async def test_optional_fields_may_be_empty_and_one_name_is_enough(client, noura):
    response = await save(
        client, name_ar="", name_en="Noura", organization="", job_title="", phone=""
    )
    assert response.status_code == 303
    user = await User.get(id=noura.id)
    assert (user.name_ar, user.name_en, user.organization, user.phone) == ("", "Noura", "", "")
    assert nav_name((await client.get("/")).text) == "Noura"  # falls back to the English name


async def test_mixed_direction_text_is_kept_as_typed(client, noura):
    response = await save(
        client, name_ar="نورة Noura", organization="BBC عربي", job_title="Senior محررة"
    )
    assert response.status_code == 303
    user = await User.get(id=noura.id)
    assert (user.name_ar, user.organization, user.job_title) == (
        "نورة Noura",
        "BBC عربي",
        "Senior محررة",
    )


NAME_CHARS = "استخدم الحروف والمسافات والنقاط والفواصل العليا والشرطات فقط."
NO_MARKUP = "احذف الرمزين < و >."
PHONE = "أدخل رقم الهاتف بالأرقام، مثل +966 5x xxx xxxx."


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"name_ar": "", "name_en": ""},
            {"name_ar": "اكتب اسمك بالعربية أو بالإنجليزية أو بكلتيهما."},
        ),
        ({"name_ar": "ن" * 201}, {"name_ar": "استخدم ما لا يزيد على 200 من الأحرف (استخدمت 201)."}),
        ({"name_en": "<script>alert(1)</script>"}, {"name_en": NAME_CHARS}),
        ({"name_ar": "نورة 123"}, {"name_ar": NAME_CHARS}),
        ({"organization": "<img src=x onerror=alert(1)>"}, {"organization": NO_MARKUP}),
        ({"job_title": "</textarea><script>x</script>"}, {"job_title": NO_MARKUP}),
        (
            {"organization": "م" * 201},
            {"organization": "استخدم ما لا يزيد على 200 من الأحرف (استخدمت 201)."},
        ),
        ({"phone": "call me maybe"}, {"phone": PHONE}),
        ({"phone": "12345"}, {"phone": PHONE}),
        ({"phone": "1" * 21}, {"phone": PHONE}),
        ({"language": "de"}, {"language": "اختر أحد الخيارات."}),
        ({"language": ""}, {"language": "اختر أحد الخيارات."}),
    ],
)
async def test_bad_profile_input_is_refused_field_by_field(client, noura, changes, expected):
    await client.get("/account/profile")
    before = await snapshot()
    response = await save(client, **changes)
    assert response.status_code == 422
    assert field_errors(response.text) == {k: escape(v) for k, v in expected.items()}
    typed = {**FULL, **changes}
    for name in ("name_ar", "name_en", "organization", "job_title", "phone"):
        assert input_value(response.text, name) == escape(typed[name])
    assert "<script>" not in response.text.split("</head>", 1)[1]
    assert "<img src=x" not in response.text
    assert await snapshot() == before


async def test_markup_is_shown_escaped(client, noura):
    response = await save(client, name_en='<script>alert("hi")</script>')
    assert response.status_code == 422
    assert 'value="&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;"' in response.text
    assert '<script>alert("hi")' not in response.text


async def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = await client.get("/account/profile")
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/login?next=%2Faccount%2Fprofile"
    await client.get("/login")
    posted = await post_form(client, "/account/profile", FULL)
    assert posted.status_code == 303
    assert await User.all().count() == 0
