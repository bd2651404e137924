"""The public event page and the API's event list are kept for a few seconds for anonymous
visitors (events.public_cache); what they show still changes the moment it should."""

from __future__ import annotations

import asyncio
import datetime as dt

from accounts.models import User
from core import clock
from events.enums import Visibility
from events.models import Track
from events.services import editions
from judging.enums import RoundState
from judging.models import Round
from tests.events.factories import QueryCounter, make_event, text_of
from tests.factories import make_user, sign_in


async def test_a_second_anonymous_visit_runs_no_query(client):
    event = await make_event(phase="registration")
    first = await client.get(f"/events/{event.slug}?lang=en")
    with QueryCounter() as counter:
        second = await client.get(f"/events/{event.slug}?lang=en")
    assert counter.count == 0
    assert second.text == first.text and second.headers["content-type"].startswith("text/html")
    assert "Sign in to register" in text_of(second.text)


async def test_an_organizer_change_shows_at_once(client):
    organizer = await make_user(language="en")
    event = await make_event(phase="registration", organizer=organizer)
    assert "Track 1" in text_of((await client.get(f"/events/{event.slug}?lang=en")).text)
    assert "Mediathon" in (await client.get("/api/v1/events")).text
    track = await Track.get(event=event, position=1)
    await editions.update_track(
        organizer,
        event,
        track,
        {
            "name_ar": "مكافحة الشائعات",
            "name_en": "Countering misinformation",
            "description_ar": "",
            "description_en": "",
        },
    )
    await editions.set_visibility(organizer, event, Visibility.DRAFT)
    assert (await client.get(f"/events/{event.slug}?lang=en")).status_code == 404
    assert (await client.get("/api/v1/events")).json() == {"events": []}
    await editions.set_visibility(organizer, event, Visibility.PUBLISHED)
    text = text_of((await client.get(f"/events/{event.slug}?lang=en")).text)
    assert "Countering misinformation" in text and "Track 1" not in text


async def test_the_phase_changes_at_the_milestone_not_seconds_later(client):
    event = await make_event(phase="registration")
    clock.travel(event.submissions_open - clock.now() - dt.timedelta(seconds=1))
    before = text_of((await client.get(f"/events/{event.slug}?lang=en")).text)
    phase = (await client.get("/api/v1/events")).json()["events"][0]["phase"]
    assert "Open for registration" in before and phase == "registration"
    clock.travel(dt.timedelta(seconds=1))
    after = text_of((await client.get(f"/events/{event.slug}?lang=en")).text)
    phase = (await client.get("/api/v1/events")).json()["events"][0]["phase"]
    assert "Open for submissions" in after and phase == "submission"


async def test_entries_expire_after_a_few_seconds(client):
    event = await make_event(phase="submission_only")
    await client.get(f"/events/{event.slug}?lang=en")
    await Track.filter(event=event, position=2).update(name_en="Renamed in the database")
    clock.travel(dt.timedelta(seconds=2))
    assert "Renamed" not in (await client.get(f"/events/{event.slug}?lang=en")).text
    clock.travel(dt.timedelta(seconds=4))
    assert "Renamed in the database" in (await client.get(f"/events/{event.slug}?lang=en")).text


async def test_signed_in_visitors_get_their_own_page(client):
    event = await make_event(phase="registration")
    anonymous = text_of((await client.get(f"/events/{event.slug}?lang=en")).text)
    assert "Sign in to register" in anonymous
    user: User = await make_user(language="en")
    await sign_in(client, user)
    text = text_of((await client.get(f"/events/{event.slug}?lang=en")).text)
    assert "Register now" in text and "Sign in to register" not in text


async def test_no_page_is_kept_while_judging_may_publish_results(client):
    """Results appear on the event page when judging publishes them: while a round's scoring
    is over the page is not kept, and an open round's end bounds how long it is."""
    event = await make_event(phase="judging")
    scoring = await Round.create(
        scope_type="event",
        scope_id=event.id,
        name_en="Final",
        state=RoundState.OPEN,
        ends_at=clock.now() + dt.timedelta(seconds=2),
    )
    await client.get(f"/events/{event.slug}?lang=en")
    await Track.filter(event=event, position=2).update(name_en="Renamed in the database")
    assert "Renamed" not in (await client.get(f"/events/{event.slug}?lang=en")).text
    clock.travel(dt.timedelta(seconds=2))  # scoring is over: publication is one click away
    assert "Renamed in the database" in (await client.get(f"/events/{event.slug}?lang=en")).text
    await Track.filter(event=event, position=2).update(name_en="Renamed again")
    assert "Renamed again" in (await client.get(f"/events/{event.slug}?lang=en")).text
    await Round.filter(id=scoring.id).update(state=RoundState.CLOSED, ends_at=None)
    await Track.filter(event=event, position=2).update(name_en="Renamed a third time")
    assert "Renamed a third time" in (await client.get(f"/events/{event.slug}?lang=en")).text


async def test_visitors_arriving_together_wait_for_one_page_to_be_made(client):
    event = await make_event(phase="registration")
    url = f"/events/{event.slug}?lang=en"
    with QueryCounter() as one:
        first = await client.get(url)
    clock.travel(dt.timedelta(seconds=6))  # the entry has expired
    with QueryCounter() as together:
        pages = await asyncio.gather(*(client.get(url) for _ in range(8)))
    assert together.count == one.count  # one page made, seven served from it
    assert {p.text for p in pages} == {first.text}
