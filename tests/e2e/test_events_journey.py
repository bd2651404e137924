"""The Mediathon in a real browser, in Arabic and in English: a newcomer signs up from the public
event page, confirms the address, registers, creates a team and invites a second newcomer who
accepts from the mail; the team submits its idea with a PDF, edits it and submits again, and gets
the receipts; then the organizer finds the submission, reads its versions and exports the CSV."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from core.i18n import gettext as _
from core.i18n import ngettext, use_locale
from events.demo import CURRENT
from tests.e2e.conftest import Account, link_in, new_account, screenshot

EVENT_URL = f"/events/{CURRENT}"
EVENT_TITLE = {"ar": "ميدياثون 2026", "en": "Mediathon 2026"}
DIRECTIONS = {"ar": "rtl", "en": "ltr"}
ORGANIZER = Account("organizer@manassa.local", "Manassa-demo-2026", "نورة القحطاني", "ar")
HEARD_FROM = {"ar": "الجامعة أو جهة العمل", "en": "University or workplace"}
FIELD_OF_WORK = {"ar": "مجال عملك أو دراستك", "en": "Your field of work or study"}
FINGERPRINT = re.compile(r"\b[0-9a-f]{64}\b")
IDEA = {
    "ar": {
        "title": "راوي الحي",
        "summary": "منصة قصص صوتية يصنعها سكان الحي عن أحيائهم.",
        "problem": "أخبار الأحياء الصغيرة لا تجد من يرويها.",
        "solution": "تطبيق يسجّل القصص ويحرّرها ويرسلها إلى الإذاعات المحلية.",
        "audience": "سكان الأحياء والإذاعات المحلية.",
        "summary_2": "منصة قصص صوتية قصيرة يصنعها سكان الحي ويتحقق منها محررون.",
    },
    "en": {
        "title": "Street Narrator",
        "summary": "Audio stories made by residents about their own streets.",
        "problem": "Small neighbourhoods have no one to tell their news.",
        "solution": "An app that records, edits and sends stories to local radio.",
        "audience": "Residents and local radio stations.",
        "summary_2": "Short audio stories made by residents and checked by editors.",
    },
}


def text(lang: str, message: str, **variables: Any) -> str:
    """What the site says in that language (the catalogs are the source of truth)."""
    with use_locale(lang):
        return _(message, **variables)


def plural(lang: str, singular: str, many: str, n: int) -> str:
    with use_locale(lang):
        return ngettext(singular, many, n)


def notice(page: Any) -> str:
    return page.locator("main .notice").first.inner_text().strip()


def heading(page: Any) -> str:
    return page.locator("h1").inner_text().strip()


def assert_language(page: Any, lang: str) -> None:
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (lang, DIRECTIONS[lang])


def pdf(title: str) -> bytes:
    """A small, valid one-page PDF showing `title` (ASCII)."""
    stream = b"BT /F1 18 Tf 72 720 Td (" + title.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- steps -----------------------------------------------------------------------------------


def sign_up_here(page: Any, account: Account) -> None:
    """Fill the sign-up form the page is on (it keeps where the person was going)."""
    assert heading(page) == text(account.lang, "Create account")
    page.fill("#f-name", account.name)
    page.fill("#f-email", account.email)
    page.fill("#f-password", account.password)
    page.fill("#f-password_confirm", account.password)
    page.select_option("#f-language", account.lang)
    page.click("main form button[type=submit]")
    assert heading(page) == text(account.lang, "Check your inbox")


def confirm_and_sign_in(page: Any, account: Account, wait_for_mail: Callable) -> None:
    mail = wait_for_mail(
        account.email, text(account.lang, "Confirm your e-mail address on Manassa")
    )
    page.goto(link_in(mail))
    assert notice(page) == text(
        account.lang, "Your e-mail address is confirmed. You can sign in now."
    )
    assert page.locator("#f-email").input_value() == account.email
    page.fill("#f-password", account.password)
    page.click("main form button[type=submit]")
    assert page.get_by_test_id("nav-profile").inner_text() == account.name


def register(page: Any, lang: str, field_of_work: str) -> None:
    assert heading(page) == text(lang, "Register for %(event)s", event=EVENT_TITLE[lang])
    page.get_by_role("radio", name=HEARD_FROM[lang]).check()
    page.get_by_label(FIELD_OF_WORK[lang]).fill(field_of_work)
    page.locator("main form button[type=submit]").first.click()


def submit_idea(page: Any, lang: str, summary: str, *, attachment: bytes | None) -> str:
    """Fill (or change) the idea, submit it, and return the fingerprint the page shows."""
    idea = IDEA[lang]
    for name in ("title", "problem", "solution", "audience"):
        page.fill(f"#f-{name}", idea[name])
    page.fill("#f-summary", summary)
    page.get_by_role("radio", name=text(lang, "Yes")).check()
    if attachment is not None:
        page.set_input_files(
            "#f-attachments",
            files=[
                {"name": "street-narrator.pdf", "mimeType": "application/pdf", "buffer": attachment}
            ],
        )
    page.get_by_role("button", name=text(lang, "Submit"), exact=True).click()
    shown = FINGERPRINT.search(notice(page))
    assert shown, notice(page)
    return shown.group(0)


def receipt(wait_for_mail: Callable, account: Account, team: str, number: int) -> EmailMessage:
    subject = text(account.lang, "Receipt: %(team)s submitted version %(n)s", team=team, n=number)
    return wait_for_mail(account.email, subject)


def plain(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


# --- the journey -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_mediathon_from_sign_up_to_the_organizer_export(  # noqa: PLR0915 - one story
    lang: str, page: Callable, wait_for_mail: Callable
) -> None:
    step = f"events-{lang}"
    run = os.getpid() % 10000  # the two languages' teams differ by name already
    team = f"رواة الأفق {run}" if lang == "ar" else f"Horizon Crew {run}"
    captain, teammate = new_account(lang), new_account(lang)
    idea = IDEA[lang]

    # the public event page invites a visitor to register
    visitor = page(lang, f"{EVENT_URL}?lang={lang}")
    assert_language(visitor, lang)
    assert heading(visitor) == EVENT_TITLE[lang]
    assert visitor.get_by_test_id("phase").inner_text() == text(lang, "Open for submissions")
    call = visitor.get_by_test_id("call-to-action")
    assert call.get_by_role("link", name=text(lang, "Sign in to register")).is_visible()
    screenshot(visitor, f"{step}-01-event-page")

    # a newcomer signs up there, confirms the address and lands on the registration form
    call.get_by_role("link", name=text(lang, "Create account")).click()
    sign_up_here(visitor, captain)
    confirm_and_sign_in(visitor, captain, wait_for_mail)
    assert_language(visitor, lang)
    screenshot(visitor, f"{step}-02-registration-form")
    register(visitor, lang, "Journalism" if lang == "en" else "الصحافة")
    assert notice(visitor) == text(
        lang, "You are registered for %(event)s.", event=EVENT_TITLE[lang]
    )
    assert call.locator(".notice-success").inner_text() == text(
        lang, "You are registered for this event."
    )
    assert wait_for_mail(captain.email)["Subject"]  # the registration is confirmed by mail
    screenshot(visitor, f"{step}-03-registered")

    # creates a team and invites a second newcomer by e-mail
    call.get_by_role("link", name=text(lang, "Create a team")).click()
    assert heading(visitor) == text(lang, "Create a team")
    visitor.fill("#f-name", team)
    visitor.select_option(
        "#f-track", label="الإعلام الرقمي للشباب" if lang == "ar" else "Digital media for youth"
    )
    visitor.click("main form button[type=submit]")
    assert notice(visitor) == text(
        lang, "Your team %(team)s is ready. Invite your teammates.", team=team
    )
    assert heading(visitor) == text(lang, "Team %(team)s", team=team)
    assert (
        plural(
            lang,
            "Your team needs %(num)s more member before it can submit.",
            "Your team needs %(num)s more members before it can submit.",
            1,
        )
        in visitor.locator("main").inner_text()
    )
    screenshot(visitor, f"{step}-04-team-created")
    visitor.fill("#f-email", teammate.email)
    visitor.get_by_role("button", name=text(lang, "Send the invitation")).click()
    assert notice(visitor) == text(
        lang, "An invitation is on its way to %(email)s.", email=teammate.email
    )
    screenshot(visitor, f"{step}-05-invited")

    # the teammate opens the mail, creates an account from the invitation and accepts
    invitation = wait_for_mail(teammate.email)
    assert team in invitation["Subject"] and team in plain(invitation)
    mate = page(lang, f"/?lang={lang}")
    mate.goto(link_in(invitation))
    assert heading(mate) == text(lang, "Team invitation")
    screenshot(mate, f"{step}-06-invitation")
    mate.locator("main").get_by_role("link", name=text(lang, "Create account")).click()
    sign_up_here(mate, teammate)
    confirm_and_sign_in(mate, teammate, wait_for_mail)
    assert heading(mate) == text(lang, "Team invitation")  # back where the mail led
    mate.get_by_role("button", name=text(lang, "Accept and join the team")).click()
    # the event asks a required question: register first, and that finishes the acceptance
    assert notice(mate) == text(lang, "Register for the event first, then come back to join.")
    assert mate.get_by_test_id("accepting").inner_text() == text(
        lang, "Once you are registered, you join the team that invited you."
    )
    register(mate, lang, "Design" if lang == "en" else "التصميم")
    assert (
        text(lang, "Welcome to team %(team)s.", team=team)
        in mate.locator("main .notice").all_inner_texts()
    )
    assert mate.locator(".member-list").inner_text().count("@example.org") == 2
    screenshot(mate, f"{step}-07-joined")

    # the captain submits the idea with a PDF
    visitor.goto(visitor.url)
    assert teammate.name in visitor.locator(".member-list").inner_text()
    visitor.get_by_role("link", name=text(lang, "Start your idea")).click()
    assert heading(visitor) == text(lang, "Your idea")
    assert visitor.locator("#f-track").input_value() != ""  # the team's track is preselected
    first = submit_idea(visitor, lang, idea["summary"], attachment=pdf("Street Narrator"))
    assert notice(visitor) == text(
        lang,
        "Version %(n)s is submitted. Fingerprint: %(fp)s. A receipt is on its way to every member.",
        n=1,
        fp=first,
    )
    assert visitor.get_by_test_id("submission-state").inner_text() == text(lang, "Submitted")
    assert "street-narrator.pdf" in visitor.locator("#h-submission + dl").inner_text()
    screenshot(visitor, f"{step}-08-submitted")
    for person in (captain, teammate):
        mail = plain(receipt(wait_for_mail, person, team, 1))
        assert first in mail and "street-narrator.pdf" in mail

    # edits it and submits again: a second version with its own receipt
    visitor.get_by_role("link", name=text(lang, "Edit the idea")).click()
    assert visitor.locator("#f-summary").input_value() == idea["summary"]
    screenshot(visitor, f"{step}-09-editing")
    second = submit_idea(visitor, lang, idea["summary_2"], attachment=None)
    assert second != first
    assert notice(visitor) == text(
        lang,
        "Version %(n)s is submitted. Fingerprint: %(fp)s. A receipt is on its way to every member.",
        n=2,
        fp=second,
    )
    versions = visitor.locator("ol.versions > li")
    assert versions.count() == 2
    assert text(lang, "Version %(n)s", n=2) in versions.first.inner_text()
    assert (
        text(lang, "Changed: %(fields)s.", fields=text(lang, "Summary"))
        in versions.first.inner_text()
    )
    screenshot(visitor, f"{step}-10-resubmitted")
    mail = receipt(wait_for_mail, captain, team, 2)
    assert second in plain(mail)
    assert text(lang, "Fingerprint (SHA-256) of what was submitted:") in plain(mail)
    receipt(wait_for_mail, teammate, team, 2)

    # the participant dashboard shows the team and the submission's state
    visitor.get_by_role("link", name=text(lang, "My events")).click()
    assert heading(visitor) == text(lang, "My events")
    card = visitor.locator("section.event-card").filter(has_text=EVENT_TITLE[lang])
    assert text(lang, "Team %(team)s", team=team) in card.inner_text()
    assert f"{text(lang, 'Submitted')} · {idea['title']}" in card.inner_text()
    screenshot(visitor, f"{step}-11-my-events")

    # the organizer finds the submission, reads its versions and exports the CSV
    organizer = page(lang, f"/login?lang={lang}")
    organizer.fill("#f-email", ORGANIZER.email)
    organizer.fill("#f-password", ORGANIZER.password)
    organizer.click("main form button[type=submit]")
    assert organizer.get_by_test_id("nav-profile").is_visible()
    organizer.goto(f"{EVENT_URL}/manage/submissions")
    assert_language(organizer, lang)
    organizer.fill("#f-q", team)
    organizer.get_by_role("button", name=text(lang, "Filter")).click()
    rows = organizer.get_by_test_id("submissions").locator("tbody tr")
    assert rows.count() == 1
    assert team in rows.first.inner_text() and text(lang, "Submitted") in rows.first.inner_text()
    screenshot(organizer, f"{step}-12-organizer-search")
    rows.first.get_by_role("link", name=idea["title"]).click()
    assert heading(organizer) == idea["title"]
    summaries = organizer.locator("details.version > summary")
    assert summaries.count() == 2
    assert text(lang, "Version %(n)s", n=2) in summaries.nth(0).inner_text()
    assert text(lang, "Version %(n)s", n=1) in summaries.nth(1).inner_text()
    assert second in organizer.locator("details.version").first.inner_text()
    screenshot(organizer, f"{step}-13-organizer-submission")
    organizer.get_by_role("link", name=text(lang, "Submissions"), exact=True).click()
    with organizer.expect_download() as download:
        organizer.get_by_role("link", name=text(lang, "Export (CSV)")).click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert team.encode() in data and second.encode() in data
