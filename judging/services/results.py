"""The organizer's results page of a round: every method side by side with rank changes,
judges' disagreement, a leniency report per judge, ties, marks and the shortlist."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from judging import scoring
from judging.enums import SheetState
from judging.models import Criterion, Entry, Judge, Mark, Round, Shortlist
from judging.services.ranking import (
    RoundData,
    combination_methods,
    round_data,
    tie_decisions,
    tiebreak_key,
)


@dataclass
class JudgeScore:
    judge: Judge
    total: float | None
    state: SheetState | None
    conflicted: bool = False
    note: str = ""  # the judge's private note for organizers


@dataclass
class ResultRow:
    entry: Entry
    scores: list[JudgeScore]
    values: dict[str, float] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)  # > 0: better rank under that method
    spread: float = 0.0
    disagreement: bool = False
    tied: bool = False
    mark: Mark | None = None
    shortlisted: bool = False
    decision: int | None = None


@dataclass
class LeniencyRow:
    judge: Judge
    count: int
    mean: float
    leniency: float
    calibrated: bool  # has enough scores for the z-score method


@dataclass
class Results:
    round: Round
    criteria: list[Criterion]
    method: str
    methods: list[str]
    rows: list[ResultRow]  # ranked under the chosen method
    unscored: list[ResultRow]
    leniency: list[LeniencyRow]
    tie_groups: list[list[ResultRow]]
    groups: list[Entry]  # one entry per group, for its labels


async def round_results(round_: Round) -> Results:
    """Everything the organizer's results page shows, in a fixed number of queries."""
    data = await round_data(round_)
    decisions = await tie_decisions(round_)
    scores = data.scores()
    comparisons = scoring.compare_methods(
        scores, combination_methods(round_), tiebreak_key(data, decisions)
    )
    chosen = comparisons[round_.method]
    rows = {e.id: ResultRow(e, _judge_scores(data, e.id)) for e in data.entries}
    _fill_rankings(rows, comparisons, round_.method)
    _fill_spread(rows, scoring.spread(scores), round_.spread_threshold)
    await _attach_decisions(round_, rows, decisions)
    ordered = [rows[r.entry_id] for r in chosen]
    return Results(
        round_,
        data.criteria,
        round_.method,
        list(comparisons),
        ordered,
        [r for r in rows.values() if not r.ranks],
        _leniency(data, scores),
        _tie_groups(chosen, rows),
        _groups(data.entries),
    )


def _judge_scores(data: RoundData, entry_id: int) -> list[JudgeScore]:
    found = []
    for row in data.assignments:
        if row.entry_id == entry_id:
            sheet = data.sheets.get(row.id)
            found.append(
                JudgeScore(
                    data.judges[row.judge_id],
                    sheet.total if sheet else None,
                    SheetState(sheet.state) if sheet else None,
                    (row.judge_id, entry_id) in data.conflicted,
                    sheet.note_for_organizers if sheet else "",
                )
            )
    return found


def _fill_rankings(
    rows: dict[int, ResultRow], comparisons: Mapping[str, list[scoring.RankedEntry]], chosen: str
) -> None:
    for method, ranking in comparisons.items():
        for item in ranking:
            rows[item.entry_id].values[method] = item.value
            rows[item.entry_id].ranks[method] = item.rank
    for method, change in (
        (m, scoring.rank_changes(comparisons[chosen], comparisons[m])) for m in comparisons
    ):
        for entry_id, delta in change.items():
            rows[entry_id].changes[method] = delta


def _fill_spread(rows: dict[int, ResultRow], widths: Mapping[int, float], threshold: float) -> None:
    """Flag the entries whose judges disagree by more than the round's threshold."""
    for entry_id, width in widths.items():
        rows[entry_id].spread = width
        rows[entry_id].disagreement = width > threshold


async def _attach_decisions(
    round_: Round, rows: dict[int, ResultRow], decisions: Mapping[int, int]
) -> None:
    for mark in await Mark.filter(round=round_):
        rows[mark.entry_id].mark = mark
    for entry_id in await Shortlist.filter(round=round_).values_list("entry_id", flat=True):
        rows[entry_id].shortlisted = True
    for entry_id, position in decisions.items():
        rows[entry_id].decision = position


def _tie_groups(
    chosen: Sequence[scoring.RankedEntry], rows: Mapping[int, ResultRow]
) -> list[list[ResultRow]]:
    by_rank: dict[int, list[ResultRow]] = defaultdict(list)
    for item in chosen:
        by_rank[item.rank].append(rows[item.entry_id])
    groups = [group for group in by_rank.values() if len(group) > 1]
    for group in groups:
        for row in group:
            row.tied = True
    return groups


def _leniency(data: RoundData, scores: Sequence[scoring.Score]) -> list[LeniencyRow]:
    fit = scoring.fit_leniency(scores)
    totals: dict[int, list[float]] = defaultdict(list)
    for score in scores:
        totals[score.judge_id].append(score.total)
    return [
        LeniencyRow(
            data.judges[j],
            len(values),
            sum(values) / len(values),
            fit.leniency.get(j, 0.0),
            len(values) >= data.round.min_scores_for_zscore,
        )
        for j, values in sorted(totals.items())
    ]


def _groups(entries: Sequence[Entry]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.group_key:
            seen.setdefault(entry.group_key, entry)
    return sorted(seen.values(), key=lambda e: e.group_key)
