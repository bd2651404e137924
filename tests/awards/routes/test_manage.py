"""The organizer's cycle pages: create a cycle, its dashboard, settings, publication,
extending a deadline (audited), the ordered categories with every rule, and the screening
reasons. Every bad input gets a clear message and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.enums import Role, ScopeType
from accounts.models import Membership
from awards.enums import NomineeType, Visibility
from awards.models import Category, Cycle, ScreeningReason
from core.audit import AuditEntry
from tests.awards.factories import make_category, make_cycle
from tests.conftest import post_form
from tests.events.factories import error_of, text_of
from tests.factories import make_user, sign_in

CYCLE = {
    "slug": "award-2027",
    "year": "2027",
    "name_ar": "جائزة التميز الإعلامي 2027",
    "name_en": "Media Excellence Award 2027",
    "description_ar": "",
    "description_en": "",
    "rules_ar": "",
    "rules_en": "",
    "time_zone": "Asia/Riyadh",
    "acceptance_grace_hours": "48",
    "nominations_open": "2027-01-10T09:00",
    "nominations_close": "2027-02-10T09:00",
    "screening_ends": "2027-02-25T09:00",
    "appeals_close": "2027-03-05T09:00",
}
CATEGORY = {
    "name_ar": "البودكاست",
    "name_en": "Podcast",
    "description_ar": "حلقات صوتية",
    "description_en": "Audio episodes",
    "citation_guidance_ar": "ما الذي يميزه؟",
    "citation_guidance_en": "What sets it apart?",
    "nominee_type": "group",
    "published_from": "2026-01-01",
    "published_until": "2026-12-31",
    "max_per_nominator": "2",
    "min_links": "1",
    "min_files": "0",
    "max_files": "3",
    "shortlist_size": "4",
}


@pytest.fixture(autouse=True)
def pages_choose_their_language():  # noqa: ANN201
    yield


async def _organizer(client, **cycle_fields):  # noqa: ANN001, ANN003, ANN202
    organizer = await make_user(language="en")
    cycle = await make_cycle(organizer=organizer, **cycle_fields)
    await sign_in(client, organizer)
    return organizer, cycle


async def _fields(model, **filters) -> dict:  # noqa: ANN001, ANN003
    return (await model.filter(**filters).values())[0]


async def test_an_admin_creates_a_draft_cycle_and_becomes_its_organizer(client):
    admin = await make_user(admin=True)
    await sign_in(client, admin)
    form = await client.get("/awards/new?lang=en")
    assert form.status_code == 200
    assert 'value="Asia/Riyadh" selected' in form.text
    response = await post_form(client, "/awards/new", CYCLE, page="/awards/new")
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/awards/award-2027/manage"
    cycle = await Cycle.get(slug="award-2027")
    assert cycle.visibility == Visibility.DRAFT and cycle.acceptance_grace_hours == 48
    assert cycle.nominations_open == dt.datetime(2027, 1, 10, 6, 0, tzinfo=dt.UTC)
    assert await Membership.exists(
        user=admin, scope_type=ScopeType.AWARD_CYCLE.value, scope_id=cycle.id, role=Role.ORGANIZER
    )
    page = text_of((await client.get(response.headers["location"] + "?lang=en")).text)
    assert "The award cycle is created as a draft. Add its categories, then publish." in page
    assert "Draft" in page and "Opening soon" in page
    assert "Nominations open 10 January 2027, 09:00" in page
    assert "Nominees may accept until 12 February 2027, 09:00" in page


async def test_someone_who_organizes_nothing_may_not_create_a_cycle(client):
    await sign_in(client, await make_user())
    assert (await client.get("/awards/new")).status_code == 403
    response = await post_form(client, "/awards/new", CYCLE)
    assert response.status_code == 403
    assert not await Cycle.exists(slug="award-2027")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name_ar": "", "name_en": ""}, "name_ar", "Write it in Arabic, in English, or both."),
        (
            {"slug": "Award 2027!"},
            "slug",
            "Use 3 to 60 lowercase Latin letters, digits and hyphens, like award-2026.",
        ),
        ({"slug": "new"}, "slug", "Use 3 to 60 lowercase Latin letters"),
        (
            {"nominations_close": "2027-01-01T09:00"},
            "nominations_close",
            "This date must come after “Nominations open”.",
        ),
        (
            {"screening_ends": "tomorrow"},
            "screening_ends",
            "Enter a date and time, like 2026-12-01T09:00.",
        ),
        ({"appeals_close": ""}, "appeals_close", "This field is required."),
        ({"acceptance_grace_hours": "-1"}, "acceptance_grace_hours", "Enter a number from 0"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Choose one of the options."),
        ({"year": "two"}, "year", "Enter a whole number."),
    ],
)
async def test_a_bad_cycle_is_refused_with_a_message_and_nothing_is_created(
    client, changes, field, message
):
    await sign_in(client, await make_user(admin=True))
    response = await post_form(
        client, "/awards/new?lang=en", {**CYCLE, **changes}, page="/awards/new"
    )
    assert response.status_code == 422
    assert error_of(response.text, field).startswith(message)
    assert "Please correct 1 field below." in text_of(response.text)
    assert not await Cycle.exists(year=2027)


async def test_an_address_already_taken_is_refused(client):
    await make_cycle(slug="award-2027")
    await sign_in(client, await make_user(admin=True))
    response = await post_form(client, "/awards/new?lang=en", CYCLE, page="/awards/new")
    assert response.status_code == 422
    assert error_of(response.text, "slug") == "Another award cycle already uses this address."
    assert await Cycle.filter(slug="award-2027").count() == 1


async def test_the_organizer_edits_the_cycle_in_its_own_time_zone(client):
    _organizer_user, cycle = await _organizer(client)
    form = await client.get(f"/awards/{cycle.slug}/manage/edit?lang=en")
    assert form.status_code == 200
    assert f'value="{cycle.name_en}"' in form.text
    changed = {
        **CYCLE,
        "slug": "mea-2027",
        "name_en": "MEA 2027",
        "rules_ar": "الشروط",
        "time_zone": "Africa/Cairo",
        "acceptance_grace_hours": "24",
        "voting_opens": "2027-04-01T10:00",
        "voting_closes": "2027-04-10T10:00",
    }
    response = await post_form(client, f"/awards/{cycle.slug}/manage/edit", changed)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/awards/mea-2027/manage")
    saved = await Cycle.get(id=cycle.id)
    assert (saved.slug, saved.name_en, saved.rules_ar) == ("mea-2027", "MEA 2027", "الشروط")
    assert saved.time_zone == "Africa/Cairo" and saved.acceptance_grace_hours == 24
    assert saved.voting_opens == dt.datetime(2027, 4, 1, 8, 0, tzinfo=dt.UTC)  # Cairo is UTC+2
    assert await AuditEntry.exists(action="awards.cycle_update", object_id=str(cycle.id))


async def test_a_bad_edit_changes_nothing(client):
    _organizer_user, cycle = await _organizer(client)
    other = await make_cycle()
    before = await _fields(Cycle, id=cycle.id)
    for changes, field, message in (
        ({"slug": other.slug}, "slug", "Another award cycle already uses this address."),
        (
            {"voting_opens": "2027-05-01T09:00", "voting_closes": "2027-04-01T09:00"},
            "voting_closes",
            "This date must come after “Voting opens”.",
        ),
    ):
        response = await post_form(
            client, f"/awards/{cycle.slug}/manage/edit?lang=en", {**CYCLE, **changes}
        )
        assert response.status_code == 422
        assert error_of(response.text, field) == message
        assert f'/awards/{cycle.slug}/manage/edit" novalidate' in response.text
    assert await _fields(Cycle, id=cycle.id) == before


async def test_publishing_and_unpublishing_show_and_hide_the_cycle(client, app):
    _organizer_user, cycle = await _organizer(client, published=False)
    dashboard = text_of((await client.get(f"/awards/{cycle.slug}/manage?lang=en")).text)
    assert "Publish the award cycle" in dashboard
    response = await post_form(
        client, f"/awards/{cycle.slug}/manage/visibility", {"visibility": "published"}
    )
    assert response.status_code == 303
    assert (await Cycle.get(id=cycle.id)).visibility == Visibility.PUBLISHED
    assert "The award cycle is published." in text_of(
        (await client.get(f"/awards/{cycle.slug}/manage?lang=en")).text
    )
    assert await AuditEntry.exists(action="awards.cycle_publish")
    await post_form(client, f"/awards/{cycle.slug}/manage/visibility", {"visibility": "draft"})
    assert (await Cycle.get(id=cycle.id)).visibility == Visibility.DRAFT
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as anonymous:
        assert (await anonymous.get(f"/awards/{cycle.slug}")).status_code == 404
    bad = await post_form(
        client, f"/awards/{cycle.slug}/manage/visibility?lang=en", {"visibility": "secret"}
    )
    assert bad.status_code == 422
    assert (await Cycle.get(id=cycle.id)).visibility == Visibility.DRAFT


async def test_extending_a_deadline_is_audited_and_an_earlier_date_is_refused(client):
    _organizer_user, cycle = await _organizer(client, time_zone="Asia/Riyadh")
    close = cycle.nominations_close
    later = close + dt.timedelta(days=3)
    local = later.astimezone(dt.timezone(dt.timedelta(hours=3))).strftime("%Y-%m-%dT%H:%M")
    response = await post_form(
        client,
        f"/awards/{cycle.slug}/manage/extend",
        {"milestone": "nominations_close", "until": local},
    )
    assert response.status_code == 303
    saved = await Cycle.get(id=cycle.id)
    assert saved.nominations_close == later.replace(second=0, microsecond=0)
    entry = await AuditEntry.get(action="awards.extend_deadline")
    assert entry.scope_id == cycle.id
    earlier = (close - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = await post_form(
        client,
        f"/awards/{cycle.slug}/manage/extend?lang=en",
        {"milestone": "nominations_close", "until": earlier},
    )
    assert refused.status_code == 422
    assert error_of(refused.text, "until") == "Choose a moment later than the current deadline."
    assert (await Cycle.get(id=cycle.id)).nominations_close == saved.nominations_close
    unknown = await post_form(
        client,
        f"/awards/{cycle.slug}/manage/extend?lang=en",
        {"milestone": "whenever", "until": ""},
    )
    assert unknown.status_code == 422
    assert error_of(unknown.text, "milestone") == "Choose one of the options."
    assert await AuditEntry.filter(action="awards.extend_deadline").count() == 1


async def test_the_organizer_adds_a_category_with_every_rule(client):
    _organizer_user, cycle = await _organizer(client)
    page = await client.get(f"/awards/{cycle.slug}/manage/categories?lang=en")
    assert "No category yet." in text_of(page.text)
    data = {
        **CATEGORY,
        "self_nomination": "on",
        "public_vote": "on",
        "required_fields": ["work_title", "statement"],
        "file_kinds": ["pdf", "mp4"],
    }
    response = await post_form(client, f"/awards/{cycle.slug}/manage/categories", data)
    assert response.status_code == 303
    category = await Category.get(cycle=cycle)
    assert (category.name_ar, category.name_en) == ("البودكاست", "Podcast")
    assert category.citation_guidance_en == "What sets it apart?"
    assert category.nominee_type == NomineeType.GROUP
    assert (category.published_from, category.published_until) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert category.self_nomination and category.public_vote
    assert category.max_per_nominator == 2 and category.min_links == 1
    assert category.required_fields == ["work_title", "statement"]
    assert category.file_kinds == ["pdf", "mp4"]
    assert (category.min_files, category.max_files, category.shortlist_size) == (0, 3, 4)
    listed = text_of((await client.get(f"/awards/{cycle.slug}/manage/categories?lang=en")).text)
    assert "The category has been added." in listed and "Podcast" in listed


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name_ar": "", "name_en": ""}, "name_ar", "Write it in Arabic, in English, or both."),
        ({"nominee_type": "robot"}, "nominee_type", "Choose one of the options."),
        (
            {"published_from": "2026-12-31", "published_until": "2026-01-01"},
            "published_until",
            "The window must end after it starts.",
        ),
        ({"published_from": "31/12/2026"}, "published_from", "Enter a date, like 2026-01-31."),
        ({"max_per_nominator": "0"}, "max_per_nominator", "Enter a number from 1 to 100."),
        ({"shortlist_size": "0"}, "shortlist_size", "Enter a number from 1 to 50."),
        (
            {"min_files": "4", "max_files": "2"},
            "min_files",
            "The fewest files cannot be more than the most files.",
        ),
        ({"file_kinds": ["exe"]}, "file_kinds", "Choose among the options shown."),
        ({"required_fields": ["password"]}, "required_fields", "Choose among the options shown."),
    ],
)
async def test_a_bad_category_is_refused_and_nothing_changes(client, changes, field, message):
    _organizer_user, cycle = await _organizer(client)
    category = await make_category(cycle)
    before = await _fields(Category, id=category.id)
    for url in (
        f"/awards/{cycle.slug}/manage/categories?lang=en",
        f"/awards/{cycle.slug}/manage/categories/{category.id}?lang=en",
    ):
        response = await post_form(client, url, {**CATEGORY, **changes})
        assert response.status_code == 422
        assert message in text_of(response.text)
        if field not in ("file_kinds", "required_fields"):
            assert error_of(response.text, field) == message
    assert await Category.filter(cycle=cycle).count() == 1
    assert await _fields(Category, id=category.id) == before


async def test_the_organizer_edits_every_field_of_a_category(client):
    _organizer_user, cycle = await _organizer(client)
    category = await make_category(
        cycle, self_nomination=True, public_vote=True, file_kinds=["pdf"], required_fields=[]
    )
    form = await client.get(f"/awards/{cycle.slug}/manage/categories/{category.id}?lang=en")
    assert form.status_code == 200
    assert 'name="self_nomination" value="on" checked' in form.text
    assert 'name="file_kinds" value="pdf" checked' in form.text
    data = {
        **CATEGORY,
        "nominee_type": "institution",
        "required_fields": ["work_outlet"],
        "file_kinds": ["jpeg"],
    }  # the boxes for self-nomination and the public vote unticked
    response = await post_form(
        client, f"/awards/{cycle.slug}/manage/categories/{category.id}", data
    )
    assert response.status_code == 303
    saved = await Category.get(id=category.id)
    assert saved.nominee_type == NomineeType.INSTITUTION
    assert not saved.self_nomination and not saved.public_vote
    assert saved.required_fields == ["work_outlet"] and saved.file_kinds == ["jpeg"]
    assert (saved.description_ar, saved.citation_guidance_ar) == ("حلقات صوتية", "ما الذي يميزه؟")
    assert saved.shortlist_size == 4 and saved.max_files == 3
    assert await AuditEntry.exists(action="awards.category_update", object_id=str(category.id))


async def test_categories_move_up_and_down(client):
    _organizer_user, cycle = await _organizer(client)
    first = await make_category(cycle, name_en="First", position=1)
    second = await make_category(cycle, name_en="Second", position=2)
    third = await make_category(cycle, name_en="Third", position=3)

    async def order() -> list[int]:
        return [c.id for c in await Category.filter(cycle=cycle).order_by("position", "id")]

    url = f"/awards/{cycle.slug}/manage/categories/{{}}/move"
    assert (await post_form(client, url.format(third.id), {"direction": "up"})).status_code == 303
    assert await order() == [first.id, third.id, second.id]
    await post_form(client, url.format(first.id), {"direction": "down"})
    assert await order() == [third.id, first.id, second.id]
    await post_form(client, url.format(third.id), {"direction": "up"})  # already first
    assert await order() == [third.id, first.id, second.id]
    refused = await post_form(client, url.format(first.id) + "?lang=en", {"direction": "left"})
    assert refused.status_code == 422
    assert "Choose to move the category up or down." in text_of(refused.text)
    assert await order() == [third.id, first.id, second.id]
    listed = (await client.get(f"/awards/{cycle.slug}/manage/categories?lang=en")).text
    assert listed.index("Third") < listed.index("First") < listed.index("Second")


async def test_a_category_of_another_cycle_is_not_found(client):
    _organizer_user, cycle = await _organizer(client)
    elsewhere = await make_category(await make_cycle())
    assert (
        await client.get(f"/awards/{cycle.slug}/manage/categories/{elsewhere.id}")
    ).status_code == 404


async def test_screening_reasons_are_added_and_edited_in_both_languages(client):
    _organizer_user, cycle = await _organizer(client)
    page = await client.get(f"/awards/{cycle.slug}/manage/reasons")
    assert "WINDOW" in page.text and "نُشر العمل خارج فترة الأهلية" in page.text
    added = await post_form(
        client,
        f"/awards/{cycle.slug}/manage/reasons",
        {"code": "late entry", "label_ar": "وصل متأخرًا", "label_en": "Arrived late"},
    )
    assert added.status_code == 303
    reason = await ScreeningReason.get(cycle=cycle, code="LATE_ENTRY")
    assert (reason.label_ar, reason.label_en, reason.active) == (
        "وصل متأخرًا",
        "Arrived late",
        True,
    )
    edited = await post_form(
        client,
        f"/awards/{cycle.slug}/manage/reasons/{reason.id}",
        {"code": "LATE", "label_ar": "متأخر", "label_en": "Late"},
    )
    assert edited.status_code == 303
    saved = await ScreeningReason.get(id=reason.id)
    assert (saved.code, saved.label_ar, saved.label_en, saved.active) == (
        "LATE",
        "متأخر",
        "Late",
        False,
    )
    assert await AuditEntry.exists(action="awards.reason_update", object_id=str(reason.id))


async def test_a_bad_reason_is_refused_and_nothing_changes(client):
    _organizer_user, cycle = await _organizer(client)
    before = list(await ScreeningReason.filter(cycle=cycle).order_by("id").values())
    window = await ScreeningReason.get(cycle=cycle, code="WINDOW")
    cases = (
        ({"code": "", "label_ar": "أ", "label_en": "A"}, 422, "This field is required."),
        ({"code": "BAD CODE!", "label_ar": "أ", "label_en": "A"}, 422, "Use 1 to 30 Latin"),
        ({"code": "NEW", "label_ar": "أ", "label_en": ""}, 422, "Write the reason in Arabic"),
        (
            {"code": "evidence", "label_ar": "أ", "label_en": "A"},
            409,
            "This cycle already has a reason with the code EVIDENCE.",
        ),
    )
    for url in (
        f"/awards/{cycle.slug}/manage/reasons?lang=en",
        f"/awards/{cycle.slug}/manage/reasons/{window.id}?lang=en",
    ):
        for data, status, message in cases:
            response = await post_form(client, url, data)
            assert response.status_code == status, (url, data)
            assert message in text_of(response.text)
    assert list(await ScreeningReason.filter(cycle=cycle).order_by("id").values()) == before


async def test_the_dashboard_in_arabic(client):
    organizer = await make_user(language="ar")
    cycle = await make_cycle(organizer=organizer, name_ar="جائزة 2026")
    await make_category(cycle)
    await sign_in(client, organizer)
    page = (await client.get(f"/awards/{cycle.slug}/manage?lang=ar")).text
    assert '<html lang="ar" dir="rtl">' in page
    text = text_of(page)
    assert "جائزة 2026" in text and "منشورة" in text and "مفتوحة للترشيح" in text
    assert "تمديد موعد نهائي" in text and "إلغاء النشر (العودة إلى المسودة)" in text
    assert 'data-testid="count-categories">1<' in page
    for name in ("awards:edit", "awards:categories", "awards:reasons"):
        assert f"/awards/{cycle.slug}/manage/" in page, name


async def test_the_archive_and_the_cycle_page_lead_organizers_to_their_pages(client):
    organizer, cycle = await _organizer(client)
    listed = (await client.get("/awards?lang=en")).text
    assert 'href="http://testserver/awards/new" data-testid="create-cycle"' in listed
    page = (await client.get(f"/awards/{cycle.slug}?lang=en")).text
    assert f'href="http://testserver/awards/{cycle.slug}/manage"' in page
    assert "Manage this cycle" in text_of(page)
    client.cookies.clear()
    await sign_in(client, await make_user())
    assert 'data-testid="create-cycle"' not in (await client.get("/awards")).text
    assert 'data-testid="manage-cycle"' not in (await client.get(f"/awards/{cycle.slug}")).text


async def test_a_reload_of_a_refused_action_leads_to_its_forms_page(client):
    _organizer_user, cycle = await _organizer(client)
    for action, page in (
        ("visibility", "manage"),
        ("extend", "manage"),
        (f"categories/{(await make_category(cycle)).id}/move", "manage/categories"),
    ):
        response = await client.get(f"/awards/{cycle.slug}/manage/{action}")
        assert response.status_code == 303
        assert response.headers["location"] == f"http://testserver/awards/{cycle.slug}/{page}"
