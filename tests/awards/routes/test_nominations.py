"""The organizer's nominations pages: the list with its search, filters and pages in a fixed
number of queries, one nomination with every file and its history, the CSV export that Excel
opens in Arabic, the screening dashboard, and a mail to a chosen group."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re

import pytest

from awards.enums import NominationState, NomineeType, Ruling
from awards.models import Nomination, NominationCredit, NominationFile, ShortlistedNomination
from awards.services import acceptance, duplicates, screening
from awards.services.nominations import save_nomination
from core import clock
from core.i18n import gettext, use_locale
from core.mail.models import OutboxMessage
from core.storage import StoredFile, upload_dir
from tests.awards.factories import DAY, colleague, make_category, make_cycle
from tests.conftest import body, post_form
from tests.events.factories import QueryCounter, text_of
from tests.factories import make_user, sign_in

TO_SCREENING = 25 * DAY  # from day 10 (nominations) to day 35 (screening)


@pytest.fixture(autouse=True)
def arabic_by_default():  # noqa: ANN201
    """Pages take their language from the request (the signed-in person's)."""
    yield


async def organizer_of(client, language="en", **fields):  # noqa: ANN001, ANN003, ANN201
    organizer = await make_user(language=language, name_en="Olfa Organizer")
    cycle = await make_cycle(organizer=organizer, **fields)
    await sign_in(client, organizer)
    return cycle, organizer


async def nominate(cycle, category, n, state=NominationState.SUBMITTED, nominator=None, **fields):  # noqa: ANN001, ANN003, ANN201
    """A nomination row and its credit, written directly (the list reads what is stored)."""
    nominator = nominator or await make_user(name_en=f"Nominator {n}", name_ar=f"مرشّح {n}")
    values = {
        "nominee_name_ar": f"مرشح رقم {n}",
        "nominee_name_en": f"Nominee number {n}",
        "nominee_email": f"nominee{n}@example.org",
        "work_title": f"Work {n}",
        "work_outlet": "Gulf Today",
        "nominee_language": "en",
        **fields,
    }
    row = await Nomination.create(
        cycle=cycle,
        category=category,
        created_by=nominator,
        state=state,
        submitted_at=clock.now() if state != NominationState.DRAFT else None,
        version_count=1,
        **values,
    )
    await NominationCredit.create(nomination=row, user=nominator)
    return row


def rows_of(html: str) -> int:
    table = re.search(r'<table class="table" data-testid="nominations">(.*?)</table>', html, re.S)
    return table.group(1).count("<tr>") - 1 if table else 0


async def test_search_filters_and_pages(client):
    cycle, _organizer = await organizer_of(client)
    people = await make_category(cycle, name_en="Personality", nominee_type=NomineeType.INDIVIDUAL)
    houses = await make_category(cycle, name_en="Newsroom", nominee_type=NomineeType.INSTITUTION)
    reem = await make_user(name_en="Reem Alharbi", name_ar="ريم الحربي")
    await nominate(
        cycle, people, 1, nominee_name_ar="سارة المطيري", nominee_name_en="Sara Almutairi"
    )
    await nominate(cycle, people, 2, work_title="Who drinks the water?", nominator=reem)
    await nominate(
        cycle, houses, 3, state=NominationState.AWAITING_NOMINEE, work_outlet="Al Waha Radio"
    )
    await nominate(cycle, people, 4, state=NominationState.INELIGIBLE)
    base = f"/awards/{cycle.slug}/manage/nominations"

    async def shown(query: str) -> str:
        response = await client.get(base + query)
        assert response.status_code == 200
        return text_of(response.text)

    everything = await shown("")
    assert "Nominations (4)" in everything
    assert "Sara Almutairi" in everything and "Reem Alharbi" in everything
    assert (await shown("?q=سارة")).count("Sara Almutairi") == 1  # the Arabic name
    text = await shown("?q=almutairi")  # the English name, any case
    assert "Sara Almutairi" in text and "Nominee number 2" not in text
    text = await shown("?q=drinks")  # the work's title
    assert "Nominee number 2" in text and "Sara Almutairi" not in text
    text = await shown("?q=waha")  # the outlet
    assert "Nominee number 3" in text and "Nominee number 2" not in text
    text = await shown("?q=Reem")  # the nominator
    assert "Nominee number 2" in text and "Nominee number 4" not in text
    text = await shown("?state=awaiting_nominee")
    assert "Nominee number 3" in text and "Nominee number 2" not in text
    text = await shown(f"?category={houses.id}")
    assert "Nominations (1)" in text and "Nominee number 3" in text
    text = await shown("?nominee_type=individual")
    assert "Nominations (3)" in text and "Nominee number 3" not in text
    text = await shown("?state=ineligible&q=Sara")
    assert "No nomination matches." in text
    # nonsense in the query string is ignored, never an error
    text = await shown("?state=nope&category=x&nominee_type=%3Cb%3E&page=-3")
    assert "Nominations (4)" in text
    for n in range(5, 60):
        await nominate(cycle, houses, n)
    first = await client.get(base)
    assert rows_of(first.text) == 50 and "Page 1 of 2" in text_of(first.text)
    second = await client.get(base + f"?category={houses.id}&page=2")
    assert "Page 2 of 2" in text_of(second.text) and rows_of(second.text) == 6
    assert f"?category={houses.id}&page=1" in second.text  # the pager keeps the filter


async def test_likely_duplicates_are_a_filter(client):
    cycle, _organizer = await organizer_of(client)
    category = await make_category(cycle)
    blank = {"nominee_name_en": "", "work_title": ""}
    one = await nominate(cycle, category, 1, nominee_name_ar="محمد الحربي", **blank)
    two = await nominate(cycle, category, 2, nominee_name_ar="مُحمّد الحربى", **blank)
    await nominate(cycle, category, 3, nominee_name_ar="ليلى حسن", **blank)
    assert await duplicates.likely_duplicates(cycle)  # the matching itself is tested elsewhere
    response = await client.get(f"/awards/{cycle.slug}/manage/nominations?duplicates=1")
    text = text_of(response.text)
    assert "Nominations (2)" in text
    assert "محمد الحربي" in text and "مُحمّد الحربى" in text and "ليلى" not in text
    assert f"/nominations/{two.id}" in response.text and f"/nominations/{one.id}" in response.text


async def page_queries(client, url: str) -> int:  # noqa: ANN001
    with QueryCounter() as counter:
        response = await client.get(url)
    assert response.status_code == 200
    return counter.count


async def test_the_list_runs_the_same_queries_for_5_and_55_nominations(client):
    cycle, _organizer = await organizer_of(client)
    category = await make_category(cycle)
    await nominate(cycle, category, 0, nominee_name_en="Mohammed Al-Harbi")
    await nominate(cycle, category, 1, nominee_name_en="Mohammed Alharbi")
    for n in range(2, 5):
        await nominate(cycle, category, n)
    base = f"/awards/{cycle.slug}/manage/nominations"
    urls = (base, base + "?q=Nominee", base + "?duplicates=1", base + "?state=submitted")
    few = [await page_queries(client, url) for url in urls]
    for n in range(5, 55):
        extra = await make_user()
        row = await nominate(cycle, category, n)
        await NominationCredit.create(nomination=row, user=extra)  # two nominators each
    many = [await page_queries(client, url) for url in urls]
    assert rows_of((await client.get(base)).text) == 50
    assert many == few
    assert max(few) <= 12, few
    dashboard = f"/awards/{cycle.slug}/manage/screening-dashboard"
    export = f"/awards/{cycle.slug}/manage/nominations.csv"
    assert await page_queries(client, dashboard) <= 8
    assert await page_queries(client, export) <= 8


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 (Arabic) right
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


async def test_the_export_follows_the_filter_in_the_readers_language(client):
    cycle, _organizer = await organizer_of(client, language="ar", time_zone="Asia/Riyadh")
    category = await make_category(cycle, name_ar="البودكاست", name_en="Podcast")
    other = await make_category(cycle, name_ar="التصوير", name_en="Photography")
    row = await nominate(
        cycle,
        category,
        1,
        nominee_name_ar="=سارة المطيري",
        nominee_name_en="Sara",
        work_title="+SUM(A1)",
        work_published_on=dt.date(2026, 3, 1),
        work_links=["https://example.org/a", "https://example.org/b"],
    )
    row.submitted_at = dt.datetime(2026, 3, 2, 21, 30, tzinfo=dt.UTC)
    await row.save()
    await nominate(cycle, other, 2)
    response = await client.get(
        f"/awards/{cycle.slug}/manage/nominations.csv?category={category.id}"
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    rows = read_csv(response.content)
    assert len(rows) == 2  # the header and the one nomination the filter shows
    header, line = rows
    with use_locale("ar"):
        assert header[0] == "رقم" and header[1] == "الفئة"
        # the nominators' columns in the organizer's language (they once read "NamedPersons")
        assert gettext("Nominators") in header and gettext("Nominators' e-mails") in header
        assert gettext("Nominators") != "Nominators"
    cells = dict(zip(header, line, strict=True))
    assert line[0] == str(row.id)
    assert line[1] == "البودكاست"
    assert "'=سارة المطيري" in line  # a formula is neutralized
    assert "'+SUM(A1)" in line
    assert "2026-03-01" in line  # ISO dates
    assert "2026-03-03T00:30:00+03:00" in line  # in the cycle's time zone
    assert "https://example.org/a https://example.org/b" in line
    assert len(cells) == len(header)
    # the page's export link carries the filter
    page = await client.get(f"/awards/{cycle.slug}/manage/nominations?category={other.id}")
    assert f"nominations.csv?category={other.id}" in page.text


async def stored(settings, name: str, data: bytes) -> StoredFile:  # noqa: ANN001
    directory = upload_dir(settings)
    directory.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(name.encode()).hexdigest()[:32]
    (directory / key).write_bytes(data)
    return await StoredFile.create(
        key=key,
        original_name=name,
        kind="pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        purpose="awards.nomination",
    )


async def test_the_detail_shows_every_field_file_nominator_version_and_ruling(client, settings):
    cycle, organizer = await organizer_of(client)
    category = await make_category(cycle, name_en="Investigation", max_files=3)
    first = await make_user("first@example.org", name_en="Faisal First", language="en")
    second = await make_user("second@example.org", name_en="Salma Second", language="en")
    proof = await stored(settings, "تحقيق.pdf", b"%PDF-1.4 the proof")
    saved = await save_nomination(
        settings, first, category, colleague(7, nominee_language="en"), files=[proof], submit=True
    )
    row = saved.nomination
    again = await save_nomination(settings, second, category, colleague(7), submit=True)
    assert again.merged_into is not None and again.merged_into.id == row.id
    token = acceptance.make_token(settings, await Nomination.get(id=row.id))
    await acceptance.answer(settings, token, accept=True)
    clock.travel(TO_SCREENING)
    await screening.rule(
        settings, organizer, cycle, [row.id], ruling=Ruling.INELIGIBLE, reason_code="EVIDENCE"
    )
    appeal = await screening.file_appeal(
        settings, first, await Nomination.get(id=row.id), statement="The file proves it."
    )
    await screening.decide_appeal(settings, organizer, appeal, upheld=True, note="Agreed.")
    url = f"/awards/{cycle.slug}/manage/nominations/{row.id}"
    response = await client.get(url)
    assert response.status_code == 200
    text = text_of(response.text)
    for seen in (
        "Sara Almutairi 7",
        "سارة المطيري 7",
        "sara7@news.example.sa",
        "Al-Riyadh Daily",
        "Who drinks the water? 7",
        "https://news.example.sa/water-7",
        "A year-long investigation into water tankers.",
        "Faisal First",
        "Salma Second",
        f"merged from nomination {again.nomination.id}",
        "Accepted",
        "Version 1",
        saved.version.fingerprint,
        "EVIDENCE",
        "The evidence is insufficient",
        "The file proves it.",
        "Upheld",
        "Agreed.",
        "The same nominee e-mail",
        "Nomination screened",
        "Appeal sent",
        "Appeal decided",
        "Nominee accepted the nomination",
        "Eligible",
    ):
        assert seen in text, seen
    nominee_file = await NominationFile.get(nomination_id=row.id)
    link = f"{url}/files/{nominee_file.id}"
    assert link in response.text
    download = await client.get(link)
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 the proof"
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["cache-control"] == "private, no-store"
    # a file through another nomination's path, or a number that is no file: 404
    merged = f"/awards/{cycle.slug}/manage/nominations/{again.nomination.id}"
    assert (await client.get(f"{merged}/files/{nominee_file.id}")).status_code == 404
    assert (await client.get(f"{url}/files/999999")).status_code == 404
    # the merged nomination points to the one kept
    text = text_of((await client.get(merged)).text)
    assert f"Merged into nomination {row.id}" in text and "Salma Second" in text


async def test_another_cycles_nomination_and_organizer_see_nothing(client, settings):
    cycle, _organizer = await organizer_of(client)
    other_cycle = await make_cycle()
    row = await nominate(other_cycle, await make_category(other_cycle), 1)
    proof = await stored(settings, "a.pdf", b"%PDF-1.4 secret")
    link = await NominationFile.create(nomination=row, file=proof)
    base = f"/awards/{cycle.slug}/manage/nominations/{row.id}"
    assert (await client.get(base)).status_code == 404
    assert (await client.get(f"{base}/files/{link.id}")).status_code == 404
    outsider = await make_user()
    client.cookies.clear()
    await sign_in(client, outsider)
    theirs = f"/awards/{other_cycle.slug}/manage/nominations/{row.id}"
    assert (await client.get(theirs)).status_code == 404
    assert (await client.get(f"{theirs}/files/{link.id}")).status_code == 404
    client.cookies.clear()
    response = await client.get(f"{theirs}/files/{link.id}")
    assert response.status_code == 303 and "/login" in response.headers["location"]


async def test_the_screening_dashboard_counts_and_links(client):
    cycle, _organizer = await organizer_of(client)
    podcast = await make_category(cycle, name_en="Podcast")
    photo = await make_category(cycle, name_en="Photography")
    for n, (category, state) in enumerate(
        [
            (podcast, NominationState.AWAITING_NOMINEE),
            (podcast, NominationState.SUBMITTED),
            (podcast, NominationState.SUBMITTED),
            (photo, NominationState.SUBMITTED),
            (photo, NominationState.ELIGIBLE),
            (photo, NominationState.INELIGIBLE),
        ]
    ):
        await nominate(cycle, category, n, state=state)
    response = await client.get(f"/awards/{cycle.slug}/manage/screening-dashboard")
    assert response.status_code == 200
    html = response.text
    waiting = re.search(r'data-testid="count-awaiting-ruling">(\d+)<', html)
    assert waiting and waiting.group(1) == "3"
    nominee = re.search(r'data-testid="count-awaiting-nominee">(\d+)<', html)
    assert nominee and nominee.group(1) == "1"
    assert f"?category={podcast.id}&amp;state=submitted" in html
    assert ">2</a>" in html  # two of the podcast's wait on a ruling, a link to them
    text = text_of(html)
    assert "Podcast" in text and "Photography" in text and "All categories" in text
    linked = await client.get(
        f"/awards/{cycle.slug}/manage/nominations?category={podcast.id}&state=submitted"
    )
    assert "Nominations (2)" in text_of(linked.text)


async def test_the_dashboard_in_arabic(client):
    cycle, _organizer = await organizer_of(client, language="ar")
    await make_category(cycle, name_ar="البودكاست")
    text = text_of((await client.get(f"/awards/{cycle.slug}/manage/screening-dashboard")).text)
    assert "لوحة الفرز" in text and "البودكاست" in text
    text = text_of((await client.get(f"/awards/{cycle.slug}/manage/nominations")).text)
    assert "الترشيحات" in text


async def mail_form_of(client, url: str) -> dict[str, str]:  # noqa: ANN001
    html = (await client.get(url)).text
    opened = {"subject_ar": "", "subject_en": ""}
    for name in ("body_ar", "body_en"):
        match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
        assert match, name
        opened[name] = match.group(1).lstrip("\n").replace("\n", "\r\n")
    return opened


async def test_a_mail_to_the_nominators_arrives_each_in_their_language(client, deliver):
    cycle, _organizer = await organizer_of(client)
    category = await make_category(cycle)
    ahmad = await make_user("ahmad@example.org", language="ar", name_ar="أحمد")
    jane = await make_user("jane@example.org", language="en", name_en="Jane")
    drafter = await make_user("drafter@example.org", language="en")
    one = await nominate(cycle, category, 1, nominator=ahmad)
    await NominationCredit.create(nomination=one, user=jane)
    await nominate(cycle, category, 2, nominator=jane)  # Jane once, though credited twice
    await nominate(cycle, category, 3, nominator=drafter, state=NominationState.DRAFT)
    url = f"/awards/{cycle.slug}/manage/mail"
    opened = await mail_form_of(client, url)
    letter = {
        **opened,
        "group": "nominators",
        "subject_ar": "تذكير يا {name}",
        "body_ar": "مرحبًا {name}، {cycle}",
        "subject_en": "Reminder for {name}",
        "body_en": "Hello {name}, about {cycle}.",
    }
    response = await post_form(client, url, {**letter, "action": "preview"})
    assert response.status_code == 200
    text = text_of(response.text)
    assert "This mail will go to 2 people." in text
    assert "In Arabic, to 1 person" in text and "In English, to 1 person" in text
    response = await post_form(client, url, {**letter, "action": "send"})
    assert response.status_code == 303
    sent = {m["To"]: m for m in await deliver()}
    assert set(sent) == {"ahmad@example.org", "jane@example.org"}
    assert sent["ahmad@example.org"]["Subject"] == "تذكير يا أحمد"
    assert body(sent["ahmad@example.org"]).startswith(f"مرحبًا أحمد، {cycle.name_ar}")
    assert sent["jane@example.org"]["Subject"] == "Reminder for Jane"
    assert body(sent["jane@example.org"]).startswith(f"Hello Jane, about {cycle.name_en}.")


async def test_a_mail_to_nominees_awaiting_acceptance_and_to_the_shortlisted(client, deliver):
    cycle, _organizer = await organizer_of(client)
    category = await make_category(cycle)
    waiting_ar = await nominate(
        cycle,
        category,
        1,
        state=NominationState.AWAITING_NOMINEE,
        nominee_email="huda@example.org",
        nominee_name_ar="هدى",
        nominee_name_en="",
        nominee_language="ar",
    )
    await nominate(
        cycle,
        category,
        2,
        state=NominationState.AWAITING_NOMINEE,
        nominee_email="tom@example.org",
        nominee_name_en="Tom",
        nominee_language="en",
    )
    await nominate(cycle, category, 3, nominee_email="accepted@example.org")
    shortlisted = await nominate(
        cycle, category, 4, state=NominationState.ELIGIBLE, nominee_email="star@example.org"
    )
    await nominate(cycle, category, 5, state=NominationState.ELIGIBLE, nominee_email="no@x.org")
    url = f"/awards/{cycle.slug}/manage/mail"
    letter = {
        **await mail_form_of(client, url),
        "subject_en": "Please answer, {name}",
        "body_en": "Hello {name}, the nomination waits on you.",
    }
    response = await post_form(client, url, {**letter, "group": "awaiting", "action": "send"})
    assert response.status_code == 303
    sent = {m["To"]: m for m in await deliver()}
    assert set(sent) == {"huda@example.org", "tom@example.org"}
    # written in English only: everyone gets the English one
    assert sent["huda@example.org"]["Subject"] == "Please answer, هدى"
    assert sent["tom@example.org"]["Subject"] == "Please answer, Tom"
    assert waiting_ar.id  # the first nominee reads Arabic, but there is no Arabic text
    # past the deadline to accept (plus its grace), nobody can still accept: nobody to remind
    later = cycle.acceptance_deadline - clock.now() + DAY
    clock.travel(later)
    response = await post_form(client, url, {**letter, "group": "awaiting", "action": "preview"})
    assert "Nobody is in this group yet" in text_of(response.text)
    clock.travel(-later)
    # nobody is shortlisted yet: the preview says so and nothing is sent
    response = await post_form(client, url, {**letter, "group": "shortlisted", "action": "preview"})
    assert "Nobody is in this group yet" in text_of(response.text)
    # the organizer approved it onto its category's shortlist (awards.services.shortlist)
    await ShortlistedNomination.create(
        category_id=shortlisted.category_id, nomination=shortlisted, rank=1
    )
    await OutboxMessage.all().delete()
    response = await post_form(client, url, {**letter, "group": "shortlisted", "action": "send"})
    assert response.status_code == 303
    assert [m.recipient for m in await OutboxMessage.all()] == ["star@example.org"]


async def test_a_bad_mail_form_says_why_and_sends_nothing(client):
    cycle, _organizer = await organizer_of(client)
    url = f"/awards/{cycle.slug}/manage/mail"
    opened = await mail_form_of(client, url)
    response = await post_form(client, url, {**opened, "group": "everyone", "action": "send"})
    assert response.status_code == 422
    text = text_of(response.text)
    assert "Choose one of the options." in text
    assert "Write it in Arabic, in English, or both." in text
    response = await post_form(
        client,
        url,
        {**opened, "group": "nominators", "subject_en": "Hi {team}", "body_en": "x"},
    )
    assert response.status_code == 422
    assert "Unknown placeholder {team}. Use {name} or {cycle}." in text_of(response.text)
    assert await OutboxMessage.all().count() == 0
