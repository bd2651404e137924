"""The home page: sections from the domains' hooks, in both languages, with empty states."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.factories import make_user, sign_in

WHEN = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)


def section(page: str, key: str) -> str:
    match = re.search(rf'<section class="home-section" id="section-{key}".*?</section>', page, re.S)
    assert match, f"no {key} section"
    return match.group(0)


async def test_empty_home_in_arabic(app, client):
    app.state.hooks.home_sections.clear()
    page = (await client.get("/")).text
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1>المسابقات الإعلامية في مكان واحد</h1>" in page
    events, awards = section(page, "events"), section(page, "awards")
    assert '<h2 id="h-events">فعاليات الميدياثون</h2>' in events
    assert '<p class="empty-state">لم تُنشر أي فعالية ميدياثون بعد.</p>' in events
    assert '<h2 id="h-awards">جائزة التميز الإعلامي</h2>' in awards
    assert '<p class="empty-state">لم تُنشر أي دورة للجائزة بعد.</p>' in awards
    assert re.search(r'<a class="button" href="[^"]*/signup">إنشاء حساب</a>', page)


async def test_empty_home_in_english(app, client):
    app.state.hooks.home_sections.clear()
    page = (await client.get("/?lang=en")).text
    assert "<h1>Media competitions, run in one place</h1>" in page
    assert "No Mediathon event has been published yet." in section(page, "events")
    assert "No award cycle has been published yet." in section(page, "awards")


@pytest.fixture
def published(app):  # noqa: ANN001, ANN201
    calls: list[str] = []

    async def events() -> list[dict]:
        calls.append("events")
        return [
            {
                "title_ar": "ميدياثون الرياض",
                "title_en": "Riyadh Mediathon",
                "url": "/events/1",
                "subtitle_ar": "صحافة البيانات",
                "subtitle_en": "",
                "when": WHEN,
                "time_zone": "Asia/Riyadh",
            },
            {"title_ar": "", "title_en": "Only in English", "url": "/events/2"},
        ]

    async def awards() -> list[dict]:
        return [
            {
                "title_ar": "جائزة التميز 2026",
                "title_en": "",
                "url": "/awards/2026",
                "when": WHEN,
                "time_zone": "Africa/Cairo",
            }
        ]

    app.state.hooks.home_sections.update({"events": events, "awards": awards})
    return calls


async def test_published_items_in_arabic_with_hijri_dates(client, published):
    page = (await client.get("/")).text
    events = section(page, "events")
    assert (
        '<h3><a href="/events/1"><bdi dir="auto" lang="ar">ميدياثون الرياض</bdi></a></h3>' in events
    )
    assert '<p><bdi dir="auto" lang="ar">صحافة البيانات</bdi></p>' in events
    assert '<p class="muted">1 ديسمبر 2026، 09:00 (21 جمادى الآخرة 1448 هـ)</p>' in events
    # the fallback, marked as English
    assert (
        '<h3><a href="/events/2"><bdi dir="auto" lang="en">Only in English</bdi></a></h3>' in events
    )
    awards = section(page, "awards")
    assert '<a href="/awards/2026"><bdi dir="auto" lang="ar">جائزة التميز 2026</bdi></a>' in awards
    assert '<p class="muted">1 ديسمبر 2026، 08:00 (21 جمادى الآخرة 1448 هـ)</p>' in awards
    assert "empty-state" not in events + awards


async def test_published_items_in_english_fall_back_to_arabic(client, published):
    page = (await client.get("/?lang=en")).text
    events = section(page, "events")
    assert (
        '<h3><a href="/events/1"><bdi dir="auto" lang="en">Riyadh Mediathon</bdi></a></h3>'
        in events
    )
    # the Arabic fallback sits in its own direction, marked as Arabic
    assert '<p><bdi dir="auto" lang="ar">صحافة البيانات</bdi></p>' in events
    assert '<p class="muted">1 December 2026, 09:00 (21 Jumada al-Akhirah 1448 AH)</p>' in events
    awards = section(page, "awards")
    assert '<a href="/awards/2026"><bdi dir="auto" lang="ar">جائزة التميز 2026</bdi></a>' in awards


async def test_sections_are_cached_briefly(client, published):
    await client.get("/")
    await client.get("/?lang=en")
    assert published == ["events"]


async def test_signed_in_home_has_no_sign_up_call(client):
    await sign_in(client, await make_user(name_ar="ليلى"))
    page = (await client.get("/")).text
    assert 'data-testid="nav-profile">ليلى</a>' in page
    assert not re.search(r'<a class="button" href="[^"]*/signup"', page)
