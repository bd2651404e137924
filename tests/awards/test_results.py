"""Counting a cycle's final vote from the database: the bundle and each category's result, the
declared fallbacks, "no award", citations, approval and publication now or at a set time."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from awards import bundle as bundle_module
from awards.models import CategoryResult, Cycle, JuryBallot, ResultsBundle
from awards.recount import recount
from awards.services import results, shortlist
from awards.tabulation import Fallback
from awards.voters import pseudonym
from core import clock
from core.audit import AuditEntry
from core.clock import now
from core.errors import Conflict, Invalid
from core.mail.models import OutboxMessage
from judging.enums import ConflictKind, ConflictOrigin
from judging.services import conflicts
from tests.awards.factories import make_category, make_cycle
from tests.awards.jury import category_round, eligible, jury_judges, scored
from tests.awards.results_builders import ballots, final_vote, void_decision, votes
from tests.factories import make_user

HOUR = dt.timedelta(hours=1)


async def _blended(settings):  # noqa: ANN001, ANN202
    """Three finalists A, B, C: the jury (3 ballots) prefers A, the public B (voided votes
    aside); at w = 50% the blend gives A 12+10... A wins."""
    vote = await final_vote(finalists=3, jury_weight_percent=50)
    a, b, c = vote.finalists
    await ballots(vote.category, [[a, b, c], [a, c, b], [b, a, c]])
    await votes(vote.category, {a: 30, b: 50, c: 20}, voided=7)
    await void_decision(vote.category, 7, "burst")
    return vote


async def test_counting_builds_the_bundle_and_each_categorys_result(db, settings):
    vote = await _blended(settings)
    a, b, c = vote.finalists
    built = await results.count(vote.organizer, vote.cycle, settings)
    assert recount(built.data) == built.fingerprint  # the stored zip recounts to MATCH
    kept = await ResultsBundle.get(cycle_id=vote.cycle.id)
    assert kept.fingerprint == built.fingerprint and bytes(kept.data) == built.data
    row = await CategoryResult.get(category_id=vote.category.id)
    assert row.outcome == "blend" and row.winner_id == a.id
    report = row.report
    # the public counts are those left after the review: the 7 voided votes are not in them
    assert report["public"]["counts"] == {str(a.id): 30, str(b.id): 50, str(c.id): 20}
    assert report["fraudDecisions"] == [{"action": "void", "reason": "burst", "votes": 7}]
    assert report["jury"]["ranking"][0] == str(a.id)
    assert report["sensitivity"]["winners"][0] == str(b.id)  # w = 0: the public's choice
    assert report["sensitivity"]["winners"][-1] == str(a.id)  # w = 1: the jury's
    assert await AuditEntry.filter(action="awards.results_count").exists()
    # the GROUP BY tally agrees with the per-vote file
    assert await results.public_tally(vote.category) == report["public"]["counts"]
    quick = await results.tabulate(vote.category, results.secret_of(settings), built.seed)
    assert quick is not None and quick.winner == str(a.id)
    # counting again before approval gives the same fingerprint
    again = await results.count(vote.organizer, vote.cycle, settings)
    assert again.fingerprint == built.fingerprint


async def test_nothing_is_counted_before_voting_closes(db, settings):
    vote = await final_vote(phase="jury")
    with pytest.raises(Conflict, match="Voting has not closed"):
        await results.count(vote.organizer, vote.cycle, settings)
    assert not await ResultsBundle.exists()


async def test_a_public_vote_waits_for_its_fraud_review(db, settings):
    vote = await final_vote(fraud_review_signed_at=None)
    with pytest.raises(Conflict, match="Sign off the fraud review"):
        await results.count(vote.organizer, vote.cycle, settings)
    # a voided public vote needs no review
    vote.category.public_voided = True
    await vote.category.save()
    await ballots(vote.category, [vote.finalists])
    await results.count(vote.organizer, vote.cycle, settings)
    row = await CategoryResult.get(category_id=vote.category.id)
    assert row.outcome == "jury-only" and row.winner_id == vote.finalists[0].id
    assert "public vote was voided" in results.outcome_text(row.report, vote.category)


async def test_a_jury_below_quorum_falls_back_to_the_public(db, settings):
    vote = await final_vote(quorum=3)
    a, b, _c = vote.finalists
    await ballots(vote.category, [[a, b]])
    await votes(vote.category, {a: 2, b: 5})
    await results.count(vote.organizer, vote.cycle, settings)
    row = await CategoryResult.get(category_id=vote.category.id)
    assert row.outcome == "public-only" and row.winner_id == b.id
    assert results.outcome_text(row.report, vote.category) == (
        "Public vote only: the jury missed its quorum (1 of 3 ballots)."
    )


async def test_below_quorum_with_a_declared_no_award_fallback_there_is_no_winner(db, settings):
    vote = await final_vote(quorum=3, quorum_fallback=Fallback.NO_AWARD)
    a, b, _c = vote.finalists
    await ballots(vote.category, [[a, b]])
    await votes(vote.category, {a: 2, b: 5})
    await results.count(vote.organizer, vote.cycle, settings)
    row = await CategoryResult.get(category_id=vote.category.id)
    assert row.outcome == "no-award" and row.winner_id is None


async def test_a_category_without_public_vote_is_jury_only(db, settings):
    vote = await final_vote(public_vote=False, fraud_review_signed_at=None)
    a, b, c = vote.finalists
    await ballots(vote.category, [[b, a, c], [b, c, a]])
    await results.count(vote.organizer, vote.cycle, settings)
    row = await CategoryResult.get(category_id=vote.category.id)
    assert row.outcome == "jury-only" and row.winner_id == b.id
    assert row.report["public"] is None


async def test_the_organizer_records_no_award_with_a_reason(db, settings):
    vote = await _blended(settings)
    await results.count(vote.organizer, vote.cycle, settings)
    with pytest.raises(Invalid) as refused:
        await results.set_no_award(
            vote.organizer, vote.cycle, vote.category, no_award=True, reason="  "
        )
    assert refused.value.errors == {"reason": "Say why the category has no award."}
    await results.set_no_award(
        vote.organizer, vote.cycle, vote.category, no_award=True, reason="No entry met the bar."
    )
    await results.count(vote.organizer, vote.cycle, settings)
    row = await CategoryResult.get(category_id=vote.category.id)
    assert row.outcome == "no-award" and row.winner_id is None
    assert results.outcome_text(row.report, vote.category) == "No award: No entry met the bar."
    assert await AuditEntry.filter(action="awards.results_no_award").exists()


async def test_approval_needs_every_winners_citation_in_both_languages(db, settings):
    vote = await _blended(settings)
    with pytest.raises(Conflict, match="Count the results first"):
        await results.approve(vote.organizer, vote.cycle)
    await results.count(vote.organizer, vote.cycle, settings)
    with pytest.raises(Conflict, match="Write the citation of every winner"):
        await results.approve(vote.organizer, vote.cycle)
    with pytest.raises(Invalid) as refused:
        await results.save_citations(vote.organizer, vote.cycle, vote.category, ar="نص", en="")
    assert refused.value.errors == {"citation_en": "Write the citation in both languages."}
    await results.save_citations(
        vote.organizer, vote.cycle, vote.category, ar="لتحقيق غيّر القانون", en="For a story."
    )
    await results.approve(vote.organizer, vote.cycle)
    with pytest.raises(Conflict, match="approved"):
        await results.count(vote.organizer, vote.cycle, settings)
    with pytest.raises(Conflict, match="approved"):
        await results.save_citations(vote.organizer, vote.cycle, vote.category, ar="x", en="y")


async def _approved(settings):  # noqa: ANN001, ANN202
    vote = await _blended(settings)
    await results.count(vote.organizer, vote.cycle, settings)
    await results.save_citations(
        vote.organizer, vote.cycle, vote.category, ar="لتحقيق غيّر القانون", en="For a story."
    )
    await results.approve(vote.organizer, vote.cycle)
    return vote


async def test_publishing_now_makes_the_results_public_and_mails_everyone_once(db, settings):
    vote = await _approved(settings)
    cycle = await Cycle.get(id=vote.cycle.id)
    assert not results.is_public(cycle)
    await results.publish(vote.organizer, cycle, settings)
    assert results.is_public(await Cycle.get(id=cycle.id))
    mails = await OutboxMessage.filter(template="awards/results")
    # the three nominees (in Arabic) and their one nominator (in English), once each
    recipients = sorted(m.recipient for m in mails)
    assert recipients == sorted({n.nominee_email for n in vote.finalists} | {vote.nominator.email})
    nominator_mail = next(m for m in mails if m.recipient == vote.nominator.email)
    assert nominator_mail.locale == "en" and "/results" in nominator_mail.body_text
    assert all(m.locale == "ar" for m in mails if m.recipient != vote.nominator.email)
    with pytest.raises(Conflict, match="already set"):
        await results.publish(vote.organizer, cycle, settings)


async def test_an_embargo_keeps_everything_private_until_its_moment(db, settings):
    vote = await _approved(settings)
    cycle = await Cycle.get(id=vote.cycle.id)
    with pytest.raises(Invalid):
        await results.publish(vote.organizer, cycle, settings, at=now() - HOUR)
    at = now() + 2 * HOUR
    await results.publish(vote.organizer, cycle, settings, at=at)
    cycle = await Cycle.get(id=cycle.id)
    assert not results.is_public(cycle)
    assert await results.published_cycles_with_winners(now()) == []
    mails = await OutboxMessage.filter(template="awards/results")
    assert mails and all(m.next_attempt_at >= at for m in mails)  # held until the moment
    clock.travel(3 * HOUR)
    try:
        assert results.is_public(cycle)
        [(shown, reports)] = await results.published_cycles_with_winners(now())
        assert shown.id == cycle.id and reports[0].winner.id == vote.finalists[0].id
    finally:
        clock.travel(-3 * HOUR)


async def test_the_record_keys_jurors_by_pseudonym_with_their_conflicts_and_scores(db, settings):
    """A category judged through judging (two judges scoring four nominations), its top three
    shortlisted; one judge declares a conflict with a finalist they had ranked: the ballot
    leaves it out and names it among the juror's conflicts."""

    organizer = await make_user(language="en")
    cycle = await make_cycle(phase="jury", organizer=organizer)
    category = await make_category(cycle, shortlist_size=3, public_vote=False)
    nominator = await make_user()
    made = [await eligible(cycle, category, nominator) for _ in range(4)]
    seats = await jury_judges(cycle, category, 2)
    round_ = await category_round(organizer, cycle, category, judges_per_entry=2)
    await scored(organizer, round_, dict(zip([n.id for n in made], (9, 7, 5, 3), strict=True)))
    await shortlist.approve(organizer, cycle, category)
    await category.refresh_from_db()
    a, b, c = made[:3]
    jurors = [seat.user_id for seat in seats]
    for juror_id in jurors:
        await JuryBallot.create(
            category=category,
            juror_id=juror_id,
            ranking=[a.id, b.id, c.id],
            cast_at=now(),
            updated_at=now(),
        )
    await conflicts.record_conflict(
        organizer,
        seats[1],
        kind=ConflictKind.ENTRY,
        value=str(a.id),
        label=str(a.id),
        reason="Former colleague.",
        origin=ConflictOrigin.DECLARED,
    )
    secret = results.secret_of(settings)
    record = await results.category_record(category, secret)
    assert record is not None and record.config.finalists == (str(a.id), str(b.id), str(c.id))
    by_juror = {ballot.juror: ballot for ballot in record.ballots}
    first = by_juror[pseudonym(secret, "juror", str(jurors[0]))]
    second = by_juror[pseudonym(secret, "juror", str(jurors[1]))]
    assert first.ranking == (str(a.id), str(b.id), str(c.id)) and first.conflicts == frozenset()
    assert second.ranking == (str(b.id), str(c.id)) and second.conflicts == {str(a.id)}
    # each judge's submitted total per finalist, under the same pseudonyms; the calibrated
    # scores are the shortlist's
    scored_by = {(s.juror, s.finalist) for s in record.jury_scores}
    assert (first.juror, str(a.id)) in scored_by and (second.juror, str(c.id)) in scored_by
    assert set(record.calibrated) == {str(a.id), str(b.id), str(c.id)}
    assert all("@" not in ballot.juror for ballot in record.ballots)


async def test_the_bundle_is_built_off_the_event_loop(db, settings, monkeypatch):
    vote = await _blended(settings)
    loop_thread = threading.get_ident()
    ran_in: list[int] = []
    original = bundle_module.build_bundle

    def recording(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        ran_in.append(threading.get_ident())
        return original(*args, **kwargs)

    monkeypatch.setattr(bundle_module, "build_bundle", recording)
    built = await results.count(vote.organizer, vote.cycle, settings)
    assert recount(built.data) == built.fingerprint
    assert ran_in and all(thread != loop_thread for thread in ran_in)
