from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.assignment import AssignmentResult, assign, is_connected, replace_judge

FAST = settings(max_examples=80, deadline=None)


@st.composite
def scenarios(draw: st.DrawFn, with_conflicts: bool = True) -> dict:
    entries = sorted(draw(st.sets(st.integers(0, 300), max_size=30)))
    judges = sorted(draw(st.sets(st.integers(0, 60), max_size=12)))
    conflicts: set[tuple[int, int]] = set()
    if with_conflicts and entries and judges:
        density = draw(st.sampled_from([0.05, 0.2, 0.6]))
        rng = random.Random(draw(st.integers(0, 2**32)))
        conflicts = {(j, e) for j in judges for e in entries if rng.random() < density}
    return {
        "entries": entries,
        "judges": judges,
        "k": draw(st.integers(0, 5)),
        "conflicts": conflicts,
        "seed": draw(st.one_of(st.integers(0, 10**6), st.text(max_size=5))),
    }


def eligible_count(scenario: dict, entry: int) -> int:
    return sum(1 for j in scenario["judges"] if (j, entry) not in scenario["conflicts"])


def assert_local_balance(
    pairs: dict[int, tuple[int, ...]],
    movable: set[tuple[int, int]],
    judges: list[int],
    conflicts: set[tuple[int, int]],
) -> None:
    """No eligible judge is two or more entries lighter than one holding a movable pair."""
    loads = dict.fromkeys(judges, 0)
    for entry_judges in pairs.values():
        for judge in entry_judges:
            loads[judge] = loads.get(judge, 0) + 1
    for entry, judge in movable:
        for other in judges:
            if other not in pairs[entry] and (other, entry) not in conflicts:
                assert loads[other] >= loads[judge] - 1, (entry, judge, other)


# --- examples --------------------------------------------------------------------------------


def test_small_assignment_is_balanced_and_connected() -> None:
    result = assign(range(10), range(6), 3, set(), seed=1)
    assert isinstance(result, AssignmentResult)
    assert sorted(result.pairs) == list(range(10))
    assert all(len(set(js)) == 3 for js in result.pairs.values())
    assert result.loads == dict.fromkeys(range(6), 5)
    assert result.unfilled == {}
    assert result.problems == []
    assert is_connected(result.pairs)


def test_conflicts_leave_entries_unfilled_instead_of_raising() -> None:
    conflicts = {(1, 7), (2, 7)}
    result = assign([7, 8], [1, 2, 3], 2, conflicts)
    assert result.pairs[7] == (3,)
    assert len(result.pairs[8]) == 2
    assert result.unfilled == {7: 1}
    assert "unfilled" in result.problems


def test_degenerate_inputs() -> None:
    assert assign([], [1, 2], 3, set()).pairs == {}
    nobody = assign([1, 2], [], 2, set())
    assert nobody.pairs == {1: (), 2: ()}
    assert nobody.unfilled == {1: 2, 2: 2}
    assert assign([1], [1, 2], 0, set()).pairs == {1: ()}
    everyone = assign([1, 2, 3], [4, 5], 5, set())
    assert everyone.pairs == {1: (4, 5), 2: (4, 5), 3: (4, 5)}
    assert everyone.unfilled == {1: 3, 2: 3, 3: 3}
    with pytest.raises(ValueError):
        assign([1], [1], -1, set())


def test_seed_changes_the_design() -> None:
    first = assign(range(30), range(9), 3, set(), seed=1).pairs
    second = assign(range(30), range(9), 3, set(), seed=2).pairs
    assert first != second
    assert assign(range(30), range(9), 3, set(), seed="1").pairs != first


def test_existing_pairs_are_kept_and_topped_up() -> None:
    existing = {1: [10, 11], 2: [12], 99: [10]}
    result = assign([1, 2, 3], [10, 11, 12, 13], 3, {(13, 1)}, existing=existing)
    assert result.pairs[1] == (10, 11, 12)
    assert set(existing[2]) <= set(result.pairs[2])
    assert all(len(js) == 3 for js in result.pairs.values())
    assert 99 not in result.pairs
    assert sum(result.loads.values()) == 9


def test_existing_beyond_k_is_kept_untouched() -> None:
    result = assign([1, 2], [10, 11, 12, 13], 2, set(), existing={1: [10, 11, 12]})
    assert result.pairs[1] == (10, 11, 12)
    assert len(result.pairs[2]) == 2
    assert result.unfilled == {}


def test_existing_is_deterministic_under_input_permutation() -> None:
    existing = {3: [1], 5: [2, 4]}
    first = assign([5, 3, 1, 2, 4], [4, 3, 2, 1], 2, [(1, 2), (3, 4)], 7, existing)
    second = assign([1, 2, 3, 4, 5], [1, 2, 3, 4], 2, {(3, 4), (1, 2)}, 7, existing)
    assert first == second


def test_existing_conflict_is_reported() -> None:
    result = assign([1], [10, 11], 2, {(10, 1)}, existing={1: [10]})
    assert result.pairs[1] == (10, 11)
    assert "existing_conflict" in result.problems


def test_disconnected_design_is_reported() -> None:
    # Two entries, six judges, three each: the two panels cannot overlap.
    result = assign([1, 2], range(6), 3, set())
    assert "disconnected" in result.problems
    assert not is_connected(result.pairs)


def test_is_connected() -> None:
    assert is_connected({})
    assert is_connected({1: (1,)})
    assert is_connected({1: (1, 2), 2: (2, 3)})
    assert not is_connected({1: (1, 2), 2: (3, 4)})
    assert not is_connected({1: (1,), 2: (2,)})


def test_replace_judge_balances_the_leaving_judges_entries() -> None:
    result = assign(range(12), range(6), 2, set(), seed=3)
    leaving = 0
    replaced = replace_judge(result.pairs, leaving, range(6), set(), seed=3)
    loads = {j: sum(j in js for js in replaced.values()) for j in range(1, 6)}
    assert all(leaving not in js for js in replaced.values())
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 24


def test_replace_judge_without_eligible_judge_shortens_the_entry() -> None:
    replaced = replace_judge({1: (1, 2), 2: (2, 3)}, 1, [1, 2, 3], {(3, 1)})
    assert replaced == {1: (2,), 2: (2, 3)}


# --- properties ------------------------------------------------------------------------------


@FAST
@given(scenarios())
def test_never_assigns_a_conflicted_pair(scenario: dict) -> None:
    result = assign(**scenario)
    for entry, judges in result.pairs.items():
        assert all((judge, entry) not in scenario["conflicts"] for judge in judges)
        assert set(judges) <= set(scenario["judges"])


@FAST
@given(scenarios())
def test_each_entry_gets_as_many_distinct_judges_as_possible(scenario: dict) -> None:
    result = assign(**scenario)
    assert sorted(result.pairs) == scenario["entries"]
    for entry, judges in result.pairs.items():
        assert len(set(judges)) == len(judges)
        assert len(judges) == min(scenario["k"], eligible_count(scenario, entry))
        assert result.unfilled.get(entry, 0) == scenario["k"] - len(judges)
    assert ("unfilled" in result.problems) == bool(result.unfilled)


@FAST
@given(scenarios(with_conflicts=False))
def test_loads_within_one_without_conflicts(scenario: dict) -> None:
    result = assign(**scenario)
    loads = [result.loads[j] for j in scenario["judges"]]
    if loads:
        assert max(loads) - min(loads) <= 1
    assert sum(loads) == sum(len(js) for js in result.pairs.values())
    assert "unbalanced" not in result.problems


@FAST
@given(scenarios())
def test_with_conflicts_no_eligible_judge_is_two_lighter(scenario: dict) -> None:
    # What holds with conflicts: a pair (entry, j) is only kept when every judge who could
    # take j's place on that entry carries at least load[j] - 1 entries.
    result = assign(**scenario)
    movable = {(e, j) for e, js in result.pairs.items() for j in js}
    assert_local_balance(result.pairs, movable, scenario["judges"], scenario["conflicts"])


@FAST
@given(scenarios(), st.randoms(use_true_random=False))
def test_deterministic_under_input_permutation(scenario: dict, rng: random.Random) -> None:
    expected = assign(**scenario)
    shuffled = dict(scenario)
    for key in ("entries", "judges"):
        shuffled[key] = rng.sample(scenario[key], len(scenario[key]))
    conflicts = list(scenario["conflicts"])
    rng.shuffle(conflicts)
    shuffled["conflicts"] = conflicts
    assert assign(**shuffled) == expected


@FAST
@given(scenarios(), st.data())
def test_replace_judge_moves_only_the_leaving_judges_pairs(scenario: dict, data: st.DataObject):
    result = assign(**scenario)
    if not scenario["judges"]:
        return
    leaving = data.draw(st.sampled_from(scenario["judges"]))
    others = [j for j in scenario["judges"] if j != leaving]
    conflicts = scenario["conflicts"]
    replaced = replace_judge(result.pairs, leaving, scenario["judges"], conflicts, scenario["seed"])
    assert sorted(replaced) == sorted(result.pairs)
    movable = set()
    for entry, before in result.pairs.items():
        after = replaced[entry]
        if leaving not in before:
            assert after == before
            continue
        assert leaving not in after
        assert len(set(after)) == len(after)
        kept = set(before) - {leaving}
        assert kept <= set(after)
        added = set(after) - kept
        could = [j for j in others if j not in kept and (j, entry) not in conflicts]
        assert len(added) == min(1, len(could))
        assert all((j, entry) not in conflicts for j in added)
        movable |= {(entry, j) for j in added}
    assert_local_balance(replaced, movable, others, conflicts)


@FAST
@given(
    st.integers(1, 15),
    st.integers(2, 4),
    st.integers(0, 40),
    st.integers(0, 10**6),
)
def test_judge_graph_connected_when_enough_entries(
    judge_count: int, k: int, extra_entries: int, seed: int
) -> None:
    # Connectivity is possible exactly when entries * (k - 1) >= judges - 1.
    needed = -(-(judge_count - 1) // (k - 1))
    entries = list(range(max(1, needed) + extra_entries))
    result = assign(entries, range(judge_count), k, set(), seed=seed)
    assert is_connected(result.pairs)
    assert all(result.loads[j] > 0 for j in range(judge_count))
    assert "disconnected" not in result.problems
