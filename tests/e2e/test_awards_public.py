"""The award's public pages in a real browser, in Arabic and in English: the home page's award
section leads to the archive and to this year's cycle page, which shows its categories with their
rules, the timeline with Hijri dates, and the call to nominate; last year's page says nominations
have closed. Screenshots of each page go to tests/e2e/artifacts/."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from core.i18n import gettext as _
from core.i18n import use_locale
from tests.e2e.conftest import LiveServer, screenshot

CATEGORIES = {
    "ar": ["التحقيق الاستقصائي", "الفيلم الوثائقي", "التصوير الصحفي", "الفيديو الإبداعي"],
    "en": ["Investigative report", "Documentary", "Photography", "Creative video"],
}
DIRECTIONS = {"ar": "rtl", "en": "ltr"}
HIJRI = {"ar": "هـ)", "en": "AH)"}


def demo_cycles(server: LiveServer) -> list[dict[str, Any]]:
    """The published cycles, newest first, as the API lists them: this year's, then last
    year's (the demo's; its spring edition, in its final vote, left out)."""
    with urllib.request.urlopen(server.url("/api/v1/awards"), timeout=5) as answer:  # noqa: S310
        found = json.load(answer)["cycles"]
    # the demo's cycle with an open public vote (public-vote-<year>) is not one of these
    return [
        c
        for c in found
        if c["slug"].startswith("media-excellence-") and not c["slug"].endswith("-spring")
    ]


def text(lang: str, message: str) -> str:
    with use_locale(lang):
        return _(message)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_public_sees_the_archive_and_a_cycle_page(
    page: Callable[..., Any], live_server: LiveServer, lang: str
) -> None:
    current, last = demo_cycles(live_server)
    this_year, last_year = current["name"][lang], last["name"][lang]
    assert this_year.startswith("جائزة التميز الإعلامي" if lang == "ar" else "Media Excellence")
    browser = page(lang, f"/?lang={lang}")
    assert browser.get_attribute("html", "dir") == DIRECTIONS[lang]
    section = browser.locator("#section-awards")
    assert section.get_by_role("link", name=this_year, exact=True).is_visible()
    assert section.get_by_role("link", name=last_year, exact=True).is_visible()

    browser.goto("/awards")
    assert browser.locator("h1").inner_text() == text(lang, "Media Excellence Award")
    cycles = browser.locator("[data-testid=cycle] h2").all_inner_texts()
    # the demo's public vote (public-vote-<year>) is listed too
    assert [c for c in cycles if c in (this_year, last_year)] == [this_year, last_year]
    listed = browser.locator("[data-testid=cycle]").nth(cycles.index(this_year))
    assert CATEGORIES[lang][0] in listed.inner_text()
    screenshot(browser, f"awards-archive-{lang}")

    browser.get_by_role("link", name=this_year, exact=True).click()
    browser.wait_for_url(f"**/awards/{current['slug']}")
    assert browser.locator("h1").inner_text() == this_year
    assert browser.get_attribute("h1", "dir") == "auto"
    assert browser.locator("[data-testid=phase]").inner_text() == text(lang, "Open for nominations")
    names = browser.locator("[data-testid=category] h3").all_inner_texts()
    assert names[:4] == CATEGORIES[lang] and len(names) == 7
    timeline = browser.locator("[data-testid=timeline] li")
    assert timeline.count() == 10
    assert HIJRI[lang] in timeline.first.inner_text()
    call = browser.locator("[data-testid=call-to-action]")
    assert HIJRI[lang] in call.inner_text()
    sign_in = browser.locator("[data-testid=sign-in-to-nominate]")
    assert sign_in.inner_text() == text(lang, "Sign in to nominate")
    screenshot(browser, f"awards-cycle-{lang}")

    sign_in.click()
    browser.wait_for_url(re.compile(r"/login\?next="))
    assert f"/awards/{current['slug']}" in browser.url

    browser.goto(f"/awards/{last['slug']}")
    assert browser.locator("h1").inner_text() == last_year
    assert browser.locator("[data-testid=sign-in-to-nominate]").count() == 0
    screenshot(browser, f"awards-last-year-{lang}")
