"""Screening an award in a real browser, once in Arabic and once in English: the organizer rules
a nomination ineligible with a coded reason (its nominator is told by mail); the nominator
appeals (filed through the service by the fixture) and the organizer upholds the appeal; then
the organizer confirms a likely duplicate, which lands among the merges with its undo button.
Screenshots of each page go to tests/e2e/artifacts/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from email.message import EmailMessage
from itertools import count
from typing import Any
from urllib.parse import urlsplit

import pytest

from core.i18n import gettext, ngettext, use_locale
from tests.e2e.conftest import ROOT, Account, LiveServer, screenshot, server_env, sign_in

DEMO_PASSWORD = "Manassa-demo-2026"  # noqa: S105 - the demo's published password
DIRECTIONS = {"ar": "rtl", "en": "ltr"}
REASON = {"ar": "الأدلة المقدَّمة غير كافية", "en": "The evidence given is not sufficient"}
NOTE = {"ar": "لا يظهر في الروابط إلا جزء من العمل.", "en": "The links show only part of the work."}
_runs = count(1)


def text(lang: str, message: str, **variables: Any) -> str:
    with use_locale(lang):
        return gettext(message, **variables)


def seed(server: LiveServer, *args: str) -> dict[str, Any]:
    """Run the seed module against the live server's database (tests/e2e/award_screening_seed)."""
    env = server_env(server.root, urlsplit(server.base_url).port or 80)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.e2e.award_screening_seed", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def flashes(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("main > p.notice[role=status]").all_inner_texts()]


def follow(locator: Any) -> None:
    with locator.page.expect_navigation():
        locator.click()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_organizer_screens_decides_an_appeal_and_merges_a_duplicate(
    page: Callable[..., Any],
    live_server: LiveServer,
    wait_for_mail: Callable[..., EmailMessage],
    lang: str,
) -> None:
    tag = f"{lang}-{os.getpid()}-{next(_runs)}"
    ready = seed(live_server, "setup", lang, tag)
    slug, ruled, kept, twin = ready["slug"], ready["ruled"], ready["kept"], ready["twin"]
    browser = page(lang, f"/?lang={lang}")
    sign_in(browser, Account("organizer@manassa.local", DEMO_PASSWORD, "organizer", lang))
    assert browser.get_attribute("html", "dir") == DIRECTIONS[lang]

    # 1. The queue: the self-nomination waits on a ruling; rule it ineligible with a reason.
    browser.goto(f"/awards/{slug}/manage/screening")
    row = browser.locator(f"[data-testid=nomination-{ruled}]")
    assert "عقود الظل" in row.inner_text()
    screenshot(browser, f"award-screening-queue-{lang}")
    form = browser.locator(f"[data-testid=rule-{ruled}]")
    form.locator("select[name=ruling]").select_option("ineligible")
    reason = form.locator("select[name=reason]")
    assert f"EVIDENCE · {REASON[lang]}" in reason.inner_text()
    reason.select_option("EVIDENCE")
    form.locator("input[name=note]").fill(NOTE[lang])
    follow(form.get_by_role("button"))
    with use_locale(lang):
        ruled_message = ngettext(
            "%(num)s nomination ruled ineligible; its nominators are told by mail.",
            "%(num)s nominations ruled ineligible; their nominators are told by mail.",
            1,
        )
    assert flashes(browser) == [ruled_message]
    assert browser.locator(f"[data-testid=nomination-{ruled}]").count() == 0
    screenshot(browser, f"award-screening-ruled-{lang}")
    nominee = "Hind Alsubaie" if lang == "en" else "هند السبيعي"
    subject = text(lang, "Your nomination of %(nominee)s was ruled ineligible", nominee=nominee)
    mail = wait_for_mail(ready["nominator"], subject_contains=subject)
    told = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert REASON[lang] in told and NOTE[lang] in told

    # 2. The nominator appeals (through the service); the organizer upholds it.
    seed(live_server, "appeal", str(ruled), lang)
    browser.goto(f"/awards/{slug}/manage/appeals")
    card = browser.locator("li[data-testid^=appeal-]")
    assert card.count() == 1
    assert ready["statement"] in card.locator("[data-testid=statement]").inner_text()
    assert REASON[lang] in card.locator("[data-testid=original-ruling]").inner_text()
    screenshot(browser, f"award-screening-appeal-{lang}")
    follow(card.locator("[data-testid=uphold]"))
    assert flashes(browser) == [
        text(
            lang,
            "The appeal is upheld: the nomination is eligible. Its nominators are told by mail.",
        )
    ]
    assert browser.locator("li[data-testid^=appeal-]").count() == 0
    decided = browser.locator("[data-testid=decided]").inner_text()
    assert text(lang, "Upheld: the nomination is eligible") in decided
    screenshot(browser, f"award-screening-appeal-decided-{lang}")
    wait_for_mail(
        ready["nominator"],
        subject_contains=text(lang, "Your appeal for %(nominee)s was decided", nominee=nominee),
    )

    # 3. Two nominations of the same journalist under two addresses: confirm the duplicate.
    browser.goto(f"/awards/{slug}/manage/duplicates")
    pair = browser.locator(f"[data-testid=pair-{kept}-{twin}]")
    side_by_side = pair.inner_text()
    for value in ("Sara Almutairi", "Sara Al-Mutairi", "سارة المطيري", "ساره المطيري"):
        assert value in side_by_side
    assert text(lang, "similar nominee names") in side_by_side
    screenshot(browser, f"award-screening-duplicates-{lang}")
    follow(pair.locator(f"[data-testid=merge-into-{kept}]"))
    assert flashes(browser) == [
        text(
            lang,
            "Nomination %(merged)s is merged into nomination %(kept)s; every nominator is "
            "credited.",
            merged=twin,
            kept=kept,
        )
    ]
    merges = browser.locator("[data-testid=merges]")
    assert text(lang, "Confirmed by an organizer") in merges.inner_text()
    assert merges.get_by_role("button", name=text(lang, "Undo this merge")).count() == 1
    assert browser.locator(f"[data-testid=pair-{kept}-{twin}]").count() == 0
    screenshot(browser, f"award-screening-merged-{lang}")
