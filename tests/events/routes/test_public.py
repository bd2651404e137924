"""The public event page, the home page section and the events list."""

from __future__ import annotations

import datetime as dt

from core import clock
from events.models import Track
from events.services.home import published_events
from judging.enums import RoundState
from tests.events.factories import QueryCounter, make_event, make_team, text_of
from tests.events.factories import register as register_for
from tests.factories import make_user, sign_in
from tests.judging.factories import make_round


async def test_the_event_page_shows_tracks_timeline_rules_and_a_call_to_register(client):
    at = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)  # 09:00 in Riyadh
    clock.travel(at + dt.timedelta(days=2) - clock.now())
    event = await make_event(
        phase="registration",
        rules_en="Teams keep their IP.",
        rules_ar="",
        description_en="A media hackathon.",
        registration_opens=at,
        registration_closes=at + dt.timedelta(days=9),
    )
    await Track.filter(event=event, position=1).update(
        name_ar="مكافحة الشائعات", name_en="Countering misinformation"
    )
    response = await client.get(f"/events/{event.slug}?lang=en")
    assert response.status_code == 200
    text = text_of(response.text)
    assert f"Mediathon {event.slug.split('-')[1]}" in text
    assert "Countering misinformation" in text and "Track 2" in text
    assert "Open for registration" in text
    assert "Registration opens 20 November 2026, 09:00 (10 Jumada al-Akhirah 1448 AH)" in text
    assert "Registration closes on 29 November 2026, 09:00 (19 Jumada al-Akhirah 1448 AH)." in text
    assert "Teams keep their IP." in text
    assert "Times are shown in the event's time zone (Saudi Arabia Time)." in text
    assert f'href="http://testserver/login?next=/events/{event.slug}/register"' in response.text
    arabic = text_of((await client.get(f"/events/{event.slug}?lang=ar")).text)
    assert "مكافحة الشائعات" in arabic
    assert "يُفتح التسجيل 20 نوفمبر 2026، 09:00 (10 جمادى الآخرة 1448 هـ)" in arabic


async def test_a_signed_in_visitor_is_asked_to_register(client):
    event = await make_event(phase="registration")
    await sign_in(client, await make_user(language="en"))
    text = text_of((await client.get(f"/events/{event.slug}")).text)
    assert "Register now" in text


async def test_a_signed_in_visitor_sees_at_once_a_milestone_pass_and_a_track_renamed(client):
    """The tracks, timeline and rules are kept by every value they show (events.views): the
    clock passing a milestone (no write at all), a renamed track and new rules show on the
    very next visit."""
    event = await make_event(phase="registration", rules_en="Teams keep their IP.")
    await sign_in(client, await make_user(language="en"))
    closes = 'data-key="registration_closes"'
    html = (await client.get(f"/events/{event.slug}")).text
    assert f'<li class="ahead" {closes}>' in html
    await Track.filter(event=event, position=1).update(name_en="Countering misinformation")
    event.rules_en = "Each team owns its work."
    await event.save()
    clock.travel(event.registration_closes + dt.timedelta(minutes=1) - clock.now())
    html = (await client.get(f"/events/{event.slug}")).text
    assert f'<li class="passed" {closes}>' in html
    text = text_of(html)
    assert "Countering misinformation" in text and "Each team owns its work." in text
    assert "Teams keep their IP." not in text


async def test_what_a_visitor_may_do_shows_at_once_when_they_register_or_the_clock_moves(client):
    """The page's first section is kept by every value it shows (events.views.HERO): the
    visitor's registration, a renamed event and registration closing by the clock alone each
    show on the very next visit."""
    event = await make_event(phase="registration")
    user = await make_user(language="en")
    await sign_in(client, user)
    register = f'href="http://testserver/events/{event.slug}/register"'
    html = (await client.get(f"/events/{event.slug}")).text
    assert "Register now" in text_of(html) and register in html
    await register_for(user, event)
    event.title_en = "Mediathon of the coast"
    await event.save()
    html = (await client.get(f"/events/{event.slug}")).text
    text = text_of(html)
    assert "You are registered for this event." in text and "Register now" not in text
    assert "Change your answers" in text and "Mediathon of the coast" in text
    clock.travel(event.registration_closes + dt.timedelta(minutes=1) - clock.now())
    text = text_of((await client.get(f"/events/{event.slug}")).text)
    assert "You are registered for this event." in text and "Change your answers" not in text


async def test_registration_closed_and_upcoming(client):
    closed = await make_event(phase="submission_only")
    upcoming = await make_event(phase="upcoming")
    text = text_of((await client.get(f"/events/{closed.slug}?lang=en")).text)
    assert "Registration for this event has closed." in text and "Register now" not in text
    text = text_of((await client.get(f"/events/{upcoming.slug}?lang=en")).text)
    assert "Opening soon" in text and "Registration opens on" in text


async def test_a_draft_answers_404_to_everyone_but_its_organizers(client):
    organizer = await make_user(language="en")
    draft = await make_event(published=False, organizer=organizer)
    assert (await client.get(f"/events/{draft.slug}")).status_code == 404
    await sign_in(client, await make_user())
    assert (await client.get(f"/events/{draft.slug}")).status_code == 404
    assert (await client.get("/events/no-such-event")).status_code == 404
    client.cookies.clear()
    await sign_in(client, organizer)
    response = await client.get(f"/events/{draft.slug}")
    assert response.status_code == 200
    assert "This event is a draft: only its organizers can see this page." in text_of(response.text)


async def test_the_home_section_lists_published_events_in_one_query(db):
    draft = await make_event(published=False)
    first = await make_event(phase="registration")
    with QueryCounter() as few:
        items = await published_events()
    assert [i["url"] for i in items] == [f"/events/{first.slug}"]
    item = items[0]
    assert item["title_en"] == first.title_en and item["title_ar"] == first.title_ar
    assert item["when"] == first.submissions_open  # the next date on its timeline
    assert item["time_zone"] == "Asia/Riyadh"
    assert item["subtitle_en"] == "Open for registration · Submissions open"
    assert item["subtitle_ar"] == "التسجيل مفتوح · يُفتح باب المشاركات"
    for _ in range(8):
        await make_event()
    with QueryCounter() as many:
        items = await published_events()
    assert len(items) == 9 and draft.slug not in str(items)
    assert few.count == many.count == 1


async def test_the_home_page_shows_the_events(client):
    event = await make_event(phase="registration")
    text = text_of((await client.get("/?lang=en")).text)
    assert event.title_en in text and "Open for registration · Submissions open" in text


async def test_the_events_list(client):
    shown = await make_event()
    hidden = await make_event(published=False)
    text = text_of((await client.get("/events?lang=en")).text)
    assert shown.title_en in text and hidden.title_en not in text
    assert "Create an event" not in text


async def test_a_signed_in_member_sees_their_team_read_in_two_statements(client):
    """The signed-in event page is made on every visit: the person, and the event with their
    registration, team, its tracks and whether judging has published a round of it, one
    statement each; the published results only when there is a published round."""
    event = await make_event(phase="submission")
    captain = await make_user(language="en")
    team = await make_team(event, captain, name="Falcons")
    await make_round(event.id, criteria=False)  # a draft: no results to read
    await sign_in(client, captain)
    url = f"/events/{event.slug}?lang=en"
    await client.get(url)
    with QueryCounter() as counter:
        page = await client.get(url)
    assert "You are registered for this event." in text_of(page.text)
    assert f'href="http://testserver/events/{event.slug}/teams/{team.id}"' in page.text
    assert "Go to your team: Falcons" in text_of(page.text)
    assert "Track 1" in text_of(page.text) and "Track 2" in text_of(page.text)
    assert counter.count == 2, counter.statements
    stranger = await make_user(language="en")
    await sign_in(client, stranger)
    await client.get(url)
    with QueryCounter() as counter:
        page = await client.get(url)
    assert "You are registered" not in page.text and "Falcons" not in page.text
    assert "Track 1" in text_of(page.text) and "Track 2" in text_of(page.text)
    assert counter.count == 2, counter.statements
    tomorrow = clock.now() + dt.timedelta(days=1)
    await make_round(event.id, criteria=False, state=RoundState.PUBLISHED, publish_at=tomorrow)
    with QueryCounter() as counter:
        page = await client.get(url)
    assert counter.count == 3, counter.statements  # its rounds: none public yet
    assert 'data-testid="event-results"' not in page.text
