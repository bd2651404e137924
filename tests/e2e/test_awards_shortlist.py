"""The award's published shortlist in a real browser, in Arabic and in English: from last
year's cycle page (the demo's, judged and published) the public follows the link to the
shortlist and reads each category's nominees, their works and outlets; the organizer follows
the cycle's jury from its jury page to judging's round. Screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from core.i18n import gettext as _
from core.i18n import use_locale
from tests.e2e.conftest import Account, LiveServer, screenshot, sign_in

ORGANIZER = Account("organizer@manassa.local", "Manassa-demo-2026", "", "ar")
SHORTLISTED = {
    "ar": ("التحقيق الاستقصائي", "سارة المطيري", "من يشرب الماء؟", "صحيفة الرياض"),
    "en": ("Investigative report", "Sara Almutairi", "من يشرب الماء؟", "صحيفة الرياض"),
}
DIRECTIONS = {"ar": "rtl", "en": "ltr"}


def text(lang: str, message: str) -> str:
    with use_locale(lang):
        return _(message)


def cycles(server: LiveServer) -> list[dict[str, Any]]:
    with urllib.request.urlopen(server.url("/api/v1/awards"), timeout=5) as answer:  # noqa: S310
        return json.load(answer)["cycles"]


def status(server: LiveServer, path: str) -> int:
    try:
        with urllib.request.urlopen(server.url(path), timeout=5) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_public_reads_the_published_shortlist(
    page: Callable[..., Any], live_server: LiveServer, lang: str
) -> None:
    current, last = cycles(live_server)
    # this year's shortlist is not published: nobody sees it, not even in the API
    assert status(live_server, f"/awards/{current['slug']}/shortlist") == 404
    assert status(live_server, f"/api/v1/awards/{current['slug']}/shortlist") == 404
    assert status(live_server, f"/api/v1/awards/{last['slug']}/shortlist") == 200
    browser = page(lang, f"/awards/{last['slug']}?lang={lang}")
    link = browser.locator("[data-testid=shortlist-link]")
    assert link.inner_text() == text(lang, "See the shortlist")
    link.click()
    browser.wait_for_url(f"**/awards/{last['slug']}/shortlist")
    assert browser.get_attribute("html", "dir") == DIRECTIONS[lang]
    assert browser.locator("h1").inner_text() == text(lang, "The shortlist")
    category, nominee, work, outlet = SHORTLISTED[lang]
    first = browser.locator("[data-testid=shortlist-category]").first
    assert first.locator("h2").inner_text() == category
    shown = first.inner_text()
    assert nominee in shown and work in shown and outlet in shown
    assert browser.locator("[data-testid=shortlist-category]").count() == 5
    # user-written values keep their own direction
    assert first.locator("h3 bdi").first.get_attribute("dir") == "auto"
    screenshot(browser, f"awards-shortlist-{lang}")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_organizer_follows_a_categorys_jury_to_its_round(
    page: Callable[..., Any], live_server: LiveServer, lang: str
) -> None:
    _current, last = cycles(live_server)
    browser = page(lang)
    sign_in(browser, ORGANIZER)
    browser.goto(f"/awards/{last['slug']}?lang={lang}")
    browser.locator("[data-testid=jury-link]").click()
    browser.wait_for_url(f"**/awards/{last['slug']}/manage/jury")
    assert browser.locator("h1").inner_text() == text(lang, "Jury and shortlist")
    rows = browser.locator("[data-testid=jury-category]")
    assert rows.count() == 7
    first = rows.first.inner_text()
    assert text(lang, "Scoring closed") in first and text(lang, "Approved") in first
    state = browser.locator("[data-testid=shortlist-state]").inner_text()
    assert state.startswith(text(lang, "The shortlist was published on %(when)s.").split("%")[0])
    screenshot(browser, f"awards-jury-{lang}")
    rows.first.locator("td").nth(1).locator("a").click()
    browser.wait_for_url("**/judging/award_cycle/*/rounds/*")
    assert SHORTLISTED[lang][0] in browser.locator("h1").inner_text()
    screenshot(browser, f"awards-jury-round-{lang}")
