"""The award's results in a real browser, in Arabic and in English: the organizer counts a
cycle whose voting has closed, reads a category's report (the rounds, the public counts after
the fraud review, the blend, the sensitivity heat map and its table), writes the winner's
citations in both languages, approves and publishes; the public, which saw nothing before,
reads the winner, the citation and the fingerprint, downloads the bundle, and the bundle
recounts to MATCH. Screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from awards.recount import recount
from core.i18n import gettext as _
from core.i18n import use_locale
from tests.e2e.conftest import ROOT, Account, LiveServer, screenshot, server_env, sign_in

ORGANIZER = Account("organizer@manassa.local", "Manassa-demo-2026", "", "ar")
CITATIONS = {
    "ar": "لتحقيق صبور كشف أين تذهب مياه المدينة.",
    "en": "For a patient investigation into where the city's water goes.",
}


def text(lang: str, message: str, **variables: Any) -> str:
    with use_locale(lang):
        return _(message, **variables)


def seed(server: LiveServer, *args: str) -> dict[str, Any]:
    env = server_env(server.root, urlsplit(server.base_url).port or 80)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.e2e.award_results_seed", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def status(server: LiveServer, path: str) -> int:
    try:
        with urllib.request.urlopen(server.url(path), timeout=5) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def follow(locator: Any) -> None:
    with locator.page.expect_navigation():
        locator.click()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_organizer_publishes_the_results_and_the_public_recounts_them(
    page: Callable[..., Any], live_server: LiveServer, lang: str, tmp_path: Any
) -> None:
    seeded = seed(live_server, lang)
    try:
        journey(page, live_server, lang, tmp_path, seeded)
    finally:  # the other journeys count the demo's published cycles
        seed(live_server, "--hide", seeded["slug"])


def journey(
    page: Callable[..., Any], live_server: LiveServer, lang: str, tmp_path: Any, seeded: Any
) -> None:
    slug, category = seeded["slug"], seeded["category"]
    winner = seeded["winner"][0 if lang == "ar" else 1]
    public_paths = [
        f"/awards/{slug}/results",
        f"/awards/{slug}/results/bundle.zip",
        f"/awards/{slug}/results/categories/{category}",
        f"/api/v1/awards/{slug}/results",
    ]
    assert [status(live_server, p) for p in public_paths] == [404] * 4

    organizer = page(lang)
    sign_in(organizer, ORGANIZER)
    organizer.goto(f"/awards/{slug}/manage/results?lang={lang}")
    assert organizer.locator("h1").inner_text() == text(lang, "Results")
    follow(organizer.locator("[data-testid=results-count]"))
    fingerprint = organizer.locator("[data-testid=results-fingerprint] code").inner_text()
    assert len(fingerprint) == 64
    follow(organizer.locator("[data-testid=results-category] a"))
    assert winner in organizer.locator("[data-testid=report-winner]").inner_text()
    rounds = organizer.locator("[data-testid=report-rounds]")
    assert rounds.is_visible() and rounds.locator("tbody tr").count() >= 1
    assert organizer.locator("[data-testid=heat-map]").is_visible()
    assert organizer.locator("[data-testid=sensitivity-table] tbody tr").count() == 3
    assert organizer.locator("[data-testid=report-voided]").inner_text().strip() != ""
    screenshot(organizer, f"award-results-report-{lang}")
    organizer.locator("#f-citation_ar").fill(CITATIONS["ar"])
    organizer.locator("#f-citation_en").fill(CITATIONS["en"])
    follow(organizer.locator("[data-testid=citations-save]"))
    assert text(lang, "The citations are saved.") in organizer.locator("main").inner_text()
    organizer.goto(f"/awards/{slug}/manage/results?lang={lang}")
    follow(organizer.locator("[data-testid=results-approve]"))
    # approved, not yet published: still nothing for the public
    assert status(live_server, public_paths[0]) == 404
    screenshot(organizer, f"award-results-approved-{lang}")
    follow(organizer.locator("[data-testid=results-publish-now]"))
    assert organizer.locator("[data-testid=results-state] a").is_visible()

    public = page(lang, f"/awards/{slug}/results?lang={lang}")
    assert public.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert public.locator("h1").inner_text() == text(lang, "The winners")
    assert winner in public.locator("[data-testid=result-winner]").inner_text()
    assert public.locator("[data-testid=result-citation]").inner_text() == CITATIONS[lang]
    assert public.locator("[data-testid=results-fingerprint] code").inner_text() == fingerprint
    screenshot(public, f"award-results-public-{lang}")
    with public.expect_download() as download:
        public.locator("[data-testid=results-bundle]").click()
    saved = tmp_path / "bundle.zip"
    download.value.save_as(saved)
    assert recount(saved.read_bytes()) == fingerprint  # MATCH
    follow(public.locator("[data-testid=result-category] a").last)
    assert public.locator("[data-testid=report-sensitivity]").is_visible()
    screenshot(public, f"award-results-public-report-{lang}")
