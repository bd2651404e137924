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
        found = json.load(answer)["cycles"]
    # the demo's cycle with an open public vote (public-vote-<year>) is not one of these
    return [
        c
        for c in found
        if c["slug"].startswith("media-excellence-") and not c["slug"].endswith("-spring")
    ]


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


JURY_RUN = {  # each language judges its own category of last year's cycle, in a round of its own
    "ar": ("Documentary", "ذاكرة الحجر", "judge@manassa.local"),
    "en": ("AI-generated content", "حكايات مولَّدة", "judge@manassa.local"),
}


def follow(locator: Any) -> None:
    """Click and wait until the page it leads to has loaded."""
    with locator.page.expect_navigation():
        locator.click()


def flashes(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("main > p.notice[role=status]").all_inner_texts()]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_judge_scores_a_nomination_in_a_categorys_round(
    page: Callable[..., Any], live_server: LiveServer, lang: str
) -> None:
    _current, last = cycles(live_server)
    with urllib.request.urlopen(  # noqa: S310
        live_server.url(f"/api/v1/awards/{last['slug']}"), timeout=5
    ) as answer:
        cycle = json.load(answer)
    category_en, work, judge_email = JURY_RUN[lang]
    category = next(c for c in cycle["categories"] if c["name"]["en"] == category_en)
    organizer = page(lang)
    sign_in(organizer, ORGANIZER)
    organizer.goto(f"/awards/{last['slug']}/manage/jury?lang={lang}")
    follow(organizer.get_by_role("link", name=text(lang, "All judging rounds")))
    scope = organizer.url.split("?")[0]
    organizer.goto(f"{scope}/rounds/new?group={category['id']}")
    selected = organizer.locator("#f-group_key option:checked").inner_text()
    assert selected == category["name"][lang]
    round_name = {"ar": "نظرة ثانية", "en": "Second look"}[lang]
    organizer.fill(f"#f-name_{lang}", round_name)
    organizer.fill("#f-ends_at", "2099-01-01T21:00")
    organizer.fill("#f-judges_per_entry", "1")
    follow(organizer.locator("main form button[type=submit]"))
    assert flashes(organizer) == [text(lang, "The round has been created. Now write its rubric.")]
    for name, value in {
        "name_ar": "الأثر",
        "name_en": "Impact",
        "min_score": "1",
        "max_score": "10",
        "step": "1",
        "weight": "1",
    }.items():
        organizer.fill(f"#f-{name}", value)
    follow(organizer.get_by_role("button", name=text(lang, "Add the criterion")))
    follow(organizer.locator("nav.tabs").get_by_role("link", name=text(lang, "Overview")))
    assert organizer.get_by_test_id("round-group").inner_text() == category["name"][lang]
    follow(organizer.get_by_role("button", name=text(lang, "Bring in the submitted entries")))
    titles = organizer.get_by_test_id("entries").locator("tbody tr td:first-child")
    assert titles.all_inner_texts() == [work]  # only this category's nomination
    tab = organizer.locator("nav.tabs").get_by_role("link", name=text(lang, "Judges and progress"))
    follow(tab)
    follow(organizer.get_by_role("button", name=text(lang, "Assign judges")))
    follow(organizer.locator("nav.tabs").get_by_role("link", name=text(lang, "Overview")))
    follow(organizer.get_by_role("button", name=text(lang, "Open for scoring")))
    assert flashes(organizer) == [text(lang, "The round is open: judges can score now.")]

    for email in ("judge@manassa.local", "judge2@manassa.local"):  # whichever was assigned
        judge = page(lang)
        sign_in(judge, Account(email, ORGANIZER.password, "", lang))
        judge.goto(f"/judging/queue?lang={lang}")  # the page in this run's language
        ours = judge.get_by_test_id("queue-round").filter(has_text=round_name)
        link = ours.get_by_role("link", name=work, exact=True)
        if link.count() == 0:
            continue
        follow(link.first)
        assert judge.locator("h1").inner_text() == work
        judge.fill("#f-score_c1", "8")
        screenshot(judge, f"awards-judge-scores-{lang}")
        follow(judge.get_by_role("button", name=text(lang, "Submit scores")))
        assert flashes(judge) == [text(lang, "Your scores have been submitted.")]
        break
    else:
        pytest.fail(f"no demo judge has {work} in their queue ({judge_email} expected)")
