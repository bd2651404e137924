"""Counting an award category's final votes: the jury's ranked ballots, the public's counts, the
blend of the two, the sensitivity of the winner to the jury weight, and the report of every step.

Pure: no ORM, no I/O, only the standard library. Every figure is an `int` or a
`fractions.Fraction`, never a float, so a recount from the results bundle matches byte for byte.

References
----------
- Instant runoff (IRV): each round counts every continuing ballot for its highest-ranked
  continuing finalist; a finalist with a majority of the continuing ballots (more than half, so
  ``continuing // 2 + 1``) is elected; otherwise the finalist with the fewest votes is eliminated
  and its ballots pass to their next continuing preference. A ballot with no continuing
  preference left is *exhausted* and leaves the denominator. The round report follows the
  Universal Tabulator (RCTab) JSON results format: ``config {contest, date, threshold}`` and
  ``results [{round, tally, tallyResults [{elected | eliminated, transfers}]}]``.
- Ties: the Scottish Local Government Elections Order 2007 (STV counting rules, the rule on
  equality of votes): among finalists tied for elimination, regard is had to the most recent
  preceding stage at which they had unequal votes, and the one with the fewest there is
  excluded; when they were equal at every stage, the returning officer decides by lot. Here the
  declared chain is (1) ``earlier-round``: that rule, (2) ``jury-score``: the finalists'
  calibrated jury score from the scoring round (an input: the lower score is eliminated, the
  higher ranks first), (3) ``lot``: a draw reproducible from a seed (see `lot_order`). Ties are
  never broken by second preferences, which would let a later preference hurt an earlier one.
- Borda: standard Borda gives n-1 ... 0 points for ranks 1 ... n; *modified Borda* (for partial
  ballots) gives a ballot that ranks m finalists m ... 1 points, so ranking a favourite alone
  does not help it; Dowdall (Nauru) gives 1, 1/2, 1/3 ... Unranked finalists get 0.
- Ranks to points and the blend: Eurovision Song Contest split scoring (jury and televote each
  award 12, 10, 8, 7, 6, 5, 4, 3, 2, 1, since 2016): each side's ranking becomes points on a
  scale that depends on the number of finalists (`point_scale`), and the blended total is
  ``w * jury points + (1 - w) * public points``, so a flood of public votes cannot swamp the
  jury. Ties in the blend go to the better jury rank.

Conflicted jurors
-----------------
A juror conflicted with a finalist neither sees nor ranks it: the finalist is absent from the
juror's ballot (`Ballot.conflicts` names it, and `check_ballot` refuses a ballot that ranks it).

- IRV: the ballot counts for its continuing preferences exactly like any other ballot; it can
  never count for the conflicted finalist, and it exhausts when all it ranked are eliminated.
  Nothing is reweighted: a juror's abstention on one finalist is the same as not ranking it.
- Borda: the ballot is scored over the finalists the juror may rank (standard Borda's n is the
  number of finalists less the juror's conflicts), and each finalist's *score* is its points
  scaled to the whole jury: ``points * non-empty ballots / ballots allowed to rank it``. Without
  conflicts the score equals the points; with them, a finalist is not punished for the ballots
  that could not rank it. The report states the ballots allowed to rank each finalist.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any

Number = int | Fraction

EUROVISION_SCALE = (12, 10, 8, 7, 6, 5, 4, 3, 2, 1)
SWEEP_STEPS = 20  # the sensitivity sweep: w = 0, 1/20, 2/20, ... 1
EXHAUSTED = "exhausted"  # the key of exhausted ballots in a round's transfers
CONFLICT_HANDLING = {
    "irv": "A conflicted juror's ballot leaves the conflicted finalist out; it counts for the "
    "juror's other preferences like any ballot and exhausts when they are all eliminated. "
    "Nothing is reweighted.",
    "borda": "A conflicted juror's ballot leaves the conflicted finalist out and is scored over "
    "the finalists the juror may rank; each finalist's score is its points times the non-empty "
    "ballots divided by the ballots allowed to rank it (eligibleBallots), which equals its "
    "points when no juror is conflicted with it.",
}


class Method(StrEnum):
    """How the jury's ranked ballots are counted (chosen per category, locked at voting)."""

    IRV = "irv"
    BORDA = "borda"
    MODIFIED_BORDA = "modified-borda"
    DOWDALL = "dowdall"


class TieRule(StrEnum):
    """The rule that decided a tie, in the declared order of the chain.

    `JURY_RANK` decides ties of the public ranking and of the blend (before the chain)."""

    JURY_RANK = "jury-rank"
    EARLIER_ROUND = "earlier-round"
    JURY_SCORE = "jury-score"
    LOT = "lot"


TIE_CHAIN = (TieRule.EARLIER_ROUND, TieRule.JURY_SCORE, TieRule.LOT)


class Fallback(StrEnum):
    """What a category declares for a jury that misses quorum."""

    PUBLIC_ONLY = "public-only"
    NO_AWARD = "no-award"


class Outcome(StrEnum):
    """Which result decided the category."""

    BLEND = "blend"
    JURY_ONLY = "jury-only"
    PUBLIC_ONLY = "public-only"
    NO_AWARD = "no-award"


class BallotError(ValueError):
    """A ranked ballot that cannot be counted (unknown, repeated or conflicted finalist)."""


class CountError(ValueError):
    """Inputs to a count that are inconsistent (weights, counts, finalists)."""


@dataclass(frozen=True)
class Ballot:
    """One juror's ranked ballot: `ranking` from first preference down, possibly partial;
    `conflicts` are the finalists the juror is conflicted with (absent from the ballot)."""

    juror: str
    ranking: tuple[str, ...]
    conflicts: frozenset[str] = frozenset()


def check_ballot(ballot: Ballot, finalists: Sequence[str], *, partial: bool = True) -> None:
    """Raise `BallotError` unless the ballot ranks only finalists, each once, none it is
    conflicted with, and (when partial ballots are not allowed) every finalist it may rank."""
    known = set(finalists)
    for name in sorted(ballot.conflicts):
        if name not in known:
            raise BallotError(f"conflict with unknown finalist {name!r}")
    seen: set[str] = set()
    for name in ballot.ranking:
        if name not in known:
            raise BallotError(f"unknown finalist {name!r}")
        if name in seen:
            raise BallotError(f"finalist {name!r} ranked twice")
        if name in ballot.conflicts:
            raise BallotError(f"finalist {name!r} is one the juror is conflicted with")
        seen.add(name)
    if not partial and ballot.ranking and len(seen) != len(known) - len(ballot.conflicts):
        raise BallotError("the ballot must rank every finalist")


@dataclass(frozen=True)
class TieBreak:
    """How one tie was broken: at which stage, for what, between whom, by which rule."""

    stage: str
    purpose: str  # "eliminate" (the one chosen leaves) or "order" (the one chosen ranks first)
    tied: tuple[str, ...]
    rule: TieRule
    chosen: str
    detail: str


@dataclass(frozen=True)
class TieContext:
    """What the tie chain needs beyond the counts: the category (part of the lot), the seed of
    the lot and the finalists' calibrated jury scores from the scoring round."""

    category: str
    seed: str
    jury_scores: Mapping[str, Number] = field(default_factory=dict)


def lot_order(seed: str, category: str, stage: str, tied: Sequence[str]) -> list[str]:
    """The order in which the lot draws the tied finalists: by the SHA-256 of
    ``seed, category, stage, finalist`` joined by LF (hex digests compared as text, then the
    name). Anyone holding the seed reproduces the draw; the clock plays no part. In a tie for
    elimination the first drawn is eliminated; in a tie for a place the first drawn ranks first.
    """

    def ticket(name: str) -> tuple[str, str]:
        text = "\n".join((seed, category, stage, name))
        return hashlib.sha256(text.encode("utf-8")).hexdigest(), name

    return sorted(tied, key=ticket)


def break_tie(
    tied: Sequence[str],
    *,
    lowest: bool,
    history: Sequence[Mapping[str, Number]],
    context: TieContext,
    stage: str,
) -> TieBreak:
    """Choose one of `tied` by the declared chain: the lowest (to eliminate) or the highest (to
    rank first). `history` holds the earlier rounds' tallies, oldest first; rule 1 looks from the
    most recent back for a round in which the tied finalists differed and keeps those at the
    extreme there, going further back while more than one remains; rule 2 compares calibrated
    jury scores (only when every remaining finalist has one); rule 3 draws lots."""
    purpose = "eliminate" if lowest else "order"
    pick = min if lowest else max
    original = tuple(sorted(tied))
    remaining = list(original)
    notes: list[str] = []
    for back in range(len(history) - 1, -1, -1):
        tally = history[back]
        values = {name: tally.get(name, 0) for name in remaining}
        if len(set(values.values())) > 1:
            extreme = pick(values.values())
            remaining = [name for name in remaining if values[name] == extreme]
            shown = ", ".join(f"{name} {_text(values[name])}" for name in sorted(values))
            notes.append(f"round {back + 1}: {shown}")
            if len(remaining) == 1:
                return TieBreak(
                    stage, purpose, original, TieRule.EARLIER_ROUND, remaining[0], "; ".join(notes)
                )
    scores = context.jury_scores
    if all(name in scores for name in remaining):
        values = {name: scores[name] for name in remaining}
        if len(set(values.values())) > 1:
            extreme = pick(values.values())
            remaining = [name for name in remaining if values[name] == extreme]
            shown = ", ".join(f"{name} {_text(values[name])}" for name in sorted(values))
            notes.append(f"calibrated jury scores: {shown}")
            if len(remaining) == 1:
                return TieBreak(
                    stage, purpose, original, TieRule.JURY_SCORE, remaining[0], "; ".join(notes)
                )
    drawn = lot_order(context.seed, context.category, stage, remaining)
    notes.append("lot drawn: " + ", ".join(drawn))
    return TieBreak(stage, purpose, original, TieRule.LOT, drawn[0], "; ".join(notes))


def order_by(
    values: Mapping[str, Number],
    *,
    history: Sequence[Mapping[str, Number]],
    context: TieContext,
    stage: str,
) -> tuple[list[str], list[TieBreak]]:
    """Finalists from the highest value down, each tie broken by the chain (the winner of each
    draw takes the next place)."""
    groups: dict[Number, list[str]] = {}
    for name, value in values.items():
        groups.setdefault(value, []).append(name)
    order: list[str] = []
    breaks: list[TieBreak] = []
    for value in sorted(groups, reverse=True):
        group = sorted(groups[value])
        while len(group) > 1:
            tie = break_tie(group, lowest=False, history=history, context=context, stage=stage)
            breaks.append(tie)
            order.append(tie.chosen)
            group.remove(tie.chosen)
        order.extend(group)
    return order, breaks


@dataclass(frozen=True)
class Round:
    """One round of the jury count. `tally` holds each continuing finalist's votes (for Borda,
    each finalist's score); `transfers` where the eliminated finalist's ballots went."""

    number: int
    tally: dict[str, Number]
    exhausted: int
    continuing_ballots: int
    threshold: int | None
    elected: str | None = None
    eliminated: str | None = None
    reason: str = ""
    transfers: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class JuryResult:
    """The jury's count: the rounds, the full ranking (winner first) and, for Borda, points by
    rank position (`positions[finalist][i]` ballots ranked it at place i + 1)."""

    method: Method
    finalists: tuple[str, ...]
    ballots: int
    non_empty: int
    rounds: tuple[Round, ...]
    ranking: tuple[str, ...]
    winner: str | None
    tie_breaks: tuple[TieBreak, ...]
    conflicts: int
    eligible: dict[str, int]
    positions: dict[str, tuple[int, ...]] = field(default_factory=dict)
    points: dict[str, Number] = field(default_factory=dict)


def count_jury(
    method: Method,
    finalists: Sequence[str],
    ballots: Sequence[Ballot],
    context: TieContext,
    *,
    partial: bool = True,
) -> JuryResult:
    """Check every ballot (`check_ballot`) and count them by `method`."""
    if len(set(finalists)) != len(finalists):
        raise CountError("a finalist is listed twice")
    for ballot in ballots:
        check_ballot(ballot, finalists, partial=partial)
    if method is Method.IRV:
        return _count_irv(tuple(finalists), ballots, context)
    return _count_borda(method, tuple(finalists), ballots, context)


def _count_irv(
    finalists: tuple[str, ...], ballots: Sequence[Ballot], context: TieContext
) -> JuryResult:
    groups = sorted(Counter(b.ranking for b in ballots if b.ranking).items())
    non_empty = sum(weight for _, weight in groups)
    position = [0] * len(groups)
    piles: dict[str, list[int]] = {name: [] for name in finalists}
    for index, (ranking, _) in enumerate(groups):
        piles[ranking[0]].append(index)
    continuing = set(finalists)
    exhausted = 0
    rounds: list[Round] = []
    history: list[dict[str, Number]] = []
    breaks: list[TieBreak] = []
    eliminated_order: list[str] = []
    winner: str | None = None
    while True:
        number = len(rounds) + 1
        tally: dict[str, Number] = {
            name: sum(groups[i][1] for i in piles[name]) for name in sorted(continuing)
        }
        live = sum(int(v) for v in tally.values())
        threshold = live // 2 + 1
        top = max(tally.values()) if tally else 0
        if live == 0 or not continuing:
            rounds.append(
                Round(number, tally, exhausted, live, threshold, reason="no continuing ballot")
            )
            history.append(tally)
            break
        if top >= threshold:
            winner = next(name for name in sorted(tally) if tally[name] == top)
            reason = f"majority: {top} of {live} continuing ballots (threshold {threshold})"
            rounds.append(Round(number, tally, exhausted, live, threshold, winner, None, reason))
            history.append(tally)
            break
        low = min(tally.values())
        tied = sorted(name for name in tally if tally[name] == low)
        if len(tied) > 1:
            tie = break_tie(
                tied, lowest=True, history=history, context=context, stage=f"jury round {number}"
            )
            breaks.append(tie)
            loser = tie.chosen
            reason = f"fewest votes ({low}), tied with {', '.join(tied)}: {tie.rule} rule"
        else:
            loser = tied[0]
            reason = f"fewest votes ({low})"
        continuing.discard(loser)
        eliminated_order.append(loser)
        moved: Counter[str] = Counter()
        for index in piles.pop(loser):
            ranking, weight = groups[index]
            at = position[index] + 1
            while at < len(ranking) and ranking[at] not in continuing:
                at += 1
            position[index] = at
            if at < len(ranking):
                piles[ranking[at]].append(index)
                moved[ranking[at]] += weight
            else:
                exhausted += weight
                moved[EXHAUSTED] += weight
        rounds.append(
            Round(number, tally, exhausted - moved[EXHAUSTED], live, threshold, None, loser,
                  reason, dict(sorted(moved.items())))
        )  # fmt: skip
        history.append(tally)
    last = rounds[-1].tally
    standing = {name: last[name] for name in continuing if name != winner}
    rest, rest_breaks = order_by(
        standing, history=history[:-1], context=context, stage=f"jury round {len(rounds)}"
    )
    breaks.extend(rest_breaks)
    full_order = ([winner] if winner else []) + rest + eliminated_order[::-1]
    return JuryResult(
        Method.IRV,
        finalists,
        len(ballots),
        non_empty,
        tuple(rounds),
        tuple(full_order),
        winner,
        tuple(breaks),
        sum(len(b.conflicts) for b in ballots),
        _eligible(finalists, ballots),
    )


def _eligible(finalists: Sequence[str], ballots: Sequence[Ballot]) -> dict[str, int]:
    """How many non-empty ballots were allowed to rank each finalist."""
    return {
        name: sum(1 for b in ballots if b.ranking and name not in b.conflicts) for name in finalists
    }


def borda_points(method: Method, position: int, ranked: int, may_rank: int) -> Number:
    """Points for the finalist at `position` (0 = first) of a ballot that ranks `ranked` of the
    `may_rank` finalists its juror may rank."""
    if method is Method.BORDA:
        return may_rank - 1 - position
    if method is Method.MODIFIED_BORDA:
        return ranked - position
    if method is Method.DOWDALL:
        return Fraction(1, position + 1)
    raise CountError(f"{method} is not a Borda method")


def _count_borda(
    method: Method, finalists: tuple[str, ...], ballots: Sequence[Ballot], context: TieContext
) -> JuryResult:
    size = len(finalists)
    positions = {name: [0] * size for name in finalists}
    points: dict[str, Number] = dict.fromkeys(finalists, 0)
    for ballot in ballots:
        may_rank = size - len(ballot.conflicts)
        for place, name in enumerate(ballot.ranking):
            positions[name][place] += 1
            points[name] += borda_points(method, place, len(ballot.ranking), may_rank)
    non_empty = sum(1 for b in ballots if b.ranking)
    eligible = _eligible(finalists, ballots)
    scores: dict[str, Number] = {
        name: _exact(Fraction(points[name]) * non_empty / eligible[name]) if eligible[name] else 0
        for name in finalists
    }
    order, breaks = order_by(scores, history=[], context=context, stage="jury borda")
    winner = order[0] if non_empty else None
    reason = "highest score" if winner else "no ballot ranks any finalist"
    only = Round(1, dict(sorted(scores.items())), 0, non_empty, None, winner, None, reason)
    return JuryResult(
        method,
        finalists,
        len(ballots),
        non_empty,
        (only,),
        tuple(order),
        winner,
        tuple(breaks),
        sum(len(b.conflicts) for b in ballots),
        eligible,
        {name: tuple(counts) for name, counts in positions.items()},
        {name: _exact(value) for name, value in points.items()},
    )


def point_scale(finalists: int) -> tuple[int, ...]:
    """Points for ranks 1 ... n: Eurovision's 12, 10, 8, 7, 6, 5, 4, 3, 2, 1 for ten finalists
    (and 0 below the tenth when there are more), n ... 1 for fewer than ten."""
    if finalists >= len(EUROVISION_SCALE):
        return EUROVISION_SCALE + (0,) * (finalists - len(EUROVISION_SCALE))
    return tuple(range(finalists, 0, -1))


def public_ranking(
    finalists: Sequence[str],
    counts: Mapping[str, int],
    jury_ranking: Sequence[str] | None,
    context: TieContext,
) -> tuple[tuple[str, ...], list[TieBreak]]:
    """The public's ranking, most votes first. Equal counts go to the better jury rank, or,
    without a jury ranking, to the chain (jury score, then lot)."""
    check_counts(finalists, counts)
    if jury_ranking is None:
        order, breaks = order_by(
            {name: counts.get(name, 0) for name in finalists},
            history=[],
            context=context,
            stage="public ranking",
        )
        return tuple(order), breaks
    place = {name: index for index, name in enumerate(jury_ranking)}
    order = sorted(finalists, key=lambda name: (-counts.get(name, 0), place[name]))
    return tuple(order), _rank_ties(order, counts, "public ranking")


def _rank_ties(order: Sequence[str], values: Mapping[str, Number], stage: str) -> list[TieBreak]:
    """Record the ties that the jury rank decided in an order sorted by value then jury rank."""
    breaks: list[TieBreak] = []
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values.get(order[end + 1], 0) == values.get(order[start], 0):
            end += 1
        group = list(order[start : end + 1])
        for index in range(len(group) - 1):
            rest = group[index:]
            breaks.append(
                TieBreak(
                    stage,
                    "order",
                    tuple(sorted(rest)),
                    TieRule.JURY_RANK,
                    group[index],
                    f"equal at {_text(values.get(group[index], 0))}; better jury rank",
                )
            )
        start = end + 1
    return breaks


def check_counts(finalists: Sequence[str], counts: Mapping[str, int]) -> None:
    """Public counts name only finalists and are whole numbers of zero or more."""
    known = set(finalists)
    for name, value in counts.items():
        if name not in known:
            raise CountError(f"public votes for unknown finalist {name!r}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise CountError(f"public votes for {name!r} must be a whole number >= 0")


@dataclass(frozen=True)
class BlendRow:
    """One finalist's line in the blend."""

    finalist: str
    jury_rank: int
    jury_points: int
    public_rank: int
    public_points: int
    total: Number
    rank: int


def blend(
    jury_ranking: Sequence[str], public_order: Sequence[str], weight: Fraction
) -> tuple[BlendRow, ...]:
    """Ranks to points on `point_scale`, then ``total = w * jury + (1 - w) * public``; the rows
    come in blended order, equal totals ordered by the better jury rank."""
    if not 0 <= weight <= 1:
        raise CountError("the jury weight must lie between 0 and 1")
    if sorted(jury_ranking) != sorted(public_order):
        raise CountError("the jury and public rankings must hold the same finalists")
    scale = point_scale(len(jury_ranking))
    jury_place = {name: index for index, name in enumerate(jury_ranking)}
    public_place = {name: index for index, name in enumerate(public_order)}
    totals = {
        name: _exact(weight * scale[jury_place[name]] + (1 - weight) * scale[public_place[name]])
        for name in jury_ranking
    }
    order = sorted(jury_ranking, key=lambda name: (-totals[name], jury_place[name]))
    return tuple(
        BlendRow(
            name,
            jury_place[name] + 1,
            scale[jury_place[name]],
            public_place[name] + 1,
            scale[public_place[name]],
            totals[name],
            index + 1,
        )
        for index, name in enumerate(order)
    )


@dataclass(frozen=True)
class Sensitivity:
    """The winner against the jury weight: the sweep (w = k/20), the interval of w around the
    chosen weight over which the winner is unchanged (bounded by sweep points and the chosen w),
    the rankings at jury only (w = 1), public only (w = 0) and the chosen w, and each finalist's
    rank at every sweep point."""

    weights: tuple[Fraction, ...]
    winners: tuple[str, ...]
    interval: tuple[Fraction, Fraction]
    jury_only: tuple[str, ...]
    public_only: tuple[str, ...]
    chosen: tuple[str, ...]
    ranks: dict[str, tuple[int, ...]]


def sensitivity(
    jury_ranking: Sequence[str], public_order: Sequence[str], weight: Fraction
) -> Sensitivity:
    """Sweep w from 0 to 1 in steps of 1/20 (`SWEEP_STEPS`)."""
    grid = tuple(Fraction(k, SWEEP_STEPS) for k in range(SWEEP_STEPS + 1))
    orders = {w: [row.finalist for row in blend(jury_ranking, public_order, w)] for w in grid}
    chosen = [row.finalist for row in blend(jury_ranking, public_order, weight)]
    points = sorted(set(grid) | {weight})
    winner_at = {w: (orders[w] if w in orders else chosen)[0] for w in points}
    at = points.index(weight)
    low = high = at
    while low > 0 and winner_at[points[low - 1]] == chosen[0]:
        low -= 1
    while high < len(points) - 1 and winner_at[points[high + 1]] == chosen[0]:
        high += 1
    return Sensitivity(
        grid,
        tuple(orders[w][0] for w in grid),
        (points[low], points[high]),
        tuple(orders[Fraction(1)]),
        tuple(orders[Fraction(0)]),
        tuple(chosen),
        {name: tuple(orders[w].index(name) + 1 for w in grid) for name in sorted(jury_ranking)},
    )


@dataclass(frozen=True)
class CategoryConfig:
    """A category's declared counting rules, fixed before voting opens."""

    category: str
    finalists: tuple[str, ...]
    method: Method
    jury_weight: Fraction = Fraction(1, 2)
    public_vote: bool = True
    quorum: int = 1
    quorum_fallback: Fallback = Fallback.PUBLIC_ONLY
    partial: bool = True
    public_voided: bool = False
    no_award: bool = False


@dataclass(frozen=True)
class CategoryResult:
    """Everything decided for one category, with the reason for its outcome."""

    config: CategoryConfig
    outcome: Outcome
    reason: str
    jury: JuryResult
    quorum_met: bool
    public_counts: dict[str, int]
    public_order: tuple[str, ...] | None
    blend: tuple[BlendRow, ...]
    ranking: tuple[str, ...]
    winner: str | None
    tie_breaks: tuple[TieBreak, ...]
    sensitivity: Sensitivity | None


def tabulate_category(
    config: CategoryConfig,
    ballots: Sequence[Ballot],
    public_counts: Mapping[str, int],
    context: TieContext,
) -> CategoryResult:
    """Count one category: the jury (always reported), the public counts (given, as counting
    the votes happens in the database), then the outcome by the declared fallbacks:

    - the organizer recorded "no award": no winner;
    - jury at quorum and a public vote with votes: the blend (and the sensitivity sweep);
    - jury at quorum and no public vote (none in the category, voided, or no vote cast): jury
      only;
    - jury below quorum: public only if declared and the public vote stands, else no award.
    """
    if not 0 <= config.jury_weight <= 1:
        raise CountError("the jury weight must lie between 0 and 1")
    if config.quorum < 0:
        raise CountError("the quorum cannot be negative")
    jury = count_jury(config.method, config.finalists, ballots, context, partial=config.partial)
    counts = {name: public_counts.get(name, 0) for name in config.finalists}
    check_counts(config.finalists, public_counts)
    quorum_met = jury.non_empty >= max(config.quorum, 1)
    public_stands = config.public_vote and not config.public_voided and sum(counts.values()) > 0
    breaks = list(jury.tie_breaks)
    public_order: tuple[str, ...] | None = None
    rows: tuple[BlendRow, ...] = ()
    ranking: tuple[str, ...] = ()
    spread: Sensitivity | None = None
    if public_stands:
        public_order, public_breaks = public_ranking(
            config.finalists, counts, jury.ranking if quorum_met else None, context
        )
        breaks.extend(public_breaks)
    no_public = (
        "the category has no public vote"
        if not config.public_vote
        else "the public vote was voided"
        if config.public_voided
        else "no public vote was cast"
    )
    below = f"the jury missed quorum ({jury.non_empty} of {config.quorum} ballots)"
    if config.no_award:
        outcome, reason = Outcome.NO_AWARD, "the organizer recorded no award"
    elif quorum_met and public_order is not None:
        outcome, reason = Outcome.BLEND, f"jury weight {_text(config.jury_weight)}"
        rows = blend(jury.ranking, public_order, config.jury_weight)
        breaks.extend(_rank_ties([r.finalist for r in rows], _totals(rows), "blend"))
        ranking = tuple(row.finalist for row in rows)
        spread = sensitivity(jury.ranking, public_order, config.jury_weight)
    elif quorum_met:
        outcome, reason = Outcome.JURY_ONLY, no_public
        ranking = jury.ranking
    elif public_order is not None and config.quorum_fallback is Fallback.PUBLIC_ONLY:
        outcome, reason = Outcome.PUBLIC_ONLY, below
        ranking = public_order
    else:
        outcome = Outcome.NO_AWARD
        reason = f"{below} and {no_public}" if config.quorum_fallback is Fallback.PUBLIC_ONLY else (
            f"{below}; the declared fallback is no award"
        )  # fmt: skip
    winner = ranking[0] if ranking else None
    if outcome is Outcome.JURY_ONLY:
        winner = jury.winner
    return CategoryResult(
        config,
        outcome,
        reason,
        jury,
        quorum_met,
        counts,
        public_order,
        rows,
        ranking,
        winner,
        tuple(breaks),
        spread,
    )


def _totals(rows: Sequence[BlendRow]) -> dict[str, Number]:
    return {row.finalist: row.total for row in rows}


def _exact(value: Number) -> Number:
    """A whole Fraction as an int, anything else unchanged."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    return value


def _text(value: Number) -> str:
    return str(_exact(value))


def json_number(value: Number) -> int | str:
    """A figure for the canonical JSON: an int as is, a Fraction exactly as "7/2"."""
    value = _exact(value)
    return value if isinstance(value, int) else f"{value.numerator}/{value.denominator}"


def result_document(result: CategoryResult, date: str) -> dict[str, Any]:
    """The category in the shape of the Universal Tabulator (RCTab) JSON results: ``config
    {contest, date, threshold}`` and ``results [{round, tally, tallyResults [{elected |
    eliminated, transfers}]}]``, plus the tie-breaks and Manassa's own sections (jury details,
    public counts, blend, sensitivity, outcome). Figures are ints or "n/d" strings."""
    config = result.config
    jury = result.jury
    rounds = jury.rounds
    results: list[dict[str, Any]] = []
    for each in rounds:
        outcomes: list[dict[str, Any]] = []
        if each.elected is not None:
            outcomes.append({"elected": each.elected, "transfers": {}})
        if each.eliminated is not None:
            outcomes.append({"eliminated": each.eliminated, "transfers": each.transfers})
        results.append(
            {
                "round": each.number,
                "tally": {name: json_number(v) for name, v in each.tally.items()},
                "tallyResults": outcomes,
                "exhausted": each.exhausted,
                "continuingBallots": each.continuing_ballots,
                "threshold": each.threshold,
                "reason": each.reason,
            }
        )
    document: dict[str, Any] = {
        "config": {
            "contest": config.category,
            "date": date,
            "threshold": rounds[-1].threshold if rounds else None,
            "method": str(config.method),
            "finalists": list(config.finalists),
            "juryWeight": json_number(config.jury_weight),
            "publicVote": config.public_vote,
            "publicVoided": config.public_voided,
            "quorum": config.quorum,
            "quorumFallback": str(config.quorum_fallback),
            "partialBallots": config.partial,
            "noAward": config.no_award,
            "pointScale": list(point_scale(len(config.finalists))),
            "tieRule": [str(rule) for rule in TIE_CHAIN],
        },
        "results": results,
        "tieBreaks": [
            {
                "stage": tie.stage,
                "purpose": tie.purpose,
                "tied": list(tie.tied),
                "rule": str(tie.rule),
                "chosen": tie.chosen,
                "detail": tie.detail,
            }
            for tie in result.tie_breaks
        ],
        "jury": {
            "ballots": jury.ballots,
            "nonEmptyBallots": jury.non_empty,
            "quorumMet": result.quorum_met,
            "conflicts": jury.conflicts,
            "conflictHandling": CONFLICT_HANDLING[
                "irv" if config.method is Method.IRV else "borda"
            ],
            "eligibleBallots": jury.eligible,
            "ranking": list(jury.ranking),
            "winner": jury.winner,
            "pointsByPosition": {name: list(v) for name, v in jury.positions.items()},
            "points": {name: json_number(v) for name, v in jury.points.items()},
        },
        "public": None,
        "blend": [
            {
                "finalist": row.finalist,
                "juryRank": row.jury_rank,
                "juryPoints": row.jury_points,
                "publicRank": row.public_rank,
                "publicPoints": row.public_points,
                "total": json_number(row.total),
                "rank": row.rank,
            }
            for row in result.blend
        ],
        "outcome": str(result.outcome),
        "reason": result.reason,
        "ranking": list(result.ranking),
        "winner": result.winner,
        "sensitivity": None,
    }
    if config.public_vote:
        document["public"] = {
            "counts": result.public_counts,
            "total": sum(result.public_counts.values()),
            "ranking": list(result.public_order) if result.public_order else None,
        }
    if (spread := result.sensitivity) is not None:
        document["sensitivity"] = {
            "weights": [json_number(w) for w in spread.weights],
            "winners": list(spread.winners),
            "interval": [json_number(w) for w in spread.interval],
            "juryOnly": list(spread.jury_only),
            "publicOnly": list(spread.public_only),
            "chosen": list(spread.chosen),
            "ranks": {name: list(v) for name, v in spread.ranks.items()},
        }
    return document


def canonical_json(document: Any) -> str:
    """Canonical JSON text: sorted keys, two-space indent, UTF-8 characters as they are, one
    LF at the end. The same document always gives the same text."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
