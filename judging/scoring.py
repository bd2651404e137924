"""Score sheets, combination of judges' totals and ranking.

Pure functions over plain data: no ORM, no I/O. Judges' totals can be combined in five ways
(``METHODS``); the calibrated ones (``zscore``, ``leniency``) correct for judges who are
systematically harsh or generous, which matters when every judge sees only a few entries.
"""

from __future__ import annotations

import math
import operator
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cmp_to_key

TIE_TOLERANCE = 1e-9
"""Values closer than this are the same score (absolute, on the 0..100 scale)."""

_STEP_TOLERANCE = 1e-9

TOTAL_SCALE = (0.0, 100.0)
"""The scale of every weighted total (a rubric's minimum maps to 0, its maximum to 100), and
so of every figure a ranking shows, whatever the method (see ``rank``)."""
"""Relative slack for "is this a whole number of steps" with binary floats (0.1 + 0.2)."""


@dataclass(frozen=True)
class Criterion:
    """One line of a score sheet.

    ``independent`` criteria (e.g. a separate "best cinematography" mark) are scored and
    averaged for feedback but do not enter the weighted total. ``priority`` orders criteria
    for tie-breaking (1 first); ``None`` means the criterion is not used to break ties.
    ``step`` 0 means any value in range is accepted.
    """

    key: str
    weight: float
    min: float
    max: float
    step: float
    independent: bool = False
    priority: int | None = None

    def __post_init__(self) -> None:
        if not self.max > self.min:
            raise ValueError(f"criterion {self.key!r}: max must be greater than min")
        if self.weight < 0 or self.step < 0:
            raise ValueError(f"criterion {self.key!r}: weight and step must not be negative")


@dataclass(frozen=True)
class Sheet:
    """One judge's scores for one entry, by criterion key."""

    entry_id: int
    judge_id: int
    scores: Mapping[str, float]


@dataclass(frozen=True)
class Score:
    """One judge's weighted total (0..100) for one entry."""

    entry_id: int
    judge_id: int
    total: float


@dataclass(frozen=True)
class RankedEntry:
    """One entry's place in a ranking. ``value`` is the figure shown, always on the scale of
    the totals. A calibrated method (z-score, leniency model) can estimate an entry beyond
    the scale, above the best total any judge could give: ``estimate`` then holds the
    method's own figure, ``value`` the scale's nearest end, and ``rank`` still follows
    ``estimate``."""

    entry_id: int
    value: float
    rank: int
    estimate: float | None = None

    @property
    def off_scale(self) -> bool:
        return self.estimate is not None


@dataclass(frozen=True)
class LeniencyFit:
    """Result of the additive judge-leniency model (see ``fit_leniency``).

    ``leniency[j] > 0`` means judge ``j`` scores above the consensus by that many points.
    ``converged`` is False when ``max_iterations`` ran out first.
    """

    quality: dict[int, float]
    leniency: dict[int, float]
    residual_sd: float
    iterations: int
    converged: bool = True


# --- score sheets ---------------------------------------------------------------------------


def validate_score(criterion: Criterion, value: float) -> str | None:
    """Return ``"out_of_range"``, ``"off_step"`` or ``None`` when ``value`` is acceptable.

    The step check counts steps from ``min`` and accepts a whole number of steps within a
    relative tolerance of 1e-9, because decimal steps such as 0.1 are not exact in binary.
    """
    if not math.isfinite(value):
        return "out_of_range"
    slack = _STEP_TOLERANCE * max(1.0, abs(criterion.min), abs(criterion.max))
    if value < criterion.min - slack or value > criterion.max + slack:
        return "out_of_range"
    if criterion.step > 0:
        steps = (value - criterion.min) / criterion.step
        if abs(steps - round(steps)) > _STEP_TOLERANCE * max(1.0, abs(steps)):
            return "off_step"
    return None


def weighted_total(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> float:
    """Weighted total of the non-independent criteria on a 0..100 scale.

    Each score is first mapped onto 0..1 by its own range, ``(v - min) / (max - min)``, so a
    criterion marked 1..5 and one marked 0..20 count in proportion to their weights only,
    not to the width of their scales. Weights are relative shares (``weight / sum(weights)``)
    so organisers may state them as percentages, points or ratios and the total is still
    0..100. Raises ``ValueError`` when a score is missing or no criterion carries weight.
    """
    counted = [c for c in criteria if not c.independent]
    weight_sum = math.fsum(c.weight for c in counted)
    if weight_sum <= 0:
        raise ValueError("no weighted criteria")
    parts = []
    for criterion in counted:
        if criterion.key not in scores:
            raise ValueError(f"missing score for criterion {criterion.key!r}")
        share = (scores[criterion.key] - criterion.min) / (criterion.max - criterion.min)
        parts.append(criterion.weight * share)
    return 100.0 * math.fsum(parts) / weight_sum


def sheet_totals(criteria: Sequence[Criterion], sheets: Iterable[Sheet]) -> list[Score]:
    """Turn score sheets into ``Score`` records with ``weighted_total``."""
    return [
        Score(sheet.entry_id, sheet.judge_id, weighted_total(criteria, sheet.scores))
        for sheet in sheets
    ]


def criterion_averages(sheets: Iterable[Sheet]) -> dict[int, dict[str, float]]:
    """Mean score per entry and criterion (independent criteria included), for feedback.

    A criterion a judge left blank is averaged over the judges who did score it.
    """
    collected: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for sheet in sheets:
        for key, value in sheet.scores.items():
            collected[sheet.entry_id][key].append(value)
    return {
        entry: {key: math.fsum(values) / len(values) for key, values in sorted(by_key.items())}
        for entry, by_key in sorted(collected.items())
    }


def priority_averages(
    criteria: Sequence[Criterion], averages: Mapping[int, Mapping[str, float]]
) -> dict[int, list[float]]:
    """Criterion averages per entry in tie-break priority order (``priority`` ascending).

    Criteria without a priority are left out; a missing average counts as ``-inf`` so an
    entry nobody scored on that criterion loses the tie-break.
    """
    ordered = sorted((c for c in criteria if c.priority is not None), key=_priority_of)
    return {
        entry: [by_key.get(c.key, -math.inf) for c in ordered] for entry, by_key in averages.items()
    }


def _priority_of(criterion: Criterion) -> tuple[int, str]:
    return (criterion.priority or 0, criterion.key)


# --- grouping helpers ------------------------------------------------------------------------


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


# --- combination methods ---------------------------------------------------------------------


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


# --- judge-leniency model --------------------------------------------------------------------


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


CombineMethod = Callable[..., dict[int, float]]

METHODS: dict[str, CombineMethod] = {
    "mean": combine_mean,
    "median": combine_median,
    "trimmed_mean": combine_trimmed_mean,
    "zscore": combine_zscore,
    "leniency": combine_leniency,
}


# --- ranking ---------------------------------------------------------------------------------


TiebreakKey = Callable[[int], tuple[float, ...]]


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


def tiebreak_chain(
    entry_criteria_avgs: Mapping[int, Sequence[float]],
    top_counts: Mapping[int, int],
    decisions: Mapping[int, int],
) -> TiebreakKey:
    """Tie-break key: criterion averages in priority order, then top-score count, then the
    organisers' decision value (higher wins at every step).

    Missing data loses: absent averages count as ``-inf``, absent counts and decisions as 0.
    Build ``entry_criteria_avgs`` with ``priority_averages``.
    """
    width = max((len(avgs) for avgs in entry_criteria_avgs.values()), default=0)

    def key(entry: int) -> tuple[float, ...]:
        averages = list(entry_criteria_avgs.get(entry, ()))
        averages += [-math.inf] * (width - len(averages))
        return (*averages, float(top_counts.get(entry, 0)), float(decisions.get(entry, 0)))

    return key


def top_score_counts(scores: Sequence[Score]) -> dict[int, int]:
    """How many judges gave each entry their own highest total (ties all count).

    One reading of "count of top scores" for ``tiebreak_chain``; entries that were nobody's
    top score are absent (count 0).
    """
    best: dict[int, float] = {}
    for score in scores:
        best[score.judge_id] = max(best.get(score.judge_id, -math.inf), score.total)
    counts: dict[int, int] = defaultdict(int)
    for score in scores:
        if abs(score.total - best[score.judge_id]) <= TIE_TOLERANCE:
            counts[score.entry_id] += 1
    return dict(sorted(counts.items()))


# --- comparisons and diagnostics -------------------------------------------------------------


def compare_methods(
    scores: Sequence[Score],
    methods: Mapping[str, CombineMethod] = METHODS,
    tiebreak_key: TiebreakKey | None = None,
) -> dict[str, list[RankedEntry]]:
    """Ranking under each combination method, to show organisers how sensitive it is."""
    return {name: rank(method(scores), tiebreak_key) for name, method in methods.items()}


@dataclass(frozen=True)
class RoundAnalysis:
    """Everything a round's results page shows that is computed over all its scores."""

    rankings: dict[str, list[RankedEntry]]  # per method, best first
    changes: dict[str, dict[int, int]]  # per method: rank_changes from the chosen method
    spread: dict[int, float]
    leniency: LeniencyFit


def analyse_round(
    scores: Sequence[Score],
    methods: Mapping[str, CombineMethod],
    chosen: str,
    tiebreak_key: TiebreakKey | None = None,
) -> RoundAnalysis:
    """The ranking under every method, the rank changes against ``chosen``, the judges'
    spread per entry and the leniency fit, in time linear in the scores (times the fit's
    sweeps). The leniency model is fitted once and serves both its method's ranking and the
    leniency report."""
    fit = fit_leniency(scores)
    rankings = {
        name: rank(
            dict(fit.quality) if method is combine_leniency else method(scores), tiebreak_key
        )
        for name, method in methods.items()
    }
    return RoundAnalysis(
        rankings,
        {name: rank_changes(rankings[chosen], ranking) for name, ranking in rankings.items()},
        spread(scores),
        fit,
    )


def rank_changes(base: Sequence[RankedEntry], other: Sequence[RankedEntry]) -> dict[int, int]:
    """``base rank - other rank`` per entry present in both: positive means the entry moves
    up (to a better rank) under ``other``."""
    other_rank = {ranked.entry_id: ranked.rank for ranked in other}
    return {
        ranked.entry_id: ranked.rank - other_rank[ranked.entry_id]
        for ranked in base
        if ranked.entry_id in other_rank
    }


def spread(scores: Sequence[Score]) -> dict[int, float]:
    """Highest minus lowest judge total per entry (0.0 with a single judge)."""
    return {entry: max(totals) - min(totals) for entry, totals in _by_entry(scores).items()}


def disagreements(scores: Sequence[Score], threshold: float) -> set[int]:
    """Entries whose judges' totals are more than ``threshold`` points apart."""
    return {entry for entry, width in spread(scores).items() if width > threshold}
