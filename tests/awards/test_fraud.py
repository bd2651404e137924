"""The pure clustering of flagged public votes (awards/fraud.py)."""

from __future__ import annotations

import datetime as dt
import random
import time
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from awards import fraud
from awards.fraud import LoggedVote, RateRule

T0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def vote(n: int, finalist: int = 1, minutes: float = 0, **fields: object) -> LoggedVote:
    values = {
        "address_hash": f"a{n}",
        "subnet_hash": f"s{n}",
        "shape_hash": f"h{n}",
        "seconds_from_code": 40,
        **fields,
    }
    return LoggedVote(
        id=n, voter=n, finalist=finalist, at=T0 + dt.timedelta(minutes=minutes), **values
    )


def test_a_subnet_burst_is_one_cluster_per_subnet_with_its_timeline_and_share():
    votes = [
        *(vote(i, finalist=7, minutes=i, subnet_hash="net-A", flags=("burst",)) for i in range(6)),
        vote(6, finalist=8, minutes=70, subnet_hash="net-A", flags=("burst",)),
        vote(7, finalist=8, minutes=5, subnet_hash="net-B", flags=("burst",)),
        *(vote(i, finalist=i % 3) for i in range(10, 30)),
    ]
    found = fraud.review(votes)
    a = found.cluster("burst:net-A")
    assert a is not None and a.signal == "burst"
    assert (a.size, a.voters, a.top_finalist) == (7, set(range(7)), (7, 6))
    assert a.top_share == Fraction(6, 7)
    assert a.first == T0 and a.last == T0 + dt.timedelta(minutes=70)
    assert a.timeline() == [(T0, 6), (T0 + dt.timedelta(hours=1), 1)]
    assert found.cluster("burst:net-B").size == 1
    assert (found.logged, found.flagged) == (28, 8)
    assert [c.key for c in found.clusters] == ["burst:net-A", "burst:net-B"]


def test_sequential_addresses_group_by_shape_and_the_other_flags_by_name():
    votes = [
        vote(1, flags=("sequential", "disposable")),
        vote(2, flags=("sequential",), shape_hash="h1"),
        vote(3, flags=("sequential",), shape_hash="h1"),
        vote(4, flags=("fast",)),
        vote(5, flags=("fast", "disposable")),
        vote(6, flags=("headless",)),
    ]
    found = fraud.review(votes)
    assert {c.key: c.size for c in found.clusters} == {
        "sequential:h1": 3,
        "disposable": 2,
        "fast": 2,
        "flag:headless": 1,
    }
    assert found.cluster("sequential:h1").signals == {"sequential": 3, "disposable": 1}


def test_a_finalist_far_above_its_own_usual_rate_is_a_cluster_by_the_declared_rule():
    votes = []
    n = 0
    for hour in range(10):  # every finalist: 3 votes an hour for 10 hours
        for finalist in (1, 2):
            for _ in range(3):
                n += 1
                votes.append(vote(n, finalist=finalist, minutes=hour * 60 + 1))
    for _ in range(25):  # then finalist 2 gets 25 more in hour 4, unflagged
        n += 1
        votes.append(vote(n, finalist=2, minutes=4 * 60 + 30))
    found = fraud.review(votes, RateRule(factor=5, floor=20))
    hour = T0 + dt.timedelta(hours=4)
    assert [c.key for c in found.clusters] == ["rate:2:2026-05-01T13"]
    spike = found.clusters[0]
    assert (spike.signal, spike.size, spike.top_share) == ("rate", 28, Fraction(1))
    assert spike.timeline() == [(hour, 28)]
    # the same spike under the floor, or within the factor, is no cluster
    assert fraud.review(votes, RateRule(factor=5, floor=30)).clusters == ()
    assert fraud.review(votes, RateRule(factor=10, floor=20)).clusters == ()


def test_the_median_counts_the_hours_a_finalist_had_no_vote():
    counts = {1: fraud.Counter({T0: 21})}
    hours = [T0 + dt.timedelta(hours=i) for i in range(3)]
    assert fraud.unusual_hours(counts, hours, RateRule(5, 20)) == [(1, T0, 21, Fraction(0))]
    assert fraud.median([1, 2, 3, 10]) == Fraction(5, 2)


def test_per_hour_fills_the_gaps_with_zero():
    moments = [T0, T0 + dt.timedelta(minutes=10), T0 + dt.timedelta(hours=3, minutes=5)]
    assert fraud.per_hour(moments) == [
        (T0, 2),
        (T0 + dt.timedelta(hours=1), 0),
        (T0 + dt.timedelta(hours=2), 0),
        (T0 + dt.timedelta(hours=3), 1),
    ]
    assert fraud.per_hour([]) == []


FLAGS = st.lists(st.sampled_from(["burst", "sequential", "disposable", "fast"]), unique=True)
VOTES = st.lists(
    st.builds(
        lambda i, f, m, s, flags: vote(i, finalist=f, minutes=m, subnet_hash=s, flags=tuple(flags)),
        st.integers(0, 10**6),
        st.integers(1, 4),
        st.integers(0, 600),
        st.sampled_from(["x", "y", "z"]),
        FLAGS,
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None)
@given(VOTES, st.randoms(use_true_random=False))
def test_clusters_do_not_depend_on_the_log_order_and_account_for_every_flag(votes, rnd):
    found = fraud.review(votes, RateRule(factor=2, floor=3))
    shuffled = list(votes)
    rnd.shuffle(shuffled)
    again = fraud.review(shuffled, RateRule(factor=2, floor=3))

    def summary(r: fraud.Review) -> list[tuple]:
        return [
            (c.key, c.size, c.top_finalist, c.first, c.last, c.timeline(), sorted(c.votes))
            for c in r.clusters
        ]

    assert summary(found) == summary(again)
    flagged = [c for c in found.clusters if c.signal != "rate"]
    assert sum(c.size for c in flagged) == sum(len(v.flags) for v in votes)
    assert found.flagged == sum(1 for v in votes if v.flags)
    assert sum(n for _h, n in found.hours) == found.logged == len(votes)
    for c in found.clusters:
        assert sum(c.hours.values()) == c.size == sum(c.finalists.values())
        assert 0 < c.top_share <= 1


def test_a_hundred_thousand_logged_votes_cluster_well_under_a_second():
    rnd = random.Random(7)
    votes = []
    for i in range(100_000):
        flags: tuple[str, ...] = ()
        if i % 10 == 0:
            flags = (rnd.choice(["burst", "sequential", "disposable", "fast"]),)
        votes.append(
            LoggedVote(
                id=i,
                voter=i,
                finalist=rnd.randrange(10),
                at=T0 + dt.timedelta(seconds=i * 3),
                address_hash=f"{i % 5000:064x}",
                subnet_hash=f"{i % 300:064x}",
                shape_hash=f"{i % 700:064x}",
                seconds_from_code=rnd.randrange(1, 300),
                flags=flags,
            )
        )
    # CPU time, not the wall clock: a shared machine's other work does not count against it
    started = time.process_time()
    found = fraud.review(votes)
    elapsed = time.process_time() - started
    assert found.logged == 100_000
    assert elapsed < 1.0, elapsed


@settings(max_examples=100, deadline=None)
@given(VOTES)
def test_assembling_from_a_databases_parts_gives_the_same_clusters(votes):
    rule = RateRule(factor=2, floor=3)
    whole = fraud.review(votes, rule)
    counts = fraud.Counter((v.finalist, fraud.hour_of(v.at)) for v in votes)
    spikes = {
        key: [v for v in votes if (v.finalist, fraud.hour_of(v.at)) == key]
        for key in fraud.spikes(counts, rule)
    }
    flagged = [v for v in votes if v.flags]
    parts = fraud.assemble(flagged, counts, spikes)

    def summary(r: fraud.Review) -> list[tuple]:
        return [(c.key, c.size, c.top_finalist, c.timeline(), sorted(c.votes)) for c in r.clusters]

    assert summary(parts) == summary(whole)
    assert (parts.hours, parts.logged, parts.flagged) == (whole.hours, whole.logged, whole.flagged)
