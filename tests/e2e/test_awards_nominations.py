"""The organizer's nominations pages in a real browser, in Arabic and in English, on this
year's demo cycle: the list, filtered by state and by likely duplicates, a nomination's detail
with its version and fingerprint, the screening dashboard, and the list on a phone (390 px),
where the table scrolls inside its own box. Screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from core.clock import now
from core.i18n import gettext as _
from core.i18n import use_locale
from tests.e2e.conftest import screenshot
from tests.e2e.test_events_journey import ORGANIZER

PHONE = {"width": 390, "height": 844}
SLUG = f"media-excellence-{now().year}"
FINGERPRINT = re.compile(r"\b[0-9a-f]{64}\b")


def text(lang: str, message: str) -> str:
    with use_locale(lang):
        return _(message)


def sign_in_as_organizer(page: Any) -> None:
    page.fill("#f-email", ORGANIZER.email)
    page.fill("#f-password", ORGANIZER.password)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=nav-profile]")


def rows(page: Any) -> Any:
    return page.get_by_test_id("nominations").locator("tbody tr")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_organizer_lists_filters_and_opens_a_nomination(
    page: Callable[..., Any], lang: str
) -> None:
    browser = page(lang, f"/login?lang={lang}")
    sign_in_as_organizer(browser)
    base = f"/awards/{SLUG}/manage/nominations"
    browser.goto(f"{base}?lang={lang}")
    assert browser.locator("html").get_attribute("lang") == lang
    assert browser.locator("h1").inner_text().startswith(text(lang, "Nominations"))
    everything = rows(browser).count()
    assert everything >= 5
    screenshot(browser, f"awards-nominations-{lang}")

    filters = browser.get_by_test_id("nomination-filters")
    filters.locator("#f-state").select_option("awaiting_nominee")
    filters.locator("button[type=submit]").click()
    browser.wait_for_url(re.compile(r"state=awaiting_nominee"))
    waiting = rows(browser).count()
    assert 0 < waiting < everything
    shown = rows(browser).all_inner_texts()
    assert any("Sara Almutairi" in row or "سارة المطيري" in row for row in shown)
    assert all(text(lang, "Waiting for the nominee") in row for row in shown)
    export = browser.get_by_test_id("export-link").get_attribute("href")
    assert export and export.endswith("nominations.csv?state=awaiting_nominee")
    screenshot(browser, f"awards-nominations-filtered-{lang}")

    browser.goto(f"{base}?lang={lang}")
    filters = browser.get_by_test_id("nomination-filters")
    filters.locator("input[name=duplicates]").check()
    filters.locator("button[type=submit]").click()
    browser.wait_for_url(re.compile(r"duplicates=1"))
    twins = " ".join(rows(browser).all_inner_texts())
    assert rows(browser).count() == 2
    assert "Abdullah Alharbi" in twins or "عبدالله الحربي" in twins
    screenshot(browser, f"awards-nominations-duplicates-{lang}")

    rows(browser).first.locator("a").first.click()
    browser.wait_for_url(re.compile(r"/manage/nominations/\d+$"))
    assert text(lang, "Nominee") in browser.locator("#h-nominee").inner_text()
    assert FINGERPRINT.search(browser.get_by_test_id("fingerprint").first.inner_text())
    assert browser.get_by_test_id("nominators").locator("tbody tr").count() >= 1
    assert browser.locator("h1").inner_text().startswith(text(lang, "Nomination %(id)s")[:4])
    screenshot(browser, f"awards-nomination-detail-{lang}")

    browser.get_by_role("link", name=text(lang, "Screening dashboard")).click()
    browser.wait_for_url(re.compile(r"/screening-dashboard"))
    table = browser.get_by_test_id("by-category")
    assert table.locator("tbody tr").count() >= 2
    assert browser.get_by_test_id("count-awaiting-nominee").inner_text().strip() not in ("", "0")
    screenshot(browser, f"awards-screening-dashboard-{lang}")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_nominations_table_scrolls_in_its_own_box_on_a_phone(
    page: Callable[..., Any], lang: str
) -> None:
    phone = page(lang, f"/login?lang={lang}")
    phone.set_viewport_size(PHONE)
    sign_in_as_organizer(phone)
    for path, testid in (
        (f"/awards/{SLUG}/manage/nominations", "nominations"),
        (f"/awards/{SLUG}/manage/screening-dashboard", "by-category"),
    ):
        phone.goto(f"{path}?lang={lang}")
        table = phone.get_by_test_id(testid)
        box = phone.locator(".table-scroll", has=table)
        assert box.get_attribute("tabindex") == "0"
        assert box.get_attribute("role") == "region"
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} ({lang}) is {width} px wide"
        for part in ("header.site-header", "footer.site-footer"):
            assert phone.locator(part).bounding_box()["width"] == PHONE["width"]
        screenshot(phone, f"phone-{lang}-awards-{testid}")
