"""Judging services against the database: entries, conflicts, assignment, scoring, results."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest

from core import clock
from core.audit import AuditEntry
from core.errors import Conflict, Invalid, NotFound
from core.i18n import use_locale
from core.links import Links
from judging.enums import (
    ConflictKind,
    ConflictOrigin,
    EntryRule,
    JudgeState,
    MarkKind,
    RoundState,
    SheetState,
)
from judging.models import Assignment, Entry, Judge, Round, ScoreSheet
from judging.models import Conflict as ConflictRow
from judging.services import (
    access,
    assignments,
    conflicts,
    decisions,
    entries,
    publication,
    rounds,
    rubric,
    sheets,
    shortlisting,
)
from judging.services import feedback as feedback_service
from judging.services import published as published_service
from judging.services import results as results_service
from tests.factories import make_user
from tests.judging.factories import judge, make_round, ready_round, score_everything
from tests.judging.sources import SCOPE_ID, candidate, member, standard_source


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked in English here; the pages' tests check Arabic too."""
    with use_locale("en"):
        yield


LINKS = Links("http://testserver", lambda name, **params: f"/{name}/{params}")


async def admin():
    return await make_user(admin=True)


async def judged_by(seat: Judge) -> set[int]:
    return set(await Assignment.filter(judge=seat).values_list("entry_id", flat=True))


async def sheet_for(seat: Judge, round_: Round):
    row = await Assignment.filter(round=round_, judge=seat).order_by("id").first()
    user = await seat.user
    return user, await sheets.scoring_for(user, row.entry_id)


# --- entries -------------------------------------------------------------------------------


async def test_refresh_entries_follows_the_source(db, source):
    round_ = await make_round()
    actor = await admin()
    first = await entries.refresh_entries(actor, round_, source)
    assert (first.added, first.updated, first.removed, first.kept) == (6, 0, 0, 0)
    entry = await Entry.get(round=round_, source_id=101)
    assert (entry.title_en, entry.group_label_en, entry.team_label) == (
        "Initiative 101",
        "Digital media",
        "Team 101",
    )
    assert entry.members == [
        {
            "email": "captain101@team101.org",
            "language": "en",
            "name": "Captain 101",
            "organization": "",
        }
    ]
    source.rename(SCOPE_ID, 101, "Renamed")
    source.withdraw(SCOPE_ID, 102)
    second = await entries.refresh_entries(actor, round_, source)
    assert (second.added, second.updated, second.removed, second.kept) == (0, 1, 1, 0)
    assert (await Entry.get(round=round_, source_id=101)).title_en == "Renamed"
    assert await Entry.filter(round=round_).count() == 5


async def test_an_entry_that_left_but_has_a_score_is_kept(db, source):
    round_, seats = await ready_round(source)
    user, seen = await sheet_for(seats[0], round_)
    await sheets.save_sheet(
        user, seen, scores={"c1": 3}, comment="", note="", version=0, submit=False
    )
    source.withdraw(SCOPE_ID, seen.entry.source_id)
    result = await entries.refresh_entries(await admin(), round_, source)
    assert (result.removed, result.kept) == (0, 1)
    assert await Entry.filter(id=seen.entry.id).exists()


async def test_entries_of_a_closed_round_cannot_change(db, source):
    round_ = await make_round(state=RoundState.CLOSED)
    with pytest.raises(Conflict) as caught:
        await entries.refresh_entries(await admin(), round_, source)
    assert caught.value.message == "The entries of a closed round can no longer change."
    assert await Entry.filter(round=round_).count() == 0


# --- conflicts -------------------------------------------------------------------------------


async def test_conflicts_are_detected_from_organization_and_mail_domain(db):
    source = standard_source(0)
    source.add(SCOPE_ID, candidate(1, members=(member("a@spa.gov.sa", "A"),)))
    source.add(
        SCOPE_ID, candidate(2, members=(member("b@gmail.com", "B", organization=" Gulf  News "),))
    )
    source.add(SCOPE_ID, candidate(3, members=(member("c@gmail.com", "C"),)))
    round_ = await make_round()
    by_domain = await judge(email="judge@spa.gov.sa")
    by_org = await judge(email="other@outlook.com", organization="gulf news")
    public = await judge(email="someone@gmail.com")
    await entries.refresh_entries(await admin(), round_, source)
    found = {(c.judge_id, c.kind, c.value, c.origin) for c in await ConflictRow.all()}
    assert found == {
        (by_domain.id, ConflictKind.ORGANIZATION, "spa.gov.sa", ConflictOrigin.DETECTED),
        (by_org.id, ConflictKind.ORGANIZATION, "gulf news", ConflictOrigin.DETECTED),
    }
    assert not await ConflictRow.filter(judge=public).exists()


async def test_a_lifted_conflict_stays_lifted_when_detection_runs_again(db):
    source = standard_source(0)
    source.add(SCOPE_ID, candidate(1, members=(member("a@spa.gov.sa", "A"),)))
    round_ = await make_round()
    seat = await judge(email="judge@spa.gov.sa")
    actor = await admin()
    await entries.refresh_entries(actor, round_, source)
    conflict = await ConflictRow.get(judge=seat)
    await conflicts.lift_conflict(actor, conflict)
    assert await conflicts.detect_conflicts(actor, "event", SCOPE_ID) == 0
    assert (await ConflictRow.get(judge=seat)).active is False
    lifted = await AuditEntry.get(action="judging.conflict_lifted")
    assert (lifted.before, lifted.after, lifted.actor_id) == (
        {"active": True},
        {"active": False},
        actor.id,
    )
    with pytest.raises(Conflict):
        await conflicts.lift_conflict(actor, await ConflictRow.get(judge=seat))


async def test_declaring_a_team_conflict_names_the_team_and_drops_the_assignment(db, source):
    round_, seats = await ready_round(source)
    seat = seats[0]
    row = await Assignment.filter(judge=seat).select_related("entry").first()
    user = await seat.user
    conflict = await conflicts.declare_conflict(
        user,
        seat,
        kind=ConflictKind.TEAM,
        value=" team  " + row.entry.team_label[5:],
        reason="My cousin",
        origin=ConflictOrigin.DECLARED,
    )
    assert (conflict.value, conflict.label) == (row.entry.team_key, row.entry.team_label)
    assert not await Assignment.filter(id=row.id).exists()
    with pytest.raises(Invalid) as caught:
        await conflicts.declare_conflict(
            user,
            seat,
            kind=ConflictKind.TEAM,
            value="Nobody",
            reason="x",
            origin=ConflictOrigin.DECLARED,
        )
    assert caught.value.errors == {"value": "No team by this name takes part here."}


# --- assignment -------------------------------------------------------------------------------


async def test_assign_gives_k_unconflicted_judges_with_balanced_loads(db):
    source = standard_source(9)
    round_ = await make_round(k=3)
    seats = [await judge() for _ in range(5)]
    actor = await admin()
    await entries.refresh_entries(actor, round_, source)
    target = await Entry.get(round=round_, source_id=101)
    await conflicts.declare_conflict(
        actor,
        seats[0],
        kind=ConflictKind.ENTRY,
        value="101",
        reason="Mentored them",
        origin=ConflictOrigin.ORGANIZER,
    )
    outcome = await assignments.auto_assign(actor, round_)
    rows = await Assignment.filter(round=round_).values_list("entry_id", "judge_id")
    assert outcome.added == len(rows) == 27 and outcome.unfilled == {}
    entry_ids = await Entry.filter(round=round_).values_list("id", flat=True)
    assert Counter(e for e, _ in rows) == dict.fromkeys(entry_ids, 3)
    loads = Counter(j for _, j in rows)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert (target.id, seats[0].id) not in set(rows)
    entry = await AuditEntry.get(action="judging.assigned")
    assert len(entry.after["added"]) == 27


async def test_assign_is_deterministic_and_keeps_what_exists(db, source):
    round_, _seats = await ready_round(source, judges=5, k=2)
    first = sorted(await Assignment.filter(round=round_).values_list("entry_id", "judge_id"))
    round_.state = RoundState.DRAFT
    await round_.save()
    again = await assignments.auto_assign(await admin(), round_)
    assert again.added == 0
    await Assignment.filter(round=round_).delete()
    await assignments.auto_assign(await admin(), round_)
    pairs = await Assignment.filter(round=round_).values_list("entry_id", "judge_id")
    assert sorted(pairs) == first


async def test_assign_says_when_an_entry_cannot_get_k_judges(db):
    source = standard_source(2)
    round_ = await make_round(k=2)
    seats = [await judge(), await judge()]
    actor = await admin()
    await entries.refresh_entries(actor, round_, source)
    await conflicts.declare_conflict(
        actor,
        seats[1],
        kind=ConflictKind.ENTRY,
        value="101",
        reason="Former colleague",
        origin=ConflictOrigin.ORGANIZER,
    )
    outcome = await assignments.auto_assign(actor, round_)
    entry = await Entry.get(round=round_, source_id=101)
    assert outcome.unfilled == {entry.id: 1}
    assert await Assignment.filter(entry=entry).values_list("judge_id", flat=True) == [seats[0].id]


async def test_replacing_a_judge_moves_only_their_unfinished_entries(db, source):
    round_, seats = await ready_round(source, judges=4, k=2)
    leaving = seats[0]
    user, seen = await sheet_for(leaving, round_)
    await sheets.save_sheet(
        user, seen, scores={"c1": 4, "c2": 6, "c3": 2}, comment="", note="", version=0, submit=True
    )
    before = set(await Assignment.filter(round=round_).values_list("entry_id", "judge_id"))
    theirs = {e for e, j in before if j == leaving.id}
    moved, left = await assignments.replace_judge(await admin(), round_, leaving)
    after = set(await Assignment.filter(round=round_).values_list("entry_id", "judge_id"))
    assert (moved, left) == (len(theirs) - 1, 0)
    assert before - after == {(e, leaving.id) for e in theirs if e != seen.entry.id}
    assert {e for e, _j in after - before} == theirs - {seen.entry.id}
    assert (seen.entry.id, leaving.id) in after
    assert (await Judge.get(id=leaving.id)).state == JudgeState.WITHDRAWN


async def test_manual_assignment_refuses_a_conflicted_pair(db, source):
    round_, seats = await ready_round(source, state=RoundState.DRAFT)
    entry = await Entry.get(round=round_, source_id=101)
    panel = set(await Assignment.filter(entry=entry).values_list("judge_id", flat=True))
    free = next(s for s in seats if s.id not in panel)
    actor = await admin()
    await conflicts.declare_conflict(
        actor,
        free,
        kind=ConflictKind.ENTRY,
        value="101",
        reason="Co-author",
        origin=ConflictOrigin.ORGANIZER,
    )
    with pytest.raises(Conflict) as caught:
        await assignments.add_assignment(actor, round_, entry.id, free.id)
    assert caught.value.message.endswith("has a conflict with this entry and cannot judge it.")
    assert not await Assignment.filter(entry=entry, judge=free).exists()


# --- other domains' questions ----------------------------------------------------------------


async def test_judge_may_read_only_assigned_unconflicted_entries_of_running_rounds(db, source):
    round_, seats = await ready_round(source)
    row = await Assignment.filter(judge=seats[0]).select_related("entry").first()
    user = await seats[0].user
    other = await seats[1].user
    theirs = await judged_by(seats[1])
    unassigned = next(e for e in await Entry.filter(round=round_) if e.id not in theirs)
    assert await access.judge_may_read(user.id, "test.submission", row.entry.source_id)
    assert not await access.judge_may_read(other.id, "test.submission", unassigned.source_id)
    assert not await access.judge_may_read(user.id, "other.source", row.entry.source_id)
    round_.state = RoundState.CLOSED
    await round_.save()
    assert await access.judge_may_read(user.id, "test.submission", row.entry.source_id)
    await ConflictRow.create(
        judge=seats[0],
        scope_type="event",
        scope_id=SCOPE_ID,
        kind=ConflictKind.TEAM,
        value=row.entry.team_key,
        origin=ConflictOrigin.DECLARED,
    )
    assert not await access.judge_may_read(user.id, "test.submission", row.entry.source_id)


async def test_judge_may_not_read_in_a_draft_round_or_after_withdrawing(db, source):
    round_, seats = await ready_round(source, state=RoundState.DRAFT)
    row = await Assignment.filter(judge=seats[0]).select_related("entry").first()
    user = await seats[0].user
    assert not await access.judge_may_read(user.id, "test.submission", row.entry.source_id)
    round_.state = RoundState.OPEN
    await round_.save()
    seats[0].state = JudgeState.WITHDRAWN
    await seats[0].save()
    assert not await access.judge_may_read(user.id, "test.submission", row.entry.source_id)


# --- scoring ---------------------------------------------------------------------------------


async def test_a_submitted_sheet_has_its_weighted_total(db, source):
    round_, seats = await ready_round(source)
    user, seen = await sheet_for(seats[0], round_)
    sheet = await sheets.save_sheet(
        user,
        seen,
        scores={"c1": 4, "c2": 7.5, "c3": 1},
        comment="Strong story",
        note="Check the budget",
        version=0,
        submit=True,
    )
    # story (4-1)/4 weight 2, craft 7.5/10 weight 1: 100 * (1.5 + 0.75) / 3
    assert sheet.total == pytest.approx(75.0)
    assert (sheet.state, sheet.version, sheet.comment_for_team) == (
        SheetState.SUBMITTED,
        1,
        "Strong story",
    )
    audit = await AuditEntry.get(action="judging.score_submitted")
    assert audit.after["scores"] == {"c1": 4, "c2": 7.5, "c3": 1}


@pytest.mark.parametrize(
    ("scores", "submit", "errors"),
    [
        ({"c1": 6}, False, {"score_c1": "Enter a score from 1 to 5."}),
        ({"c1": 0}, False, {"score_c1": "Enter a score from 1 to 5."}),
        ({"c2": 7.25}, False, {"score_c2": "Scores for this criterion go in steps of 0.5 from 0."}),
        ({"c1": 2.5}, False, {"score_c1": "Scores for this criterion go in steps of 1 from 1."}),
        (
            {"c1": 3, "c2": 5},
            True,
            {"score_c3": "Give a score for this criterion before submitting."},
        ),
    ],
)
async def test_bad_scores_are_refused_and_nothing_changes(db, source, scores, submit, errors):
    round_, seats = await ready_round(source)
    user, seen = await sheet_for(seats[0], round_)
    first = await sheets.save_sheet(
        user, seen, scores={"c1": 2}, comment="keep", note="", version=0, submit=False
    )
    seen = await sheets.scoring_for(user, seen.entry.id)
    with pytest.raises(Invalid) as caught:
        await sheets.save_sheet(
            user,
            seen,
            scores=scores,
            comment="changed",
            note="",
            version=first.version,
            submit=submit,
        )
    assert caught.value.errors == errors
    kept = await ScoreSheet.get(id=first.id)
    assert (kept.scores, kept.comment_for_team, kept.version) == ({"c1": 2}, "keep", 1)


async def test_an_unassigned_or_conflicted_entry_cannot_be_scored(db, source):
    round_, seats = await ready_round(source)
    user = await seats[0].user
    theirs = await judged_by(seats[0])
    other = next(e for e in await Entry.filter(round=round_) if e.id not in theirs)
    with pytest.raises(NotFound) as caught:
        await sheets.scoring_for(user, other.id)
    assert caught.value.message == "This entry is not assigned to you."
    row = await Assignment.filter(judge=seats[0]).select_related("entry").first()
    await ConflictRow.create(
        judge=seats[0],
        scope_type="event",
        scope_id=SCOPE_ID,
        kind=ConflictKind.ENTRY,
        value=str(row.entry.source_id),
        origin=ConflictOrigin.DECLARED,
    )
    with pytest.raises(NotFound) as caught:
        await sheets.scoring_for(user, row.entry_id)
    assert caught.value.message == (
        "You have a conflict of interest with this entry, so you cannot see or score it."
    )


async def test_scores_are_refused_after_the_round_closes(db, source):
    round_, seats = await ready_round(source, ends_at=clock.now() + dt.timedelta(hours=1))
    user, seen = await sheet_for(seats[0], round_)
    await sheets.save_sheet(
        user, seen, scores={"c1": 2}, comment="", note="", version=0, submit=False
    )
    clock.travel(dt.timedelta(hours=2))
    seen = await sheets.scoring_for(user, seen.entry.id)
    with pytest.raises(Conflict) as caught:
        await sheets.save_sheet(
            user, seen, scores={"c1": 5}, comment="", note="", version=1, submit=False
        )
    assert caught.value.message == "This round is closed: scores can no longer be changed."
    assert (await ScoreSheet.get(id=seen.sheet.id)).scores == {"c1": 2}


async def test_two_tabs_never_lose_a_submitted_score(db, source):
    round_, seats = await ready_round(source)
    user, tab_a = await sheet_for(seats[0], round_)
    tab_b = await sheets.scoring_for(user, tab_a.entry.id)
    submitted = await sheets.save_sheet(
        user,
        tab_a,
        scores={"c1": 5, "c2": 10, "c3": 5},
        comment="Final",
        note="",
        version=0,
        submit=True,
    )
    with pytest.raises(sheets.StaleSheet) as caught:
        await sheets.save_sheet(
            user, tab_b, scores={"c1": 1}, comment="Old draft", note="", version=0, submit=False
        )
    assert caught.value.message.startswith("This score sheet was saved in another tab")
    kept = await ScoreSheet.get(id=submitted.id)
    assert (kept.state, kept.scores, kept.comment_for_team, kept.version) == (
        SheetState.SUBMITTED,
        {"c1": 5, "c2": 10, "c3": 5},
        "Final",
        1,
    )
    reopened = await sheets.scoring_for(user, tab_a.entry.id)
    with pytest.raises(Conflict) as caught:
        await sheets.save_sheet(
            user, reopened, scores={"c1": 1}, comment="", note="", version=1, submit=False
        )
    assert caught.value.message.startswith("This score sheet is already submitted.")
    revised = await sheets.save_sheet(
        user,
        reopened,
        scores={"c1": 4, "c2": 10, "c3": 5},
        comment="Revised",
        note="",
        version=1,
        submit=True,
    )
    assert (revised.version, revised.scores["c1"]) == (2, 4)


async def test_the_rubric_locks_with_the_first_saved_score(db, source):
    round_, seats = await ready_round(source)
    criterion = (await rubric.criteria_of(round_))[0]
    actor = await admin()
    values = {k: getattr(criterion, k) for k in rubric.CRITERION_FIELDS}
    await rubric.save_criterion(actor, round_, {**values, "weight": 3}, criterion)
    user, seen = await sheet_for(seats[0], round_)
    await sheets.save_sheet(
        user, seen, scores={"c1": 2}, comment="", note="", version=0, submit=False
    )
    with pytest.raises(Conflict) as caught:
        await rubric.save_criterion(actor, round_, {**values, "weight": 9}, criterion)
    assert caught.value.message == (
        "The rubric is locked because scoring has started: its criteria can no longer be changed."
    )
    with pytest.raises(Conflict):
        await rubric.delete_criterion(actor, round_, criterion)
    assert (await rubric.criteria_of(round_))[0].weight == 3


# --- results ---------------------------------------------------------------------------------


async def test_results_rank_entries_under_every_method(db, source):
    round_, seats = await ready_round(source, judges=4, k=2)
    await score_everything(round_, seats)
    results = await results_service.round_results(round_)
    assert results.methods == ["mean", "median", "trimmed_mean", "zscore", "leniency"]
    order = [row.entry.source_id for row in results.rows]
    # every judge agrees, so the mean follows story (n % 5 + 1) then craft (n)
    assert order == [104, 103, 102, 106, 101, 105]
    assert [row.ranks["mean"] for row in results.rows] == [1, 2, 3, 4, 5, 6]
    assert all(row.spread == 0 and not row.disagreement for row in results.rows)
    assert [lr.count for lr in results.leniency] == [3, 3, 3, 3]


async def test_publishing_twice_is_refused_and_nothing_is_public_before(db, source):
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    actor = await admin()
    scope = source.scopes[SCOPE_ID]
    with pytest.raises(Conflict) as caught:
        await publication.publish(actor, round_, scope, LINKS)
    assert caught.value.message == (
        "Close the round first: results are decided once scoring is over."
    )
    await rounds.change_state(actor, round_, "close")
    winner = await Entry.get(round=round_, source_id=104)
    await decisions.set_mark(
        actor, round_, winner.id, kind=MarkKind.WINNER, place=1, per_group=False
    )
    assert await published_service.published_results("event", SCOPE_ID) is None
    assert await feedback_service.feedback_for("test.submission", 104) is None
    await publication.publish(actor, round_, scope, LINKS)
    with pytest.raises(Conflict) as caught:
        await publication.publish(actor, round_, scope, LINKS)
    assert caught.value.message == (
        "The results of this round are already published: they can no longer change."
    )
    published = await published_service.published_results("event", SCOPE_ID)
    assert [p.entry.source_id for p in published.rounds[0].overall] == [104]
    assert await AuditEntry.filter(action="judging.results_published").count() == 1


async def test_a_scheduled_publication_shows_nothing_until_its_time(db, source):
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    actor = await admin()
    await rounds.change_state(actor, round_, "close")
    at = clock.now() + dt.timedelta(days=1)
    await publication.publish(actor, round_, source.scopes[SCOPE_ID], LINKS, at=at)
    assert (await Round.get(id=round_.id)).state == RoundState.PUBLISHED
    assert await published_service.published_results("event", SCOPE_ID) is None
    clock.travel(dt.timedelta(days=1, minutes=1))
    assert await published_service.published_results("event", SCOPE_ID) is not None


async def test_feedback_gives_averages_and_anonymous_comments(db, source):
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    actor = await admin()
    await rounds.change_state(actor, round_, "close")
    await publication.publish(actor, round_, source.scopes[SCOPE_ID], LINKS)
    feedback = await feedback_service.feedback_for("test.submission", 103)
    assert feedback is not None and feedback.member_emails == {"captain103@team103.org"}
    (only,) = feedback.rounds
    assert [(c.criterion.key, c.average) for c in only.criteria] == [
        ("c1", 4.0),
        ("c2", 3.0),
        ("c3", 3.0),
    ]
    panel = set(await Assignment.filter(entry=only.entry).values_list("judge_id", flat=True))
    assert sorted(only.comments) == sorted(
        f"Comment on 3 from judge number {i}" for i, s in enumerate(seats, 1) if s.id in panel
    )


async def test_feedback_stays_as_published_when_conflicts_change_later(db, source):
    """A team's feedback leaves out what the published ranking left out: a conflict lifted
    or added after publication changes neither."""
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    actor = await admin()
    entry = await Entry.get(round=round_, source_id=103)
    panel = sorted(await Assignment.filter(entry=entry).values_list("judge_id", flat=True))
    excluded, kept = panel[0], panel[1]
    conflict = await ConflictRow.create(
        judge_id=excluded,
        scope_type="event",
        scope_id=SCOPE_ID,
        kind=ConflictKind.ENTRY,
        value="103",
        origin=ConflictOrigin.ORGANIZER,
    )
    await rounds.change_state(actor, round_, "close")
    await publication.publish(actor, round_, source.scopes[SCOPE_ID], LINKS)

    def comments_by(judge_ids: list[int]) -> list[str]:
        return sorted(
            f"Comment on 3 from judge number {i}"
            for i, s in enumerate(seats, 1)
            if s.id in judge_ids
        )

    published = (await feedback_service.feedback_for("test.submission", 103)).rounds[0].comments
    assert sorted(published) == comments_by([j for j in panel if j != excluded])
    await conflicts.lift_conflict(actor, conflict)
    await ConflictRow.create(
        judge_id=kept,
        scope_type="event",
        scope_id=SCOPE_ID,
        kind=ConflictKind.ENTRY,
        value="103",
        origin=ConflictOrigin.ORGANIZER,
    )
    later = (await feedback_service.feedback_for("test.submission", 103)).rounds[0].comments
    assert sorted(later) == sorted(published)


async def test_shortlist_copies_the_top_entries_into_the_next_round(db, source):
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    actor = await admin()
    await rounds.change_state(actor, round_, "close")
    final = await make_round(entry_rule=EntryRule.SHORTLIST_OF_PREVIOUS, previous=round_)
    chosen = await shortlisting.shortlist(
        actor, round_, source.scopes[SCOPE_ID], LINKS, count=2, per_group=True
    )
    # ranking 104, 103, 102, 106, 101, 105; track a holds the odd ones, track b the even
    assert sorted(e.source_id for e in chosen) == [101, 102, 103, 104]
    assert sorted(await Entry.filter(round=final).values_list("source_id", flat=True)) == [
        101,
        102,
        103,
        104,
    ]
    copied = await Entry.get(round=final, source_id=103)
    assert (copied.title_en, copied.source, copied.members[0]["email"]) == (
        "Initiative 103",
        "test.submission",
        "captain103@team103.org",
    )
