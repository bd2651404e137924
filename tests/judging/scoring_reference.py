"""The scoring functions as they were before the performance rewrite of judging/scoring.py
(commit 7feb9f2), kept verbatim as an oracle: test_scoring_reference.py checks that the
rewritten module returns exactly the same results, bit for bit.

Only the functions that were rewritten are here; the data classes, ``weighted_total`` and
``TIE_TOLERANCE`` are the module's own.
"""

from __future__ import annotations

import math
import operator
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cmp_to_key

from judging.scoring import (
    TIE_TOLERANCE,
    TOTAL_SCALE,
    Criterion,
    LeniencyFit,
    RankedEntry,
    Score,
    Sheet,
    TiebreakKey,
    weighted_total,
)


def sheet_totals(criteria: Sequence[Criterion], sheets: Iterable[Sheet]) -> list[Score]:
    """Turn score sheets into ``Score`` records with ``weighted_total``."""
    return [
        Score(sheet.entry_id, sheet.judge_id, weighted_total(criteria, sheet.scores))
        for sheet in sheets
    ]


def _ordered(scores: Iterable[Score]) -> list[Score]:
    # A fixed order makes every float sum below independent of the caller's row order.
    return sorted(scores, key=lambda s: (s.entry_id, s.judge_id, s.total))


def _by_entry(scores: Iterable[Score]) -> dict[int, list[float]]:
    grouped: dict[int, list[float]] = defaultdict(list)
    for score in _ordered(scores):
        grouped[score.entry_id].append(score.total)
    return dict(grouped)


def _by_judge(scores: Iterable[Score]) -> dict[int, list[float]]:
    grouped: dict[int, list[float]] = defaultdict(list)
    for score in _ordered(scores):
        grouped[score.judge_id].append(score.total)
    return dict(grouped)


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def combine_mean(scores: Sequence[Score]) -> dict[int, float]:
    """Arithmetic mean of the judges' totals per entry (exactly rounded with ``fsum``)."""
    return {entry: _mean(totals) for entry, totals in _by_entry(scores).items()}


def combine_median(scores: Sequence[Score]) -> dict[int, float]:
    """Median of the judges' totals per entry (mean of the middle two for even counts)."""
    return {entry: statistics.median(totals) for entry, totals in _by_entry(scores).items()}


def combine_trimmed_mean(scores: Sequence[Score], *, trim: float = 0.2) -> dict[int, float]:
    """Mean after dropping the highest and lowest ``trim`` fraction of each entry's totals.

    With three or more totals at least one is dropped from each end, as in judged sports'
    "drop the highest and lowest mark": with the usual panel of three, a plain
    ``floor(n * trim)`` cut would drop nothing and the method would equal the mean. Never
    more than ``(n - 1) // 2`` are dropped from each end, so one total always remains.
    With fewer than three totals this is the mean.
    """
    if not 0 <= trim < 0.5:
        raise ValueError("trim must be in [0, 0.5)")
    return {entry: _trimmed(totals, trim) for entry, totals in _by_entry(scores).items()}


def _trimmed(totals: Sequence[float], trim: float) -> float:
    n = len(totals)
    if n < 3 or trim == 0:
        return _mean(totals)
    cut = min(max(1, math.floor(n * trim)), (n - 1) // 2)
    return _mean(sorted(totals)[cut : n - cut])


def combine_zscore(scores: Sequence[Score], *, min_scores_per_judge: int = 3) -> dict[int, float]:
    """Per-judge z-score calibration, then the mean per entry.

    Each judge's totals are standardised by that judge's own mean and population standard
    deviation, ``z = (t - mean_j) / sd_j``, and mapped back onto the scale of all raw
    totals, ``global_mean + z * global_sd``, so results still read like 0..100 totals.

    Exceptions, exactly:

    * a judge with fewer than ``min_scores_per_judge`` totals keeps raw, unshifted totals:
      with one or two entries the judge's mean says more about which entries they drew than
      about their leniency, and shifting it away would erase their only information;
    * a judge with enough totals but ``sd_j == 0`` gave every entry the same total, which
      carries no ranking information, so all of them become ``global_mean`` (``z = 0``);
    * if every raw total is equal (``global_sd == 0``) every calibrated value is
      ``global_mean``.

    When every judge qualifies, the ranking is unchanged by shifting one judge's totals by a
    constant or scaling them by a positive factor. Reference: standard-score normalisation
    of examiner marks, e.g. the per-reviewer z-scores discussed in conference peer review.
    """
    if min_scores_per_judge < 1:
        raise ValueError("min_scores_per_judge must be at least 1")
    ordered = _ordered(scores)
    if not ordered:
        return {}
    every_total = [s.total for s in ordered]
    global_mean, global_sd = _mean(every_total), statistics.pstdev(every_total)
    calibrate = _judge_calibrations(ordered, min_scores_per_judge, global_mean, global_sd)
    calibrated: dict[int, list[float]] = defaultdict(list)
    for score in ordered:
        calibrated[score.entry_id].append(calibrate[score.judge_id](score.total))
    return {entry: _mean(values) for entry, values in calibrated.items()}


def _judge_calibrations(
    ordered: Sequence[Score], min_scores: int, global_mean: float, global_sd: float
) -> dict[int, Callable[[float], float]]:
    result: dict[int, Callable[[float], float]] = {}
    for judge, totals in _by_judge(ordered).items():
        if len(totals) < min_scores:
            result[judge] = _identity
            continue
        mean, sd = _mean(totals), statistics.pstdev(totals)
        if sd == 0 or global_sd == 0:
            result[judge] = _constant(global_mean)
        else:
            result[judge] = _affine(mean, sd, global_mean, global_sd)
    return result


def _identity(total: float) -> float:
    return total


def _constant(value: float) -> Callable[[float], float]:
    return lambda _total: value


def _affine(mean: float, sd: float, to_mean: float, to_sd: float) -> Callable[[float], float]:
    return lambda total: to_mean + (total - mean) / sd * to_sd


@dataclass(frozen=True)
class _Design:
    """Scores as index lists: what the least-squares sweeps iterate over.

    ``entry_judges[e]`` lists the judge index of every score of entry ``e`` and
    ``entry_sums[e]`` their totals' sum; ``shared_entries[j]`` / ``shared_sums[j]`` do the
    same per judge, but only for entries scored by two or more judges.
    """

    entries: list[int]
    judges: list[int]
    by_entry: list[list[tuple[int, float]]]
    entry_judges: list[list[int]]
    entry_sums: list[float]
    shared_entries: list[list[int]]
    shared_sums: list[float]
    component: list[int]
    components: int


def fit_leniency(
    scores: Sequence[Score],
    *,
    regularisation: float = 0.0,
    tolerance: float = 1e-10,
    max_iterations: int = 1000,
) -> LeniencyFit:
    """Fit ``total = quality[entry] + leniency[judge] + noise`` by least squares.

    This is the additive reviewer-bias model used for calibrating judges who each see a
    subset of entries (cf. Gavel's judge-bias modelling and HotCRP-style score calibration;
    it is a two-way ANOVA without interaction on an incomplete design). It is solved by
    block coordinate descent (alternating least squares / block Gauss–Seidel):

    * given leniencies, ``quality[e]`` is the mean of ``total - leniency[j]`` over e's judges;
    * given qualities, leniencies minimise the squared residuals plus
      ``regularisation * sum(leniency**2)`` subject to leniencies summing to zero within
      each connected component of the judge co-occurrence graph; with a Lagrange multiplier
      this is ``leniency[j] = (r_j - mu_c) / (n_j + regularisation)`` where ``r_j`` is the
      sum of ``total - quality`` over j's entries. Entries seen by one judge only fit
      exactly whatever that judge's leniency, so they are left out of this step (exact,
      and faster to converge) and simply get ``quality = total - leniency``.

    Each block update is exact, so the objective never increases; sweeps stop when no value
    moves by more than ``tolerance * max(1, max |total|)``. The rate is geometric and set by
    how well the judge graph mixes: about 25 sweeps for a random design of 2,000 entries x
    3 judges, many more for a long chain of judges. Leniency is only identified up
    to a constant within a connected group of judges, hence the per-component zero-sum
    constraint: qualities from different components are not comparable beyond that
    convention. ``regularisation > 0`` shrinks leniencies of judges with few scores towards
    zero. Deterministic: inputs are sorted and the sweep order is fixed.

    ``residual_sd`` is ``sqrt(SSR / dof)`` with ``dof = n_scores - n_entries - n_judges +
    n_components`` (0.0 when ``dof <= 0``; approximate when regularised).
    """
    if regularisation < 0 or tolerance <= 0 or max_iterations < 1:
        raise ValueError("invalid leniency options")
    ordered = _ordered(scores)
    if not ordered:
        return LeniencyFit({}, {}, 0.0, 0)
    design = _design(ordered)
    limit = tolerance * max(1.0, max(abs(s.total) for s in ordered))
    leniency = [0.0] * len(design.judges)
    quality = _solve_quality(design, leniency)
    iterations, converged = 0, False
    while iterations < max_iterations and not converged:
        iterations += 1
        new_leniency = _solve_leniency(design, quality, regularisation)
        new_quality = _solve_quality(design, new_leniency)
        moved = max(_largest_change(leniency, new_leniency), _largest_change(quality, new_quality))
        leniency, quality, converged = new_leniency, new_quality, moved <= limit
    return LeniencyFit(
        quality=dict(zip(design.entries, quality, strict=True)),
        leniency=dict(zip(design.judges, leniency, strict=True)),
        residual_sd=_residual_sd(design, quality, leniency, len(ordered)),
        iterations=iterations,
        converged=converged,
    )


def combine_leniency(
    scores: Sequence[Score],
    *,
    regularisation: float = 0.0,
    tolerance: float = 1e-10,
    max_iterations: int = 1000,
) -> dict[int, float]:
    """Entry quality from the judge-leniency model (``fit_leniency``)."""
    fit = fit_leniency(
        scores,
        regularisation=regularisation,
        tolerance=tolerance,
        max_iterations=max_iterations,
    )
    return fit.quality


def _design(ordered: Sequence[Score]) -> _Design:
    entries = sorted({s.entry_id for s in ordered})
    judges = sorted({s.judge_id for s in ordered})
    entry_index = {e: i for i, e in enumerate(entries)}
    judge_index = {j: i for i, j in enumerate(judges)}
    by_entry: list[list[tuple[int, float]]] = [[] for _ in entries]
    for score in ordered:
        by_entry[entry_index[score.entry_id]].append((judge_index[score.judge_id], score.total))
    shared_entries, shared_sums = _shared_by_judge(by_entry, len(judges))
    component, components = _judge_components(by_entry, len(judges))
    return _Design(
        entries,
        judges,
        by_entry,
        entry_judges=[[j for j, _ in rows] for rows in by_entry],
        entry_sums=[math.fsum(t for _, t in rows) for rows in by_entry],
        shared_entries=shared_entries,
        shared_sums=shared_sums,
        component=component,
        components=components,
    )


def _shared_by_judge(
    by_entry: Sequence[Sequence[tuple[int, float]]], judge_count: int
) -> tuple[list[list[int]], list[float]]:
    # An entry seen by one judge fits exactly whatever that judge's leniency, so it says
    # nothing about leniency; leaving it out of the judge sweep is exact and avoids the slow
    # convergence its lagging quality would otherwise cause.
    shared: list[list[int]] = [[] for _ in range(judge_count)]
    totals: list[list[float]] = [[] for _ in range(judge_count)]
    for e, rows in enumerate(by_entry):
        if len({j for j, _ in rows}) > 1:
            for j, total in rows:
                shared[j].append(e)
                totals[j].append(total)
    return shared, [math.fsum(values) for values in totals]


def _judge_components(
    by_entry: Sequence[Sequence[tuple[int, float]]], judge_count: int
) -> tuple[list[int], int]:
    parent = list(range(judge_count))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for rows in by_entry:
        first = find(rows[0][0])
        for judge, _ in rows[1:]:
            root = find(judge)
            if root != first:
                parent[root] = first
    roots = [find(j) for j in range(judge_count)]
    labels = {root: label for label, root in enumerate(dict.fromkeys(roots))}
    return [labels[root] for root in roots], len(labels)


def _solve_quality(design: _Design, leniency: list[float]) -> list[float]:
    # map() over __getitem__ keeps the inner sums in C: this sweep is the hot loop.
    get = leniency.__getitem__
    return [
        (total - sum(map(get, judges))) / len(judges)
        for total, judges in zip(design.entry_sums, design.entry_judges, strict=True)
    ]


def _solve_leniency(design: _Design, quality: list[float], regularisation: float) -> list[float]:
    # Exact constrained minimiser: the ridge solution r_j / (n_j + lambda) minus the Lagrange
    # multiplier mu_c of the component's zero-sum constraint, spread by 1 / (n_j + lambda).
    get = quality.__getitem__
    residuals = [
        total - sum(map(get, entries))
        for total, entries in zip(design.shared_sums, design.shared_entries, strict=True)
    ]
    weighted = [0.0] * design.components
    inverse = [0.0] * design.components
    for j, entries in enumerate(design.shared_entries):
        if entries:
            denominator = len(entries) + regularisation
            weighted[design.component[j]] += residuals[j] / denominator
            inverse[design.component[j]] += 1 / denominator
    # A judge with no shared entries is a component of its own: leniency 0 by convention.
    return [
        (residuals[j] - weighted[c] / inverse[c]) / (len(entries) + regularisation)
        if entries
        else 0.0
        for j, (entries, c) in enumerate(zip(design.shared_entries, design.component, strict=True))
    ]


def _largest_change(old: Sequence[float], new: Sequence[float]) -> float:
    return max(map(abs, map(operator.sub, new, old)), default=0.0)


def _residual_sd(
    design: _Design, quality: list[float], leniency: list[float], n_scores: int
) -> float:
    squares = [
        (t - quality[e] - leniency[j]) ** 2
        for e, rows in enumerate(design.by_entry)
        for j, t in rows
    ]
    dof = n_scores - len(design.entries) - len(design.judges) + design.components
    return math.sqrt(math.fsum(squares) / dof) if dof > 0 else 0.0


def rank(
    values: Mapping[int, float],
    tiebreak_key: TiebreakKey | None = None,
    *,
    scale: tuple[float, float] = TOTAL_SCALE,
) -> list[RankedEntry]:
    """Rank entries by value, highest first, with standard competition ranking (1, 2, 2, 4).

    Values within ``TIE_TOLERANCE`` of the first value of a run are tied. Ties are broken
    by ``tiebreak_key(entry)``, a tuple compared lexicographically, larger first (numbers
    within ``TIE_TOLERANCE`` count as equal); entries still tied share a rank and are
    listed by entry id. Each value shown lies on ``scale``: one beyond it is shown at the
    scale's nearest end, with the method's figure kept as ``estimate`` (the ranking follows
    the estimates, so two entries beyond the top keep the order the method gave them).
    """
    ordered = sorted(values.items(), key=lambda item: (-item[1], item[0]))
    result: list[RankedEntry] = []
    for group in _value_groups(ordered):
        for subgroup in _break_ties(group, tiebreak_key):
            position = len(result) + 1
            tied = sorted(subgroup)
            result.extend(_on_scale(entry, value, position, scale) for entry, value in tied)
    return result


def _on_scale(entry: int, value: float, position: int, scale: tuple[float, float]) -> RankedEntry:
    low, high = scale
    shown = min(max(value, low), high)
    off = abs(shown - value) > TIE_TOLERANCE * max(1.0, abs(low), abs(high))
    return RankedEntry(entry, shown, position, value if off else None)


def _value_groups(ordered: Sequence[tuple[int, float]]) -> list[list[tuple[int, float]]]:
    groups: list[list[tuple[int, float]]] = []
    for item in ordered:
        # Compare with the run's first value so ties cannot chain across a wide range.
        if groups and abs(groups[-1][0][1] - item[1]) <= TIE_TOLERANCE:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _break_ties(
    group: list[tuple[int, float]], tiebreak_key: TiebreakKey | None
) -> list[list[tuple[int, float]]]:
    if len(group) == 1 or tiebreak_key is None:
        return [group]
    keys = {entry: tiebreak_key(entry) for entry, _ in group}

    def compare(a: tuple[int, float], b: tuple[int, float]) -> int:
        return _compare_keys(keys[b[0]], keys[a[0]]) or (a[0] > b[0]) - (a[0] < b[0])

    subgroups: list[list[tuple[int, float]]] = []
    for item in sorted(group, key=cmp_to_key(compare)):
        if subgroups and _compare_keys(keys[subgroups[-1][0][0]], keys[item[0]]) == 0:
            subgroups[-1].append(item)
        else:
            subgroups.append([item])
    return subgroups


def _compare_keys(a: Sequence[float], b: Sequence[float]) -> int:
    for x, y in zip(a, b, strict=False):
        # ``x != y`` first: -inf - -inf is nan, and equal infinities must compare equal.
        if x != y and not abs(x - y) <= TIE_TOLERANCE:
            return -1 if x < y else 1
    return (len(a) > len(b)) - (len(a) < len(b))


def spread(scores: Sequence[Score]) -> dict[int, float]:
    """Highest minus lowest judge total per entry (0.0 with a single judge)."""
    return {entry: max(totals) - min(totals) for entry, totals in _by_entry(scores).items()}
