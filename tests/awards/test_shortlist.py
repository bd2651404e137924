"""The jury's shortlist: the top N of each category's jury round, approved by the organizer,
published with a mail to nominators and nominees in their language; its public page and API,
which show nothing before publication."""

from __future__ import annotations

import re

import pytest

from awards.enums import Visibility
from awards.models import ShortlistedNomination
from awards.services import cycles, shortlist
from core.audit import AuditEntry
from core.errors import Conflict
from core.i18n import use_locale
from tests.awards.factories import make_category, make_cycle
from tests.awards.jury import category_round, eligible, jury_judges, scored
from tests.conftest import body, post_form
from tests.factories import make_user, sign_in
from tests.judging.factories import page_text


async def _judged(settings_base: str = ""):  # noqa: ANN202
    """A cycle in jury scoring with one category of four eligible nominations, scored 9, 7,
    5 and 3 by two judges of the category, the round closed; the shortlist size is 2."""
    organizer = await make_user(language="en")
    cycle = await make_cycle(phase="jury", organizer=organizer)
    category = await make_category(
        cycle, shortlist_size=2, name_ar="التحقيق الاستقصائي", name_en="Investigative report"
    )
    nominator = await make_user("huda@example.org", language="en", name_en="Huda")
    nominations = [
        await eligible(cycle, category, nominator, nominee_language=lang)
        for lang in ("ar", "en", "ar", "ar")
    ]
    await jury_judges(cycle, category, 2)
    round_ = await category_round(organizer, cycle, category, judges_per_entry=2)
    await scored(organizer, round_, dict(zip([n.id for n in nominations], (9, 7, 5, 3))))
    return organizer, cycle, category, nominations, round_


async def test_approving_takes_the_top_n_of_the_closed_round(db):
    organizer, cycle, category, nominations, _round = await _judged()
    rows = await shortlist.approve(organizer, cycle, category)
    assert [(r.nomination_id, r.rank) for r in rows] == [
        (nominations[0].id, 1),
        (nominations[1].id, 2),
    ]
    assert rows[0].citation == nominations[0].statement.split("\n")[0]
    await category.refresh_from_db()
    assert category.shortlist_approved_at is not None
    assert await AuditEntry.filter(action="awards.shortlist_approve").exists()


async def test_nothing_is_approved_while_the_round_is_open(db):
    organizer = await make_user()
    cycle = await make_cycle(phase="jury", organizer=organizer)
    category = await make_category(cycle)
    nomination = await eligible(cycle, category, await make_user())
    await jury_judges(cycle, category, 1)
    round_ = await category_round(organizer, cycle, category, judges_per_entry=1)
    await scored(organizer, round_, {nomination.id: 5}, close=False)
    with pytest.raises(Conflict, match="Close the round first"):
        await shortlist.approve(organizer, cycle, category)
    assert not await ShortlistedNomination.exists()


async def test_publishing_mails_nominees_and_nominators_in_their_language(db, settings, deliver):
    organizer, cycle, category, nominations, _round = await _judged()
    await shortlist.approve(organizer, cycle, category)
    assert await shortlist.published_shortlist(cycle) is None
    assert await shortlist.publish(organizer, cycle, settings) == 2
    mails = {m["To"]: m for m in await deliver()}
    # the first nominee reads Arabic, the second English; the nominator (of both) English
    assert set(mails) == {
        nominations[0].nominee_email,
        nominations[1].nominee_email,
        "huda@example.org",
    }
    arabic = mails[nominations[0].nominee_email]
    assert arabic["Subject"].startswith("في القائمة القصيرة")
    assert "التحقيق الاستقصائي" in body(arabic) and "القائمة القصيرة" in body(arabic)
    english = mails[nominations[1].nominee_email]
    assert (
        english["Subject"]
        == f"Shortlisted: {nominations[1].nominee_name_en} in “Investigative report”"
    )
    assert "You are on the shortlist of “Investigative report”" in body(english)
    assert f"http://testserver/awards/{cycle.slug}/shortlist" in body(english)
    assert "Your nomination of" in body(mails["huda@example.org"])
    with pytest.raises(Conflict, match="already published"):
        await shortlist.approve(organizer, cycle, category)


async def test_publishing_needs_an_approved_category(db, settings):
    organizer, cycle, _category, _nominations, _round = await _judged()
    with pytest.raises(Conflict, match="Approve the shortlist of at least one category"):
        await shortlist.publish(organizer, cycle, settings)
    await cycle.refresh_from_db()
    assert cycle.shortlist_published_at is None


async def test_the_organizer_approves_and_publishes_from_the_jury_page(client, deliver):
    organizer, cycle, category, nominations, round_ = await _judged()
    await sign_in(client, organizer)
    page = await client.get(f"/awards/{cycle.slug}/manage/jury?lang=en")
    text = page_text(page.text)
    assert "Investigative report Jury: Investigative report Scoring closed 2 · Invite" in text
    assert "8 of 8" in text and "Not approved (top 2)" in text
    assert f"/judging/award_cycle/{cycle.id}/rounds/{round_.id}" in page.text
    jury = f"/awards/{cycle.slug}/manage/jury"
    approved = await post_form(client, f"{jury}/categories/{category.id}/approve", {}, jury)
    assert approved.status_code == 303
    page = await client.get(jury)
    assert "The shortlist of this category is approved (2)." in page_text(page.text)
    # nobody else sees it yet
    client.cookies.clear()
    assert (await client.get(f"/awards/{cycle.slug}/shortlist")).status_code == 404
    assert (await client.get(f"/api/v1/awards/{cycle.slug}/shortlist")).status_code == 404
    await sign_in(client, organizer)
    published = await post_form(client, f"{jury}/publish", {}, jury)
    assert published.status_code == 303
    # each nominee, and the nominator once for each of their two shortlisted nominations
    assert len(await deliver()) == 4
    client.cookies.clear()
    for lang, heading, name in (
        ("ar", "القائمة القصيرة", nominations[0].nominee_name_ar),
        ("en", "The shortlist", nominations[0].nominee_name_en),
    ):
        public = await client.get(f"/awards/{cycle.slug}/shortlist?lang={lang}")
        assert public.status_code == 200
        text = page_text(public.text)
        assert heading in text and name in text and nominations[0].work_title in text
        assert nominations[2].work_title not in text  # third place: not on the shortlist
        detail = await client.get(f"/awards/{cycle.slug}?lang={lang}")
        assert f'/awards/{cycle.slug}/shortlist" data-testid="shortlist-link"' in detail.text


async def test_the_jury_page_is_for_organizers_only(client):
    organizer, cycle, category, _nominations, _round = await _judged()
    await sign_in(client, await make_user())
    jury = f"/awards/{cycle.slug}/manage/jury"
    assert (
        await client.get(jury)
    ).status_code == 404  # as for any organizer page: no hint that it exists
    refused = await post_form(client, f"{jury}/categories/{category.id}/approve", {}, "/login")
    assert refused.status_code == 404
    assert not await ShortlistedNomination.exists()


async def test_the_api_answers_once_published_and_is_documented(client, settings):
    organizer, cycle, category, nominations, _round = await _judged()
    url = f"/api/v1/awards/{cycle.slug}/shortlist"
    assert (await client.get(url)).json() == {"error": "not_found"}
    await shortlist.approve(organizer, cycle, category)
    await shortlist.publish(organizer, cycle, settings)
    data = (await client.get(url)).json()
    assert data["slug"] == cycle.slug
    (listed,) = data["categories"]
    assert listed["name"] == {"ar": "التحقيق الاستقصائي", "en": "Investigative report"}
    first = listed["nominations"][0]
    assert first["rank"] == 1
    assert first["nominee"] == {
        "ar": nominations[0].nominee_name_ar,
        "en": nominations[0].nominee_name_en,
    }
    assert (first["title"], first["outlet"]) == (
        nominations[0].work_title,
        nominations[0].work_outlet,
    )
    assert len(listed["nominations"]) == 2
    document = (await client.get("/api/v1/openapi.json")).json()
    operation = document["paths"]["/awards/{slug}/shortlist"]["get"]
    assert operation["operationId"] == "getAwardShortlist"
    assert set(operation["responses"]) == {"200", "404"}
    assert "AwardShortlist" in document["components"]["schemas"]


async def test_a_draft_cycles_shortlist_is_never_public(client, settings):
    organizer, cycle, category, _nominations, _round = await _judged()
    await shortlist.approve(organizer, cycle, category)
    await shortlist.publish(organizer, cycle, settings)
    # the public page is kept a few seconds for anonymous visitors: not past a return to draft
    assert (await client.get(f"/awards/{cycle.slug}/shortlist")).status_code == 200
    await cycles.set_visibility(organizer, cycle, Visibility.DRAFT)
    assert (await client.get(f"/awards/{cycle.slug}/shortlist")).status_code == 404
    assert (await client.get(f"/api/v1/awards/{cycle.slug}/shortlist")).status_code == 404
    with use_locale("en"):
        assert await shortlist.published_shortlist(cycle) is None


async def test_my_nominations_says_who_made_the_shortlist_once_it_is_published(client, settings):
    organizer, cycle, category, nominations, _round = await _judged()
    await shortlist.approve(organizer, cycle, category)
    nominator = await nominations[0].created_by
    await sign_in(client, nominator)

    def statuses(html: str) -> list[str]:
        return [page_text(s) for s in re.findall(r'data-testid="shortlist">(.*?)</dd>', html, re.S)]

    before = await client.get("/me/awards?lang=en")
    assert statuses(before.text) == []  # approved but not published: nothing shows yet
    await shortlist.publish(organizer, cycle, settings)
    after = await client.get("/me/awards?lang=en")
    # newest first: the last two (scored 3 and 5) missed it, the first two (9 and 7) made it
    assert [s.split(" · ")[0] for s in statuses(after.text)] == [
        "Not on the shortlist",
        "Not on the shortlist",
        "On the shortlist",
        "On the shortlist",
    ]
    assert f'href="http://testserver/awards/{cycle.slug}/shortlist"' in after.text
    arabic = await client.get("/me/awards?lang=ar")
    assert "ضمن القائمة القصيرة" in page_text(arabic.text)
    for row in (nominations[0], nominations[3]):  # each one's own page, once published
        assert (await client.get(f"/me/nominations/{row.id}?lang=en")).status_code == 200
