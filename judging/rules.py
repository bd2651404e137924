"""Who may do what in judging. Rules read only what is already loaded: the user's roles, and
the small context objects the services build (a round, a judge's view of an entry ...)."""

from __future__ import annotations

from typing import Any

from core import permissions
from core.clock import now
from judging.enums import JudgeState, RoundState


def organizer(user: Any, obj: Any) -> bool:
    """Organizer of the scope of `obj` (anything with scope_type and scope_id: a round, a
    judge, a ScopeInfo)."""
    if user is None or obj is None:
        return False
    return (obj.scope_type, obj.scope_id, "organizer") in getattr(user, "roles", frozenset())


manage = permissions.any_of(permissions.admin, organizer)


def _own_seat(user: Any, obj: Any) -> bool:
    judge = obj.judge
    return user is not None and judge.user_id == user.id and judge.state == JudgeState.ACCEPTED


def sees_entry(user: Any, obj: Any) -> bool:
    """A judge's view of an entry (services.Scoring): theirs, not conflicted, round started."""
    return _own_seat(user, obj) and not obj.conflicted and obj.round.state != RoundState.DRAFT


def scores_entry(user: Any, obj: Any) -> bool:
    return sees_entry(user, obj) and obj.round.accepts_scores(now())


def scope_visible(user: Any, scope: Any) -> bool:
    """The scope (a ScopeInfo) as its source says: public, or seen by its managers only."""
    return scope is not None and (scope.public or manage(user, scope))


def results_public(user: Any, obj: Any) -> bool:
    """Published results of a round (or services.PublishedResults): anyone, once public."""
    return obj is not None and obj.results_public(now())


def reads_feedback(user: Any, obj: Any) -> bool:
    """A team's feedback (services.Feedback): a member of the entry, once public; organizers
    of the scope and admins too."""
    if obj is None or not obj.rounds:
        return False
    if manage(user, obj):
        return True
    return user is not None and user.email.lower() in obj.member_emails


def invited(user: Any, obj: Any) -> bool:
    """The invitation (a Judge row) was sent to this user's address."""
    return user is not None and user.email.lower() == obj.email.lower()


permissions.register(
    {
        "judging.manage": manage,
        "judging.see_entry": sees_entry,
        "judging.score": scores_entry,
        "judging.results": results_public,
        "judging.scope_visible": scope_visible,
        "judging.feedback": reads_feedback,
    }
)
