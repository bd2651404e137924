"""awards/tabulation.py: instant runoff, Borda, the tie chain, quorum and fallbacks, ranks to
points, the blend, the sensitivity sweep and the tabulator JSON, by hand-counted examples."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from awards.tabulation import (
    Ballot,
    BallotError,
    CategoryConfig,
    CountError,
    Fallback,
    Method,
    Outcome,
    Round,
    TieContext,
    TieRule,
    blend,
    canonical_json,
    check_ballot,
    count_jury,
    lot_order,
    point_scale,
    result_document,
    sensitivity,
    tabulate_category,
)

CONTEXT = TieContext("documentary", "seed-0", {"A": 9, "B": 8, "C": 7, "D": 6})


def ballots(*spec: tuple[int, str]) -> list[Ballot]:
    """(count, "ABC") pairs: that many ballots ranking A, then B, then C."""
    out = []
    for count, ranking in spec:
        out.extend(Ballot(f"j{len(out) + i}", tuple(ranking)) for i in range(count))
    return out


def test_irv_rounds_with_exhausted_ballots_transfers_and_two_tie_rules():
    """4 AB, 3 BAC, 2 CB, 1 D, 1 DC (11 ballots).

    Round 1: A 4, B 3, C 2, D 2; threshold 11 // 2 + 1 = 6. C and D tie for last and have no
    earlier round, so rule 2 decides: calibrated scores C 7 > D 6, D is eliminated. Its ballots:
    D -> exhausted, DC -> C. Round 2: A 4, B 3, C 3, 1 exhausted, threshold 10 // 2 + 1 = 6.
    B and C tie; in round 1 they differed (B 3, C 2), so rule 1 eliminates C: CB, CB -> B and
    DC -> exhausted. Round 3: A 4, B 5, 2 exhausted, threshold 9 // 2 + 1 = 5: B is elected."""
    result = count_jury(
        Method.IRV,
        ["A", "B", "C", "D"],
        ballots((4, "AB"), (3, "BAC"), (2, "CB"), (1, "D"), (1, "DC")),
        CONTEXT,
    )
    assert result.rounds == (
        Round(1, {"A": 4, "B": 3, "C": 2, "D": 2}, 0, 11, 6, None, "D",
              "fewest votes (2), tied with C, D: jury-score rule", {"C": 1, "exhausted": 1}),
        Round(2, {"A": 4, "B": 3, "C": 3}, 1, 10, 6, None, "C",
              "fewest votes (3), tied with B, C: earlier-round rule", {"B": 2, "exhausted": 1}),
        Round(3, {"A": 4, "B": 5}, 2, 9, 5, "B", None,
              "majority: 5 of 9 continuing ballots (threshold 5)", {}),
    )  # fmt: skip
    assert result.winner == "B"
    assert result.ranking == ("B", "A", "C", "D")
    assert [(t.stage, t.tied, t.rule, t.chosen, t.detail) for t in result.tie_breaks] == [
        ("jury round 1", ("C", "D"), TieRule.JURY_SCORE, "D", "calibrated jury scores: C 7, D 6"),
        ("jury round 2", ("B", "C"), TieRule.EARLIER_ROUND, "C", "round 1: B 3, C 2"),
    ]


def test_a_tie_equal_in_every_round_and_score_is_drawn_by_a_reproducible_lot():
    """A 1, B 1, C 1 with equal calibrated scores: the lot eliminates the first drawn, and the
    draw depends only on the seed, the category, the stage and the names."""
    context = TieContext("podcast", "f" * 64, {"A": 5, "B": 5, "C": 5})
    three = ballots((1, "AB"), (1, "BC"), (1, "CA"))
    first = count_jury(Method.IRV, ["A", "B", "C"], three, context)
    drawn = lot_order("f" * 64, "podcast", "jury round 1", ["A", "B", "C"])
    tie = first.tie_breaks[0]
    assert (tie.rule, tie.tied, tie.chosen) == (TieRule.LOT, ("A", "B", "C"), drawn[0])
    assert tie.detail == "lot drawn: " + ", ".join(drawn)
    assert first.rounds[0].eliminated == drawn[0]
    again = count_jury(Method.IRV, ["A", "B", "C"], list(reversed(three)), context)
    assert again == first
    other_seed = [
        lot_order(str(n), "podcast", "jury round 1", ["A", "B", "C"])[0] for n in range(30)
    ]
    assert set(other_seed) == {"A", "B", "C"}  # the seed matters


def test_a_conflicted_juror_counts_for_the_others_in_irv():
    """j3 is conflicted with A and ranks C, B: the ballot counts for C, then for B, never for A.
    Round 1: A 2, B 1, C 1 (threshold 3); B and C tie, rule 2 (B 8 > C 7) eliminates C; its
    ballot passes to B. Round 2: A 2, B 2 (threshold 3); rule 1 (round 1: A 2, B 1) eliminates
    B. Round 3: A 2 of 2 continuing ballots, B's two ballots exhausted."""
    three = [
        Ballot("j1", ("A",)),
        Ballot("j2", ("A",)),
        Ballot("j3", ("C", "B"), frozenset({"A"})),
        Ballot("j4", ("B",)),
    ]
    result = count_jury(Method.IRV, ["A", "B", "C"], three, CONTEXT)
    assert [r.tally for r in result.rounds] == [
        {"A": 2, "B": 1, "C": 1},
        {"A": 2, "B": 2},
        {"A": 2},
    ]
    assert [r.exhausted for r in result.rounds] == [0, 0, 2]
    assert result.winner == "A"
    assert result.conflicts == 1
    assert result.eligible == {"A": 3, "B": 4, "C": 4}


@pytest.mark.parametrize(
    ("ballot", "message"),
    [
        (Ballot("j", ("A", "Z")), "unknown finalist 'Z'"),
        (Ballot("j", ("A", "B", "A")), "finalist 'A' ranked twice"),
        (
            Ballot("j", ("A", "B"), frozenset({"B"})),
            "finalist 'B' is one the juror is conflicted with",
        ),
        (Ballot("j", ("A",), frozenset({"Q"})), "conflict with unknown finalist 'Q'"),
    ],
)
def test_a_ballot_with_a_duplicate_unknown_or_conflicted_finalist_is_refused(ballot, message):
    with pytest.raises(BallotError) as error:
        check_ballot(ballot, ["A", "B", "C"])
    assert str(error.value) == message


def test_a_partial_ballot_is_refused_where_the_category_requires_full_rankings():
    check_ballot(Ballot("j", ("A", "B"), frozenset({"C"})), ["A", "B", "C"], partial=False)
    with pytest.raises(BallotError) as error:
        check_ballot(Ballot("j", ("A", "B")), ["A", "B", "C"], partial=False)
    assert str(error.value) == "the ballot must rank every finalist"


def test_borda_methods_by_hand():
    """Ballots over A, B, C, D: ABCD, BCAD, BA (partial), CBA.

    Standard (3, 2, 1, 0; unranked 0): ABCD A3 B2 C1; BCAD B3 C2 A1; BA B3 A2; CBA C3 B2 A1.
      A 3+1+2+1 = 7, B 2+3+3+2 = 10, C 1+2+0+3 = 6, D 0.
    Modified (m ranked: m ... 1): ABCD A4 B3 C2 D1; BCAD B4 C3 A2 D1; BA B2 A1; CBA C3 B2 A1.
      A 4+2+1+1 = 8, B 3+4+2+2 = 11, C 2+3+3 = 8, D 1+1 = 2.
    Dowdall (1, 1/2, 1/3, 1/4): A 1+1/3+1/2+1/3 = 13/6, B 1/2+1+1+1/2 = 3,
      C 1/3+1/2+1 = 11/6, D 1/4+1/4 = 1/2."""
    four = ballots((1, "ABCD"), (1, "BCAD"), (1, "BA"), (1, "CBA"))
    finalists = ["A", "B", "C", "D"]
    standard = count_jury(Method.BORDA, finalists, four, CONTEXT)
    assert standard.points == {"A": 7, "B": 10, "C": 6, "D": 0}
    assert standard.ranking == ("B", "A", "C", "D")
    assert standard.positions == {
        "A": (1, 1, 2, 0), "B": (2, 2, 0, 0), "C": (1, 1, 1, 0), "D": (0, 0, 0, 2)
    }  # fmt: skip
    modified = count_jury(Method.MODIFIED_BORDA, finalists, four, CONTEXT)
    assert modified.points == {"A": 8, "B": 11, "C": 8, "D": 2}
    # A and C tie at 8; no earlier round, so rule 2: calibrated A 9 > C 7.
    assert modified.ranking == ("B", "A", "C", "D")
    assert [(t.rule, t.chosen) for t in modified.tie_breaks] == [(TieRule.JURY_SCORE, "A")]
    dowdall = count_jury(Method.DOWDALL, finalists, four, CONTEXT)
    assert dowdall.points == {
        "A": Fraction(13, 6), "B": 3, "C": Fraction(11, 6), "D": Fraction(1, 2)
    }  # fmt: skip
    assert dowdall.winner == "B"


# Award Force, "How to calculate a ranked list when using Top pick": preferences per entry
# (1st ... 5th) worth 5, 4, 3, 2, 1 points. Rows A to D as published: A 3 2 5 2 1 = 43,
# B 5 3 0 0 2 = 39, C 1 7 2 3 3 = 48, D 3 2 3 0 0 = 32. The published row for E, 10 2 2 3 2,
# adds up to 72, not the published 66; with its 3rd-preference count read as 0 (10 2 0 3 2 =
# 50 + 8 + 0 + 6 + 2 = 66) the columns also make whole ballots (22 first preferences, 16
# second, 10 third, 8 fourth, 8 fifth). These 22 ballots have exactly those preferences.
AWARD_FORCE_BALLOTS = [
    "ABDCE", "BADCE", "BDAEC", "BDAEC", "DBAEC", "DECAB", "DECAB", "EBDCA",
    "BCA", "BCA", "AC", "AC", "CA", "EC", "EC", "EC", "E", "E", "E", "E", "E", "E",
]  # fmt: skip


def test_award_force_documented_borda_example():
    result = count_jury(
        Method.BORDA,
        list("ABCDE"),
        [Ballot(f"j{i}", tuple(b)) for i, b in enumerate(AWARD_FORCE_BALLOTS)],
        CONTEXT,
    )
    assert result.positions == {
        "A": (3, 2, 5, 2, 1),
        "B": (5, 3, 0, 0, 2),
        "C": (1, 7, 2, 3, 3),
        "D": (3, 2, 3, 0, 0),
        "E": (10, 2, 0, 3, 2),
    }
    worth = (5, 4, 3, 2, 1)
    totals = {
        name: sum(n * p for n, p in zip(counts, worth, strict=True))
        for name, counts in result.positions.items()
    }
    assert totals == {"E": 66, "C": 48, "A": 43, "B": 39, "D": 32}
    assert sorted(totals, key=totals.__getitem__, reverse=True) == ["E", "C", "A", "B", "D"]
    # Standard Borda (4 ... 0) takes one point per ranked place off those totals.
    assert result.points == {"A": 30, "B": 29, "C": 32, "D": 24, "E": 49}
    assert result.ranking == ("E", "C", "A", "B", "D")


def test_borda_scales_a_conflicted_finalist_to_the_whole_jury():
    """j3 is conflicted with A and ranks B, C over the two finalists it may rank (1, 0).
    Points: A 2 (j1) + 1 (j2) = 3, B 1 + 2 + 1 = 4, C 0. A was rankable on 2 of 3 ballots, so
    its score is 3 * 3 / 2 = 9/2 and it wins; without the scaling it would lose 3 to 4."""
    three = [
        Ballot("j1", ("A", "B", "C")),
        Ballot("j2", ("B", "A", "C")),
        Ballot("j3", ("B", "C"), frozenset({"A"})),
    ]
    result = count_jury(Method.BORDA, ["A", "B", "C"], three, CONTEXT)
    assert result.points == {"A": 3, "B": 4, "C": 0}
    assert result.eligible == {"A": 2, "B": 3, "C": 3}
    assert result.rounds[0].tally == {"A": Fraction(9, 2), "B": 4, "C": 0}
    assert result.winner == "A"


def test_point_scales_depend_on_the_number_of_finalists():
    assert point_scale(10) == (12, 10, 8, 7, 6, 5, 4, 3, 2, 1)
    assert point_scale(12) == (12, 10, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0)
    assert point_scale(5) == (5, 4, 3, 2, 1)
    assert point_scale(1) == (1,)


def test_blend_and_its_sensitivity_by_hand():
    """Jury A, B, C; public C, B, A; scale 3, 2, 1. Totals: A = 3w + (1 - w) = 1 + 2w, B = 2,
    C = w + 3(1 - w) = 3 - 2w. At w = 3/5: A 11/5, B 2, C 9/5. A leads for w > 1/2, C for
    w < 1/2, and at w = 1/2 all three have 2 and the jury rank orders them A, B, C."""
    rows = blend(["A", "B", "C"], ["C", "B", "A"], Fraction(3, 5))
    assert [(r.finalist, r.jury_points, r.public_points, r.total, r.rank) for r in rows] == [
        ("A", 3, 1, Fraction(11, 5), 1),
        ("B", 2, 2, 2, 2),
        ("C", 1, 3, Fraction(9, 5), 3),
    ]
    spread = sensitivity(["A", "B", "C"], ["C", "B", "A"], Fraction(3, 5))
    assert spread.interval == (Fraction(1, 2), Fraction(1))
    assert spread.winners == ("C",) * 10 + ("A",) * 11
    assert spread.jury_only == ("A", "B", "C")
    assert spread.public_only == ("C", "B", "A")
    assert spread.chosen == ("A", "B", "C")
    assert spread.ranks == {"A": (3,) * 10 + (1,) * 11, "B": (2,) * 21, "C": (1,) * 10 + (3,) * 11}


def test_the_sensitivity_interval_of_a_weight_between_sweep_points():
    """w = 21/40 lies between 1/2 and 11/20; A wins there and from 1/2 up."""
    spread = sensitivity(["A", "B", "C"], ["C", "B", "A"], Fraction(21, 40))
    assert spread.interval == (Fraction(1, 2), Fraction(1))


def config(**changes) -> CategoryConfig:
    base = CategoryConfig("documentary", ("A", "B", "C"), Method.IRV, Fraction(1, 2), quorum=3)
    return CategoryConfig(**{**base.__dict__, **changes})


THREE_BALLOTS = ballots((2, "ABC"), (1, "BAC"))


def test_jury_and_public_blend_when_both_stand():
    """Jury (IRV) A (2 of 3), then B, C: 3, 2, 1 points. Public C 50, B 30, A 20: 3, 2, 1.
    Totals at w = 1/2: A 2, B 2, C 2; the jury rank decides: A, B, C."""
    result = tabulate_category(config(), THREE_BALLOTS, {"A": 20, "B": 30, "C": 50}, CONTEXT)
    assert (result.outcome, result.reason, result.winner) == (Outcome.BLEND, "jury weight 1/2", "A")
    assert result.ranking == ("A", "B", "C")
    assert [(t.stage, t.rule, t.tied, t.chosen) for t in result.tie_breaks] == [
        ("blend", TieRule.JURY_RANK, ("A", "B", "C"), "A"),
        ("blend", TieRule.JURY_RANK, ("B", "C"), "B"),
    ]
    assert result.sensitivity is not None


def test_a_jury_below_quorum_falls_back_to_the_public_vote():
    result = tabulate_category(config(quorum=4), THREE_BALLOTS, {"C": 5, "B": 2}, CONTEXT)
    assert result.outcome == Outcome.PUBLIC_ONLY
    assert result.reason == "the jury missed quorum (3 of 4 ballots)"
    assert (result.ranking, result.winner) == (("C", "B", "A"), "C")
    assert result.jury.winner == "A"  # still counted and reported
    assert result.sensitivity is None


def test_a_jury_below_quorum_with_no_award_declared_ends_without_a_winner():
    result = tabulate_category(
        config(quorum=4, quorum_fallback=Fallback.NO_AWARD), THREE_BALLOTS, {"C": 5}, CONTEXT
    )
    assert (result.outcome, result.winner, result.ranking) == (Outcome.NO_AWARD, None, ())
    assert (
        result.reason
        == "the jury missed quorum (3 of 4 ballots); the declared fallback is no award"
    )


def test_a_voided_public_vote_leaves_the_jury_alone():
    result = tabulate_category(config(public_voided=True), THREE_BALLOTS, {"C": 500}, CONTEXT)
    assert (result.outcome, result.reason) == (Outcome.JURY_ONLY, "the public vote was voided")
    assert (result.winner, result.ranking, result.blend) == ("A", ("A", "B", "C"), ())


def test_no_jury_and_no_public_vote_means_no_award():
    result = tabulate_category(config(public_vote=False), [], {}, CONTEXT)
    assert result.outcome == Outcome.NO_AWARD
    assert result.reason == (
        "the jury missed quorum (0 of 3 ballots) and the category has no public vote"
    )
    assert result.winner is None


def test_the_organizer_can_record_no_award():
    result = tabulate_category(config(no_award=True), THREE_BALLOTS, {"A": 3}, CONTEXT)
    assert (result.outcome, result.winner) == (Outcome.NO_AWARD, None)
    assert result.reason == "the organizer recorded no award"


def test_bad_inputs_are_refused_with_a_message():
    with pytest.raises(CountError, match="public votes for unknown finalist 'Z'"):
        tabulate_category(config(), THREE_BALLOTS, {"Z": 1}, CONTEXT)
    with pytest.raises(CountError, match="whole number"):
        tabulate_category(config(), THREE_BALLOTS, {"A": -1}, CONTEXT)
    with pytest.raises(CountError, match="between 0 and 1"):
        tabulate_category(config(jury_weight=Fraction(3, 2)), THREE_BALLOTS, {}, CONTEXT)


def test_the_tabulator_json_is_canonical_and_exact():
    result = tabulate_category(
        config(method=Method.DOWDALL, jury_weight=Fraction(2, 3)),
        THREE_BALLOTS,
        {"A": 1, "B": 7, "C": 2},
        CONTEXT,
    )
    text = canonical_json(result_document(result, "2026-05-31"))
    assert text.endswith("}\n") and "\r" not in text
    document = json.loads(text)
    assert text == canonical_json(document)  # sorted keys: reading and writing again is stable
    assert document["config"]["contest"] == "documentary"
    assert document["config"]["date"] == "2026-05-31"
    assert document["config"]["juryWeight"] == "2/3"
    assert document["config"]["tieRule"] == ["earlier-round", "jury-score", "lot"]
    # Dowdall: ABC x2 -> A 2, B 1, C 2/3; BAC -> B 1, A 1/2, C 1/3.
    assert document["results"] == [
        {
            "round": 1,
            "tally": {"A": "5/2", "B": 2, "C": 1},
            "tallyResults": [{"elected": "A", "transfers": {}}],
            "exhausted": 0,
            "continuingBallots": 3,
            "threshold": None,
            "reason": "highest score",
        }
    ]
    # Jury A 3, B 2, C 1; public B 3, C 2, A 1. Totals (w = 2/3): A 7/3, B 7/3, C 4/3.
    assert [(r["finalist"], r["total"]) for r in document["blend"]] == [
        ("A", "7/3"), ("B", "7/3"), ("C", "4/3")
    ]  # fmt: skip
    assert document["winner"] == "A"
    # A = 1 + 2w, B = 3 - w: A wins from w = 2/3 (equal there, jury rank) up; B at 13/20.
    assert document["sensitivity"]["interval"] == ["2/3", 1]
    assert document["sensitivity"]["winners"] == ["B"] * 14 + ["A"] * 7


def test_irv_rounds_in_the_tabulator_json():
    result = tabulate_category(
        config(finalists=("A", "B", "C", "D"), public_vote=False),
        ballots((4, "AB"), (3, "BAC"), (2, "CB"), (1, "D"), (1, "DC")),
        {},
        CONTEXT,
    )
    document = result_document(result, "2026-05-31")
    assert document["config"]["threshold"] == 5
    assert [(r["round"], r["tallyResults"]) for r in document["results"]] == [
        (1, [{"eliminated": "D", "transfers": {"C": 1, "exhausted": 1}}]),
        (2, [{"eliminated": "C", "transfers": {"B": 2, "exhausted": 1}}]),
        (3, [{"elected": "B", "transfers": {}}]),
    ]
    assert [t["rule"] for t in document["tieBreaks"]] == ["jury-score", "earlier-round"]
    assert document["public"] is None


def test_the_report_states_how_conflicts_were_counted():
    three = [
        Ballot("j1", ("A", "B", "C")),
        Ballot("j2", ("B", "A", "C")),
        Ballot("j3", ("B", "C"), frozenset({"A"})),
    ]
    borda = result_document(
        tabulate_category(config(method=Method.BORDA, public_vote=False), three, {}, CONTEXT), "d"
    )
    assert borda["jury"]["conflicts"] == 1
    assert borda["jury"]["eligibleBallots"] == {"A": 2, "B": 3, "C": 3}
    assert borda["jury"]["points"] == {"A": 3, "B": 4, "C": 0}
    assert borda["results"][0]["tally"] == {"A": "9/2", "B": 4, "C": 0}
    assert "divided by the ballots allowed to rank it" in borda["jury"]["conflictHandling"]
    irv = result_document(tabulate_category(config(public_vote=False), three, {}, CONTEXT), "d")
    assert irv["jury"]["conflictHandling"].startswith(
        "A conflicted juror's ballot leaves the conflicted finalist out; it counts for the "
        "juror's other preferences"
    )


def test_a_single_finalist_wins_a_standard_borda_count():
    result = count_jury(Method.BORDA, ["A"], [Ballot("j1", ("A",))], CONTEXT)
    assert (result.points, result.winner) == ({"A": 0}, "A")
