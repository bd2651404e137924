"""The award's set-up in a real browser, in Arabic and in English.

- The organizer creates a cycle, adds a category, edits it (name, shortlist size, public vote,
  file types), publishes the cycle and the public sees the category; the cycle is put back to
  draft at the end, so the archive other journeys read stays the demo's.
- A nominee without an account opens the link from the mail (read from the development mail
  sink), creates an account on the way, confirms it, comes back to the nomination, accepts,
  and adds a biography and a photo.

Screenshots go to tests/e2e/artifacts/awards-*.png."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from core.i18n import gettext as _
from core.i18n import use_locale
from tests.e2e.conftest import (
    ROOT,
    Account,
    LiveServer,
    link_in,
    new_account,
    screenshot,
    server_env,
    sign_in,
)

ORGANIZER = Account("organizer@manassa.local", "Manassa-demo-2026", "نورة القحطاني", "ar")
DIRECTIONS = {"ar": "rtl", "en": "ltr"}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
CATEGORY = {
    "ar": ("الصحافة المحلية", "صحافة الأحياء"),
    "en": ("Local journalism", "Neighbourhood journalism"),
}
# The demo cycle's category each language's nominee is nominated in (awards/demo.py order).
SEED_CATEGORY = {"ar": 3, "en": 4}


def text(lang: str, message: str, **variables: Any) -> str:
    with use_locale(lang):
        return _(message, **variables)


def notice(page: Any) -> str:
    return page.locator("main .notice").first.inner_text().strip()


def heading(page: Any) -> str:
    return page.locator("h1").inner_text().strip()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_organizer_sets_up_a_category_and_publishes(
    page: Callable[..., Any], live_server: LiveServer, lang: str
) -> None:
    slug = f"e2e-award-{lang}-{os.getpid()}"
    browser = page(lang, f"/?lang={lang}")
    sign_in(browser, ORGANIZER)
    browser.goto(f"/awards/new?lang={lang}")
    assert browser.get_attribute("html", "dir") == DIRECTIONS[lang]
    assert heading(browser) == text(lang, "Create an award cycle")
    browser.fill("#f-slug", slug)
    browser.fill("#f-year", "2031")
    browser.fill("#f-name_ar", "جائزة التجربة 2031")
    browser.fill("#f-name_en", "Trial Award 2031")
    for name, when in (
        ("nominations_open", "2031-01-10T09:00"),
        ("nominations_close", "2031-02-10T09:00"),
        ("screening_ends", "2031-02-25T09:00"),
        ("appeals_close", "2031-03-05T09:00"),
    ):
        browser.fill(f"#f-{name}", when)
    browser.click("main form button[type=submit]")
    assert notice(browser) == text(
        lang, "The award cycle is created as a draft. Add its categories, then publish."
    )
    assert browser.get_by_test_id("visibility").inner_text() == text(lang, "Draft")

    browser.get_by_role("link", name=text(lang, "Categories"), exact=True).first.click()
    first, renamed = CATEGORY[lang]
    browser.fill("#f-name_ar" if lang == "ar" else "#f-name_en", first)
    browser.click("main form button[type=submit]")
    assert notice(browser) == text(lang, "The category has been added.")
    browser.get_by_role("link", name=first).click()
    assert heading(browser) == text(lang, "Edit the category")
    browser.fill("#f-name_ar" if lang == "ar" else "#f-name_en", renamed)
    browser.fill("#f-shortlist_size", "3")
    browser.check("input[name=public_vote]")
    browser.check("input[name=file_kinds][value=pdf]")
    screenshot(browser, f"awards-category-edit-{lang}")
    browser.click("main form button[type=submit]")
    assert notice(browser) == text(lang, "The category has been saved.")
    assert browser.get_by_test_id("category").inner_text().startswith(renamed)

    browser.get_by_role("link", name=text(lang, "Dashboard"), exact=True).click()
    browser.get_by_test_id("publish").click()
    assert notice(browser) == text(lang, "The award cycle is published.")
    assert browser.get_by_test_id("visibility").inner_text() == text(lang, "Published")
    screenshot(browser, f"awards-dashboard-{lang}")

    public = page(lang, f"/awards/{slug}?lang={lang}")
    card = public.get_by_test_id("category")
    assert card.locator("h3").inner_text() == renamed
    assert card.get_by_test_id("public-vote").inner_text() == text(
        lang, "Yes: the public votes on the shortlist"
    )
    assert "PDF" in card.get_by_test_id("files").inner_text()
    screenshot(public, f"awards-published-cycle-{lang}")

    browser.get_by_test_id("unpublish").click()  # the archive stays the demo's for the others
    assert browser.get_by_test_id("visibility").inner_text() == text(lang, "Draft")


def seed_nomination(live_server: LiveServer, email: str, lang: str) -> None:
    """A demo nominator nominates `email` (through the service, in a child process on the live
    server's database); the live server mails the nominee."""
    port = urlsplit(live_server.base_url).port
    assert port is not None
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.e2e.awards_seed", email, lang, str(SEED_CATEGORY[lang])],
        cwd=ROOT,
        env=server_env(live_server.root, port),
        check=True,
        capture_output=True,
    )


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_nominee_opens_the_mail_signs_up_on_the_way_and_accepts(
    page: Callable[..., Any],
    live_server: LiveServer,
    wait_for_mail: Callable[..., Any],
    lang: str,
) -> None:
    nominee = new_account(lang)
    seed_nomination(live_server, nominee.email, lang)
    mail = wait_for_mail(nominee.email)
    link = link_in(mail)
    assert link.startswith(live_server.base_url + "/awards/media-excellence-")
    assert "/accept/" in link

    browser = page(lang)
    browser.goto(link)
    assert browser.get_attribute("html", "dir") == DIRECTIONS[lang]
    assert heading(browser) == text(lang, "Your nomination")
    facts = browser.get_by_test_id("nomination").inner_text()
    assert ("المدينة التي لا تنام" if lang == "ar" else "The city that never sleeps") in facts
    assert browser.get_by_test_id("nominators").inner_text().strip()
    screenshot(browser, f"awards-nominee-link-{lang}")

    browser.get_by_test_id("sign-up-to-accept").click()
    assert heading(browser) == text(lang, "Create account")
    browser.fill("#f-name", nominee.name)
    browser.fill("#f-email", nominee.email)
    browser.fill("#f-password", nominee.password)
    browser.fill("#f-password_confirm", nominee.password)
    browser.select_option("#f-language", lang)
    browser.click("main form button[type=submit]")
    assert heading(browser) == text(lang, "Check your inbox")
    confirm = wait_for_mail(nominee.email, text(lang, "Confirm your e-mail address on Manassa"))
    browser.goto(link_in(confirm))
    browser.fill("#f-password", nominee.password)
    browser.click("main form button[type=submit]")
    # back on the nomination, signed in
    assert heading(browser) == text(lang, "Your nomination")
    browser.get_by_test_id("accept").click()
    assert heading(browser) == text(lang, "Complete your nomination")
    assert notice(browser) == text(
        lang,
        "Thank you: you have accepted the nomination. You may add a biography, a photo and files.",
    )
    browser.fill("#f-biography", "صحفية منذ عشر سنوات." if lang == "ar" else "A reporter.")
    browser.set_input_files(
        "#f-photo", files=[{"name": "me.png", "mimeType": "image/png", "buffer": PNG}]
    )
    browser.click("main form button[type=submit]")
    assert notice(browser) == text(lang, "Your additions to the nomination have been saved.")
    assert browser.get_by_test_id("photo").is_visible()
    screenshot(browser, f"awards-nominee-complete-{lang}")
    # the link worked once
    browser.goto(link)
    assert text(lang, "This link was already used.") in browser.locator("main").inner_text()
