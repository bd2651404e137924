"""Who judges what: the balanced automatic assignment (judging.assignment does the work),
manual additions and removals, and replacing a judge who dropped out. Every change is
audited."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Someone
from core import audit
from core.errors import Conflict as ConflictError
from core.errors import Invalid, NotFound
from core.i18n import gettext as _
from judging import assignment as assignment_algo
from judging.enums import JudgeState, SheetState
from judging.models import Assignment, Entry, Judge, Round, ScoreSheet
from judging.services.common import is_over, scope_of
from judging.services.conflicts import submitted_assignment_ids
from judging.services.entries import entries_of
from judging.services.judges import accepted_judges
from judging.services.markers import active_conflicts, conflicted_pairs, is_conflicted

Pairs = list[tuple[int, int]]
"""(entry id, judge id) pairs."""


@dataclass(frozen=True)
class AssignOutcome:
    added: int
    unfilled: dict[int, int]  # entry id -> judges missing
    loads: dict[int, int]


def judges_round(judge: Judge, round_: Round) -> bool:
    """A judge invited for a group judges only that group's rounds; one invited for no group,
    every round (a round for every group takes every judge)."""
    return not judge.group_key or not round_.group_key or judge.group_key == round_.group_key


def _refuse_if_over(round_: Round) -> None:
    if is_over(round_):
        raise ConflictError(_("This round is closed: its assignments can no longer change."))


async def _pool(round_: Round) -> tuple[list[Entry], list[Judge], set[tuple[int, int]]]:
    """The round's entries, the accepted judges and the (judge, entry) pairs never to meet."""
    entries = await entries_of(round_)
    judges = [
        j
        for j in await accepted_judges(round_.scope_type, round_.scope_id)
        if judges_round(j, round_)
    ]
    conflicts = await active_conflicts(round_.scope_type, round_.scope_id)
    return entries, judges, conflicted_pairs(entries, [j.id for j in judges], conflicts)


async def _create_pairs(round_: Round, pairs: Iterable[tuple[int, int]]) -> None:
    await Assignment.bulk_create(
        [Assignment(round_id=round_.id, entry_id=e, judge_id=j) for e, j in pairs]
    )


def _new_pairs(before: Mapping[int, Iterable[int]], after: Mapping[int, Iterable[int]]) -> Pairs:
    return [(e, j) for e, chosen in after.items() for j in chosen if j not in before.get(e, ())]


async def auto_assign(actor: Someone, round_: Round) -> AssignOutcome:
    """Give every entry its k judges (keeping the assignments already made): no conflicted
    pair, loads within one, overlapping sets, and the same result for the same input (the
    seed is the round's id)."""
    _refuse_if_over(round_)
    entries, judges, blocked = await _pool(round_)
    if not entries:
        raise ConflictError(_("This round has no entries yet."))
    if not judges:
        raise ConflictError(_("No judge has accepted an invitation yet."))
    existing: dict[int, list[int]] = defaultdict(list)
    for entry_id, judge_id in await Assignment.filter(round=round_).values_list(
        "entry_id", "judge_id"
    ):
        existing[entry_id].append(judge_id)
    result = assignment_algo.assign(
        [e.id for e in entries],
        [j.id for j in judges],
        round_.judges_per_entry,
        blocked,
        seed=round_.id,
        existing=existing,
    )
    added = _new_pairs(existing, result.pairs)
    async with in_transaction():
        await _create_pairs(round_, added)
        await audit.record(
            actor,
            "judging.assigned",
            round_,
            scope=scope_of(round_),
            after={"added": [list(p) for p in added], "unfilled": result.unfilled},
        )
    return AssignOutcome(len(added), result.unfilled, result.loads)


async def add_assignment(actor: Someone, round_: Round, entry_id: int, judge_id: int) -> Assignment:
    """An organizer adds one judge to one entry by hand (never a conflicted pair)."""
    _refuse_if_over(round_)
    entry = await Entry.get_or_none(id=entry_id, round=round_)
    judge = await Judge.get_or_none(
        id=judge_id,
        scope_type=round_.scope_type,
        scope_id=round_.scope_id,
        state=JudgeState.ACCEPTED,
    )
    if entry is None or judge is None or not judges_round(judge, round_):
        raise Invalid({"entry_id": _("Choose an entry and a judge who has accepted.")})
    if await is_conflicted(judge.id, entry):
        raise ConflictError(
            _("%(judge)s has a conflict with this entry and cannot judge it.", judge=judge.label)
        )
    try:
        async with in_transaction():
            row = await Assignment.create(round=round_, entry=entry, judge=judge)
            await audit.record(
                actor,
                "judging.assignment_added",
                row,
                scope=scope_of(round_),
                after={"entry": entry.id, "judge": judge.email},
            )
    except IntegrityError:
        raise ConflictError(_("%(judge)s already judges this entry.", judge=judge.label)) from None
    return row


async def remove_assignment(actor: Someone, round_: Round, assignment_id: int) -> None:
    """An organizer takes a judge off an entry, unless their score is already submitted."""
    _refuse_if_over(round_)
    row = await Assignment.get_or_none(id=assignment_id, round=round_).select_related("judge__user")
    if row is None:
        raise NotFound(_("This assignment does not exist."))
    if await ScoreSheet.filter(assignment_id=row.id, state=SheetState.SUBMITTED).exists():
        raise ConflictError(
            _(
                "%(judge)s has already submitted a score for this entry; it cannot be taken away.",
                judge=row.judge.label,
            )
        )
    async with in_transaction():
        await audit.record(
            actor,
            "judging.assignment_removed",
            row,
            scope=scope_of(round_),
            before={"entry": row.entry_id, "judge": row.judge.email},
        )
        await row.delete()


async def replace_judge(actor: Someone, round_: Round, judge: Judge) -> tuple[int, int]:
    """A judge dropped out: their entries without a submitted score go to other judges (the
    least loaded, never a conflicted one); nothing else moves. The judge is marked withdrawn.
    Returns (moved, left without a replacement)."""
    _refuse_if_over(round_)
    entries, judges, blocked = await _pool(round_)
    rows = await Assignment.filter(round=round_).values_list("id", "entry_id", "judge_id")
    submitted = await submitted_assignment_ids(assignment__round_id=round_.id)
    leaving = [
        row_id for row_id, _e, judge_id in rows if judge_id == judge.id and row_id not in submitted
    ]
    pairs = _pairs_leaving_last(entries, rows, judge.id, leaving)
    others = [j.id for j in judges if j.id != judge.id]
    moved = assignment_algo.replace_judge(pairs, judge.id, others, blocked, seed=round_.id)
    return await _apply_replacement(actor, round_, judge, pairs, moved, leaving)


def _pairs_leaving_last(
    entries: list[Entry], rows: list[tuple[int, int, int]], departing: int, leaving: list[int]
) -> dict[int, list[int]]:
    """Each entry's other judges, then the departing judge where their assignment leaves
    (their submitted ones stay out of it: those are not moved)."""
    pairs: dict[int, list[int]] = {e.id: [] for e in entries}
    for _row_id, entry_id, judge_id in rows:
        if judge_id != departing:
            pairs[entry_id].append(judge_id)
    for row_id, entry_id, judge_id in rows:
        if row_id in leaving:
            pairs[entry_id].append(judge_id)
    return pairs


async def _apply_replacement(
    actor: Someone,
    round_: Round,
    judge: Judge,
    before: Mapping[int, list[int]],
    after: Mapping[int, tuple[int, ...]],
    leaving: list[int],
) -> tuple[int, int]:
    added = _new_pairs(before, after)
    async with in_transaction():
        await Assignment.filter(id__in=leaving).delete()
        await _create_pairs(round_, added)
        judge.state = JudgeState.WITHDRAWN
        await judge.save(update_fields=["state"])
        await audit.record(
            actor,
            "judging.judge_replaced",
            judge,
            scope=scope_of(round_),
            before={"judge": judge.email, "assignments": len(leaving)},
            after={"added": [list(p) for p in added]},
        )
    return len(added), len(leaving) - len(added)
