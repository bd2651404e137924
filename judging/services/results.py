"""The organizer's results page of a round: every method side by side with rank changes,
judges' disagreement, a leniency report per judge, ties, marks and the shortlist."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from core.pagination import Page
from judging import scoring
from judging.enums import SheetState
from judging.models import Criterion, Entry, Judge, Mark, Round, Shortlist
from judging.services import results_cache
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
    off_scale: set[str] = field(default_factory=set)  # methods whose estimate is off the scale
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


PAGE_SIZE = 50
"""Ranked entries shown per page: the rankings, ranks and changes cover every entry."""


@dataclass
class Results:
    round: Round
    criteria: list[Criterion]
    method: str
    methods: list[str]
    rows: list[ResultRow]  # ranked under the chosen method, every entry
    unscored: list[ResultRow]
    leniency: list[LeniencyRow]
    tie_groups: list[list[ResultRow]]
    groups: list[Entry]  # one entry per group, for its labels
    page: Page = field(default_factory=lambda: Page([], 1, PAGE_SIZE, 0))  # rows shown

    def page_tie_groups(self) -> list[list[ResultRow]]:
        """The tie groups with an entry on the page shown."""
        shown = {id(row) for row in self.page.items}
        return [group for group in self.tie_groups if any(id(r) in shown for r in group)]


@dataclass
class _Analysed:
    rows: dict[int, ResultRow]
    ordered: list[ResultRow]
    methods: list[str]
    leniency: list[LeniencyRow]
    tie_groups: list[list[ResultRow]]


async def round_results(round_: Round, page: int = 1, page_size: int = PAGE_SIZE) -> Results:
    """Everything the organizer's results page shows, in a fixed number of queries; the
    ranking's page ``page`` (the last one when past it) is the one shown.

    The computation over the whole round (every method's ranking, the leniency fit, the
    spreads) runs in a worker thread, so that a large round does not stall the event loop
    and every other request of the process, and is kept until what it reads changes
    (results_cache)."""
    decisions = await tie_decisions(round_)
    computed = await results_cache.kept(round_, lambda: _computed(round_, decisions))
    await _attach_decisions(round_, computed.analysed.rows, decisions)
    analysed = computed.analysed
    return Results(
        round_,
        computed.criteria,
        round_.method,
        analysed.methods,
        analysed.ordered,
        [r for r in analysed.rows.values() if not r.ranks],
        analysed.leniency,
        analysed.tie_groups,
        computed.groups,
        _page_of(analysed.ordered, page, page_size),
    )


@dataclass
class _Computed:
    analysed: _Analysed
    criteria: list[Criterion]
    groups: list[Entry]


async def _computed(round_: Round, decisions: Mapping[int, int]) -> _Computed:
    data = await round_data(round_)
    analysed = await asyncio.to_thread(analyse, data, decisions)
    return _Computed(analysed, data.criteria, _groups(data.entries))


def analyse(data: RoundData, decisions: Mapping[int, int]) -> _Analysed:
    """The CPU-bound part of the results: plain data in, plain data out, no I/O (it runs in a
    worker thread)."""
    round_ = data.round
    scores = data.scores()
    analysis = scoring.analyse_round(
        scores, combination_methods(round_), round_.method, tiebreak_key(data, decisions)
    )
    chosen = analysis.rankings[round_.method]
    by_entry = _judge_scores(data)
    rows = {e.id: ResultRow(e, by_entry.get(e.id, [])) for e in data.entries}
    _fill_rankings(rows, analysis)
    _fill_spread(rows, analysis.spread, round_.spread_threshold)
    return _Analysed(
        rows,
        [rows[r.entry_id] for r in chosen],
        list(analysis.rankings),
        _leniency(data, scores, analysis.leniency),
        _tie_groups(chosen, rows),
    )


def _page_of(ordered: list[ResultRow], number: int, size: int) -> Page:
    last = max(1, -(-len(ordered) // size))
    number = min(max(1, number), last)
    start = (number - 1) * size
    return Page(ordered[start : start + size], number, size, len(ordered))


def _judge_scores(data: RoundData) -> dict[int, list[JudgeScore]]:
    """Each entry's judges with their sheets, in one pass over the assignments."""
    found: dict[int, list[JudgeScore]] = defaultdict(list)
    for row in data.assignments:
        sheet = data.sheets.get(row.id)
        found[row.entry_id].append(
            JudgeScore(
                data.judges[row.judge_id],
                sheet.total if sheet else None,
                SheetState(sheet.state) if sheet else None,
                (row.judge_id, row.entry_id) in data.conflicted,
                sheet.note_for_organizers if sheet else "",
            )
        )
    return found


def _fill_rankings(rows: dict[int, ResultRow], analysis: scoring.RoundAnalysis) -> None:
    for method, ranking in analysis.rankings.items():
        for item in ranking:
            rows[item.entry_id].values[method] = item.value
            rows[item.entry_id].ranks[method] = item.rank
            if item.off_scale:
                rows[item.entry_id].off_scale.add(method)
    for method, change in analysis.changes.items():
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
    """The organizer's marks, shortlist and tie decisions, read afresh on every request (the
    rows may be kept from an earlier one: no await between clearing and setting)."""
    marks = await Mark.filter(round=round_)
    shortlisted = set(await Shortlist.filter(round=round_).values_list("entry_id", flat=True))
    for entry_id, row in rows.items():
        row.mark, row.shortlisted, row.decision = None, entry_id in shortlisted, None
    for mark in marks:
        rows[mark.entry_id].mark = mark
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


def _leniency(
    data: RoundData, scores: Sequence[scoring.Score], fit: scoring.LeniencyFit
) -> list[LeniencyRow]:
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
