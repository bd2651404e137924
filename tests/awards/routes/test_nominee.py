"""The nominee's pages: the link from the mail (in the nominee's language), accepting after
signing up on the way, declining (the nominators are told by mail), a link used twice,
expired, altered or of another cycle (a clear message, nothing changed), and completing the
nomination with a biography, a photo checked by content and more files."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from accounts.models import User
from awards.enums import NominationState
from awards.models import Nomination, NominationFile
from awards.services.nominations import save_nomination
from core import clock
from core.audit import AuditEntry
from core.storage import StoredFile
from tests.accounts.helpers import GOOD_PASSWORD, sign_up
from tests.awards.factories import DAY, colleague, make_category, make_cycle
from tests.conftest import body, first_link, post_form
from tests.events.factories import text_of
from tests.factories import make_user, sign_in

NOMINEE = "sara1@news.example.sa"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def pages_choose_their_language():  # noqa: ANN201
    """Pages take their language from the request (the award tests' English default is for
    services only)."""
    yield


async def _nominated(settings, deliver, **category_fields):  # noqa: ANN001, ANN003, ANN202
    cycle = await make_cycle(
        name_ar="جائزة التميز الإعلامي 2026", name_en="Media Excellence Award 2026"
    )
    category = await make_category(
        cycle, name_ar="التحقيق الاستقصائي", name_en="Investigative report", **category_fields
    )
    nominator = await make_user(
        "nominator@example.org", language="en", name_ar="خالد العتيبي", name_en="Khalid Alotaibi"
    )
    saved = await save_nomination(settings, nominator, category, colleague(), submit=True)
    mail = next(m for m in await deliver() if m["To"] == NOMINEE)
    return cycle, saved.nomination, mail


def _path(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def _state(nomination: Nomination) -> NominationState:
    return (await Nomination.get(id=nomination.id)).state


async def test_the_mail_in_arabic_leads_to_the_page_showing_the_nomination(
    client, settings, deliver
):
    cycle, nomination, mail = await _nominated(settings, deliver)
    link = first_link(mail)
    assert link.startswith(f"http://testserver/awards/{cycle.slug}/accept/")
    assert "التحقيق الاستقصائي" in body(mail)  # the nominee's language: Arabic
    response = await client.get(_path(link))
    assert response.status_code == 200
    page = response.text
    assert '<html lang="ar" dir="rtl">' in page
    text = text_of(page)
    assert "ترشيحك" in text
    assert "الفئة التحقيق الاستقصائي" in text
    assert "العمل Who drinks the water? 1 (Al-Riyadh Daily)" in text
    assert "رشّحه خالد العتيبي" in text
    assert "سجّل الدخول لقبول الترشيح" in text
    assert f"/login?lang=ar&amp;next=/awards/{cycle.slug}/accept/" in page
    english = text_of((await client.get(_path(link) + "?lang=en")).text)
    assert "Category Investigative report" in english
    assert "Nominated by Khalid Alotaibi" in english
    assert await _state(nomination) == NominationState.AWAITING_NOMINEE


async def test_an_english_nominee_reads_the_page_in_english_unless_they_choose(
    client, settings, deliver
):
    cycle = await make_cycle()
    category = await make_category(cycle, name_en="Podcast", name_ar="البودكاست")
    nominator = await make_user(language="ar")
    await save_nomination(
        settings, nominator, category, colleague(nominee_language="en"), submit=True
    )
    mail = next(m for m in await deliver() if m["To"] == NOMINEE)
    assert "Podcast" in body(mail)
    here = _path(first_link(mail))
    page = (await client.get(here)).text
    assert '<html lang="en" dir="ltr">' in page
    assert "Category Podcast" in text_of(page)
    assert f"/signup?lang=en&amp;next=/awards/{cycle.slug}/accept/" in page
    chosen = (await client.get(here + "?lang=ar")).text
    assert '<html lang="ar" dir="rtl">' in chosen and "الفئة البودكاست" in text_of(chosen)


async def test_the_mails_link_follows_the_servers_port_when_no_base_url_is_set(
    client, settings, deliver
):
    served = settings.replace(base_url="", server_host="127.0.0.1", server_port=8765)
    assert served.base_url == "http://127.0.0.1:8765"
    cycle = await make_cycle()
    category = await make_category(cycle)
    nominator = await make_user(language="en")
    await save_nomination(served, nominator, category, colleague(), submit=True)
    mail = next(m for m in await deliver() if m["To"] == NOMINEE)
    link = first_link(mail)
    assert link.startswith(f"http://127.0.0.1:8765/awards/{cycle.slug}/accept/")
    # the same link on this app's address opens the nominee's page
    response = await client.get(
        _path(link) + "?lang=en",
    )
    assert response.status_code == 200
    assert "Your nomination" in text_of(response.text)


async def test_a_newcomer_signs_up_on_the_way_comes_back_and_accepts(client, settings, deliver):
    cycle, nomination, mail = await _nominated(settings, deliver)
    here = _path(first_link(mail))
    # pressing "accept" signed out leads to signing in, then back to the page (not the POST)
    refused = await post_form(client, f"{here}/answer", {"answer": "accept"}, page=here)
    assert refused.status_code == 303
    assert refused.headers["location"].endswith(f"/login?next={here.replace('/', '%2F')}")
    assert await _state(nomination) == NominationState.AWAITING_NOMINEE
    # the sign-up carries the page through the confirmation mail
    signed = await sign_up(client, NOMINEE, name="سارة المطيري", next=here)
    assert "تحقّق من بريدك الوارد" in text_of(signed.text)
    confirm = next(m for m in await deliver() if m["To"] == NOMINEE and m is not mail)
    verified = await client.get(_path(first_link(confirm)))
    assert verified.status_code == 303
    assert "next=%2Fawards%2F" in verified.headers["location"]
    user = await User.get(email=NOMINEE)
    await sign_in(client, user, password=GOOD_PASSWORD)
    response = await client.get(here)
    text = text_of(response.text)
    assert "قبول الترشيح" in text and "الاعتذار عن الترشيح" in text
    accepted = await post_form(client, f"{here}/answer", {"answer": "accept"}, page=here)
    assert accepted.status_code == 303
    assert accepted.headers["location"] == (
        f"http://testserver/awards/{cycle.slug}/nominee/{nomination.id}"
    )
    row = await Nomination.get(id=nomination.id)
    assert row.state == NominationState.SUBMITTED and row.nominee_user_id == user.id
    done = await client.get(accepted.headers["location"])
    assert "شكرًا لك: قبلت الترشيح." in text_of(done.text)
    assert "أكمل ترشيحك" in text_of(done.text)


async def test_declining_without_an_account_tells_the_nominators(client, settings, deliver):
    _cycle, nomination, mail = await _nominated(settings, deliver)
    here = _path(first_link(mail))
    response = await post_form(client, f"{here}/answer", {"answer": "decline"}, page=here)
    assert response.status_code == 200
    assert "اعتذرت عن الترشيح. خرج من الجائزة وأُبلغ من رشّحك." in text_of(response.text)
    assert await _state(nomination) == NominationState.DECLINED
    told = [m for m in await deliver() if m["To"] == "nominator@example.org"]
    declined = [m for m in told if "declined" in str(m["Subject"]).lower()]
    assert declined, [str(m["Subject"]) for m in told]
    assert "Sara Almutairi 1" in body(declined[0])
    assert (await AuditEntry.get(action="awards.nominee_decline")).actor_id is None


async def test_a_link_used_twice_says_so_and_changes_nothing(client, settings, deliver):
    _cycle, nomination, mail = await _nominated(settings, deliver)
    here = _path(first_link(mail))
    await post_form(client, f"{here}/answer", {"answer": "decline"}, page=here)
    again = await client.get(here + "?lang=en")
    assert again.status_code == 400
    text = text_of(again.text)
    assert "This link was already used." in text and "Nothing was changed." in text
    accept = await post_form(client, f"{here}/answer", {"answer": "accept"}, page="/login")
    assert accept.status_code == 400
    assert "This link was already used." in text_of(accept.text)
    assert await _state(nomination) == NominationState.DECLINED


async def test_an_expired_link_says_so_and_changes_nothing(client, settings, deliver):
    _cycle, nomination, mail = await _nominated(settings, deliver)
    here = _path(first_link(mail))
    clock.travel(dt.timedelta(days=31))
    response = await client.get(here + "?lang=en")
    assert response.status_code == 400
    assert "This link has expired." in text_of(response.text)
    refused = await post_form(client, f"{here}/answer?lang=en", {"answer": "decline"})
    assert refused.status_code == 400
    assert "This link has expired." in text_of(refused.text)
    assert await _state(nomination) == NominationState.AWAITING_NOMINEE


async def test_after_the_grace_period_the_page_says_when_the_time_ended(client, settings, deliver):
    _cycle, nomination, mail = await _nominated(settings, deliver)
    here = _path(first_link(mail))
    clock.travel(23 * DAY + dt.timedelta(seconds=1))
    response = await client.get(here + "?lang=en")
    assert response.status_code == 409
    assert "The time to answer this nomination ended on " in text_of(response.text)
    assert await _state(nomination) == NominationState.AWAITING_NOMINEE


@pytest.mark.parametrize("alter", ["tail", "garbage", "other_cycle"])
async def test_an_altered_link_says_so_and_changes_nothing(client, settings, deliver, alter):
    cycle, nomination, mail = await _nominated(settings, deliver)
    here = _path(first_link(mail))
    token = here.rsplit("/", 1)[1]
    if alter == "tail":
        bad = here[:-2] + ("AA" if not here.endswith("AA") else "BB")
    elif alter == "garbage":
        bad = f"/awards/{cycle.slug}/accept/not-a-token"
    else:  # a genuine token under another published cycle's address
        other = await make_cycle()
        bad = f"/awards/{other.slug}/accept/{token}"
    response = await client.get(bad + "?lang=en")
    assert response.status_code == 400
    text = text_of(response.text)
    assert "This link is not valid. Use the link exactly as it came in the mail." in text
    assert "Accept the nomination" not in text
    posted = await post_form(client, f"{bad}/answer?lang=en", {"answer": "decline"})
    assert posted.status_code == 400
    assert await _state(nomination) == NominationState.AWAITING_NOMINEE


async def test_an_answer_that_is_neither_accept_nor_decline_changes_nothing(
    client, settings, deliver
):
    _cycle, nomination, mail = await _nominated(settings, deliver)
    here = _path(first_link(mail))
    response = await post_form(client, f"{here}/answer?lang=en", {"answer": "maybe"})
    assert response.status_code == 422
    assert "Choose to accept or to decline." in text_of(response.text)
    assert await _state(nomination) == NominationState.AWAITING_NOMINEE


async def _accepted(client, settings, deliver, **category_fields):  # noqa: ANN001, ANN003, ANN202
    cycle, nomination, mail = await _nominated(settings, deliver, **category_fields)
    here = _path(first_link(mail))
    nominee = await make_user(NOMINEE, language="en")
    await sign_in(client, nominee)
    response = await post_form(client, f"{here}/answer", {"answer": "accept"}, page=here)
    assert response.status_code == 303
    return cycle, nomination, response.headers["location"]


async def _upload(client, url: str, files: list, biography: str = "") -> object:  # noqa: ANN001
    page = await client.get(url)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return await client.post(
        url, data={"csrf_token": token, "biography": biography}, files=files or None
    )


async def test_the_nominee_adds_a_biography_a_photo_and_a_file(client, settings, deliver):
    _cycle, nomination, url = await _accepted(
        client, settings, deliver, max_files=2, file_kinds=["pdf"]
    )
    saved = await _upload(
        client,
        url,
        [("photo", ("me.png", PNG, "image/png")), ("files", ("cv.pdf", PDF, "application/pdf"))],
        biography="صحفية استقصائية منذ عشر سنوات.",
    )
    assert saved.status_code == 303
    row = await Nomination.get(id=nomination.id)
    assert row.nominee_biography == "صحفية استقصائية منذ عشر سنوات."
    photo = await StoredFile.get(id=row.nominee_photo_id)
    assert (photo.kind, photo.owner_id) == ("png", row.nominee_user_id)
    files = await NominationFile.filter(nomination_id=row.id).select_related("file")
    assert [f.file.original_name for f in files] == ["cv.pdf"]
    page = text_of((await client.get(url + "?lang=en")).text)
    assert "Your additions to the nomination have been saved." in page
    assert "cv.pdf" in page and "Your photo" in page
    entry = await AuditEntry.get(action="awards.nominee_complete")
    assert entry.actor_id == row.nominee_user_id


async def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_kept(
    client, settings, deliver
):
    _cycle, nomination, url = await _accepted(client, settings, deliver, max_files=2)
    files_before = await StoredFile.all().count()
    refused = await _upload(
        client,
        url + "?lang=en",
        [
            ("photo", ("me.png", PDF, "image/png")),  # a PDF calling itself a PNG
            ("files", ("cv.pdf", PDF, "application/pdf")),
        ],
        biography="A new biography",
    )
    assert refused.status_code == 422
    assert "This type of file is not accepted. Accepted: " in text_of(refused.text)
    assert '<p class="error" id="e-photo">This type of file is not accepted.' in refused.text
    assert "A new biography" in refused.text  # what was typed stays
    row = await Nomination.get(id=nomination.id)
    assert row.nominee_biography == "" and row.nominee_photo_id is None
    assert await StoredFile.all().count() == files_before
    assert await NominationFile.filter(nomination_id=row.id).count() == 0


async def test_more_files_than_the_category_takes_are_refused(client, settings, deliver):
    _cycle, nomination, url = await _accepted(client, settings, deliver, max_files=1)
    refused = await _upload(
        client,
        url + "?lang=en",
        [
            ("files", ("a.pdf", PDF, "application/pdf")),
            ("files", ("b.pdf", PDF, "application/pdf")),
        ],
    )
    assert refused.status_code == 422
    assert "This category takes at most 1 files; the nomination has 0." in text_of(refused.text)
    assert await NominationFile.filter(nomination_id=nomination.id).count() == 0


async def test_only_the_nominee_who_accepted_may_complete_and_only_in_time(
    client, settings, deliver
):
    _cycle, _nomination, url = await _accepted(client, settings, deliver)
    assert (await client.get(url)).status_code == 200
    clock.travel(23 * DAY + dt.timedelta(seconds=1))  # past the acceptance deadline
    assert (await client.get(url)).status_code == 404
    clock.reset()
    await client.post("/logout", data={})
    client.cookies.clear()
    await sign_in(client, await make_user())
    assert (await client.get(url)).status_code == 404
