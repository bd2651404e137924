"""Conflicts of interest: declared by judges, added or lifted by organizers, detected from a
shared organization or e-mail domain. A new conflict takes the entry off the judge's queue."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from accounts.models import Someone
from core import audit
from core.errors import Conflict as ConflictError
from core.errors import Invalid
from core.i18n import gettext as _
from judging.enums import ConflictKind, ConflictOrigin, JudgeState, RoundState, SheetState
from judging.models import Assignment, Conflict, Entry, Judge, Round, ScoreSheet
from judging.services.common import in_scope, scope_of
from judging.services.markers import (
    active_conflicts,
    judge_markers,
    meets_conflict,
    normalize_org,
    organizations_of,
)


async def conflicts_of(scope_type: str, scope_id: int) -> list[Conflict]:
    return (
        await Conflict.filter(scope_type=scope_type, scope_id=scope_id)
        .select_related("judge__user")
        .order_by("judge_id", "id")
    )


async def conflict_in_scope(scope_type: str, scope_id: int, conflict_id: int) -> Conflict:
    return await in_scope(
        Conflict, scope_type, scope_id, conflict_id, _("This conflict does not exist.")
    )


async def detect_conflicts(actor: Someone | None, scope_type: str, scope_id: int) -> int:
    """Record a conflict for each judge sharing an organization or a non-public e-mail domain
    with any member of any entry of the scope. A conflict an organizer lifted stays lifted."""
    judges = await Judge.filter(
        scope_type=scope_type,
        scope_id=scope_id,
        state__in=[JudgeState.INVITED, JudgeState.ACCEPTED],
    ).select_related("user")
    organizations = await _scope_organizations(scope_type, scope_id)
    created = 0
    async with in_transaction():
        for judge in judges:
            for value in sorted(judge_markers(judge, judge.user) & organizations):
                created += await _detected(actor, judge, value)
    if created:
        await drop_conflicted_assignments(actor, scope_type, scope_id)
    return created


async def _scope_organizations(scope_type: str, scope_id: int) -> set[str]:
    found: set[str] = set()
    for entry in await Entry.filter(round__scope_type=scope_type, round__scope_id=scope_id):
        found |= organizations_of(entry.members, entry.organizations)
    return found


async def _detected(actor: Someone | None, judge: Judge, value: str) -> int:
    """Record one detected conflict unless it is already known (even lifted); 1 if new."""
    conflict, new = await Conflict.get_or_create(
        judge=judge,
        kind=ConflictKind.ORGANIZATION,
        value=value,
        defaults={
            "scope_type": judge.scope_type,
            "scope_id": judge.scope_id,
            "label": value,
            "origin": ConflictOrigin.DETECTED,
        },
    )
    if new:
        await audit.record(
            actor,
            "judging.conflict_detected",
            conflict,
            scope=scope_of(judge),
            after={"judge": judge.email, "value": value},
        )
    return int(new)


async def record_conflict(
    actor: Someone | None,
    judge: Judge,
    *,
    kind: ConflictKind,
    value: str,
    label: str,
    reason: str,
    origin: ConflictOrigin,
) -> Conflict:
    """Record (or reactivate) a conflict, then take the entries it names off the queue."""
    async with in_transaction():
        conflict = await Conflict.get_or_none(judge=judge, kind=kind, value=value)
        if conflict is None:
            conflict = await Conflict.create(
                judge=judge,
                scope_type=judge.scope_type,
                scope_id=judge.scope_id,
                kind=kind,
                value=value,
                label=label,
                reason=reason,
                origin=origin,
            )
        else:
            conflict.active, conflict.reason, conflict.origin = True, reason, origin
            await conflict.save(update_fields=["active", "reason", "origin"])
        action = (
            "judging.conflict_declared"
            if origin == ConflictOrigin.DECLARED
            else "judging.conflict_added"
        )
        await audit.record(
            actor,
            action,
            conflict,
            scope=scope_of(judge),
            after={"judge": judge.email, "kind": kind.value, "value": value, "reason": reason},
        )
    await drop_conflicted_assignments(actor, judge.scope_type, judge.scope_id)
    return conflict


async def declare_conflict(
    user: Someone | None,
    judge: Judge,
    *,
    kind: ConflictKind,
    value: str,
    reason: str,
    origin: ConflictOrigin,
) -> Conflict:
    """A judge (or an organizer, for a judge) names a team or an organization."""
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Say briefly why there is a conflict.")
    stored, label = await _named(judge, kind, value, errors)
    if errors:
        raise Invalid(errors)
    return await record_conflict(
        user, judge, kind=kind, value=stored, label=label, reason=reason, origin=origin
    )


async def _named(
    judge: Judge, kind: ConflictKind, value: str, errors: dict[str, str]
) -> tuple[str, str]:
    """What a conflict of this kind stores and shows for what was typed (errors noted)."""
    if kind == ConflictKind.ORGANIZATION:
        return normalize_org(value), value
    if kind == ConflictKind.TEAM:
        entry = await _team_named(judge.scope_type, judge.scope_id, value)
        if entry is None:
            errors["value"] = _("No team by this name takes part here.")
            return value, value
        return entry.team_key, entry.team_label
    entry = await _entry_in_scope(judge.scope_type, judge.scope_id, value)
    if entry is None:
        errors["value"] = _("Choose an entry of this competition.")
        return value, value
    return value, entry.title_ar or entry.title_en


async def _team_named(scope_type: str, scope_id: int, name: str) -> Entry | None:
    wanted = normalize_org(name)
    for entry in await Entry.filter(round__scope_type=scope_type, round__scope_id=scope_id):
        if entry.team_key and normalize_org(entry.team_label) == wanted:
            return entry
    return None


async def _entry_in_scope(scope_type: str, scope_id: int, value: str) -> Entry | None:
    if not value.isdigit():
        return None
    return await Entry.filter(
        round__scope_type=scope_type, round__scope_id=scope_id, source_id=int(value)
    ).first()


async def lift_conflict(actor: Someone, conflict: Conflict) -> Conflict:
    """An organizer lifts a conflict; detection never brings it back."""
    if not conflict.active:
        raise ConflictError(_("This conflict is already lifted."))
    async with in_transaction():
        conflict.active = False
        await conflict.save(update_fields=["active"])
        await audit.record(
            actor,
            "judging.conflict_lifted",
            conflict,
            scope=scope_of(conflict),
            before={"active": True},
            after={"active": False},
        )
    return conflict


async def submitted_assignment_ids(**filters: object) -> set[int]:
    """Ids of the assignments (chosen by ``filters`` on the sheet) with a submitted sheet."""
    return set(
        await ScoreSheet.filter(state=SheetState.SUBMITTED, **filters).values_list(
            "assignment_id", flat=True
        )
    )


async def drop_conflicted_assignments(actor: Someone | None, scope_type: str, scope_id: int) -> int:
    """A new conflict takes the entry off the judge's queue: assignments without a submitted
    score in rounds still running are removed, so the organizer can assign someone else."""
    rounds = await Round.filter(
        scope_type=scope_type, scope_id=scope_id, state__in=[RoundState.DRAFT, RoundState.OPEN]
    )
    conflicts = await active_conflicts(scope_type, scope_id)
    if not rounds or not conflicts:
        return 0
    rows = await Assignment.filter(
        round_id__in=[r.id for r in rounds], judge_id__in=list(conflicts)
    ).select_related("entry")
    submitted = await submitted_assignment_ids(assignment_id__in=[a.id for a in rows])
    dropped = [
        a for a in rows if a.id not in submitted and meets_conflict(conflicts, a.judge_id, a.entry)
    ]
    for row in dropped:
        await audit.record(
            actor,
            "judging.assignment_removed",
            row,
            scope=(scope_type, scope_id),
            before={"entry": row.entry_id, "judge": row.judge_id, "why": "conflict"},
        )
        await row.delete()
    return len(dropped)
