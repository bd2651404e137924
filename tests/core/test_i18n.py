"""Language choice (query, cookie, profile), the switch link, dates with Hijri, fallbacks."""

from __future__ import annotations

import datetime as dt
import html
import re
from types import SimpleNamespace

import httpx
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from core import i18n
from core.i18n import format_date, format_datetime, gettext, hijri_date, localized, use_locale
from tests.core.test_language import switch_language
from tests.factories import make_user, sign_in

AR = '<html lang="ar" dir="rtl">'
EN = '<html lang="en" dir="ltr">'
SWITCH = re.compile(
    r'<a href="([^"]*)" lang="(\w+)" hreflang="\w+" class="lang-switch" '
    r'data-testid="lang-switch">([^<]*)</a>'
)
# 21:05 UTC on 22 November 2026 is already 23 November in Riyadh (UTC+3).
MOMENT = dt.datetime(2026, 11, 22, 21, 5, tzinfo=dt.UTC)


def switch_link(page: str) -> tuple[str, str, str]:
    match = SWITCH.search(page)
    assert match, "no language switch link on the page"
    return html.unescape(match.group(1)), match.group(2), match.group(3)


def lang_cookie(response: httpx.Response) -> str | None:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith("lang="):
            return header
    return None


async def test_arabic_right_to_left_by_default(client):
    response = await client.get("/")
    assert AR in response.text
    assert "<title>الرئيسية · منصّة</title>" in response.text
    assert lang_cookie(response) is None


async def test_query_switches_to_english_and_the_cookie_keeps_it(client):
    switched = await client.get("/?lang=en")
    assert EN in switched.text
    assert "<title>Home · Manassa</title>" in switched.text
    cookie = lang_cookie(switched)
    assert cookie is not None and cookie.startswith("lang=en;")
    assert "Path=/" in cookie and "SameSite=Lax" in cookie
    later = await client.get("/login")
    assert EN in later.text
    assert "<h1>Sign in</h1>" in later.text
    back = await client.get("/login?lang=ar")
    assert AR in back.text
    assert lang_cookie(back).startswith("lang=ar;")
    assert AR in (await client.get("/")).text


async def test_unknown_language_is_ignored(client):
    response = await client.get("/?lang=fr")
    assert AR in response.text
    assert lang_cookie(response) is None
    await client.get("/?lang=en")
    still_english = await client.get("/?lang=xx")
    assert EN in still_english.text
    assert lang_cookie(still_english) is None


async def test_unknown_cookie_value_falls_back_to_the_default(client):
    client.cookies.set("lang", "klingon")
    assert AR in (await client.get("/")).text


async def test_signed_in_switch_is_saved_and_follows_the_user(app, client):
    user = await make_user(language="ar")
    await sign_in(client, user)
    switched = await switch_language(client, "/")
    assert switched.headers["location"] == "/"
    assert (await User.get(id=user.id)).language == "en"

    transport = httpx.ASGITransport(app=app, client=("198.51.100.20", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as fresh:
        assert AR in (await fresh.get("/")).text  # anonymous: the default
        await sign_in(fresh, user)
        assert EN in (await fresh.get("/")).text
        await switch_language(fresh, "/")
    assert (await User.get(id=user.id)).language == "ar"


async def test_a_refused_post_does_not_change_the_saved_language(client):
    user = await make_user(language="ar")
    await sign_in(client, user)
    refused = await client.post("/logout?lang=en")
    assert refused.status_code == 403
    assert (await User.get(id=user.id)).language == "ar"


async def test_switch_link_points_to_the_other_language_keeping_path_and_query(client):
    page = await client.get("/login?next=/account/profile&email=a%40b.org")
    url, lang, label = switch_link(page.text)
    assert (url, lang, label) == (
        "/login?next=%2Faccount%2Fprofile&email=a%40b.org&lang=en",
        "en",
        "English",
    )
    english = await client.get(url)
    assert EN in english.text
    url, lang, label = switch_link(english.text)
    assert (url, lang, label) == (
        "/login?next=%2Faccount%2Fprofile&email=a%40b.org&lang=ar",
        "ar",
        "العربية",
    )


async def test_switch_link_never_points_to_another_site(client):
    page = await client.get("http://testserver//evil.example/x")
    assert page.status_code == 404
    url, _, _ = switch_link(page.text)
    assert url == "/evil.example/x?lang=en"


async def test_locale_does_not_leak_out_of_a_request(client):
    await client.get("/?lang=en")
    assert i18n.get_locale() == "ar"
    assert gettext("Page not found") == "الصفحة غير موجودة"


# --- Dates ----------------------------------------------------------------------------------


def test_datetime_in_riyadh_with_hijri_in_arabic():
    with use_locale("ar"):
        assert format_datetime(MOMENT) == "23 نوفمبر 2026، 00:05 (13 جمادى الآخرة 1448 هـ)"
        assert format_datetime(MOMENT, hijri=False) == "23 نوفمبر 2026، 00:05"


def test_datetime_in_riyadh_with_hijri_in_english():
    with use_locale("en"):
        assert format_datetime(MOMENT) == "23 November 2026, 00:05 (13 Jumada al-Akhirah 1448 AH)"


def test_datetime_in_another_zone():
    with use_locale("en"):
        assert format_datetime(MOMENT, "Africa/Cairo") == (
            "22 November 2026, 23:05 (12 Jumada al-Akhirah 1448 AH)"
        )
        assert format_datetime(MOMENT, "Not/AZone") == format_datetime(MOMENT)
    with use_locale("ar"):
        assert format_datetime(MOMENT, "Europe/London") == (
            "22 نوفمبر 2026، 21:05 (12 جمادى الآخرة 1448 هـ)"
        )


def test_naive_datetime_is_taken_as_utc():
    with use_locale("en"):
        assert format_datetime(MOMENT.replace(tzinfo=None)) == format_datetime(MOMENT)


def test_dates_in_both_languages():
    with use_locale("ar"):
        assert format_date(dt.date(2026, 11, 22)) == "22 نوفمبر 2026 (12 جمادى الآخرة 1448 هـ)"
        assert format_date(MOMENT) == "23 نوفمبر 2026 (13 جمادى الآخرة 1448 هـ)"
    with use_locale("en"):
        assert format_date(dt.date(2026, 11, 22)) == (
            "22 November 2026 (12 Jumada al-Akhirah 1448 AH)"
        )
        assert format_date(MOMENT, "America/New_York") == (
            "22 November 2026 (12 Jumada al-Akhirah 1448 AH)"
        )
    assert format_date(None) == "" and format_datetime(None) == ""


def test_hijri_outside_the_umm_al_qura_table_is_left_out():
    with use_locale("en"):
        assert hijri_date(dt.date(2200, 1, 1)) == ""
        assert format_date(dt.date(2200, 1, 1)) == "1 January 2200"


@given(
    st.datetimes(
        min_value=dt.datetime(1950, 1, 1),
        max_value=dt.datetime(2070, 12, 31),
        timezones=st.just(dt.UTC),
    )
)
def test_every_datetime_shows_its_local_day_and_a_hijri_date(value):
    local = value.astimezone(i18n.zone("Asia/Riyadh"))
    with use_locale("en"):
        text = format_datetime(value)
    assert text.startswith(f"{local.day} {local:%B} {local.year}, {local:%H:%M} (")
    assert text.endswith(" AH)")
    with use_locale("ar"):
        assert format_datetime(value).endswith(" هـ)")


# --- Organizer content with a fallback ------------------------------------------------------


def test_localized_prefers_the_current_language_then_the_other():
    both = SimpleNamespace(title_ar="ميدياثون", title_en="Mediathon")
    only_ar = SimpleNamespace(title_ar="ميدياثون", title_en="")
    only_en = {"title_ar": "", "title_en": "Mediathon"}
    with use_locale("ar"):
        assert localized(both, "title") == "ميدياثون"
        assert localized(only_en, "title") == "Mediathon"
    with use_locale("en"):
        assert localized(both, "title") == "Mediathon"
        assert localized(only_ar, "title") == "ميدياثون"
        assert localized({"title_ar": "جائزة"}, "title") == "جائزة"
    assert localized(SimpleNamespace(), "title") == ""
    assert localized(both, "title", "en") == "Mediathon"
