"""Who may do what in the award: one-line predicates, registered by name.

Rules read only what is loaded: the user's roles come with the user, and a nomination's
nominators come with it in a `NominationAccess`, so a check costs no query. Phase checks read
the clock; the services check the same again inside their transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.enums import Role, ScopeType
from awards.enums import CyclePhase, NominationState
from awards.models import Cycle, Nomination
from core import permissions
from core.clock import now
from core.permissions import admin, all_of, any_of, has_role, signed_in


@dataclass(frozen=True)
class NominationAccess:
    """A nomination with its cycle and the ids of everyone credited as its nominator."""

    cycle: Cycle
    nomination: Nomination
    nominator_ids: frozenset[int]


def _cycle_of(obj: Any) -> Cycle | None:
    return obj.cycle if isinstance(obj, NominationAccess) else obj


def _cycle_id(obj: Any) -> int | None:
    cycle = _cycle_of(obj)
    return cycle.id if cycle is not None else None


organizer = has_role(Role.ORGANIZER.value, ScopeType.AWARD_CYCLE.value, _cycle_id)
judge = has_role(Role.JUDGE.value, ScopeType.AWARD_CYCLE.value, _cycle_id)
manage = any_of(admin, organizer)


def published(user: Any, obj: Any) -> bool:
    cycle = _cycle_of(obj)
    return cycle is not None and cycle.published


def verified(user: Any, obj: Any) -> bool:
    return user is not None and getattr(user, "email_verified_at", None) is not None


def nominations_open(user: Any, obj: Any) -> bool:
    cycle = _cycle_of(obj)
    return cycle is not None and cycle.phase(now()) == CyclePhase.NOMINATIONS


def nominator(user: Any, obj: Any) -> bool:
    return user is not None and isinstance(obj, NominationAccess) and user.id in obj.nominator_ids


def creator(user: Any, obj: Any) -> bool:
    return (
        user is not None
        and isinstance(obj, NominationAccess)
        and obj.nomination.created_by_id == user.id
    )


def appealable(user: Any, obj: Any) -> bool:
    """An ineligible ruling not yet final, before the appeal deadline."""
    if not isinstance(obj, NominationAccess):
        return False
    row = obj.nomination
    return (
        row.state == NominationState.INELIGIBLE
        and not row.final
        and now() < obj.cycle.appeals_close
    )


def organizes_any_cycle(user: Any, obj: Any) -> bool:
    return user is not None and any(
        t == ScopeType.AWARD_CYCLE.value and r == Role.ORGANIZER.value
        for t, _i, r in getattr(user, "roles", frozenset())
    )


def nominee(user: Any, obj: Any) -> bool:
    """The nominee who accepted, while the nomination is in the race and before the
    acceptance deadline (nominations close plus the cycle's grace period)."""
    if user is None or not isinstance(obj, NominationAccess):
        return False
    row = obj.nomination
    return (
        row.nominee_user_id == user.id
        and row.state in (NominationState.SUBMITTED, NominationState.ELIGIBLE)
        and now() < obj.cycle.acceptance_deadline
    )


def screening_open(user: Any, obj: Any) -> bool:
    cycle = _cycle_of(obj)
    return cycle is not None and cycle.nominations_close <= now() < cycle.screening_ends


RULES = {
    "awards.view": any_of(published, manage),
    "awards.manage": manage,
    "awards.nominate": all_of(signed_in, verified, published, nominations_open),
    "awards.nomination_view": any_of(nominator, manage),
    "awards.nomination_edit": all_of(creator, nominations_open),
    "awards.appeal": all_of(nominator, appealable),
    "awards.screen": all_of(manage, screening_open),
    "awards.create": any_of(admin, organizes_any_cycle),
    "awards.nominee": nominee,
}
permissions.register(RULES)
