"""What an event's page reads for a visitor: the event, whether they are registered, their
team, the event's tracks and whether judging has published a round of it, in one
hand-written statement (core/sql.py) instead of five ORM queries: the page is the most visited
signed-in page, and a signed-in visitor's copy is made on every request. Only the event
becomes a model (the permission rules, the phase and the page cache read it); the rest stays
plain values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.enums import ScopeType
from accounts.models import Someone
from core import sql
from events.models import SLUG_MAX, Event
from judging.services import published

# One row per track (one row when there is none): the event's columns repeat on each.
# Judging's EXISTS (its parameters first) says whether the page has results to read.
EVENT_AND_MINE = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(Event, "e")}, r.id AS registration_id, t.id AS team_id,
           t.name AS team_name, k.id AS track_id, k.name_ar, k.name_en, k.description_ar,
           k.description_en, {published.any_published_round("e.id")} AS published
    FROM events_event e
      LEFT JOIN events_registration r ON r.event_id = e.id AND r.user_id = ?
      LEFT JOIN events_team_member m ON m.event_id = e.id AND m.user_id = ?
      LEFT JOIN events_team t ON t.id = m.team_id
      LEFT JOIN events_track k ON k.event_id = e.id
    WHERE e.slug = ? ORDER BY k.position, k.id"""  # noqa: S608
    )
)


@dataclass(frozen=True)
class MyTeam:
    id: int
    name: str


@dataclass(frozen=True)
class EventPage:
    event: Event
    registered: bool
    team: MyTeam | None
    tracks: list[dict[str, Any]]  # name_ar, name_en, description_ar, description_en
    published: bool  # whether judging has published a round of the event (results may show)


async def read(slug: str, user: Someone | None) -> EventPage | None:
    """The event with this slug (None when there is none), whether the visitor is registered
    and their team (neither when signed out), its tracks in order, and whether it has a
    published round. Whether the visitor may see it is the caller's check."""
    if len(slug) > SLUG_MAX:  # asking the database would only fail its length check
        return None
    user_id: Any = user.id if user is not None else None  # no row has a NULL user
    rounds = published.any_published_round_params(ScopeType.EVENT.value)
    found = await sql.rows(EVENT_AND_MINE, [*rounds, user_id, user_id, slug])
    if not found:
        return None
    row = found[0]
    event = sql.hydrate(Event, row, "e")
    assert event is not None
    return EventPage(
        event=event,
        registered=row["registration_id"] is not None,
        team=MyTeam(row["team_id"], row["team_name"]) if row["team_id"] is not None else None,
        tracks=[t for t in found if t["track_id"] is not None],
        published=bool(row["published"]),
    )
