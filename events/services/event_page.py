"""What an event's page reads for a visitor: the event, their registration and team, and the
tracks, in two hand-written statements (core/sql.py) instead of five ORM queries: the page is
the most visited signed-in page, and a signed-in visitor's copy is made on every request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.models import User
from core import sql
from events.models import SLUG_MAX, Event, Registration, Team, Track

EVENT_AND_MINE = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(Event, "e")}, {sql.columns(Registration, "r")},
           {sql.columns(Team, "t")}
    FROM events_event e
      LEFT JOIN events_registration r ON r.event_id = e.id AND r.user_id = ?
      LEFT JOIN events_team_member m ON m.event_id = e.id AND m.user_id = ?
      LEFT JOIN events_team t ON t.id = m.team_id
    WHERE e.slug = ?"""  # noqa: S608
    )
)
TRACKS = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(Track, "k")} FROM events_track k
    WHERE k.event_id = ? ORDER BY k.position, k.id"""  # noqa: S608
    )
)


@dataclass(frozen=True)
class EventPage:
    event: Event
    registration: Registration | None
    team: Team | None
    tracks: list[Track]


async def read(slug: str, user: User | None) -> EventPage | None:
    """The event with this slug (None when there is none) with the visitor's registration
    and team (None when signed out) and its tracks in order. Whether the visitor may see it
    is the caller's check."""
    if len(slug) > SLUG_MAX:  # asking the database would only fail its length check
        return None
    user_id: Any = user.id if user is not None else None  # no row has a NULL user
    found = await sql.rows(EVENT_AND_MINE, [user_id, user_id, slug])
    if not found:
        return None
    row = found[0]
    event = sql.hydrate(Event, row, "e")
    assert event is not None
    tracks = [sql.hydrate(Track, t, "k") for t in await sql.rows(TRACKS, [event.id])]
    return EventPage(
        event=event,
        registration=sql.hydrate(Registration, row, "r"),
        team=sql.hydrate(Team, row, "t"),
        tracks=[t for t in tracks if t is not None],
    )
