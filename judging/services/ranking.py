"""The ranking of a round: what it is computed from (submitted, non-conflicted sheets), the
combination methods and the configured tie-break chain. judging.scoring does the maths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from judging import scoring
from judging.enums import Method, SheetState, TiebreakStep
from judging.models import Assignment, Criterion, Entry, Judge, Round, ScoreSheet, TieDecision
from judging.services.entries import entries_of
from judging.services.judges import judges_of
from judging.services.markers import active_conflicts, conflicted_pairs
from judging.services.rubric import criteria_of, pure_criterion

DECISION_BASE = 1_000_000
"""Recorded tie decisions become ``DECISION_BASE - position`` so any decision beats none."""


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """One judge's seat on one entry, as results read it (plain values, not a model: a round
    has thousands, and building models costs ten times more than reading the values)."""

    id: int
    entry_id: int
    judge_id: int


@dataclass(frozen=True, slots=True)
class SheetRow:
    """What results and exports read of a score sheet."""

    assignment_id: int
    scores: dict[str, Any]
    total: float | None
    state: str
    note_for_organizers: str
    comment_for_team: str
    submitted_at: dt.datetime | None


SHEET_FIELDS = (
    "assignment_id",
    "scores",
    "total",
    "state",
    "note_for_organizers",
    "comment_for_team",
    "submitted_at",
)


@dataclass
class RoundData:
    """What results are computed from: submitted, non-conflicted sheets only."""

    round: Round
    criteria: list[Criterion]
    entries: list[Entry]
    judges: dict[int, Judge]
    assignments: list[AssignmentRow]
    sheets: dict[int, SheetRow]  # by assignment id
    conflicted: set[tuple[int, int]]

    def counted(self) -> list[tuple[AssignmentRow, SheetRow]]:
        return [
            (a, self.sheets[a.id])
            for a in self.assignments
            if a.id in self.sheets
            and self.sheets[a.id].state == SheetState.SUBMITTED
            and self.sheets[a.id].total is not None
            and (a.judge_id, a.entry_id) not in self.conflicted
        ]

    def scores(self) -> list[scoring.Score]:
        return [
            scoring.Score(a.entry_id, a.judge_id, float(s.total or 0.0)) for a, s in self.counted()
        ]

    def pure_sheets(self) -> list[scoring.Sheet]:
        return [scoring.Sheet(a.entry_id, a.judge_id, s.scores) for a, s in self.counted()]


async def round_data(round_: Round) -> RoundData:
    """Everything the round's results are computed from, in a fixed number of queries."""
    entries = await entries_of(round_)
    judges = {j.id: j for j in await judges_of(round_.scope_type, round_.scope_id)}
    rows = [
        AssignmentRow(*values)
        for values in await Assignment.filter(round=round_)
        .order_by("id")
        .values_list("id", "entry_id", "judge_id")
    ]
    sheets = {
        values[0]: SheetRow(*values)
        for values in await ScoreSheet.filter(assignment__round=round_).values_list(*SHEET_FIELDS)
    }
    conflicts = await active_conflicts(round_.scope_type, round_.scope_id)
    return RoundData(
        round_,
        await criteria_of(round_),
        entries,
        judges,
        rows,
        sheets,
        conflicted_pairs(entries, list(judges), conflicts),
    )


def combination_methods(round_: Round) -> dict[str, scoring.CombineMethod]:
    """The methods by name, z-score calibration with the round's minimum of scores."""
    methods = dict(scoring.METHODS)
    methods[Method.ZSCORE.value] = partial(
        scoring.combine_zscore, min_scores_per_judge=round_.min_scores_for_zscore
    )
    return methods


def tiebreak_key(data: RoundData, decisions: Mapping[int, int]) -> scoring.TiebreakKey | None:
    """The configured chain: criteria in priority order, top-score count, recorded decision."""
    steps = set(data.round.tiebreak or [])
    if not steps:
        return None
    averages: dict[int, list[float]] = {}
    if TiebreakStep.CRITERIA in steps:
        pure = [pure_criterion(c) for c in data.criteria]
        averages = scoring.priority_averages(pure, scoring.criterion_averages(data.pure_sheets()))
    tops = scoring.top_score_counts(data.scores()) if TiebreakStep.TOP_SCORES in steps else {}
    chosen = (
        {e: DECISION_BASE - p for e, p in decisions.items()}
        if TiebreakStep.DECISION in steps
        else {}
    )
    return scoring.tiebreak_chain(averages, tops, chosen)


def ranked(
    data: RoundData, decisions: Mapping[int, int], method: str | None = None
) -> list[scoring.RankedEntry]:
    """The ranking under the round's method (or another one)."""
    combine = combination_methods(data.round)[method or data.round.method]
    return scoring.rank(combine(data.scores()), tiebreak_key(data, decisions))


async def tie_decisions(round_: Round) -> dict[int, int]:
    """The organizer's recorded order among tied entries: entry id -> position."""
    return dict(await TieDecision.filter(round=round_).values_list("entry_id", "position"))


async def current_ranking(round_: Round) -> tuple[RoundData, list[scoring.RankedEntry]]:
    """The round's data and its ranking under the chosen method, decisions included."""
    data = await round_data(round_)
    return data, ranked(data, await tie_decisions(round_))
