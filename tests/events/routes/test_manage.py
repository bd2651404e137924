"""Organizers create, edit, publish and extend an event; tracks and questions."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from accounts.models import Membership
from core.audit import AuditEntry
from events.enums import Visibility
from events.models import Event, Question, Track
from tests.conftest import post_form
from tests.events.factories import error_of, make_event, make_team, text_of, value_of
from tests.factories import make_user, sign_in

RIYADH = dt.timezone(dt.timedelta(hours=3))
FORM = {
    "slug": "mediathon-2027",
    "title_ar": "ميدياثون 2027",
    "title_en": "Mediathon 2027",
    "description_ar": "وصف",
    "description_en": "About",
    "rules_ar": "",
    "rules_en": "",
    "time_zone": "Asia/Riyadh",
    "team_min": "2",
    "team_max": "4",
    "max_attachments": "5",
    "max_attachment_mb": "20",
    "registration_opens": "2027-01-01T09:00",
    "registration_closes": "2027-01-20T23:59",
    "submissions_open": "2027-01-10T09:00",
    "submissions_close": "2027-01-31T23:59",
    "judging_starts": "2027-02-01T09:00",
    "judging_ends": "2027-02-10T17:00",
    "results_at": "2027-02-15T20:00",
}


async def test_an_admin_creates_a_draft_event_and_becomes_its_organizer(client):
    admin = await make_user(admin=True, language="en")
    await sign_in(client, admin)
    response = await post_form(client, "/events/new", FORM)
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/events/mediathon-2027/manage"
    event = await Event.get(slug="mediathon-2027")
    assert event.visibility == Visibility.DRAFT
    assert (event.team_min, event.team_max, event.title_ar) == (2, 4, "ميدياثون 2027")
    # read in Riyadh time, stored in UTC
    assert event.submissions_close == dt.datetime(2027, 1, 31, 20, 59, tzinfo=dt.UTC)
    assert event.judging_ends.astimezone(RIYADH).hour == 17
    assert await Membership.filter(
        user=admin, scope_type="event", scope_id=event.id, role="organizer"
    ).exists()
    entry = await AuditEntry.get(action="events.create")
    assert (entry.scope_type, entry.scope_id, entry.actor_id) == ("event", event.id, admin.id)
    assert entry.after["slug"] == "mediathon-2027"
    page = await client.get("/events/mediathon-2027/manage")
    assert "The event is created as a draft. Add its tracks, then publish it." in text_of(page.text)


async def test_people_who_may_not_create_events(client):
    response = await client.get("/events/new")
    assert (
        response.status_code == 303
        and "/login?next=%2Fevents%2Fnew" in response.headers["location"]
    )
    await sign_in(client, await make_user(language="en"))
    response = await client.get("/events/new")
    assert response.status_code == 403
    assert "You do not have permission to do this." in text_of(response.text)


async def test_an_organizer_of_one_event_may_create_another(client):
    organizer = await make_user(language="en")
    await make_event(organizer=organizer)
    await sign_in(client, organizer)
    response = await post_form(client, "/events/new", {**FORM, "slug": "second-edition"})
    assert response.status_code == 303


async def test_bad_event_input_is_shown_next_to_the_fields_and_kept(client):
    await sign_in(client, await make_user(admin=True, language="en"))
    bad = {
        **FORM,
        "slug": "Bad Slug!",
        "title_ar": "",
        "title_en": "",
        "team_min": "5",
        "team_max": "٣",
        "registration_closes": "2026-12-01T09:00",
        "submissions_open": "not a date",
    }
    response = await post_form(client, "/events/new", bad)
    assert response.status_code == 422
    html = response.text
    assert error_of(html, "slug") == (
        "Use 3 to 60 lowercase Latin letters, digits and hyphens, like mediathon-2026."
    )
    assert error_of(html, "title_ar") == "Write it in Arabic, in English, or both."
    assert error_of(html, "team_max") == (
        "The largest team size cannot be smaller than the smallest."
    )
    assert error_of(html, "registration_closes") == (
        "This date must come after “Registration opens”."
    )
    assert error_of(html, "submissions_open") == "Enter a date and time, like 2026-12-01T09:00."
    assert value_of(html, "slug") == "bad slug!"
    assert value_of(html, "description_en") == "About"
    assert value_of(html, "team_max") == "3"  # Arabic-Indic digits read as 3
    assert await Event.all().count() == 0


async def test_a_taken_address_is_refused(client):
    await make_event(slug="mediathon-2027")
    await sign_in(client, await make_user(admin=True, language="en"))
    response = await post_form(client, "/events/new", FORM)
    assert response.status_code == 422
    assert error_of(response.text, "slug") == "Another event already uses this address."
    assert value_of(response.text, "title_en") == "Mediathon 2027"


async def test_editing_shows_dates_in_the_event_zone_and_audits_the_changes(client):
    organizer = await make_user(language="en")
    event = await make_event(organizer=organizer, phase="registration")
    await sign_in(client, organizer)
    page = await client.get(f"/events/{event.slug}/manage/edit")
    local = event.submissions_close.astimezone(RIYADH).strftime("%Y-%m-%dT%H:%M")
    assert value_of(page.text, "submissions_close") == local
    response = await post_form(
        client,
        f"/events/{event.slug}/manage/edit",
        {**FORM, "slug": event.slug, "time_zone": "Asia/Dubai"},
    )
    assert response.status_code == 303
    await event.refresh_from_db()
    assert event.time_zone == "Asia/Dubai"
    assert event.submissions_close == dt.datetime(2027, 1, 31, 19, 59, tzinfo=dt.UTC)
    entry = await AuditEntry.get(action="events.update")
    assert entry.before["time_zone"] == "Asia/Riyadh" and entry.after["time_zone"] == "Asia/Dubai"
    assert "slug" not in entry.after  # only what changed
    assert entry.scope_id == event.id


async def test_publishing_and_unpublishing_are_audited(client):
    organizer = await make_user(language="en")
    event = await make_event(organizer=organizer, published=False)
    await sign_in(client, organizer)
    response = await post_form(
        client, f"/events/{event.slug}/manage/visibility", {"visibility": "published"}
    )
    assert response.status_code == 303
    page = await client.get(f"/events/{event.slug}/manage")
    assert "The event is published." in text_of(page.text)
    await post_form(client, f"/events/{event.slug}/manage/visibility", {"visibility": "draft"})
    await event.refresh_from_db()
    assert event.visibility == Visibility.DRAFT
    actions = (
        await AuditEntry.filter(scope_id=event.id).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["events.publish", "events.unpublish"]


async def test_extending_a_deadline(client):
    organizer = await make_user(language="en")
    event = await make_event(organizer=organizer, phase="submission")
    old = event.submissions_close
    await sign_in(client, organizer)
    later = (old + dt.timedelta(hours=12)).astimezone(RIYADH).strftime("%Y-%m-%dT%H:%M")
    response = await post_form(
        client,
        f"/events/{event.slug}/manage/extend",
        {"deadline": "submissions_close", "until": later},
    )
    assert response.status_code == 303
    await event.refresh_from_db()
    assert event.submissions_close == old.replace(second=0, microsecond=0) + dt.timedelta(hours=12)
    entry = await AuditEntry.get(action="events.extend_deadline")
    assert entry.after == {"submissions_close": event.submissions_close.isoformat()}
    earlier = (old - dt.timedelta(days=1)).astimezone(RIYADH).strftime("%Y-%m-%dT%H:%M")
    response = await post_form(
        client,
        f"/events/{event.slug}/manage/extend",
        {"deadline": "submissions_close", "until": earlier},
    )
    assert response.status_code == 422
    assert error_of(response.text, "until") == "Choose a moment later than the current deadline."
    assert value_of(response.text, "until") == earlier
    beyond = (
        (event.judging_starts + dt.timedelta(days=1)).astimezone(RIYADH).strftime("%Y-%m-%dT%H:%M")
    )
    response = await post_form(
        client,
        f"/events/{event.slug}/manage/extend",
        {"deadline": "submissions_close", "until": beyond},
    )
    assert response.status_code == 422
    assert error_of(response.text, "until").startswith("This date would put the timeline out")


async def test_tracks_are_added_ordered_edited_and_deleted(client):
    organizer = await make_user(language="en")
    event = await make_event(organizer=organizer, tracks=0)
    await sign_in(client, organizer)
    base = f"/events/{event.slug}/manage/tracks"
    for ar, en in (
        ("مكافحة الشائعات", "Countering misinformation"),
        ("الإعلام الرقمي للشباب", "Digital media for youth"),
    ):
        response = await post_form(client, base, {"name_ar": ar, "name_en": en})
        assert response.status_code == 303
    first, second = await Track.filter(event=event).order_by("position")
    await post_form(client, f"{base}/{second.id}/move", {"direction": "up"})
    names = await Track.filter(event=event).order_by("position").values_list("name_en", flat=True)
    assert names == ["Digital media for youth", "Countering misinformation"]
    response = await post_form(client, f"{base}/{first.id}", {"name_ar": "", "name_en": ""})
    assert response.status_code == 422
    assert error_of(response.text, "name_ar") == "Write it in Arabic, in English, or both."
    await post_form(client, f"{base}/{first.id}", {"name_ar": "", "name_en": "Fact-checking"})
    await first.refresh_from_db()
    assert first.name_en == "Fact-checking"
    await make_team(event, await make_user(language="en"), track=first)
    await post_form(client, f"{base}/{first.id}/delete", {})
    page = await client.get(base)
    assert "Teams have chosen this track, so it cannot be deleted. Rename it instead." in text_of(
        page.text
    )
    await post_form(client, f"{base}/{second.id}/delete", {})
    assert await Track.filter(event=event).count() == 1
    actions = set(await AuditEntry.filter(scope_id=event.id).values_list("action", flat=True))
    assert {
        "events.track_add",
        "events.track_move",
        "events.track_update",
        "events.track_delete",
    } <= actions


async def test_questions_for_registration_and_submission(client):
    organizer = await make_user(language="en")
    event = await make_event(organizer=organizer)
    await sign_in(client, organizer)
    base = f"/events/{event.slug}/manage/questions"
    response = await post_form(
        client,
        base,
        {
            "scope": "registration",
            "kind": "single_choice",
            "label_en": "Your role",
            "options": "طالب | Student",
        },
    )
    assert response.status_code == 422
    assert error_of(response.text, "options") == "Give at least two options, one per line."
    response = await post_form(
        client,
        base,
        {
            "scope": "registration",
            "kind": "single_choice",
            "label_ar": "دورك",
            "label_en": "Your role",
            "required": "on",
            "options": "طالب | Student\nصحفي | Journalist\n\n| Other",
        },
    )
    assert response.status_code == 303
    await post_form(
        client, base, {"scope": "submission", "kind": "file", "label_en": "Budget sheet"}
    )
    role = await Question.get(label_en="Your role")
    assert role.required and role.options == [
        {"key": "o1", "ar": "طالب", "en": "Student"},
        {"key": "o2", "ar": "صحفي", "en": "Journalist"},
        {"key": "o3", "ar": "", "en": "Other"},
    ]
    page = await client.get(f"{base}/{role.id}")
    assert "طالب | Student\nصحفي | Journalist\nOther" in page.text
    sheet = await Question.get(label_en="Budget sheet")
    assert sheet.scope == "submission" and sheet.kind == "file" and not sheet.required


async def test_an_organizer_of_another_event_sees_nothing(client):
    mine = await make_event(organizer=(me := await make_user(language="en")))
    theirs = await make_event(published=False)
    track = await Track.filter(event=theirs).first()
    await sign_in(client, me)
    for url in [
        f"/events/{theirs.slug}",
        f"/events/{theirs.slug}/manage",
        f"/events/{theirs.slug}/manage/teams",
        f"/events/{theirs.slug}/manage/export/teams.csv",
        f"/events/{mine.slug}/manage/tracks/{track.id}",
    ]:
        response = await client.get(url)
        assert response.status_code == 404, url
        assert "This page does not exist or is not available to you." in text_of(response.text)


@pytest.mark.parametrize(
    ("lang", "riyadh", "utc", "note"),
    [
        ("ar", "توقيت المملكة العربية السعودية", "التوقيت العالمي المنسّق (UTC)", "توقيت مصر"),
        ("en", "Saudi Arabia Time", "Coordinated Universal Time (UTC)", "Egypt Time"),
    ],
)
async def test_time_zones_are_named_in_the_readers_language(client, lang, riyadh, utc, note):
    await sign_in(client, await make_user(admin=True, language=lang))
    form = (await client.get(f"/events/new?lang={lang}")).text
    event = await make_event(phase="registration", time_zone="Africa/Cairo")

    page = text_of((await client.get(f"/events/{event.slug}?lang={lang}")).text)

    options = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', form))
    assert options["Asia/Riyadh"] == riyadh
    assert options["UTC"] == utc
    assert f"({note})" in page
    assert "Africa/Cairo" not in page
    assert not [name for name in options.values() if "/" in name]  # no raw zone names
