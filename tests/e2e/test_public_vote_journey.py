"""The public vote in a real browser, in Arabic and in English: a visitor on the shortlist of
the demo's cycle whose public vote is open follows a category's Vote action, enters an e-mail,
reads the 6-digit code from the mail sink, verifies, votes, then changes the vote. No count is
shown anywhere. Screenshots go to tests/e2e/artifacts/."""

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

CODE = re.compile(r"\b(\d{6})\b")
DIRECTIONS = {"ar": "rtl", "en": "ltr"}


def text(lang: str, message: str, **values: Any) -> str:
    with use_locale(lang):
        return _(message, **values)


def vote_slug(server: LiveServer) -> str:
    with urllib.request.urlopen(server.url("/api/v1/awards"), timeout=5) as answer:  # noqa: S310
        cycles = json.load(answer)["cycles"]
    return next(c["slug"] for c in cycles if c["slug"].startswith("public-vote-"))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_visitor_verifies_by_code_votes_and_changes_the_vote(
    page: Callable[..., Any],
    live_server: LiveServer,
    wait_for_mail: Callable[..., Any],
    lang: str,
) -> None:
    slug = vote_slug(live_server)
    browser = page(lang, f"/awards/{slug}/shortlist?lang={lang}")
    category = browser.locator("[data-testid=shortlist-category]").first
    name = category.locator("h2").inner_text()
    action = category.locator("[data-testid=vote-action]")
    assert action.inner_text() == text(lang, "Vote")
    action.click()
    browser.wait_for_url(re.compile(r"/vote\?category=\d+$"))
    assert browser.get_attribute("html", "dir") == DIRECTIONS[lang]
    assert browser.locator("h1").inner_text() == text(lang, "Public vote")
    screenshot(browser, f"public-vote-email-{lang}")

    address = f"visitor.{lang}@example.org"
    browser.fill("#f-email", address)
    browser.locator("[data-testid=send-code]").click()
    browser.wait_for_selector("#f-code")
    mail = wait_for_mail(address)
    code = CODE.search(str(mail["Subject"])).group(1)
    assert str(mail["Subject"]) == text(lang, "Your code to vote: %(code)s", code=code)
    screenshot(browser, f"public-vote-code-{lang}")
    browser.fill("#f-code", code)
    browser.locator("[data-testid=verify-code]").click()

    # back on the category's ballot, verified
    browser.wait_for_selector("[data-testid=cast-vote]")
    assert browser.locator("h1").inner_text() == name
    finalists = browser.locator("[data-testid=finalist]")
    assert finalists.count() == 3
    first = finalists.nth(0).locator("strong").inner_text()
    second = finalists.nth(1).locator("strong").inner_text()
    screenshot(browser, f"public-vote-ballot-{lang}")
    finalists.nth(0).locator("input").check()
    browser.locator("[data-testid=cast-vote]").click()
    browser.wait_for_selector("[data-testid=my-vote]")
    mine = browser.locator("[data-testid=my-vote]").inner_text()
    assert first in mine and second not in mine
    assert text(lang, "Your vote for %(name)s is recorded.", name=first) in browser.content()
    screenshot(browser, f"public-vote-voted-{lang}")

    finalists.nth(1).locator("input").check()
    browser.locator("[data-testid=cast-vote]").click()
    browser.wait_for_selector(f"[data-testid=my-vote]:has-text('{second}')")
    changed = text(lang, "Your vote is changed: you now vote for %(name)s.", name=second)
    assert changed in browser.content()
    assert finalists.nth(1).locator("input").is_checked()
    screenshot(browser, f"public-vote-changed-{lang}")

    # the vote page lists every category with the visitor's own choice, and no count
    browser.goto(f"/awards/{slug}/vote")
    listed = browser.locator("[data-testid=vote-category]")
    assert listed.count() == 2
    assert second in listed.first.locator("[data-testid=my-vote]").inner_text()
    assert listed.nth(1).locator("[data-testid=my-vote]").count() == 0
    screenshot(browser, f"public-vote-categories-{lang}")
