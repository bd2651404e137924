"""The organizer's fraud review in a real browser, once in Arabic and once in English: the
public-vote page (turnout and the votes-per-hour plot), the review of a category whose vote has
closed, a flagged burst voided with a coded reason, and the review signed off, after which no
decision can be taken. Screenshots of each page go to tests/e2e/artifacts/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from itertools import count
from typing import Any
from urllib.parse import urlsplit

import pytest

from core.i18n import gettext, ngettext, use_locale
from tests.e2e.conftest import ROOT, Account, LiveServer, screenshot, server_env, sign_in

DEMO_PASSWORD = "Manassa-demo-2026"  # noqa: S105 - the demo's published password
DIRECTIONS = {"ar": "rtl", "en": "ltr"}
NOTE = {
    "ar": "خمسة أصوات من شبكة واحدة خلال ثوانٍ.",
    "en": "Five votes from one network within seconds.",
}
_runs = count(1)


def text(lang: str, message: str, **variables: Any) -> str:
    with use_locale(lang):
        return gettext(message, **variables)


def plural(lang: str, one: str, many: str, n: int) -> str:
    with use_locale(lang):
        return ngettext(one, many, n)


def seed(server: LiveServer, *args: str) -> dict[str, Any]:
    env = server_env(server.root, urlsplit(server.base_url).port or 80)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.e2e.award_fraud_seed", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def follow(locator: Any) -> None:
    with locator.page.expect_navigation():
        locator.click()


def flashes(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("main > p.notice[role=status]").all_inner_texts()]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_organizer_voids_a_flagged_burst_and_signs_off(
    page: Callable[..., Any], live_server: LiveServer, lang: str
) -> None:
    tag = f"{lang}-{os.getpid()}-{next(_runs)}"
    ready = seed(live_server, lang, tag)
    slug, category = ready["slug"], ready["category"]
    browser = page(lang, f"/?lang={lang}")
    sign_in(browser, Account("organizer@manassa.local", DEMO_PASSWORD, "organizer", lang))
    assert browser.get_attribute("html", "dir") == DIRECTIONS[lang]

    # 1. The public vote: turnout and the votes per hour, no finalist named.
    browser.goto(f"/awards/{slug}/manage/votes")
    card = browser.locator(f"[data-testid=turnout-{category}]")
    assert card.locator("[data-testid=votes]").inner_text().strip() in ("17", "١٧")
    assert card.locator("svg[role=img] title").count() >= 1
    assert "Omar Haddad" not in browser.content() and "عمر حداد" not in browser.content()
    screenshot(browser, f"award-fraud-votes-{lang}")

    # 2. The review: the burst is a cluster of five, all for one finalist, named now that
    # voting has closed; its sample voters are pseudonyms.
    follow(card.locator("[data-testid=review-link]"))
    cluster = browser.locator("[data-testid=cluster]").first
    assert text(lang, "Burst from one network") in cluster.locator("h3").inner_text()
    share = cluster.locator("[data-testid=share]").inner_text()
    assert ("Omar Haddad" if lang == "en" else "عمر حداد") in share
    samples = cluster.locator("[data-testid=samples] code").all_inner_texts()
    assert len(samples) == 5 and all(s.startswith("v-") for s in samples)
    screenshot(browser, f"award-fraud-review-{lang}")

    # 3. Void it with a coded reason and a note.
    cluster.locator("select[name=reason]").select_option("burst")
    cluster.locator("textarea[name=note]").fill(NOTE[lang])
    follow(cluster.locator("[data-testid=void]"))
    voided = plural(
        lang, "Voided: %(num)s vote no longer counts.", "Voided: %(num)s votes no longer count.", 5
    )
    assert voided in flashes(browser)
    decided = browser.locator("[data-testid=cluster]").first.locator("[data-testid=decision]")
    assert text(lang, "Burst from one address or network") in decided.inner_text()
    assert browser.locator("[data-testid=voided]").inner_text().strip() in ("5", "٥")
    screenshot(browser, f"award-fraud-voided-{lang}")

    # 4. Sign off: the decisions freeze, no form is left.
    follow(browser.locator("[data-testid=sign-off]"))
    assert text(lang, "The review is signed off: its decisions are final.") in flashes(browser)
    assert browser.locator("[data-testid=undo]").count() == 0
    assert browser.locator("[data-testid=void]").count() == 0
    screenshot(browser, f"award-fraud-signed-{lang}")
