"""The rewritten scoring functions give exactly the results of the code they replaced
(``scoring_reference``): the same keys in the same order and the same floats, bit for bit
(signed zeros and NaN included), or the same error.

The rewrite works on columns with ``map`` over C functions and computes ``pstdev`` in
integers; these properties cover the paths that must keep the old arithmetic: rows in any
order, panels of different sizes, entries seen by one judge, repeated rows, judges with too
few scores or all-equal totals, ints among the floats, signed zeros, non-finite totals,
ties within ``TIE_TOLERANCE`` and figures beyond the scale.
"""

from __future__ import annotations

import math
import random
import statistics

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging import scoring
from judging.scoring import Criterion, Score, Sheet
from tests.judging import scoring_reference as reference

MANY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same(a: object, b: object) -> bool:
    """Equal values of equal types, floats bit for bit, dicts in the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        assert isinstance(b, float)
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
        )
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return (
            list(a) == list(b)
            and all(type(x) is type(y) for x, y in zip(a, b, strict=True))
            and all(same(a[key], b[key]) for key in a)
        )
    if isinstance(a, list | tuple):
        assert isinstance(b, list | tuple)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    fields = getattr(a, "__dataclass_fields__", None)
    if fields is not None:
        return all(same(getattr(a, name), getattr(b, name)) for name in fields)
    return a == b


def outcome(function, *args, **kwargs) -> tuple[str, object]:
    try:
        return "ok", function(*args, **kwargs)
    except Exception as error:  # the same error, raised the same way, is part of the result
        return "error", (type(error), str(error))


def assert_same(new: tuple[str, object], old: tuple[str, object]) -> None:
    assert new[0] == old[0], (new, old)
    assert same(new[1], old[1]), (new, old)


totals = st.one_of(
    st.floats(0, 100),
    st.integers(0, 100).map(float),
    st.sampled_from([0.0, -0.0, 100.0, 100 / 3, 1e-300, 5e-324]),
    st.integers(0, 100),
    st.floats(-1e6, 1e6),
)
rows = st.lists(st.tuples(st.integers(0, 12), st.integers(100, 106), totals), max_size=50)
wild_rows = st.lists(st.tuples(st.integers(0, 4), st.integers(100, 103), st.floats()), max_size=16)


def check_methods(data: list[tuple[int, int, float]]) -> None:
    scores = [Score(entry, judge, total) for entry, judge, total in data]
    shuffled = scores[:]
    random.Random(len(scores)).shuffle(shuffled)
    for given_scores in (scores, shuffled):
        for name in ("combine_mean", "combine_median", "combine_trimmed_mean", "spread"):
            assert_same(
                outcome(getattr(scoring, name), given_scores),
                outcome(getattr(reference, name), given_scores),
            )
        for trim in (0.0, 0.1, 0.34, 0.49):
            assert_same(
                outcome(scoring.combine_trimmed_mean, given_scores, trim=trim),
                outcome(reference.combine_trimmed_mean, given_scores, trim=trim),
            )
        for least in (1, 2, 3, 5):
            assert_same(
                outcome(scoring.combine_zscore, given_scores, min_scores_per_judge=least),
                outcome(reference.combine_zscore, given_scores, min_scores_per_judge=least),
            )
        for options in ({}, {"regularisation": 0.5, "max_iterations": 7}):
            assert_same(
                outcome(scoring.fit_leniency, given_scores, **options),
                outcome(reference.fit_leniency, given_scores, **options),
            )


@MANY
@given(rows)
def test_methods_give_the_old_results(data: list[tuple[int, int, float]]) -> None:
    check_methods(data)


@MANY
@given(wild_rows)
def test_methods_give_the_old_results_for_non_finite_totals(
    data: list[tuple[int, int, float]],
) -> None:
    check_methods(data)


figures = st.one_of(
    st.floats(-10, 110),
    st.integers(0, 100),
    st.sampled_from([0.0, -0.0, 50.0, 50 + 1e-10, 50 - 1e-10, 5e-10, 1e-9, math.inf, -math.inf]),
)
keys = st.lists(st.sampled_from([0.0, 1.0, 1 + 1e-10, -math.inf, 2.0]), max_size=3).map(tuple)


@MANY
@given(
    st.dictionaries(st.integers(-5, 300), figures, max_size=40),
    st.none() | st.dictionaries(st.integers(-5, 300), keys, max_size=40),
    st.sampled_from([(0.0, 100.0), (10.0, 60.0)]),
)
def test_rank_gives_the_old_ranking(
    values: dict[int, float],
    tiebreaks: dict[int, tuple[float, ...]] | None,
    scale: tuple[float, float],
) -> None:
    key = None if tiebreaks is None else (lambda entry: tiebreaks.get(entry, (0.0,)))
    assert_same(
        outcome(scoring.rank, values, key, scale=scale),
        outcome(reference.rank, values, key, scale=scale),
    )


@MANY
@given(st.dictionaries(st.integers(-5, 30), st.floats(), max_size=20))
def test_rank_gives_the_old_ranking_with_nan(values: dict[int, float]) -> None:
    assert_same(outcome(scoring.rank, values), outcome(reference.rank, values))


@MANY
@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=30)
    | st.lists(st.floats(-1e-300, 1e-300), min_size=1, max_size=5)
    | st.lists(st.sampled_from([0.1, 0.2, 0.3, 1e308, -1e308, 5e-324, 0.0, -0.0]), min_size=1)
    | st.lists(st.floats() | st.integers(-5, 5), max_size=5)
)
def test_pstdev_is_statistics_pstdev(values: list[float]) -> None:
    assert_same(outcome(scoring._pstdev, values), outcome(statistics.pstdev, values))


RUBRIC = [
    Criterion("a", 3, 0, 10, 0.5),
    Criterion("b", 2, 1, 5, 1),
    Criterion("c", 1, 0, 20, 1, independent=True),
    Criterion("d", 0.5, -3, 3, 0),
]
RUBRICS = [RUBRIC, RUBRIC[:2], [RUBRIC[2]], [Criterion("z", 0, 0, 1, 0)]]
marks = st.dictionaries(
    st.sampled_from("abcdx"), st.floats(-5, 25) | st.integers(-5, 25), max_size=5
)


@MANY
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), marks), max_size=12),
    st.sampled_from(range(len(RUBRICS))),
)
def test_sheet_totals_give_the_old_totals(
    data: list[tuple[int, int, dict[str, float]]], which: int
) -> None:
    sheets = [Sheet(entry, judge, scores) for entry, judge, scores in data]
    assert_same(
        outcome(scoring.sheet_totals, RUBRICS[which], sheets),
        outcome(reference.sheet_totals, RUBRICS[which], sheets),
    )


def test_a_benchmark_sized_round_gives_the_old_results() -> None:
    generator = random.Random(7)
    leniency = {judge: generator.gauss(0, 8) for judge in range(100, 160)}
    sheets = []
    for entry in range(600):
        quality = generator.random()
        for judge in sorted(generator.sample(range(100, 160), 3 if entry % 7 else 2)):
            level = min(1.0, max(0.0, quality + leniency[judge] / 100 + generator.gauss(0, 0.05)))
            scores = {c.key: c.min + round(level * (c.max - c.min)) for c in RUBRIC}
            sheets.append(Sheet(entry, judge, scores))
    scores = scoring.sheet_totals(RUBRIC, sheets)
    assert same(scores, reference.sheet_totals(RUBRIC, sheets))
    for name, method in scoring.METHODS.items():
        old = getattr(reference, method.__name__)(scores)
        new = method(scores)
        assert same(new, old), name
        assert same(scoring.rank(new), reference.rank(old)), name
