from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.scoring import (
    METHODS,
    Criterion,
    LeniencyFit,
    RankedEntry,
    Score,
    Sheet,
    analyse_round,
    combine_leniency,
    combine_mean,
    combine_median,
    combine_trimmed_mean,
    combine_zscore,
    compare_methods,
    criterion_averages,
    disagreements,
    fit_leniency,
    priority_averages,
    rank,
    rank_changes,
    sheet_totals,
    spread,
    tiebreak_chain,
    top_score_counts,
    validate_score,
    weighted_total,
)

FAST = settings(max_examples=60, deadline=None)


def scores_from(rows: list[tuple[int, int, float]]) -> list[Score]:
    return [Score(entry, judge, total) for entry, judge, total in rows]


def ranks_of(ranked: list[RankedEntry]) -> list[tuple[int, int]]:
    return [(r.entry_id, r.rank) for r in ranked]


# --- sheets ------------------------------------------------------------------------------------


def test_validate_score_codes() -> None:
    story = Criterion("story", 1, 0, 10, 0.5)
    assert validate_score(story, 7.5) is None
    assert validate_score(story, 10) is None
    assert validate_score(story, 0) is None
    assert validate_score(story, 7.3) == "off_step"
    assert validate_score(story, 10.5) == "out_of_range"
    assert validate_score(story, -0.5) == "out_of_range"
    assert validate_score(story, math.nan) == "out_of_range"
    assert validate_score(story, math.inf) == "out_of_range"


def test_validate_score_tolerates_binary_fractions() -> None:
    fine = Criterion("fine", 1, 0, 1, 0.1)
    assert validate_score(fine, 0.1 + 0.2) is None
    assert validate_score(fine, 0.7) is None
    assert validate_score(fine, 0.75) == "off_step"
    offset = Criterion("offset", 1, 1, 5, 0.25)
    assert validate_score(offset, 1.75) is None
    assert validate_score(offset, 1.8) == "off_step"
    assert validate_score(Criterion("free", 1, 0, 10, 0), 3.14159) is None


def test_criterion_rejects_bad_definitions() -> None:
    with pytest.raises(ValueError):
        Criterion("flat", 1, 5, 5, 1)
    with pytest.raises(ValueError):
        Criterion("negative", -1, 0, 10, 1)


CRITERIA = [
    Criterion("story", 2, 0, 10, 1, priority=1),
    Criterion("craft", 1, 1, 5, 1, priority=2),
    Criterion("bonus", 5, 0, 10, 1, independent=True),
]


def test_weighted_total_normalises_by_range_and_weight_share() -> None:
    # story 5/10 -> 0.5, craft 5 on 1..5 -> 1.0; weights 2:1; bonus ignored.
    assert weighted_total(CRITERIA, {"story": 5, "craft": 5, "bonus": 10}) == pytest.approx(
        (2 * 0.5 + 1 * 1.0) / 3 * 100
    )
    assert weighted_total(CRITERIA, {"story": 0, "craft": 1}) == 0
    assert weighted_total(CRITERIA, {"story": 10, "craft": 5}) == 100


def test_weighted_total_requires_scores_and_weights() -> None:
    with pytest.raises(ValueError, match="craft"):
        weighted_total(CRITERIA, {"story": 5})
    with pytest.raises(ValueError):
        weighted_total([Criterion("zero", 0, 0, 10, 1)], {"zero": 5})


def test_sheet_totals_and_criterion_averages() -> None:
    sheets = [
        Sheet(1, 10, {"story": 10, "craft": 5, "bonus": 4}),
        Sheet(1, 11, {"story": 6, "craft": 3}),
        Sheet(2, 10, {"story": 0, "craft": 1, "bonus": 8}),
    ]
    assert sheet_totals(CRITERIA, sheets) == [
        Score(1, 10, 100.0),
        Score(1, 11, pytest.approx((2 * 0.6 + 0.5) / 3 * 100)),
        Score(2, 10, 0.0),
    ]
    averages = criterion_averages(sheets)
    assert averages == {
        1: {"bonus": 4.0, "craft": 4.0, "story": 8.0},
        2: {"bonus": 8.0, "craft": 1.0, "story": 0.0},
    }
    assert priority_averages(CRITERIA, averages) == {1: [8.0, 4.0], 2: [0.0, 1.0]}
    assert priority_averages(CRITERIA, {3: {"story": 2.0}}) == {3: [2.0, -math.inf]}


# --- combination methods -------------------------------------------------------------------


SIMPLE = scores_from([(1, 1, 60), (1, 2, 70), (1, 3, 95), (2, 1, 50), (2, 2, 90)])


def test_combine_mean_and_median() -> None:
    assert combine_mean(SIMPLE) == {1: 75.0, 2: 70.0}
    assert combine_median(SIMPLE) == {1: 70.0, 2: 70.0}


def test_combine_trimmed_mean_drops_extremes() -> None:
    five = scores_from([(1, j, t) for j, t in enumerate([10, 60, 70, 80, 100])])
    assert combine_trimmed_mean(five) == {1: 70.0}
    # Three totals: one dropped from each end (the panel-of-three case).
    assert combine_trimmed_mean(SIMPLE) == {1: 70.0, 2: 70.0}
    assert combine_trimmed_mean(SIMPLE, trim=0) == combine_mean(SIMPLE)
    ten = scores_from([(1, j, t) for j, t in enumerate([0, 1, 50, 50, 50, 50, 50, 50, 99, 100])])
    assert combine_trimmed_mean(ten, trim=0.2) == {1: 50.0}
    with pytest.raises(ValueError):
        combine_trimmed_mean(SIMPLE, trim=0.5)


def test_combine_zscore_exact_numbers() -> None:
    # Judge 2 is 20 points more generous than judge 1 with the same spread, so after
    # calibration both agree exactly. Global mean 80, global sd sqrt(1000/6); each judge's
    # sd is sqrt(200/3), so 10 points from a judge's mean is 10*sqrt(2.5) on the global scale.
    rows = [(1, 1, 60), (2, 1, 70), (3, 1, 80), (1, 2, 80), (2, 2, 90), (3, 2, 100)]
    result = combine_zscore(scores_from(rows))
    step = 10 * math.sqrt(2.5)
    assert result == {
        1: pytest.approx(80 - step),
        2: pytest.approx(80),
        3: pytest.approx(80 + step),
    }


def test_combine_zscore_exceptions() -> None:
    rows = [
        (1, 1, 60),
        (2, 1, 70),
        (3, 1, 80),
        (4, 2, 42),  # judge 2: one total, kept raw
        (1, 3, 75),
        (2, 3, 75),
        (3, 3, 75),  # judge 3: no spread, mapped to the global mean
    ]
    totals = [t for _, _, t in rows]
    global_mean = sum(totals) / len(totals)
    result = combine_zscore(scores_from(rows))
    assert result[4] == 42
    assert result[2] == pytest.approx(global_mean)
    assert result[1] < result[2] < result[3]
    assert combine_zscore(scores_from(rows), min_scores_per_judge=1)[4] == pytest.approx(
        global_mean
    )
    assert combine_zscore([]) == {}


def test_leniency_recovers_exact_incomplete_design() -> None:
    # Leniencies +4, 0, -4; each entry seen by two judges around a ring.
    rows = [(1, 1, 54), (1, 2, 50), (2, 2, 60), (2, 3, 56), (3, 3, 66), (3, 1, 74)]
    fit = fit_leniency(scores_from(rows))
    assert fit.converged
    assert fit.quality == {1: pytest.approx(50), 2: pytest.approx(60), 3: pytest.approx(70)}
    assert fit.leniency == {
        1: pytest.approx(4),
        2: pytest.approx(0, abs=1e-9),
        3: pytest.approx(-4),
    }
    assert fit.residual_sd == pytest.approx(0, abs=1e-6)
    assert combine_mean(scores_from(rows)) == {1: 52, 2: 58, 3: 70}
    assert combine_leniency(scores_from(rows)) == fit.quality


def test_leniency_residual_sd() -> None:
    # Full 2x2 design: the interaction residual is (10 - 20 - 12 + 26) / 4 = 1 per cell,
    # SSR = 4 with 4 - 2 - 2 + 1 = 1 degree of freedom.
    fit = fit_leniency(scores_from([(1, 1, 10), (2, 1, 20), (1, 2, 12), (2, 2, 26)]))
    assert fit.quality == {1: pytest.approx(11), 2: pytest.approx(23)}
    assert fit.leniency == {1: pytest.approx(-2), 2: pytest.approx(2)}
    assert fit.residual_sd == pytest.approx(2)


def test_leniency_separate_components_each_sum_to_zero() -> None:
    rows = [(1, 1, 70), (1, 2, 60), (2, 3, 50), (2, 4, 40), (3, 5, 90)]
    fit = fit_leniency(scores_from(rows))
    assert fit.leniency == {
        1: pytest.approx(5),
        2: pytest.approx(-5),
        3: pytest.approx(5),
        4: pytest.approx(-5),
        5: pytest.approx(0),
    }
    assert fit.quality == {1: pytest.approx(65), 2: pytest.approx(45), 3: pytest.approx(90)}


def test_leniency_regularisation_shrinks() -> None:
    rows = [(1, 1, 54), (1, 2, 50), (2, 2, 60), (2, 3, 56), (3, 3, 66), (3, 1, 74)]
    plain = fit_leniency(scores_from(rows))
    shrunk = fit_leniency(scores_from(rows), regularisation=2.0)
    assert 0 < shrunk.leniency[1] < plain.leniency[1]
    assert sum(shrunk.leniency.values()) == pytest.approx(0, abs=1e-9)
    with pytest.raises(ValueError):
        fit_leniency(scores_from(rows), regularisation=-1)
    assert fit_leniency([]) == LeniencyFit({}, {}, 0.0, 0)


def test_methods_registry() -> None:
    assert set(METHODS) == {"mean", "median", "trimmed_mean", "zscore", "leniency"}
    for method in METHODS.values():
        assert set(method(SIMPLE)) == {1, 2}


def test_results_do_not_depend_on_row_order() -> None:
    rows = scores_from([(e, j, (e * 37 + j * 11) % 100 + 0.1) for e in range(8) for j in range(3)])
    shuffled = rows[::-1]
    for name, method in METHODS.items():
        assert method(rows) == method(shuffled), name


# --- ranking ---------------------------------------------------------------------------------


def test_rank_standard_competition_ranking() -> None:
    ranked = rank({1: 90.0, 2: 80.0, 3: 80.0 + 1e-10, 4: 70.0})
    assert ranks_of(ranked) == [(1, 1), (2, 2), (3, 2), (4, 4)]
    assert [r.value for r in ranked][0] == 90.0
    assert rank({}) == []


def test_rank_tiebreak_key() -> None:
    keys = {2: (5.0,), 3: (6.0,)}
    ranked = rank({1: 90.0, 2: 80.0, 3: 80.0, 4: 70.0}, lambda e: keys.get(e, ()))
    assert ranks_of(ranked) == [(1, 1), (3, 2), (2, 3), (4, 4)]


def test_tiebreak_chain_order_of_criteria() -> None:
    values = {1: 80.0, 2: 80.0, 3: 80.0, 4: 80.0, 5: 80.0}
    averages = {1: [9.0, 5.0], 2: [9.0, 7.0], 3: [9.0, 7.0], 4: [9.0, 7.0], 5: [9.0, 7.0]}
    top = {3: 2, 4: 2, 5: 2}
    decisions = {4: 1}
    ranked = rank(values, tiebreak_chain(averages, top, decisions))
    # 4 wins on decision; 3 and 5 tie on everything; 2 lacks top scores; 1 loses criterion 2.
    assert ranks_of(ranked) == [(4, 1), (3, 2), (5, 2), (2, 4), (1, 5)]


def test_tiebreak_chain_missing_data_loses() -> None:
    key = tiebreak_chain({1: [9.0, 9.0], 2: [9.0]}, {}, {})
    assert key(1) == (9.0, 9.0, 0.0, 0.0)
    assert key(2) == (9.0, -math.inf, 0.0, 0.0)
    assert key(3) == (-math.inf, -math.inf, 0.0, 0.0)
    ranked = rank({1: 50.0, 2: 50.0, 3: 50.0}, key)
    assert ranks_of(ranked) == [(1, 1), (2, 2), (3, 3)]


def test_tiebreak_near_equal_averages_fall_through() -> None:
    key = tiebreak_chain({1: [8.0 + 1e-12], 2: [8.0]}, {2: 1}, {})
    assert ranks_of(rank({1: 50.0, 2: 50.0}, key)) == [(2, 1), (1, 2)]


def test_top_score_counts() -> None:
    rows = scores_from([(1, 1, 90), (2, 1, 90), (3, 1, 10), (1, 2, 50), (3, 2, 80)])
    assert top_score_counts(rows) == {1: 1, 2: 1, 3: 1}


def test_compare_methods_and_rank_changes() -> None:
    # Judge 1 is harsh and judge 2 generous; entry 3 was seen only by the harsh judge.
    rows = scores_from(
        [(1, 1, 50), (1, 2, 70), (2, 1, 40), (2, 2, 60), (3, 1, 58), (4, 2, 62), (5, 1, 30)]
    )
    compared = compare_methods(rows)
    assert set(compared) == set(METHODS)
    mean_order = [r.entry_id for r in compared["mean"]]
    leniency_order = [r.entry_id for r in compared["leniency"]]
    assert mean_order == [4, 1, 3, 2, 5]
    # Leniencies -10/+10 from the shared entries 1 and 2; solo entries are corrected by them.
    assert leniency_order == [3, 1, 4, 2, 5]
    assert [r.value for r in compared["leniency"]] == pytest.approx([68, 60, 52, 50, 40])
    changes = rank_changes(compared["mean"], compared["leniency"])
    assert changes == {4: -2, 1: 0, 3: 2, 2: 0, 5: 0}


def test_rank_changes_ignores_missing_entries() -> None:
    base = [RankedEntry(1, 9.0, 1), RankedEntry(2, 8.0, 2)]
    other = [RankedEntry(2, 9.0, 1)]
    assert rank_changes(base, other) == {2: 1}


def test_spread_and_disagreements() -> None:
    assert spread(SIMPLE) == {1: 35.0, 2: 40.0}
    assert disagreements(SIMPLE, 35) == {2}
    assert disagreements(SIMPLE, 20) == {1, 2}
    assert spread(scores_from([(7, 1, 50)])) == {7: 0.0}


# --- properties ------------------------------------------------------------------------------


@st.composite
def calibrated_panels(draw: st.DrawFn) -> list[Score]:
    """Every judge scores at least three entries (so every judge is z-calibrated)."""
    entry_count = draw(st.integers(3, 8))
    judge_count = draw(st.integers(1, 4))
    rows = []
    for judge in range(judge_count):
        seen = draw(st.sets(st.integers(0, entry_count - 1), min_size=3, max_size=entry_count))
        for entry in sorted(seen):
            rows.append((entry, judge, float(draw(st.integers(0, 100)))))
    return scores_from(rows)


def transformed(scores: list[Score], judge: int, shift: float, factor: float) -> list[Score]:
    return [
        Score(s.entry_id, s.judge_id, s.total * factor + shift) if s.judge_id == judge else s
        for s in scores
    ]


@FAST
@given(
    calibrated_panels(),
    st.integers(0, 3),
    st.integers(-40, 40),
    st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 10.0]),
)
def test_zscore_ranking_ignores_one_judges_shift_and_scale(
    scores: list[Score], judge: int, shift: int, factor: float
) -> None:
    before = ranks_of(rank(combine_zscore(scores)))
    shifted = ranks_of(rank(combine_zscore(transformed(scores, judge, shift, 1.0))))
    scaled = ranks_of(rank(combine_zscore(transformed(scores, judge, 0.0, factor))))
    assert shifted == before
    assert scaled == before


@st.composite
def leniency_panels(draw: st.DrawFn) -> tuple[dict[int, float], dict[int, float], list[tuple]]:
    judge_count = draw(st.integers(2, 6))
    entry_count = draw(st.integers(judge_count, 12))
    qualities = {e: draw(st.floats(0, 100)) for e in range(entry_count)}
    raw = [draw(st.floats(-15, 15)) for _ in range(judge_count)]
    centre = sum(raw) / judge_count
    leniencies = {j: value - centre for j, value in enumerate(raw)}
    design = []
    for entry in range(entry_count):
        # A ring (entry i: judges i and i+1) keeps every judge connected; extras overlap it.
        ring = {entry % judge_count, (entry + 1) % judge_count}
        extra = draw(st.sets(st.integers(0, judge_count - 1), max_size=judge_count))
        design.extend((entry, judge) for judge in sorted(ring | extra))
    return qualities, leniencies, design


@FAST
@given(leniency_panels(), st.sampled_from([0.0, 1e-3]), st.integers(0, 2**32))
def test_leniency_model_recovers_known_leniencies(
    panel: tuple[dict[int, float], dict[int, float], list[tuple]], noise: float, seed: int
) -> None:
    qualities, leniencies, design = panel
    jitter = random.Random(seed)
    scores = [
        Score(e, j, qualities[e] + leniencies[j] + jitter.uniform(-noise, noise)) for e, j in design
    ]
    fit = fit_leniency(scores)
    tolerance = 1e-6 if noise == 0 else 0.05
    assert fit.converged
    for judge, expected in leniencies.items():
        assert fit.leniency[judge] == pytest.approx(expected, abs=tolerance)
    for entry, expected in qualities.items():
        assert fit.quality[entry] == pytest.approx(expected, abs=tolerance)
    assert sum(fit.leniency.values()) == pytest.approx(0, abs=1e-6)


@FAST
@given(st.floats(-1000, 1000), st.integers(1, 9))
def test_identical_scores_combine_to_that_score(value: float, count: int) -> None:
    scores = [Score(1, judge, value) for judge in range(count)]
    assert combine_median(scores)[1] == value
    assert combine_mean(scores)[1] == pytest.approx(value, rel=1e-12, abs=1e-12)
    assert combine_trimmed_mean(scores)[1] == pytest.approx(value, rel=1e-12, abs=1e-12)


@FAST
@given(st.dictionaries(st.integers(0, 500), st.integers(0, 15).map(float), max_size=40))
def test_rank_is_a_permutation_consistent_with_values(values: dict[int, float]) -> None:
    ranked = rank(values)
    assert sorted(r.entry_id for r in ranked) == sorted(values)
    for position, entry in enumerate(ranked):
        assert entry.value == values[entry.entry_id]
        better = sum(1 for v in values.values() if v > entry.value)
        assert entry.rank == better + 1
        if position:
            previous = ranked[position - 1]
            assert previous.value >= entry.value
            assert (previous.rank == entry.rank) == (previous.value == entry.value)


@FAST
@given(
    st.dictionaries(st.integers(0, 500), st.floats(0, 100), max_size=40),
    st.dictionaries(st.integers(0, 500), st.integers(0, 3), max_size=40),
)
def test_rank_with_tiebreak_is_consistent(
    values: dict[int, float], decisions: dict[int, int]
) -> None:
    ranked = rank(values, tiebreak_chain({}, {}, decisions))
    assert sorted(r.entry_id for r in ranked) == sorted(values)
    for position, entry in enumerate(ranked):
        assert entry.rank in {position + 1} | ({ranked[position - 1].rank} if position else set())
        if position:
            previous = ranked[position - 1]
            assert previous.value >= entry.value - 1e-9
            if previous.rank == entry.rank:
                assert decisions.get(previous.entry_id, 0) == decisions.get(entry.entry_id, 0)


# --- every figure shown lies on the scale ------------------------------------------------------


def test_a_calibrated_figure_beyond_the_scale_is_shown_at_its_end() -> None:
    """Two judges share entry 1 (50 and 90): the first is 20 points harsh. Entry 2, seen by
    the harsh judge alone at 100, is estimated at 120 by the leniency model."""
    scores = scores_from([(1, 1, 50.0), (1, 2, 90.0), (2, 1, 100.0), (3, 2, 95.0)])
    assert combine_leniency(scores)[2] == pytest.approx(120.0)
    ranked = {r.entry_id: r for r in rank(combine_leniency(scores))}
    assert (ranked[2].value, ranked[2].rank, ranked[2].off_scale) == (100.0, 1, True)
    assert ranked[2].estimate == pytest.approx(120.0)
    assert (ranked[1].value, ranked[1].off_scale) == (pytest.approx(70.0), False)
    low = rank({1: -12.5, 2: 10.0})
    assert [(r.entry_id, r.value, r.rank) for r in low] == [(2, 10.0, 1), (1, 0.0, 2)]
    assert low[1].estimate == -12.5


def test_two_entries_beyond_the_top_keep_the_models_order() -> None:
    ranked = rank({1: 104.0, 2: 113.8, 3: 99.0})
    assert [(r.entry_id, r.value, r.rank) for r in ranked] == [
        (2, 100.0, 1),
        (1, 100.0, 2),
        (3, 99.0, 3),
    ]


@st.composite
def rubrics_and_sheets(draw: st.DrawFn) -> tuple[list[Criterion], list[Sheet]]:
    """A random rubric (any scales, steps and weights) and a random, incomplete panel of
    sheets scored within it."""
    criteria = []
    for index in range(draw(st.integers(1, 4))):
        low = draw(st.integers(-10, 10))
        width = draw(st.integers(1, 100))
        step = draw(st.sampled_from([0.0, 0.5, 1.0]))
        weight = draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 5.0])) if index else 1.0
        criteria.append(Criterion(f"c{index}", weight, low, low + width, step))
    entry_count = draw(st.integers(1, 8))
    judge_count = draw(st.integers(1, 5))
    sheets = []
    for judge in range(judge_count):
        seen = draw(st.sets(st.integers(0, entry_count - 1), min_size=1, max_size=entry_count))
        for entry in sorted(seen):
            scores = {}
            for c in criteria:
                steps = draw(st.integers(0, int((c.max - c.min) / c.step))) if c.step else None
                scores[c.key] = (
                    c.min + steps * c.step
                    if steps is not None
                    else draw(st.floats(c.min, c.max, allow_nan=False))
                )
            sheets.append(Sheet(entry, judge, scores))
    return criteria, sheets


@settings(max_examples=300, deadline=None)
@given(rubrics_and_sheets(), st.integers(1, 4))
def test_no_method_shows_a_figure_outside_the_rubrics_scale(
    drawn: tuple[list[Criterion], list[Sheet]], min_scores: int
) -> None:
    criteria, sheets = drawn
    scores = sheet_totals(criteria, sheets)
    methods = {**METHODS, "zscore": lambda s: combine_zscore(s, min_scores_per_judge=min_scores)}
    analysis = analyse_round(scores, methods, "leniency")
    shown = [*compare_methods(scores, methods).values(), *analysis.rankings.values()]
    for ranking in shown:
        assert {r.entry_id for r in ranking} == {s.entry_id for s in sheets}
        for ranked in ranking:
            assert 0.0 <= ranked.value <= 100.0
            if ranked.off_scale:
                assert ranked.estimate is not None
                assert not 0.0 <= ranked.estimate <= 100.0
                assert ranked.value in (0.0, 100.0)
