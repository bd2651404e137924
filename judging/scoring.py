"""Score sheets, combination of judges' totals and ranking.

Pure functions over plain data: no ORM, no I/O. Judges' totals can be combined in five ways
(``METHODS``); the calibrated ones (``zscore``, ``leniency``) correct for judges who are
systematically harsh or generous, which matters when every judge sees only a few entries.
"""

from __future__ import annotations

import math
import operator
import statistics
import sys
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cmp_to_key
from itertools import accumulate, chain, compress, repeat
from typing import TypeVar

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
    """Turn score sheets into ``Score`` records with ``weighted_total``.

    The same arithmetic as ``weighted_total``, worked a criterion at a time over every sheet
    (the criteria's constants read once, not once per sheet); a sheet that would make
    ``weighted_total`` raise is handed to it, so the same error is raised.
    """
    sheets = list(sheets)
    counted = [c for c in criteria if not c.independent]
    weight_sum = math.fsum(c.weight for c in counted)
    maps = [sheet.scores for sheet in sheets]
    if weight_sum > 0 and set(map(type, maps)) <= {dict}:
        try:
            columns = [
                map(
                    operator.mul,
                    repeat(c.weight),
                    map(
                        operator.truediv,
                        map(operator.sub, map(operator.itemgetter(c.key), maps), repeat(c.min)),
                        repeat(c.max - c.min),
                    ),
                )
                for c in counted
            ]
            sums = map(math.fsum, zip(*columns, strict=True))
            totals = list(
                map(operator.truediv, map(operator.mul, repeat(100.0), sums), repeat(weight_sum))
            )
        except (LookupError, TypeError, ValueError, ArithmeticError):
            pass  # ``weighted_total`` below raises the error for the first sheet at fault
        else:
            return [
                Score(sheet.entry_id, sheet.judge_id, total)
                for sheet, total in zip(sheets, totals, strict=True)
            ]
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

_ROW = operator.attrgetter("entry_id", "judge_id", "total")
_T = TypeVar("_T")


@dataclass(frozen=True)
class _Columns:
    """Scores in a fixed order, by entry, then judge, then total, one list per field.

    The fixed order makes every float sum below independent of the caller's row order. An
    entry's scores are consecutive: ``runs[i]`` slices the rows of ``entries[i]`` (entries
    ascending), ``counts[i]`` is their number. The methods work on these lists with ``map``
    over C functions rather than on ``Score`` objects one by one: the same arithmetic on the
    same numbers in the same order, without a Python-level step per score.
    """

    entry_of: list[int]
    judge_of: list[int]
    totals: list[float]
    entries: list[int]
    counts: list[int]
    runs: list[slice]

    def per_entry(self, values: list[_T]) -> Iterator[list[_T]]:
        """``values`` (one per row) cut into one list per entry, one at a time."""
        return map(values.__getitem__, self.runs)


def _columns(scores: Iterable[Score]) -> _Columns:
    # Sorting the (entry, judge, total) tuples is sorting the scores by that key: the sort
    # compares the same keys, so it makes the same moves.
    rows = sorted(map(_ROW, scores))
    entry_of: list[int] = list(map(operator.itemgetter(0), rows))
    judge_of: list[int] = list(map(operator.itemgetter(1), rows))
    totals: list[float] = list(map(operator.itemgetter(2), rows))
    per_entry = Counter(entry_of)
    ends = list(accumulate(per_entry.values()))
    return _Columns(
        entry_of,
        judge_of,
        totals,
        entries=list(per_entry),
        counts=list(per_entry.values()),
        runs=list(map(slice, chain((0,), ends), ends)),
    )


def _by_entry(scores: Iterable[Score]) -> dict[int, list[float]]:
    columns = _columns(scores)
    return dict(zip(columns.entries, columns.per_entry(columns.totals), strict=True))


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _means(groups: Iterable[Sequence[float]], counts: Iterable[int]) -> Iterator[float]:
    """``_mean`` of each group, ``counts`` holding their lengths."""
    return map(operator.truediv, map(math.fsum, groups), counts)


def _median(values: Sequence[float]) -> float:
    """``statistics.median`` of a non-empty sequence, without its checks."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _pstdev(values: Sequence[float]) -> float:
    """``statistics.pstdev(values)``, the same float, computed in integers for floats.

    The statistics module sums the exact fractions of the values and of their squares
    (``Fraction`` arithmetic, one Python step per value) and takes the correctly rounded
    square root of the exact population variance. Here each finite float is written as an
    integer over a common power of two, ``x = X / 2**k``, so the exact variance is the
    integer fraction ``(n * sum(X**2) - sum(X)**2) / (n**2 * 4**k)``, summed in C; its
    correctly rounded square root is the same float. Anything but finite floats (ints,
    Decimals, infinities, NaN) is left to the statistics module.
    """
    try:
        ratios = list(map(float.as_integer_ratio, values))
    except (TypeError, ValueError, OverflowError):
        return statistics.pstdev(values)
    if not ratios:
        return statistics.pstdev(values)  # raises StatisticsError
    # Every denominator is a power of two: shift each numerator onto the largest.
    denominators = list(map(operator.itemgetter(1), ratios))
    bits = max(denominators).bit_length()
    scaled = list(
        map(
            operator.lshift,
            map(operator.itemgetter(0), ratios),
            map(operator.sub, repeat(bits), map(int.bit_length, denominators)),
        )
    )
    n = len(scaled)
    total = sum(scaled)
    squares = sum(map(operator.mul, scaled, scaled))
    return _float_sqrt_of_fraction(n * squares - total * total, (n * n) << (2 * (bits - 1)))


_SQRT_BITS = 2 * sys.float_info.mant_dig + 3


def _float_sqrt_of_fraction(numerator: int, denominator: int) -> float:
    """Square root of ``numerator / denominator`` as a float, correctly rounded.

    The method of ``statistics._float_sqrt_of_frac``: an integer square root with enough
    bits, rounded to odd, then one rounding to float (https://bugs.python.org/msg407078).
    """
    shift = (numerator.bit_length() - denominator.bit_length() - _SQRT_BITS) // 2
    if shift >= 0:
        return (_isqrt_to_odd(numerator, denominator << 2 * shift) << shift) / 1
    return _isqrt_to_odd(numerator << -2 * shift, denominator) / (1 << -shift)


def _isqrt_to_odd(numerator: int, denominator: int) -> int:
    root = math.isqrt(numerator // denominator)
    return root | (root * root * denominator != numerator)


# --- combination methods ---------------------------------------------------------------------


def combine_mean(scores: Sequence[Score]) -> dict[int, float]:
    """Arithmetic mean of the judges' totals per entry (exactly rounded with ``fsum``)."""
    columns = _columns(scores)
    means = _means(columns.per_entry(columns.totals), columns.counts)
    return dict(zip(columns.entries, means, strict=True))


def combine_median(scores: Sequence[Score]) -> dict[int, float]:
    """Median of the judges' totals per entry (mean of the middle two for even counts)."""
    columns = _columns(scores)
    medians = map(_median, columns.per_entry(columns.totals))
    return dict(zip(columns.entries, medians, strict=True))


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
    columns = _columns(scores)
    trimmed = map(_trimmed, columns.per_entry(columns.totals), repeat(trim))
    return dict(zip(columns.entries, trimmed, strict=True))


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
    columns = _columns(scores)
    totals = columns.totals
    if not totals:
        return {}
    global_mean, global_sd = _mean(totals), _pstdev(totals)
    calibrated = _calibrated(columns, min_scores_per_judge, global_mean, global_sd)
    means = _means(columns.per_entry(calibrated), columns.counts)
    return dict(zip(columns.entries, means, strict=True))


def _calibrated(
    columns: _Columns, min_scores: int, global_mean: float, global_sd: float
) -> list[float]:
    """Each row's total calibrated by its judge: ``global_mean + (t - mean_j) / sd_j *
    global_sd``, the raw total for a judge with too few totals, ``global_mean`` for a judge
    whose totals (or all totals) are all equal."""
    judge_of, totals = columns.judge_of, columns.totals
    by_judge: dict[int, list[float]] = {judge: [] for judge in dict.fromkeys(judge_of)}
    # Appends each total to its judge's list, in row order, without a Python-level loop.
    deque(map(list.append, map(by_judge.__getitem__, judge_of), totals), maxlen=0)
    means: dict[int, float] = {}
    sds: dict[int, float] = {}
    kept: dict[int, bool] = {}  # judge -> keeps raw totals (True) or all global_mean (False)
    for judge, values in by_judge.items():
        if len(values) < min_scores:
            kept[judge] = True
            continue
        mean, sd = _mean(values), _pstdev(values)
        if sd == 0 or global_sd == 0:
            kept[judge] = False
        else:
            means[judge], sds[judge] = mean, sd
    if not kept:
        return list(
            map(
                operator.add,
                repeat(global_mean),
                map(
                    operator.mul,
                    map(
                        operator.truediv,
                        map(operator.sub, totals, map(means.__getitem__, judge_of)),
                        map(sds.__getitem__, judge_of),
                    ),
                    repeat(global_sd),
                ),
            )
        )
    return [
        (total if kept[judge] else global_mean)
        if judge in kept
        else global_mean + (total - means[judge]) / sds[judge] * global_sd
        for judge, total in zip(judge_of, totals, strict=True)
    ]


# --- judge-leniency model --------------------------------------------------------------------


@dataclass(frozen=True)
class _Design:
    """Scores as index lists: what the least-squares sweeps iterate over.

    Row ``r`` (in ``_Columns`` order) is a score of entry ``row_entry[r]`` by judge
    ``row_judge[r]`` (indices into ``entries`` and ``judges``). ``entry_judges[e]`` lists the
    judge index of every score of entry ``e`` and ``entry_sums[e]`` their totals' sum;
    ``shared_entries[j]`` / ``shared_sums[j]`` do the same per judge, but only for entries
    scored by two or more judges. ``panels`` holds, per panel size, one list per position in
    the panel: the judge index at that position of each entry of that size; ``panel_order``
    maps entry indices into the panels' concatenated order (None when that is entry order).
    """

    entries: list[int]
    judges: list[int]
    totals: list[float]
    row_entry: list[int]
    row_judge: list[int]
    entry_judges: list[list[int]]
    panels: list[list[list[int]]]
    panel_order: list[int] | None
    entry_sizes: list[int]
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
    columns = _columns(scores)
    if not columns.totals:
        return LeniencyFit({}, {}, 0.0, 0)
    design = _design(columns)
    limit = tolerance * max(1.0, max(map(abs, columns.totals)))
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
        residual_sd=_residual_sd(design, quality, leniency),
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


def _design(columns: _Columns) -> _Design:
    judges = sorted(set(columns.judge_of))
    judge_index = dict(zip(judges, range(len(judges)), strict=True))
    row_judge = list(map(judge_index.__getitem__, columns.judge_of))
    row_entry = list(chain.from_iterable(map(repeat, range(len(columns.entries)), columns.counts)))
    entry_judges = list(columns.per_entry(row_judge))
    shared_entries, shared_sums = _shared_by_judge(columns, row_entry, row_judge, len(judges))
    component, components = _judge_components(entry_judges, len(judges))
    panels, panel_order = _panels(entry_judges, columns.counts)
    return _Design(
        columns.entries,
        judges,
        columns.totals,
        row_entry,
        row_judge,
        entry_judges,
        panels,
        panel_order,
        entry_sizes=columns.counts,
        entry_sums=list(map(math.fsum, columns.per_entry(columns.totals))),
        shared_entries=shared_entries,
        shared_sums=shared_sums,
        component=component,
        components=components,
    )


def _shared_by_judge(
    columns: _Columns, row_entry: list[int], row_judge: list[int], judge_count: int
) -> tuple[list[list[int]], list[float]]:
    # An entry seen by one judge fits exactly whatever that judge's leniency, so it says
    # nothing about leniency; leaving it out of the judge sweep is exact and avoids the slow
    # convergence its lagging quality would otherwise cause. An entry's rows are sorted by
    # judge, so it has two judges or more when its first and last rows' judges differ.
    first = map(row_judge.__getitem__, map(operator.attrgetter("start"), columns.runs))
    last = map(row_judge.__getitem__, map(operator.sub, accumulate(columns.counts), repeat(1)))
    shared = list(map(operator.ne, first, last))
    if all(shared):  # the usual panels: every row counts
        row_entries, row_judges, row_totals = row_entry, row_judge, columns.totals
    else:
        rows = list(compress(range(len(row_entry)), map(shared.__getitem__, row_entry)))
        row_entries = list(map(row_entry.__getitem__, rows))
        row_judges = list(map(row_judge.__getitem__, rows))
        row_totals = list(map(columns.totals.__getitem__, rows))
    entries: list[list[int]] = [[] for _ in range(judge_count)]
    totals: list[list[float]] = [[] for _ in range(judge_count)]
    # Appends, in row order (entries ascending), each shared row to its judge's lists.
    deque(map(list.append, map(entries.__getitem__, row_judges), row_entries), maxlen=0)
    deque(map(list.append, map(totals.__getitem__, row_judges), row_totals), maxlen=0)
    return entries, list(map(math.fsum, totals))


def _panels(
    entry_judges: list[list[int]], sizes: list[int]
) -> tuple[list[list[list[int]]], list[int] | None]:
    if len(set(sizes)) <= 1:  # the usual round: one panel size, in entry order
        width = sizes[0] if sizes else 0
        return [[list(map(operator.itemgetter(i), entry_judges)) for i in range(width)]], None
    by_size: dict[int, list[int]] = {}
    for entry, size in enumerate(sizes):
        by_size.setdefault(size, []).append(entry)
    panels: list[list[list[int]]] = []
    concatenated: list[int] = []
    for size, members in by_size.items():
        judges = list(map(entry_judges.__getitem__, members))
        panels.append([list(map(operator.itemgetter(i), judges)) for i in range(size)])
        concatenated += members
    if len(by_size) <= 1:
        return panels, None
    order = [0] * len(concatenated)
    for position, entry in enumerate(concatenated):
        order[entry] = position
    return panels, order


def _judge_components(
    entry_judges: Sequence[Sequence[int]], judge_count: int
) -> tuple[list[int], int]:
    parent = list(range(judge_count))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for judges in entry_judges:
        first = find(judges[0])
        for judge in judges[1:]:
            root = find(judge)
            if root != first:
                parent[root] = first
    roots = [find(j) for j in range(judge_count)]
    labels = {root: label for label, root in enumerate(dict.fromkeys(roots))}
    return [labels[root] for root in roots], len(labels)


def _solve_quality(design: _Design, leniency: list[float]) -> list[float]:
    # Per entry (total - sum of its judges' leniencies) / number of scores: this sweep is the
    # hot loop, so every step is a map over a C function. The sums are ``sum`` over each
    # entry's leniencies in row order, as a tuple that ``zip`` builds from the panel columns.
    get = leniency.__getitem__
    sums = [
        map(sum, zip(*[map(get, column) for column in panel], strict=True))
        for panel in design.panels
    ]
    judge_sums: Iterable[float] = sums[0] if len(sums) == 1 else chain.from_iterable(sums)
    if design.panel_order is not None:
        judge_sums = map(list(judge_sums).__getitem__, design.panel_order)
    return list(
        map(
            operator.truediv,
            map(operator.sub, design.entry_sums, judge_sums),
            design.entry_sizes,
        )
    )


def _solve_leniency(design: _Design, quality: list[float], regularisation: float) -> list[float]:
    # Exact constrained minimiser: the ridge solution r_j / (n_j + lambda) minus the Lagrange
    # multiplier mu_c of the component's zero-sum constraint, spread by 1 / (n_j + lambda).
    entry_sums = map(sum, map(map, repeat(quality.__getitem__), design.shared_entries))
    residuals = list(map(operator.sub, design.shared_sums, entry_sums))
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


def _residual_sd(design: _Design, quality: list[float], leniency: list[float]) -> float:
    residuals = map(
        operator.sub,
        map(operator.sub, design.totals, map(quality.__getitem__, design.row_entry)),
        map(leniency.__getitem__, design.row_judge),
    )
    squares = list(map(pow, residuals, repeat(2)))  # before dof: a square may overflow
    n_scores = len(design.totals)
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
    ordered = _by_value(values)
    entries: list[int] = []
    positions: list[int] = []
    for group in _value_groups(ordered):
        for subgroup in _break_ties(group, tiebreak_key):
            tied = sorted(subgroup) if len(subgroup) > 1 else subgroup
            positions += repeat(len(entries) + 1, len(tied))
            entries += map(operator.itemgetter(0), tied)
    figures = list(map(values.__getitem__, entries))
    low, high = scale
    shown = list(map(min, map(max, figures, repeat(low)), repeat(high)))
    slack = TIE_TOLERANCE * max(1.0, abs(low), abs(high))
    # The method's own figure where the one shown differs from it (see ``RankedEntry``).
    off = map(operator.gt, map(abs, map(operator.sub, shown, figures)), repeat(slack))
    beyond = list(off)
    if not any(beyond):
        return list(map(RankedEntry, entries, shown, positions))
    estimates = [figure if out else None for figure, out in zip(figures, beyond, strict=True)]
    return list(map(RankedEntry, entries, shown, positions, estimates))


def _by_value(values: Mapping[int, float]) -> list[tuple[int, float]]:
    """Entries by value, highest first, then by entry id."""
    figures = list(values.values())
    if any(map(operator.ne, figures, figures)):  # NaN: no order to rely on, keep this sort
        return sorted(values.items(), key=lambda item: (-item[1], item[0]))
    # Without NaN, the same order in two stable sorts of plain keys, compared in C: by entry
    # id, then by value, highest first (``reverse`` keeps equal values in entry order).
    entries = sorted(values)
    entries.sort(key=values.__getitem__, reverse=True)
    return list(zip(entries, map(values.__getitem__, entries), strict=True))


def _value_groups(ordered: Sequence[tuple[int, float]]) -> list[list[tuple[int, float]]]:
    groups: list[list[tuple[int, float]]] = []
    group: list[tuple[int, float]] = []
    first = 0.0
    for item in ordered:
        # Compare with the run's first value so ties cannot chain across a wide range.
        if groups and abs(first - item[1]) <= TIE_TOLERANCE:
            group.append(item)
        else:
            group = [item]
            groups.append(group)
            first = item[1]
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
