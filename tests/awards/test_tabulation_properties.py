"""Hypothesis properties of awards/tabulation.py: IRV elects a majority winner and never a
Condorcet loser, no count depends on ballot order, Borda points add up, the blend is monotone in
public votes, and w = 1 / w = 0 give back the jury / public ranking."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from awards.tabulation import (
    Ballot,
    CategoryConfig,
    Method,
    TieContext,
    blend,
    canonical_json,
    count_jury,
    public_ranking,
    result_document,
    tabulate_category,
)

NAMES = ["A", "B", "C", "D", "E", "F"]


@st.composite
def elections(draw, min_finalists=2, max_finalists=6, partial=True):
    finalists = NAMES[: draw(st.integers(min_finalists, max_finalists))]
    rankings = st.permutations(finalists).flatmap(
        lambda order: st.integers(1 if partial else len(order), len(order)).map(
            lambda length: tuple(order[:length])
        )
    )
    drawn = draw(st.lists(rankings, min_size=1, max_size=40))
    ballots = [Ballot(f"j{i}", ranking) for i, ranking in enumerate(drawn)]
    scores = draw(st.fixed_dictionaries({name: st.integers(0, 3) for name in finalists}))
    return (
        finalists,
        ballots,
        TieContext("cat", draw(st.text("0123456789abcdef", min_size=1)), scores),
    )


def prefers(ranking: tuple[str, ...], a: str, b: str) -> bool:
    """Whether the ballot puts a above b (a ranked and b below it or unranked)."""
    if a not in ranking:
        return False
    return b not in ranking or ranking.index(a) < ranking.index(b)


@given(elections(), st.data())
@settings(max_examples=150, deadline=None)
def test_irv_elects_a_majority_winner(election, data):
    finalists, ballots, context = election
    favourite = data.draw(st.sampled_from(finalists))
    firsts = sum(1 for b in ballots if b.ranking[0] == favourite)
    extra = max(0, len(ballots) - 2 * firsts + 1)  # then favourite has > half the first choices
    ballots += [Ballot(f"x{i}", (favourite,)) for i in range(extra)]
    result = count_jury(Method.IRV, finalists, ballots, context)
    assert result.winner == favourite
    assert len(result.rounds) == 1


@given(elections())
@settings(max_examples=200, deadline=None)
def test_irv_never_elects_a_condorcet_loser(election):
    finalists, ballots, context = election
    result = count_jury(Method.IRV, finalists, ballots, context)

    def beats(a: str, b: str) -> bool:
        return sum(prefers(x.ranking, a, b) for x in ballots) > sum(
            prefers(x.ranking, b, a) for x in ballots
        )

    losers = [f for f in finalists if all(beats(o, f) for o in finalists if o != f)]
    assert result.winner is not None
    assert result.winner not in losers


@given(elections(), st.sampled_from(list(Method)), st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None)
def test_the_count_does_not_depend_on_ballot_order(election, method, rnd):
    finalists, ballots, context = election
    config = CategoryConfig("cat", tuple(finalists), method, Fraction(1, 3))
    counts = {name: rnd.randint(0, 5) for name in finalists}
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    first = tabulate_category(config, ballots, counts, context)
    second = tabulate_category(config, shuffled, counts, context)
    assert canonical_json(result_document(first, "d")) == canonical_json(
        result_document(second, "d")
    )


@given(elections(partial=False))
@settings(max_examples=100, deadline=None)
def test_standard_borda_points_add_up_to_ballots_times_n_n_minus_1_over_2(election):
    finalists, ballots, context = election
    n = len(finalists)
    result = count_jury(Method.BORDA, finalists, ballots, context)
    assert sum(result.points.values()) == len(ballots) * n * (n - 1) // 2


@given(elections())
@settings(max_examples=100, deadline=None)
def test_modified_borda_and_dowdall_points_add_up(election):
    finalists, ballots, context = election
    modified = count_jury(Method.MODIFIED_BORDA, finalists, ballots, context)
    assert sum(modified.points.values()) == sum(
        len(b.ranking) * (len(b.ranking) + 1) // 2 for b in ballots
    )
    dowdall = count_jury(Method.DOWDALL, finalists, ballots, context)
    assert sum(dowdall.points.values()) == sum(
        sum(Fraction(1, k) for k in range(1, len(b.ranking) + 1)) for b in ballots
    )
    # points by rank position: every ranked place is counted once
    assert sum(sum(p) for p in modified.positions.values()) == sum(len(b.ranking) for b in ballots)


@st.composite
def blends(draw):
    finalists = NAMES[: draw(st.integers(2, 6))]
    jury = draw(st.permutations(finalists))
    counts = {name: draw(st.integers(0, 20)) for name in finalists}
    weight = Fraction(draw(st.integers(0, 20)), 20)
    return finalists, list(jury), counts, weight


CONTEXT = TieContext("cat", "seed")


@given(blends(), st.data())
@settings(max_examples=300, deadline=None)
def test_one_more_public_vote_never_lowers_a_finalists_blended_rank(case, data):
    finalists, jury, counts, weight = case
    voted = data.draw(st.sampled_from(finalists))

    def rank(votes):
        order, _ = public_ranking(finalists, votes, jury, CONTEXT)
        return next(r.rank for r in blend(jury, order, weight) if r.finalist == voted)

    assert rank({**counts, voted: counts[voted] + 1}) <= rank(counts)


@given(blends())
@settings(max_examples=200, deadline=None)
def test_weight_one_gives_the_jury_ranking_and_zero_the_public_one(case):
    finalists, jury, counts, _ = case
    order, _ = public_ranking(finalists, counts, jury, CONTEXT)
    assert [r.finalist for r in blend(jury, order, Fraction(1))] == jury
    assert [r.finalist for r in blend(jury, order, Fraction(0))] == list(order)


def test_irv_over_many_random_ballots_matches_a_plain_recount():
    """A direct, slow IRV (recount all ballots every round) agrees with the counted rounds on
    tie-free random elections."""
    rnd = random.Random(7)
    for _ in range(30):
        finalists = NAMES[: rnd.randint(3, 6)]
        ballots = []
        for i in range(rnd.randint(20, 200)):
            order = finalists[:]
            rnd.shuffle(order)
            ballots.append(Ballot(f"j{i}", tuple(order[: rnd.randint(1, len(order))])))
        result = count_jury(Method.IRV, finalists, ballots, TieContext("c", "s"))
        continuing = set(finalists)
        for each in result.rounds:
            tally = {name: 0 for name in continuing}
            for ballot in ballots:
                top = next((n for n in ballot.ranking if n in continuing), None)
                if top is not None:
                    tally[top] += 1
            assert each.tally == dict(sorted(tally.items()))
            if each.eliminated:
                continuing.discard(each.eliminated)
