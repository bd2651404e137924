"""A newcomer nominates a colleague in a real browser, in Arabic and in English: from this year's
cycle page they follow the call to nominate in a category, sign in on the way and come back to
the form; a work dated outside the category's window is refused on the form with everything
typed kept (the answer to the category's own question too, and the chosen file named to choose
again); the corrected nomination is submitted with a PDF and its answer, which its page shows,
the receipt mail carries the fingerprint the page showed, and the nomination is in "my
nominations", waiting for the nominee. Screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest

from core.i18n import gettext as _
from core.i18n import use_locale
from tests.e2e.conftest import Account, LiveServer, screenshot, sign_in
from tests.e2e.test_awards_public import demo_cycles
from tests.e2e.test_events_journey import pdf

FINGERPRINT = re.compile(r"\b[0-9a-f]{64}\b")
CATEGORY = {"ar": "الفيلم الوثائقي", "en": "Documentary"}
DIRECTIONS = {"ar": "rtl", "en": "ltr"}
# The demo documentary category's own question, answered in the reader's digits.
LENGTH = {"ar": "كم مدة الفيلم بالدقائق؟", "en": "How long is the film, in minutes?"}
MINUTES = {"ar": "٥٢", "en": "52"}
COLLEAGUE = {
    "ar": {
        "nominee_name_ar": "سارة المطيري",
        "nominee_name_en": "Sara Almutairi",
        "nominee_organization": "صحيفة الرياض",
        "work_title": "من يشرب الماء؟",
        "work_outlet": "صحيفة الرياض",
        "statement": "فيلم وثائقي عن صهاريج المياه في الأحياء الطرفية.",
    },
    "en": {
        "nominee_name_ar": "عمر الحربي",
        "nominee_name_en": "Omar Alharbi",
        "nominee_organization": "Gulf Screens",
        "work_title": "The last pearl divers",
        "work_outlet": "Gulf Screens",
        "statement": "A documentary about the last pearl divers of the Gulf.",
    },
}


def text(lang: str, message: str, **variables: Any) -> str:
    with use_locale(lang):
        return _(message, **variables)


def fill_nomination(page: Any, lang: str, email: str, published_on: str, file: bytes) -> None:
    for name, value in COLLEAGUE[lang].items():
        page.fill(f"#f-{name}", value)
    page.fill("#f-nominee_email", email)
    page.select_option("#f-relation", "colleague")
    page.fill("#f-work_published_on", published_on)
    page.fill("#f-work_links", f"https://media.example.sa/{lang}/documentary")
    page.get_by_label(LENGTH[lang]).fill(MINUTES[lang])
    notes = {"name": "film-notes.pdf", "mimeType": "application/pdf", "buffer": file}
    page.set_input_files("#f-files", files=[notes])


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_newcomer_nominates_a_colleague(
    page: Callable[..., Any],
    live_server: LiveServer,
    make_verified_user: Callable[..., Account],
    wait_for_mail: Callable[..., EmailMessage],
    lang: str,
) -> None:
    current = demo_cycles(live_server)[0]
    account = make_verified_user(lang)
    browser = page(lang, f"/awards/{current['slug']}?lang={lang}")
    assert browser.get_attribute("html", "dir") == DIRECTIONS[lang]
    call = browser.get_by_role(
        "link", name=text(lang, "Nominate in %(category)s", category=CATEGORY[lang])
    )
    call.click()
    browser.wait_for_url(re.compile(r"/login\?next="))
    browser.fill("#f-email", account.email)
    browser.fill("#f-password", account.password)
    browser.click("main form button[type=submit]")
    browser.wait_for_url(re.compile(rf"/awards/{current['slug']}/nominate/\d+$"))
    assert CATEGORY[lang] in browser.locator("h1").inner_text()
    screenshot(browser, f"awards-nominate-form-{lang}")

    # a work published before the category's window: refused on the form, nothing lost
    colleague = f"colleague-{lang}-{account.email}"
    fill_nomination(browser, lang, colleague, "2020-05-01", pdf("Film notes"))
    browser.get_by_test_id("submit").click()
    error = browser.locator("#e-work_published_on")
    assert error.is_visible()
    window = text(
        lang,
        "This category accepts works published from %(start)s to %(end)s; this work is dated "
        "%(day)s. Nothing was saved.",
        start="<",
        end="",
        day="",
    ).split("<")[0]
    assert error.inner_text().startswith(window) and "2020" in error.inner_text()
    assert browser.locator("#f-nominee_email").input_value() == colleague
    assert browser.locator("#f-statement").input_value() == COLLEAGUE[lang]["statement"]
    assert browser.get_by_label(LENGTH[lang]).input_value() == "52"  # the answer is kept
    assert "film-notes.pdf" in browser.get_by_test_id("choose-again-files").inner_text()
    screenshot(browser, f"awards-nominate-refused-{lang}")

    # corrected and submitted with the file
    recent = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    fill_nomination(browser, lang, colleague, recent, pdf("Film notes"))
    browser.get_by_test_id("submit").click()
    browser.wait_for_url(re.compile(r"/me/nominations/\d+$"))
    flashed = browser.locator("main .notice").first.inner_text()
    shown = FINGERPRINT.search(flashed)
    assert shown, flashed
    assert browser.get_by_test_id("state").inner_text() == text(
        lang, "Submitted: waiting for the nominee to accept"
    )
    assert browser.get_by_role("link", name="film-notes.pdf").is_visible()
    answers = browser.get_by_test_id("answers").inner_text()
    assert LENGTH[lang] in answers and "52" in answers
    screenshot(browser, f"awards-nomination-page-{lang}")

    receipt = wait_for_mail(account.email)
    assert shown.group(0) in receipt.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    wait_for_mail(colleague)  # the colleague is asked to accept

    browser.get_by_role("link", name=text(lang, "My nominations")).first.click()
    browser.wait_for_url("**/me/awards")
    card = browser.get_by_test_id("my-nomination").first
    assert COLLEAGUE[lang]["nominee_name_" + lang] in card.inner_text()
    assert CATEGORY[lang] in card.inner_text()
    assert text(lang, "Submitted: waiting for the nominee to accept") in card.inner_text()
    screenshot(browser, f"awards-my-nominations-{lang}")


def test_signed_in_the_cycle_page_invites_to_nominate_per_category(
    page: Callable[..., Any],
    live_server: LiveServer,
    make_verified_user: Callable[..., Account],
) -> None:
    current = demo_cycles(live_server)[0]
    account = make_verified_user("en")
    browser = page("en")
    sign_in(browser, account)
    browser.goto(f"/awards/{current['slug']}")
    assert browser.get_by_test_id("nominate").count() == 7
    assert browser.get_by_role("link", name="My nominations").first.is_visible()


DEMO_NOMINATOR = Account("participant2@manassa.local", "Manassa-demo-2026", "", "ar")
EVIDENCE = {"ar": "الأدلة المقدَّمة غير كافية", "en": "The evidence given is not sufficient"}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_nominator_reads_the_ruling_and_the_appeal_in_their_language(
    page: Callable[..., Any], live_server: LiveServer, lang: str
) -> None:
    """The demo's nomination ruled ineligible this year (and appealed) and last year's: each
    with its reason in the reader's language; no appeal button on either (one was appealed
    already, the other's appeal deadline passed long ago)."""
    browser = page(lang)
    sign_in(browser, DEMO_NOMINATOR)
    browser.goto(f"/me/awards?lang={lang}")
    cards = browser.get_by_test_id("my-nomination")
    appealed = cards.filter(has_text=EVIDENCE[lang])
    assert appealed.count() == 1
    assert text(lang, "Ineligible") in appealed.get_by_test_id("ruling").inner_text()
    assert appealed.get_by_test_id("appeal-state").inner_text() == text(
        lang, "Appeal filed: waiting for a decision"
    )
    assert browser.get_by_test_id("appeal").count() == 0
    screenshot(browser, f"awards-my-nominations-ruled-{lang}")
    appealed.get_by_role("link").first.click()
    browser.wait_for_url(re.compile(r"/me/nominations/\d+$"))
    assert EVIDENCE[lang] in browser.get_by_test_id("ruling").inner_text()
    screenshot(browser, f"awards-nomination-ruled-{lang}")
