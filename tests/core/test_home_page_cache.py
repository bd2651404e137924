"""The anonymous home page is kept briefly as bytes (it is the most visited page): the copy must
never carry one visitor's state to another, and each language and host gets its own."""

from __future__ import annotations

import asyncio
import re

import httpx

from core.i18n import gettext as _
from core.i18n import use_locale
from tests.factories import make_user, sign_in


def nav_name(page: str) -> str | None:
    match = re.search(r'data-testid="nav-profile">([^<]*)</a>', page)
    return match[1] if match else None


def visitor(app) -> httpx.AsyncClient:  # noqa: ANN001
    transport = httpx.ASGITransport(app=app, client=("198.51.100.9", 4321))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_visitors_without_a_session_share_one_rendering_per_language(app, client):
    calls: list[str] = []

    async def events() -> list[dict]:
        calls.append("events")
        return [{"title_ar": "ميدياثون جدة", "title_en": "Jeddah Mediathon", "url": "/events/7"}]

    app.state.hooks.home_sections["events"] = events
    first = await client.get("/")
    async with visitor(app) as other:
        second = await other.get("/")
        english = await other.get("/?lang=en")
    assert second.text == first.text
    assert (
        '<h3><a href="/events/7"><bdi dir="auto" lang="ar">ميدياثون جدة</bdi></a></h3>'
        in second.text
    )
    assert '<html lang="ar" dir="rtl">' in second.text
    assert '<html lang="en" dir="ltr">' in english.text
    assert (
        '<h3><a href="/events/7"><bdi dir="auto" lang="en">Jeddah Mediathon</bdi></a></h3>'
        in english.text
    )
    assert second.headers["content-type"] == "text/html; charset=utf-8"
    assert second.headers["x-content-type-options"] == "nosniff"
    assert calls == ["events"]  # the sections were read once for all three pages


async def test_a_signed_in_page_is_never_served_to_a_visitor(app, client):
    user = await make_user(name_ar="سلمى العنزي")
    await sign_in(client, user)
    assert nav_name((await client.get("/")).text) == "سلمى العنزي"
    async with visitor(app) as other:
        page = (await other.get("/")).text
    assert nav_name(page) is None
    assert 'href="http://testserver/signup"' in page
    assert "csrf_token" not in page


async def test_a_flash_after_sign_out_is_shown_once_and_to_nobody_else(app, client):
    await sign_in(client, await make_user())
    signed_out = await client.post(
        "/logout", data={"csrf_token": await _token(client)}, follow_redirects=True
    )
    with use_locale("ar"):
        notice = _("You have signed out.")
    assert notice in signed_out.text
    async with visitor(app) as other:
        assert notice not in (await other.get("/")).text
    assert notice not in (await client.get("/")).text  # and only once


async def test_links_follow_the_host_the_page_was_asked_for(app, client):
    await client.get("/")
    transport = httpx.ASGITransport(app=app, client=("198.51.100.9", 4321))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as other:
        page = (await other.get("/")).text
    assert 'href="http://localhost/signup"' in page
    assert "http://testserver/" not in page


async def _token(client: httpx.AsyncClient) -> str:
    page = (await client.get("/account/profile")).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match[1]


async def test_signed_in_pages_arriving_together_read_an_expired_section_once(app, client):
    """Signed-in home pages are drawn per request, but their sections come from a short-lived
    copy: when it has expired, the requests that arrive together wait for one reading instead
    of each reading it (under load, dozens of reads queued on the database's one thread made
    some home pages wait over a second)."""
    calls: list[str] = []
    release = asyncio.Event()

    async def events() -> list[dict]:
        calls.append("events")
        await release.wait()
        return [{"title_ar": "ميدياثون تبوك", "title_en": "Tabuk Mediathon", "url": "/events/9"}]

    app.state.hooks.home_sections["events"] = events
    await sign_in(client, await make_user(name_ar="هند الشمري"))
    pages = [asyncio.create_task(client.get("/")) for _ in range(8)]
    await asyncio.sleep(0.05)  # all eight are waiting for the one reading
    release.set()
    answers = await asyncio.gather(*pages)
    assert calls == ["events"]
    for answer in answers:
        assert answer.status_code == 200
        assert nav_name(answer.text) == "هند الشمري"
        assert '<bdi dir="auto" lang="ar">ميدياثون تبوك</bdi>' in answer.text
