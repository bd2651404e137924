"""The jury's final vote (awards.services.voting): the declared rules locked once voting opens,
the juror's ranked ballot (conflicts, refusals, versions, the window), the turnout the
organizer reads, and what the count reads (ballots_for_count, config_for)."""

from __future__ import annotations

import asyncio
import datetime as dt
from fractions import Fraction

import pytest

from accounts.enums import ScopeType
from awards.models import Category, JuryBallot
from awards.services import voting
from awards.services.common import PhaseClosed
from awards.services.entry_source import group_key
from awards.tabulation import Ballot, Fallback, Method, check_ballot
from core import clock
from core.audit import AuditEntry
from core.errors import Invalid, NotFound
from core.i18n import use_locale
from judging.enums import ConflictKind, ConflictOrigin
from judging.models import Conflict
from tests.awards.factories import make_category, make_cycle
from tests.awards.jury import finalists, jury_judges
from tests.factories import make_user

RULES = voting.Rules(
    method=Method.BORDA,
    partial=False,
    weight_percent=60,
    quorum=2,
    fallback=Fallback.NO_AWARD,
    public_vote=True,
)


async def _voting(count: int = 3, jurors: int = 2, **fields):  # noqa: ANN003, ANN202
    organizer = await make_user(language="en")
    cycle = await make_cycle(phase="voting", organizer=organizer)
    category = await make_category(cycle, **fields)
    rows = await finalists(cycle, category, count)
    seats = await jury_judges(cycle, category, jurors)
    return organizer, cycle, category, rows, seats


async def _user(seat):  # noqa: ANN001, ANN202
    await seat.fetch_related("user")
    return seat.user


async def _conflict(seat, nomination) -> None:  # noqa: ANN001
    await Conflict.create(
        judge=seat,
        scope_type=ScopeType.AWARD_CYCLE.value,
        scope_id=seat.scope_id,
        kind=ConflictKind.ENTRY,
        value=str(nomination.id),
        label="x",
        origin=ConflictOrigin.DECLARED,
    )


# --- the declared rules ----------------------------------------------------------------------


async def test_rules_are_saved_and_audited_before_voting_opens(db):
    organizer = await make_user()
    cycle = await make_cycle(phase="jury", organizer=organizer)
    category = await make_category(cycle)
    await voting.set_rules(organizer, cycle, category, RULES)
    saved = await Category.get(id=category.id)
    assert voting.Rules.of(saved) == RULES
    entry = await AuditEntry.filter(action="awards.vote_rules").get()
    assert entry.after["jury_method"] == "borda"
    assert entry.before["jury_method"] == "irv"


async def test_rules_are_locked_once_voting_opens_and_nothing_changes(db):
    organizer, cycle, category, _rows, _seats = await _voting()
    with pytest.raises(PhaseClosed) as refused:
        await voting.set_rules(organizer, cycle, category, RULES)
    assert "locked" in refused.value.message
    assert voting.Rules.of(await Category.get(id=category.id)) != RULES
    assert not await AuditEntry.filter(action="awards.vote_rules").exists()


@pytest.mark.parametrize(
    ("field", "value"), [("weight_percent", 53), ("weight_percent", 105), ("quorum", 0)]
)
async def test_rules_out_of_range_are_refused(db, field, value):
    organizer = await make_user()
    cycle = await make_cycle(phase="jury", organizer=organizer)
    category = await make_category(cycle)
    bad = voting.Rules(**{**RULES.__dict__, field: value})
    with pytest.raises(Invalid):
        await voting.set_rules(organizer, cycle, category, bad)
    assert voting.Rules.of(await Category.get(id=category.id)) != bad


# --- the juror's ballot ----------------------------------------------------------------------


async def test_a_juror_casts_then_changes_the_ballot_and_the_last_version_counts(db):
    _organizer, _cycle, category, rows, seats = await _voting()
    juror = await _user(seats[0])
    cycle = await category.cycle
    first = await voting.cast_ballot(juror, cycle, category, [rows[0].id, rows[1].id])
    assert (first.version, first.ranking) == (1, [rows[0].id, rows[1].id])
    second = await voting.cast_ballot(juror, cycle, category, [rows[2].id])
    assert (second.version, second.ranking) == (2, [rows[2].id])
    assert await JuryBallot.filter(category=category).count() == 1
    audited = await AuditEntry.filter(action="awards.jury_ballot").order_by("id")
    assert [a.after["version"] for a in audited] == [1, 2]
    assert all("ranking" not in (a.after or {}) for a in audited)  # no standings in the log


async def test_a_ballot_with_a_duplicate_or_unknown_finalist_is_refused(db):
    _organizer, cycle, category, rows, seats = await _voting()
    juror = await _user(seats[0])
    other = await make_category(cycle)
    stranger = (await finalists(cycle, other, 1))[0]
    for ranking, text in (
        ([rows[0].id, rows[0].id], "more than once"),
        ([rows[0].id, stranger.id], "not a finalist"),
        ([], "at least one"),
    ):
        with pytest.raises(Invalid) as refused:
            await voting.cast_ballot(juror, cycle, category, ranking)
        assert text in refused.value.errors["ranking"]
    assert not await JuryBallot.exists()


async def test_a_full_ranking_is_required_where_partial_ballots_are_not_allowed(db):
    _organizer, cycle, category, rows, seats = await _voting(partial_ballots=False)
    juror = await _user(seats[0])
    with pytest.raises(Invalid) as refused:
        await voting.cast_ballot(juror, cycle, category, [rows[0].id])
    assert "every finalist" in refused.value.errors["ranking"]
    saved = await voting.cast_ballot(juror, cycle, category, [r.id for r in reversed(rows)])
    assert saved.version == 1


async def test_a_conflicted_juror_neither_sees_nor_ranks_the_finalist(db):
    _organizer, cycle, category, rows, seats = await _voting()
    juror = await _user(seats[0])
    await _conflict(seats[0], rows[1])
    view = await voting.ballot_view(juror, cycle, category)
    assert [r.nomination_id for r in view.finalists] == [rows[0].id, rows[2].id]
    assert view.left_out == 1
    with pytest.raises(Invalid) as refused:
        await voting.cast_ballot(juror, cycle, category, [rows[1].id, rows[0].id])
    assert "conflict of interest" in refused.value.errors["ranking"]
    # a full ranking is every finalist the juror may rank
    await voting.cast_ballot(juror, cycle, category, [rows[2].id, rows[0].id])


async def test_a_conflict_by_organization_hides_the_finalist_too(db):
    _organizer, cycle, category, rows, seats = await _voting()
    juror = await _user(seats[0])
    await Conflict.create(
        judge=seats[0],
        scope_type=ScopeType.AWARD_CYCLE.value,
        scope_id=cycle.id,
        kind=ConflictKind.TEAM,
        value=f"nominee:{rows[2].id}",
        origin=ConflictOrigin.DETECTED,
    )
    view = await voting.ballot_view(juror, cycle, category)
    assert rows[2].id not in [r.nomination_id for r in view.finalists]


async def test_only_the_category_jurors_have_a_ballot(db):
    _organizer, cycle, category, rows, _seats = await _voting()
    other = await make_category(cycle)
    await finalists(cycle, other, 2)
    elsewhere = await _user((await jury_judges(cycle, other, 1))[0])
    everywhere = await _user((await jury_judges(cycle, None, 1))[0])
    for user in (await make_user(), elsewhere):
        with pytest.raises(NotFound):
            await voting.cast_ballot(user, cycle, category, [rows[0].id])
    assert await voting.juror_categories(elsewhere, cycle) == [other]
    assert {c.id for c in await voting.juror_categories(everywhere, cycle)} == {
        category.id,
        other.id,
    }
    await voting.cast_ballot(everywhere, cycle, category, [rows[0].id])


async def test_a_jurors_cycles_are_those_whose_vote_is_open_in_a_category_of_theirs(db):
    """What "my nominations" links to (one statement): a published cycle whose final vote is
    open, where the person is an accepted juror of every category or of one with a shortlist."""
    _organizer, cycle, category, _rows, seats = await _voting()
    bare = await make_category(cycle)  # no shortlist: nothing to rank
    listed = await _user(seats[0])
    everywhere = await _user((await jury_judges(cycle, None, 1))[0])
    unlisted = await _user((await jury_judges(cycle, bare, 1))[0])
    hidden = await make_cycle(phase="voting", published=False)
    hidden_category = await make_category(hidden)
    await finalists(hidden, hidden_category, 2)
    draft_juror = await _user((await jury_judges(hidden, hidden_category, 1))[0])
    for user in (listed, everywhere):
        found = await voting.jury_cycles(user)
        assert [(c.id, c.slug, c.name_en) for c in found] == [(cycle.id, cycle.slug, cycle.name_en)]
    for user in (unlisted, draft_juror, await make_user()):
        assert await voting.jury_cycles(user) == []
    clock.travel(cycle.voting_closes - clock.now())  # the vote has closed
    assert await voting.jury_cycles(everywhere) == []


@pytest.mark.parametrize(
    ("shift", "text"), [(-dt.timedelta(days=6), "opens"), (dt.timedelta(days=6), "closed")]
)
async def test_a_ballot_outside_the_voting_window_is_refused(db, shift, text):
    _organizer, cycle, category, rows, seats = await _voting()
    juror = await _user(seats[0])
    clock.travel(shift)
    try:
        with pytest.raises(PhaseClosed) as refused, use_locale("en"):
            await voting.cast_ballot(juror, cycle, category, [rows[0].id])
    finally:
        clock.reset()
    assert text in refused.value.message
    assert not await JuryBallot.exists()


async def test_messages_are_in_the_jurors_language(db):
    _organizer, cycle, category, rows, seats = await _voting()
    juror = await _user(seats[0])
    with use_locale("ar"), pytest.raises(Invalid) as refused:
        await voting.cast_ballot(juror, cycle, category, [rows[0].id, rows[0].id])
    assert "مرة" in refused.value.errors["ranking"]


def test_the_form_ranking_is_read_in_rank_order_and_checked():
    assert voting.parse_ranking([("rank-7", "2"), ("rank-5", "1"), ("rank-9", "")]) == [5, 7]
    for items, text in (
        ([("rank-7", "1"), ("rank-7", "2")], "more than once"),
        ([("rank-7", "1"), ("rank-5", "1")], "same rank"),
        ([("rank-7", "1"), ("rank-5", "3")], "without a gap"),
        ([("rank-7", "x")], "from the list"),
        ([("rank-x", "1")], "not a finalist"),
    ):
        with pytest.raises(Invalid) as refused:
            voting.parse_ranking(items)
        assert text in refused.value.errors["ranking"], items


async def test_two_saves_of_one_ballot_at_once_leave_one_ballot(db):
    _organizer, cycle, category, rows, seats = await _voting()
    juror = await _user(seats[0])
    saved = await asyncio.gather(
        voting.cast_ballot(juror, cycle, category, [rows[0].id]),
        voting.cast_ballot(juror, cycle, category, [rows[1].id]),
        return_exceptions=True,
    )
    assert all(isinstance(s, JuryBallot) for s in saved), saved
    row = await JuryBallot.get(category=category)
    assert row.version == 2
    assert await JuryBallot.filter(category=category).count() == 1


# --- the organizer's turnout -----------------------------------------------------------------


async def test_turnout_counts_ballots_of_seated_jurors_only(db):
    _organizer, cycle, category, rows, seats = await _voting(jurors=3)
    for seat in seats[:2]:
        await voting.cast_ballot(await _user(seat), cycle, category, [rows[0].id])
    found = {t.category.id: t for t in await voting.turnout(cycle)}
    assert (found[category.id].cast, found[category.id].seats) == (2, 3)
    assert found[category.id].finalists == 3


# --- what the count reads --------------------------------------------------------------------


async def test_ballots_for_count_give_each_seated_jurors_last_ballot_with_conflicts(db):
    _organizer, cycle, category, rows, seats = await _voting(jurors=3)
    a, b, c = [await _user(s) for s in seats]
    await _conflict(seats[1], rows[0])
    await voting.cast_ballot(a, cycle, category, [rows[1].id, rows[0].id])
    await voting.cast_ballot(a, cycle, category, [rows[2].id, rows[1].id, rows[0].id])
    await voting.cast_ballot(b, cycle, category, [rows[1].id])
    await voting.cast_ballot(c, cycle, category, [rows[0].id])
    # the third juror leaves the jury: their ballot no longer counts
    seats[2].state = "withdrawn"
    await seats[2].save(update_fields=["state"])
    found = await voting.ballots_for_count(category)
    ids = [str(r.id) for r in rows]
    assert found == [
        Ballot(str(a.id), (ids[2], ids[1], ids[0]), frozenset()),
        Ballot(str(b.id), (ids[1],), frozenset({ids[0]})),
    ]
    assert await voting.finalist_ids(category) == ids
    config = voting.config_for(category, ids)
    for ballot in found:
        check_ballot(ballot, config.finalists, partial=config.partial)


async def test_a_conflict_declared_after_casting_leaves_that_finalist_out_of_the_count(db):
    _organizer, cycle, category, rows, seats = await _voting()
    juror = await _user(seats[0])
    await voting.cast_ballot(juror, cycle, category, [rows[0].id, rows[1].id])
    await _conflict(seats[0], rows[0])
    (ballot,) = await voting.ballots_for_count(category)
    assert ballot.ranking == (str(rows[1].id),)
    assert ballot.conflicts == frozenset({str(rows[0].id)})


async def test_config_for_reads_the_declared_rules(db):
    organizer = await make_user()
    cycle = await make_cycle(phase="jury", organizer=organizer)
    category = await make_category(cycle)
    await voting.set_rules(organizer, cycle, category, RULES)
    category = await Category.get(id=category.id)
    config = voting.config_for(category, ["3", "1"])
    assert config.category == str(category.id) == group_key(category)
    assert config.finalists == ("3", "1")
    assert config.method == Method.BORDA
    assert config.jury_weight == Fraction(3, 5)
    assert (config.quorum, config.quorum_fallback, config.partial) == (2, Fallback.NO_AWARD, False)
    assert config.public_vote is True


async def test_the_audit_keeps_the_rules_as_plain_values(db):
    organizer = await make_user()
    cycle = await make_cycle(phase="jury", organizer=organizer)
    category = await make_category(cycle)
    await voting.set_rules(organizer, cycle, category, RULES)
    entry = await AuditEntry.filter(action="awards.vote_rules").get()
    assert entry.before == {
        "jury_method": "irv",
        "partial_ballots": True,
        "jury_weight_percent": 50,
        "quorum": 3,
        "quorum_fallback": "public-only",
        "public_vote": False,
    }
    assert entry.after["public_vote"] is True and entry.after["quorum_fallback"] == "no-award"
