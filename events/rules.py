"""Who may do what in a Mediathon: one-line predicates, registered by name.

Rules read only what is loaded: the user's roles come with the user, and a team's members come
with the team in a `TeamAccess`, so a check costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.enums import Role, ScopeType
from core import permissions
from core.permissions import admin, any_of, has_role, signed_in
from events.models import Event, Team


@dataclass(frozen=True)
class TeamAccess:
    """A team with the ids of its members, as rules about the team need them."""

    event: Event
    team: Team
    member_ids: frozenset[int]


def _event_of(obj: Any) -> Event | None:
    return obj.event if isinstance(obj, TeamAccess) else obj


def _event_id(obj: Any) -> int | None:
    event = _event_of(obj)
    return event.id if event is not None else None


organizer = has_role(Role.ORGANIZER.value, ScopeType.EVENT.value, _event_id)
participant = has_role(Role.PARTICIPANT.value, ScopeType.EVENT.value, _event_id)
manage = any_of(admin, organizer)


def published(user: Any, obj: Any) -> bool:
    event = _event_of(obj)
    return event is not None and event.published


def organizes_any_event(user: Any, obj: Any) -> bool:
    return user is not None and any(
        t == ScopeType.EVENT.value and r == Role.ORGANIZER.value
        for t, _i, r in getattr(user, "roles", frozenset())
    )


def team_member(user: Any, obj: Any) -> bool:
    return user is not None and isinstance(obj, TeamAccess) and user.id in obj.member_ids


def captain(user: Any, obj: Any) -> bool:
    return (
        user is not None
        and isinstance(obj, TeamAccess)
        and obj.team.active
        and obj.team.captain_id == user.id
        and user.id in obj.member_ids
    )


def registers(user: Any, obj: Any) -> bool:
    return signed_in(user, obj) and published(user, obj)


RULES = {
    "events.create": any_of(admin, organizes_any_event),
    "events.view": any_of(published, manage),
    "events.manage": manage,
    "events.register": registers,
    "events.participant": participant,
    "events.team_view": any_of(team_member, manage),
    "events.team_member": team_member,
    "events.team_manage": captain,
    "events.submission_view": any_of(team_member, manage),
    "events.submission_edit": team_member,
    "events.submission_withdraw": captain,
}
permissions.register(RULES)
