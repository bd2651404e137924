"""The award's public pages: the archive, a cycle's page in both languages, drafts hidden
from all but their organizers, and the home page's award section."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from awards.enums import EvidenceField, Milestone, NomineeType, Visibility
from awards.services import cycles
from awards.services.public import home_items
from core import clock
from tests.awards.factories import make_category, make_cycle
from tests.events.factories import QueryCounter, text_of
from tests.factories import make_user, sign_in

DAY = dt.timedelta(days=1)
OPENS = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)  # 09:00 in Riyadh


@pytest.fixture(autouse=True)
def arabic_by_default():  # noqa: ANN201
    """Pages take their language from the request; the award tests' English default is for
    services only."""
    yield


async def _cycle(**fields):  # noqa: ANN003, ANN202
    """A published cycle open for nominations since OPENS, the clock 5 days later, with two
    categories whose rules differ."""
    clock.travel(OPENS + 5 * DAY - clock.now())
    timeline = {
        "nominations_open": OPENS,
        "nominations_close": OPENS + 30 * DAY,
        "screening_ends": OPENS + 45 * DAY,
        "appeals_close": OPENS + 52 * DAY,
        "jury_starts": None,
        "jury_ends": None,
        "shortlist_at": None,
        "voting_opens": None,
        "voting_closes": OPENS + 95 * DAY,
        "results_at": OPENS + 100 * DAY,
    }
    cycle = await make_cycle(
        description_ar="جائزة سنوية للأعمال الإعلامية.",
        description_en="An annual award for media work.",
        rules_ar="يُقبل العمل المنشور خلال العام.",
        rules_en="Work published during the year is eligible.",
        **{**timeline, **fields},
    )
    await make_category(
        cycle,
        name_ar="الشخصية الإعلامية للعام",
        name_en="Media personality of the year",
        position=2,
        self_nomination=False,
        public_vote=True,
        max_per_nominator=1,
    )
    await make_category(
        cycle,
        name_ar="التحقيق الاستقصائي",
        name_en="Investigative report",
        position=1,
        nominee_type=NomineeType.GROUP,
        published_from=dt.date(2026, 1, 1),
        published_until=dt.date(2026, 12, 31),
        required_fields=[EvidenceField.WORK_TITLE.value, EvidenceField.WORK_OUTLET.value],
        min_links=2,
        file_kinds=["pdf", "jpeg"],
        min_files=1,
        max_files=3,
        max_per_nominator=3,
        citation_guidance_en="What did it reveal?",
        citation_guidance_ar="ماذا كشف؟",
    )
    return cycle


def _categories(text: str) -> list[str]:
    return re.findall(
        r'<li class="card category" data-testid="category">\s*<h3 dir="auto">([^<]+)</h3>', text
    )


async def test_the_cycle_page_in_arabic_with_rules_timeline_hijri_and_a_call_to_nominate(client):
    cycle = await _cycle()
    response = await client.get(f"/awards/{cycle.slug}")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="ar" dir="rtl">' in page
    assert f'<h1 dir="auto">{cycle.name_ar}</h1>' in page
    assert '<p class="lead prose" dir="auto">جائزة سنوية للأعمال الإعلامية.</p>' in page
    assert _categories(page) == ["التحقيق الاستقصائي", "الشخصية الإعلامية للعام"]
    text = text_of(page)
    assert "مفتوحة للترشيح" in text
    assert "الترشيح مفتوح حتى 20 ديسمبر 2026، 09:00 (11 رجب 1448 هـ)." in text
    assert "فتح الترشيح 20 نوفمبر 2026، 09:00 (10 جمادى الآخرة 1448 هـ)" in text
    assert "إعلان النتائج 28 فبراير 2027، 09:00" in text
    # the first category's rules, in Arabic
    assert "المرشَّح مجموعة أو فريق" in text
    assert "الترشيح الذاتي مسموح" in text
    assert "تاريخ نشر العمل من 1 يناير 2026 (12 رجب 1447 هـ) إلى 31 ديسمبر 2026" in text
    assert "الترشيحات لكل مرشِّح 3 ترشيحات على الأكثر" in text
    assert (
        "الأدلة المطلوبة عنوان العمل، الوسيلة التي نشرته، رابطان للعمل على الأقل، "
        "ملف واحد على الأقل" in text
    )
    assert "الملفات حتى 3 ملفات (PDF أو JPG)" in text
    assert "تصويت الجمهور لا: تقرّر لجنة التحكيم" in text
    assert '<span class="prose" dir="auto">ماذا كشف؟</span>' in page
    # the second category's
    assert "الترشيح الذاتي غير مسموح: رشّح شخصًا آخر" in text
    assert "ترشيح واحد على الأكثر" in text and "نعم: يصوّت الجمهور على القائمة القصيرة" in text
    assert "تاريخ نشر العمل أي تاريخ" in text
    assert '<div class="prose" dir="auto">يُقبل العمل المنشور خلال العام.</div>' in page
    assert f'href="http://testserver/login?next=/awards/{cycle.slug}"' in page
    assert "سجّل الدخول للترشيح" in text
    # each category leads to its nomination form (a signed-out visitor signs in on the way)
    assert len(re.findall(rf'href="http://testserver/awards/{cycle.slug}/nominate/\d+"', page)) == 2
    assert "رشّح في التحقيق الاستقصائي" in text


async def test_the_cycle_page_in_english(client):
    cycle = await _cycle()
    response = await client.get(f"/awards/{cycle.slug}?lang=en")
    page = response.text
    assert '<html lang="en" dir="ltr">' in page
    assert f'<h1 dir="auto">{cycle.name_en}</h1>' in page
    assert _categories(page) == ["Investigative report", "Media personality of the year"]
    text = text_of(page)
    assert "Open for nominations" in text
    assert "Nominations are open until 20 December 2026, 09:00 (11 Rajab 1448 AH)." in text
    assert "Nominations open 20 November 2026, 09:00 (10 Jumada al-Akhirah 1448 AH)" in text
    assert "Nominee A group or team" in text and "Self-nomination Allowed" in text
    assert (
        "Work published From 1 January 2026 (12 Rajab 1447 AH) to 31 December 2026 "
        "(22 Rajab 1448 AH)" in text
    )
    assert "Nominations per nominator At most 3" in text
    assert (
        "Required evidence The work's title, the outlet that published it, "
        "at least 2 links to the work, at least 1 file" in text
    )
    assert "Files Up to 3 files (PDF or JPG)" in text
    assert "Public vote Yes: the public votes on the shortlist" in text
    assert "Self-nomination Not allowed: nominate someone else" in text
    assert "Times are shown in the cycle's time zone (Saudi Arabia Time)" in text
    assert "Sign in to nominate" in text and "Work published during the year is eligible." in text


async def test_a_signed_in_visitor_sees_the_deadline_without_a_sign_in_button(client):
    cycle = await _cycle()
    await sign_in(client, await make_user(language="en"))
    text = text_of((await client.get(f"/awards/{cycle.slug}?lang=en")).text)
    assert "Nominations are open until 20 December 2026, 09:00 (11 Rajab 1448 AH)." in text
    assert "Sign in to nominate" not in text


async def test_before_and_after_nominations_the_page_says_when(client):
    cycle = await _cycle()
    clock.travel(-10 * DAY)
    text = text_of((await client.get(f"/awards/{cycle.slug}?lang=en")).text)
    assert "Opening soon" in text
    assert "Nominations open on 20 November 2026, 09:00" in text
    assert "Sign in to nominate" not in text
    clock.travel(50 * DAY)
    text = text_of((await client.get(f"/awards/{cycle.slug}?lang=en")).text)
    assert "Appeals" in text
    assert "Nominations for this cycle closed on 20 December 2026, 09:00" in text
    assert "Sign in to nominate" not in text


async def _status_and_text(app, user, path: str) -> tuple[int, str]:  # noqa: ANN001
    """What `user` (None: an anonymous visitor) gets at `path`, with a client of their own."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        if user is not None:
            await sign_in(client, user)
        response = await client.get(path)
        return response.status_code, response.text


async def test_a_draft_answers_404_to_the_public_and_other_people_but_not_its_organizer(app):
    organizer = await make_user(language="en")
    draft = await make_cycle(published=False, organizer=organizer)
    other_organizer = await make_user()
    await make_cycle(organizer=other_organizer)
    for who in (None, await make_user(), other_organizer):
        for path in (f"/awards/{draft.slug}", f"/awards/{draft.slug}?lang=en", "/awards"):
            status, page = await _status_and_text(app, who, path)
            assert status == (200 if path == "/awards" else 404), (who, path)
            assert draft.name_ar not in page and draft.name_en not in page
    status, page = await _status_and_text(app, organizer, f"/awards/{draft.slug}?lang=en")
    assert status == 200
    assert "This award cycle is a draft: only its organizers can see this page." in page
    _status, archive = await _status_and_text(app, organizer, "/awards?lang=en")
    assert f"Draft cycles you organize {draft.name_en} Draft" in text_of(archive)
    status, _page = await _status_and_text(
        app, await make_user(admin=True), f"/awards/{draft.slug}"
    )
    assert status == 200


async def test_an_unknown_or_overlong_slug_is_a_404(client):
    assert (await client.get("/awards/nothing-here")).status_code == 404
    assert (await client.get("/awards/" + "x" * 300)).status_code == 404


async def test_the_archive_lists_published_cycles_newest_first_with_their_categories(client):
    old = await make_cycle(phase="results", year=2025, name_en="Award 2025", name_ar="جائزة 2025")
    new = await make_cycle(year=2026, name_en="Award 2026", name_ar="جائزة 2026")
    await make_category(old, name_ar="البودكاست", name_en="Podcast")
    await make_category(new, name_ar="التصوير الصحفي", name_en="Photography", position=2)
    await make_category(new, name_ar="الفيلم الوثائقي", name_en="Documentary", position=1)
    await make_cycle(published=False, name_en="Secret draft", name_ar="مسودة سرية")
    response = await client.get("/awards")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="ar" dir="rtl">' in page
    text = text_of(page)
    assert text.index("جائزة 2026") < text.index("جائزة 2025")
    assert "جائزة 2026 مفتوحة للترشيح" in text and "جائزة 2025 النتائج" in text
    assert text.index("الفيلم الوثائقي") < text.index("التصوير الصحفي") < text.index("البودكاست")
    assert '<li dir="auto">الفيلم الوثائقي</li>' in page
    assert f'<a href="http://testserver/awards/{new.slug}" dir="auto">جائزة 2026</a>' in page
    assert "مسودة سرية" not in page and "Secret draft" not in page
    english = text_of((await client.get("/awards?lang=en")).text)
    assert "Award 2026 Open for nominations" in english and "Documentary" in english
    assert "Award 2025 Results" in english and "Podcast" in english


async def test_the_archive_runs_the_same_queries_for_two_cycles_as_for_twenty(client):
    async def count() -> int:
        with QueryCounter() as counter:
            assert (await client.get("/awards")).status_code == 200
        return counter.count

    cycle = await make_cycle()
    await make_category(cycle)
    few = await count()
    for _ in range(20):
        await make_category(await make_cycle())
    assert await count() == few


async def test_an_empty_archive_says_so(client):
    text = text_of((await client.get("/awards?lang=en")).text)
    assert "No award cycle has been published yet." in text


def _award_section(page: str) -> str:
    """The home page's award section, with the isolation of user-written values (<bdi
    dir="auto">, checked apart) taken out."""
    match = re.search(r'<section class="home-section" id="section-awards".*?</section>', page, re.S)
    assert match
    return re.sub(r"<bdi[^>]*>|</bdi>", "", match.group(0))


async def test_the_home_page_lists_published_cycles_linking_to_their_pages(client):
    cycle = await _cycle()
    await make_cycle(published=False, name_ar="مسودة سرية", name_en="Secret draft")
    home = (await client.get("/")).text
    assert f'<bdi dir="auto" lang="ar">{cycle.name_ar}</bdi>' in home
    section = _award_section(home)
    assert f'<h3><a href="/awards/{cycle.slug}">{cycle.name_ar}</a></h3>' in section
    assert "<p>مفتوحة للترشيح · إغلاق الترشيح</p>" in section
    assert "20 ديسمبر 2026، 09:00 (11 رجب 1448 هـ)" in section
    assert "مسودة سرية" not in section and "لم تُنشر أي دورة" not in section
    english = _award_section((await client.get("/?lang=en")).text)
    assert f'<h3><a href="/awards/{cycle.slug}">{cycle.name_en}</a></h3>' in english
    assert "<p>Open for nominations · Nominations close</p>" in english
    page = await client.get(f"/awards/{cycle.slug}")
    assert page.status_code == 200


async def test_the_home_items_come_in_one_query(db):
    for _ in range(3):
        await make_cycle()
    with QueryCounter() as counter:
        items = await home_items()
    assert len(items) == 3 and counter.count == 1


async def test_the_header_links_to_the_award(client):
    page = (await client.get("/?lang=en")).text
    assert '<li><a href="http://testserver/awards">Award</a></li>' in page


async def test_the_cycle_page_runs_the_same_queries_for_two_categories_as_for_twelve(client):
    cycle = await make_cycle()
    await sign_in(client, await make_user())  # a signed-in visitor's page is made each time

    async def count() -> int:
        with QueryCounter() as counter:
            assert (await client.get(f"/awards/{cycle.slug}")).status_code == 200
        return counter.count

    for _ in range(2):
        await make_category(cycle)
    few = await count()
    for _ in range(10):
        await make_category(cycle, min_links=1, file_kinds=["pdf"])
    assert await count() == few


async def test_an_anonymous_visitor_is_answered_from_the_kept_page_without_a_query(client):
    cycle = await _cycle()
    first = await client.get(f"/awards/{cycle.slug}?lang=en")
    with QueryCounter() as counter:
        again = await client.get(f"/awards/{cycle.slug}?lang=en")
    assert counter.count == 0
    assert again.text == first.text and "Sign in to nominate" in again.text
    arabic = await client.get(f"/awards/{cycle.slug}?lang=ar")  # each language on its own
    assert '<html lang="ar" dir="rtl">' in arabic.text


async def test_the_kept_cycle_page_shows_each_change_at_once(client):
    cycle = await _cycle()
    actor = await make_user()
    url = f"/awards/{cycle.slug}?lang=en"
    assert "Nominations are open until 20 December 2026, 09:00" in text_of(
        (await client.get(url)).text
    )
    await cycles.extend_deadline(actor, cycle, Milestone.NOMINATIONS_CLOSE, OPENS + 32 * DAY)
    assert "Nominations are open until 22 December 2026, 09:00" in text_of(
        (await client.get(url)).text
    )
    values = {"name_ar": "التصوير", "name_en": "Photography", "nominee_type": NomineeType.GROUP}
    photography = await cycles.add_category(actor, cycle, values)
    shown = _categories((await client.get(url)).text)
    assert shown == ["Investigative report", "Media personality of the year", "Photography"]
    await cycles.move_category(actor, cycle, photography, -1)
    shown = _categories((await client.get(url)).text)
    assert shown == ["Investigative report", "Photography", "Media personality of the year"]
    await cycles.update_category(actor, cycle, photography, {"name_en": "Photo essay"})
    assert "Photo essay" in _categories((await client.get(url)).text)
    await cycles.update_cycle(actor, cycle, {"name_en": "The 2026 award"})
    assert "The 2026 award" in (await client.get(url)).text
    await cycles.set_visibility(actor, cycle, Visibility.DRAFT)
    assert (await client.get(url)).status_code == 404


async def test_the_kept_cycle_page_changes_its_phase_at_the_very_second(client):
    cycle = await _cycle()
    clock.travel(cycle.nominations_close - dt.timedelta(seconds=1) - clock.now())
    url = f"/awards/{cycle.slug}?lang=en"
    assert "Sign in to nominate" in (await client.get(url)).text
    clock.travel(dt.timedelta(seconds=1))
    text = text_of((await client.get(url)).text)
    assert "Nominations for this cycle closed on 20 December 2026, 09:00" in text
    assert "Sign in to nominate" not in text
