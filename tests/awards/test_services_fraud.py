"""The organizer's fraud review (awards/services/fraud.py): decisions, undo, sign-off and what
the count reads."""

from __future__ import annotations

import datetime as dt

import pytest

from awards.bundle import FraudCount
from awards.models import Category, FraudDecision, PublicVote
from awards.services import fraud
from awards.services.common import PhaseClosed
from core.audit import AuditEntry
from core.clock import now
from core.errors import Conflict, Invalid
from tests.awards.factories import make_cycle
from tests.awards.fraud_seed import SECRET, seed
from tests.factories import make_user

VOID_BURST = fraud.Decision("void", "burst", "one subnet within seconds")


async def _voided(category: Category) -> set[int]:
    return set(
        await PublicVote.filter(category_id=category.id, voided=True).values_list("id", flat=True)
    )


async def test_voiding_a_cluster_voids_its_voters_votes_and_the_count_drops(db):
    organizer = await make_user()
    cycle = await make_cycle(phase="voting")
    s = await seed(cycle)
    before = await fraud.counted_votes(s.category)
    assert before == {s.finalists[0].id: 2, s.finalists[1].id: 6, s.finalists[2].id: 2}

    made = await fraud.decide_cluster(organizer, cycle, s.category, "burst:net-burst", VOID_BURST)
    assert made.votes == 4 and sorted(made.vote_ids) == sorted(v.id for v in s.burst)
    assert await _voided(s.category) == {v.id for v in s.burst}
    assert await fraud.counted_votes(s.category) == {
        s.finalists[0].id: 2,
        s.finalists[1].id: 2,
        s.finalists[2].id: 2,
    }
    entry = await AuditEntry.filter(action="awards.fraud_void").get()
    assert entry.actor_id == organizer.id and entry.after["reason"] == "burst"
    assert entry.after["cluster"] == "burst:net-burst" and entry.after["votes"] == 4

    # the same burst is also the "fast" cluster: voiding it too counts each vote once
    await fraud.decide_cluster(
        organizer, cycle, s.category, "fast", fraud.Decision("void", "automation")
    )
    assert await fraud.fraud_counts(s.category) == [
        FraudCount("automation", "void", 0),
        FraudCount("burst", "void", 4),
    ]


async def test_a_reason_is_required_and_other_needs_a_note(db):
    cycle = await make_cycle(phase="voting")
    s = await seed(cycle)
    user = await make_user()
    for asked, field in (
        (fraud.Decision("void", ""), "reason"),
        (fraud.Decision("void", "made-up"), "reason"),
        (fraud.Decision("delete", "burst"), "action"),
        (fraud.Decision("void", "other", "  "), "note"),
    ):
        with pytest.raises(Invalid) as refused:
            await fraud.decide_cluster(user, cycle, s.category, "burst:net-burst", asked)
        assert field in refused.value.errors
    assert await _voided(s.category) == set()
    assert await FraudDecision.all().count() == 0


async def test_one_vote_kept_then_undone_and_a_cluster_undone_restores_its_votes(db):
    cycle = await make_cycle(phase="voting")
    s = await seed(cycle)
    user = await make_user()
    single = s.burst[0]
    kept = await fraud.decide_vote(
        user, cycle, s.category, single.id, fraud.Decision("keep", "genuine")
    )
    with pytest.raises(Conflict):
        await fraud.decide_vote(user, cycle, s.category, single.id, VOID_BURST)
    await fraud.decide_vote(user, cycle, s.category, s.burst[1].id, VOID_BURST)
    cluster = await fraud.decide_cluster(user, cycle, s.category, "burst:net-burst", VOID_BURST)
    assert await fraud.fraud_counts(s.category) == [
        FraudCount("burst", "void", 4),
        FraudCount("genuine", "keep", 1),
    ]
    await fraud.undo(user, cycle, s.category, cluster.id)
    # the single decision on burst[1] still stands
    assert await _voided(s.category) == {s.burst[1].id}
    await fraud.undo(user, cycle, s.category, kept.id)
    assert await fraud.fraud_counts(s.category) == [FraudCount("burst", "void", 1)]
    actions = await AuditEntry.filter(action__startswith="awards.fraud").values_list(
        "action", flat=True
    )
    assert sorted(actions) == sorted(
        [
            "awards.fraud_keep",
            "awards.fraud_void",
            "awards.fraud_void",
            "awards.fraud_undo",
            "awards.fraud_undo",
        ]
    )


async def test_sign_off_only_after_voting_closes_then_everything_is_frozen(db):
    user = await make_user()
    cycle = await make_cycle(phase="voting")
    s = await seed(cycle)
    with pytest.raises(PhaseClosed) as refused:
        await fraud.sign_off(user, cycle, s.category)
    assert "once voting closes" in refused.value.message
    made = await fraud.decide_cluster(user, cycle, s.category, "burst:net-burst", VOID_BURST)

    closed = await make_cycle(phase="counting")
    c = await seed(closed)
    made = await fraud.decide_cluster(user, closed, c.category, "burst:net-burst", VOID_BURST)
    await fraud.sign_off(user, closed, c.category)
    fresh = await Category.get(id=c.category.id)
    assert fraud.signed_off(fresh)
    for attempt in (
        fraud.undo(user, closed, fresh, made.id),
        fraud.decide_cluster(user, closed, fresh, "fast", VOID_BURST),
        fraud.decide_vote(user, closed, fresh, c.honest[0].id, VOID_BURST),
        fraud.sign_off(user, closed, fresh),
    ):
        with pytest.raises(Conflict) as frozen:
            await attempt
        assert "signed off" in frozen.value.message
    assert await _voided(fresh) == {v.id for v in c.burst}
    assert await FraudDecision.filter(category_id=fresh.id).count() == 1


async def test_nothing_is_decided_before_voting_opens(db):
    cycle = await make_cycle(phase="jury")
    s = await seed(cycle)
    with pytest.raises(PhaseClosed):
        await fraud.decide_cluster(await make_user(), cycle, s.category, "fast", VOID_BURST)


async def test_the_overview_hides_finalists_while_voting_and_names_them_after(db):
    cycle = await make_cycle(phase="voting")
    s = await seed(cycle)
    o = await fraud.overview(cycle, s.category, SECRET)
    assert (o.logged, o.flagged, o.cluster_count) == (10, 4, 2)
    burst = next(r for r in o.clusters if r.cluster.key == "burst:net-burst")
    assert burst.share_percent == 100 and burst.finalist is None
    assert len(burst.samples) == 4 and all(name.startswith("v-") for name, _at in burst.samples)
    assert all(v.finalist is None for v in o.votes) and not o.can_sign and o.can_decide

    closed = await make_cycle(phase="counting")
    c = await seed(closed)
    o = await fraud.overview(closed, c.category, SECRET)
    burst = next(r for r in o.clusters if r.cluster.key == "burst:net-burst")
    assert burst.finalist.id == c.finalists[1].id and o.can_sign


async def test_turnout_counts_votes_and_voters_never_finalists(db):
    cycle = await make_cycle(phase="voting")
    s = await seed(cycle)
    voters, rows = await fraud.turnout(cycle)
    assert voters == 10
    (row,) = rows
    assert (row.category.id, row.votes, row.logged) == (s.category.id, 10, 10)
    assert sum(n for _h, n in row.hours) == 10


async def test_the_review_is_bounded_clusters_and_flagged_votes_come_in_pages(db):
    from tests.awards.fraud_seed import vote

    cycle = await make_cycle(phase="voting")
    s = await seed(cycle, honest=0, burst=0)
    at = now() - dt.timedelta(hours=1)
    for n in range(30):  # thirty networks, one flagged vote each: thirty clusters
        await vote(cycle, s.category, s.finalists[0], at=at, flags=("burst",), subnet=f"n{n:02}")
    first = await fraud.overview(cycle, s.category, SECRET)
    assert (first.cluster_count, len(first.clusters), first.cluster_pages) == (30, 20, 2)
    assert (first.vote_count, len(first.votes), first.vote_pages) == (30, 25, 2)
    second = await fraud.overview(cycle, s.category, SECRET, cluster_page=2, vote_page=9)
    assert (len(second.clusters), second.cluster_page) == (10, 2)
    assert (len(second.votes), second.vote_page) == (5, 2)  # a page past the end: the last
    shown = {r.cluster.key for r in first.clusters} | {r.cluster.key for r in second.clusters}
    assert len(shown) == 30
