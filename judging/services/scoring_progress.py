"""Scoring progress of a round at a glance: per judge and per entry."""

from __future__ import annotations

from dataclasses import dataclass, field

from judging.enums import JudgeState, SheetState
from judging.models import Assignment, Entry, Judge, Round, ScoreSheet
from judging.services.entries import entries_of
from judging.services.judges import judges_of
from judging.services.markers import active_conflicts, conflicted_pairs


@dataclass
class JudgeProgress:
    judge: Judge
    assigned: int = 0
    drafts: int = 0
    submitted: int = 0

    def count(self, state: SheetState | None) -> None:
        self.assigned += 1
        self.drafts += state == SheetState.DRAFT
        self.submitted += state == SheetState.SUBMITTED


@dataclass
class EntryProgress:
    entry: Entry
    rows: list[tuple[Assignment, SheetState | None]] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for _row, state in self.rows if state == SheetState.SUBMITTED)


@dataclass
class Progress:
    judges: list[JudgeProgress]
    entries: list[EntryProgress]
    conflicted: set[tuple[int, int]]  # (judge, entry) pairs assigned but now conflicted

    @property
    def submitted(self) -> int:
        return sum(p.submitted for p in self.judges)

    @property
    def assigned(self) -> int:
        return sum(p.assigned for p in self.judges)


async def progress(round_: Round) -> Progress:
    """Per judge and per entry: assigned, drafts, submitted (a fixed number of queries)."""
    entries = await entries_of(round_)
    judges = await judges_of(round_.scope_type, round_.scope_id)
    rows = await Assignment.filter(round=round_).order_by("id")
    states = dict(
        await ScoreSheet.filter(assignment__round_id=round_.id).values_list(
            "assignment_id", "state"
        )
    )
    conflicts = await active_conflicts(round_.scope_type, round_.scope_id)
    by_judge = {j.id: JudgeProgress(j) for j in judges}
    by_entry = {e.id: EntryProgress(e) for e in entries}
    for row in rows:
        row.judge = by_judge[row.judge_id].judge  # type: ignore[assignment]
        state = SheetState(states[row.id]) if row.id in states else None
        by_judge[row.judge_id].count(state)
        by_entry[row.entry_id].rows.append((row, state))
    shown = [p for p in by_judge.values() if p.assigned or p.judge.state == JudgeState.ACCEPTED]
    assigned = {(r.judge_id, r.entry_id) for r in rows}
    return Progress(
        shown,
        list(by_entry.values()),
        conflicted_pairs(entries, list(by_judge), conflicts) & assigned,
    )
