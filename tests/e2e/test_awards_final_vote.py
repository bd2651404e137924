"""The jury's final vote in a real browser, in Arabic and in English: the organizer declares a
category's counting method before voting opens (this year's demo cycle) and finds the rules of
the spring edition, whose vote is open, locked, with the jurors' turnout and no standings; a
juror reaches the ballot from their own page, ranks the finalists (a form without script),
then changes the ranking. Screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from core.i18n import gettext as _
from core.i18n import use_locale
from tests.e2e.conftest import Account, LiveServer, screenshot, sign_in

PASSWORD = "Manassa-demo-2026"  # noqa: S105 - the demo accounts' password
ORGANIZER = Account("organizer@manassa.local", PASSWORD, "", "ar")
# each language's juror of the spring edition: judge2 has not voted yet, judge has
JURORS = {"ar": "judge2@manassa.local", "en": "judge@manassa.local"}
YEAR = dt.datetime.now(dt.UTC).year
SPRING = f"media-excellence-{YEAR}-spring"
CURRENT = f"media-excellence-{YEAR}"


def text(lang: str, message: str, **values: Any) -> str:
    with use_locale(lang):
        return _(message, **values)


def follow(locator: Any) -> None:
    """Click and wait until the page it leads to has loaded."""
    with locator.page.expect_navigation():
        locator.click()


def flashes(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("main > p.notice[role=status]").all_inner_texts()]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_organizer_declares_the_method_before_voting_and_finds_it_locked_after(
    page: Callable[..., Any], live_server: LiveServer, lang: str
) -> None:
    browser = page(lang)
    sign_in(browser, ORGANIZER)
    browser.goto(f"/awards/{CURRENT}/manage/voting?lang={lang}")
    assert browser.locator("h1").inner_text() == text(lang, "Final vote")
    chain = browser.locator("[data-testid=tie-chain] li").all_inner_texts()
    assert len(chain) == 3
    section = browser.locator("[data-testid=vote-category]").first
    section.locator("summary").click()  # the form opens under the declared rules
    method = "borda" if lang == "ar" else "dowdall"
    section.locator(f"input[name=method][value={method}]").check()
    section.locator("select[name=weight]").select_option("70")
    section.locator("input[name=quorum]").fill("2")
    follow(section.locator("button[type=submit]"))
    assert flashes(browser) == [
        text(lang, "The rules of the final vote in this category are saved.")
    ]
    section = browser.locator("[data-testid=vote-category]").first
    declared = section.locator("[data-testid=vote-rules]").inner_text()
    assert text(lang, {"borda": "Borda", "dowdall": "Dowdall"}[method]) in declared
    assert section.locator(f"input[name=method][value={method}]").is_checked()
    assert section.locator("select[name=weight]").input_value() == "70"
    screenshot(browser, f"awards-vote-rules-{lang}")
    # the spring edition's vote is open: its rules are locked, the turnout shows, no standings
    browser.goto(f"/awards/{SPRING}/manage/voting?lang={lang}")
    assert browser.locator("[data-testid=voting-locked]").is_visible()
    assert browser.locator("[data-testid=vote-rules-form]").count() == 0
    turnout = browser.locator("[data-testid=vote-turnout]").first.inner_text()
    assert (
        text(lang, "Ballots cast: %(cast)s of %(seats)s jurors", cast="1", seats="2").split("1")[0]
        in turnout
    )
    screenshot(browser, f"awards-vote-rules-locked-{lang}")


def _receipt_version(browser: Any) -> int:
    receipt = browser.locator("[data-testid=ballot-receipt]")
    if not receipt.count():
        return 0
    found = re.findall(r"\d+|[٠-٩]+", receipt.locator("p").first.inner_text())
    return int(found[-1].translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")))


def _rank(browser: Any, order: list[int]) -> list[str]:
    """Give the finalists (by their position on the form) ranks 1, 2 ...; the rest none.
    Returns the ranked finalists' labels in rank order."""
    fields = browser.locator("[data-testid=ballot-rank]")
    labels = []
    for position in range(fields.count()):
        rank = order.index(position) + 1 if position in order else None
        fields.nth(position).select_option(str(rank) if rank else "")
    for position in order:
        field_id = fields.nth(position).get_attribute("id")
        labels.append(browser.locator(f"label[for={field_id}]").inner_text())
    return labels


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_juror_ranks_the_finalists_then_changes_the_ranking(
    page: Callable[..., Any], live_server: LiveServer, lang: str
) -> None:
    browser = page(lang)
    sign_in(browser, Account(JURORS[lang], PASSWORD, "", lang))
    browser.goto(f"/me/awards?lang={lang}")
    mine = browser.locator("[data-testid=my-final-vote]")
    # the demo's open public vote has a jury too: this journey takes the spring edition's
    follow(mine.locator(f"a[href*='/awards/{SPRING}/ballot']").first)
    browser.wait_for_url(f"**/awards/{SPRING}/ballot*")
    assert browser.locator("h1").inner_text() == text(lang, "Your final vote")
    follow(browser.locator("[data-testid=ballot-category] a").first)
    assert browser.locator("[data-testid=ballot-form]").is_visible()
    assert browser.locator("main script").count() == 0
    before = _receipt_version(browser)
    count = browser.locator("[data-testid=ballot-rank]").count()
    assert count >= 3
    if lang == "ar":  # judge2 nominated one of the finalists: it is left out of the ballot
        assert browser.locator("[data-testid=ballot-left-out]").is_visible()
    first = _rank(browser, [1, 0])
    follow(browser.locator("[data-testid=ballot-form] button[type=submit]"))
    assert flashes(browser) == [
        text(lang, "Your ballot is saved (version %(version)s).", version=before + 1)
    ]
    saved = browser.locator("[data-testid=ballot-saved] li").all_inner_texts()
    assert [s.replace("\u2068", "").replace("\u2069", "") for s in saved] == [
        f.replace("\u2068", "").replace("\u2069", "") for f in first
    ]
    screenshot(browser, f"awards-ballot-saved-{lang}")
    # a duplicate rank is refused, in the juror's language, and changes nothing
    fields = browser.locator("[data-testid=ballot-rank]")
    fields.nth(0).select_option("1")
    fields.nth(1).select_option("1")
    follow(browser.locator("[data-testid=ballot-form] button[type=submit]"))
    error = browser.locator("[data-testid=ballot-error]").inner_text()
    assert error == text(lang, "Two finalists have the same rank: give each rank to one finalist.")
    screenshot(browser, f"awards-ballot-refused-{lang}")
    # the juror changes the ranking: a new version, the last one counts
    second = _rank(browser, list(reversed(range(count))))
    follow(browser.locator("[data-testid=ballot-form] button[type=submit]"))
    assert flashes(browser) == [
        text(lang, "Your ballot is saved (version %(version)s).", version=before + 2)
    ]
    assert _receipt_version(browser) == before + 2
    saved = browser.locator("[data-testid=ballot-saved] li").all_inner_texts()
    assert len(saved) == len(second) == count
    screenshot(browser, f"awards-ballot-changed-{lang}")
