"""Clusters of flagged public votes for the organizer's fraud review: pure functions on plain
data (no ORM, no I/O).

The vote log (one `LoggedVote` per vote or change, with the flags raised when it was cast) is
read once, in one pass into dictionaries, and grouped into `Cluster`s:

- ``burst:<subnet>``: votes flagged "burst", by the hash of their /24 (or /48) subnet;
- ``sequential:<shape>``: votes flagged "sequential" (sequential or near-identical addresses),
  by the hash of the address's shape;
- ``disposable``: votes from a disposable e-mail domain (flag "disposable");
- ``fast``: votes completed faster than a person could (flag "fast");
- ``flag:<name>``: votes with any other flag, one cluster per flag;
- ``rate:<finalist>:<hour>``: every vote for one finalist in one hour when that hour is far
  above the finalist's own usual rate (the declared rule `RateRule`: more than `factor` times
  the median of the finalist's hourly counts over the hours in which the category received
  votes, and more than `floor` votes).

A vote may sit in several clusters (a burst of fast votes). A cluster's key is stable: it is
built from the signal and the hashes only, so a decision recorded against it names the same
group while more votes arrive. Hours are whole UTC hours, as `datetime`s.

Two ways in, with the same result:

- `review(votes)`: every logged vote in memory, grouped in one pass into dictionaries;
- `assemble(flagged, counts, spike_votes)`: what a database gives cheaply, so that a page
  never hands Python every row: the flagged votes only, the number of votes per (finalist,
  hour) from one GROUP BY, and the votes of each spike that `spikes(counts)` names.

The work is linear in the votes handled (no pair of votes is ever compared; only the few hours
of a cluster are sorted): 100,000 logged votes take a fraction of a second
(tests/awards/test_fraud.py, bench/bench_fraud.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

BURST = "burst"
SEQUENTIAL = "sequential"
DISPOSABLE = "disposable"
FAST = "fast"
RATE = "rate"
# The flag whose votes are grouped by a hash of the log row, and by which one.
GROUPED_BY = {BURST: "subnet_hash", SEQUENTIAL: "shape_hash"}
KEY_MAX = 200  # FraudDecision.cluster's length
SAMPLES = 5  # votes a cluster keeps as samples (the first ones added)


@dataclass(frozen=True)
class RateRule:
    """One finalist's hour is unusual when its votes in that hour exceed `factor` times the
    median of its hourly counts (over the hours in which the category received any vote, zero
    counted) and exceed `floor`."""

    factor: int = 5
    floor: int = 20


RATE_RULE = RateRule()


class LoggedVote(NamedTuple):
    """One row of the vote log, as plain data (`voter` and `finalist` are ids). A named tuple:
    a hundred thousand of them are built per review, and a tuple is the cheapest record."""

    id: int
    voter: int
    finalist: int
    at: dt.datetime
    address_hash: str = ""
    subnet_hash: str = ""
    agent_hash: str = ""
    shape_hash: str = ""
    seconds_from_code: int | None = None
    flags: tuple[str, ...] = ()


@dataclass
class Cluster:
    """A group of logged votes sharing a signal."""

    key: str
    signal: str  # "burst", "sequential", "disposable", "fast", "rate" or another flag
    votes: list[int] = field(default_factory=list)  # log row ids, in log order
    voters: set[int] = field(default_factory=set)
    finalists: Counter[int] = field(default_factory=Counter)
    hours: Counter[dt.datetime] = field(default_factory=Counter)
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    signals: Counter[str] = field(default_factory=Counter)  # every flag seen in the cluster
    samples: list[LoggedVote] = field(default_factory=list)  # its first SAMPLES votes

    @property
    def size(self) -> int:
        return len(self.votes)

    @property
    def top_finalist(self) -> tuple[int, int] | None:
        """The finalist receiving most of the cluster's votes and how many (ties to the
        smaller id, so the answer does not depend on the log's order)."""
        if not self.finalists:
            return None
        finalist, count = min(self.finalists.items(), key=lambda item: (-item[1], item[0]))
        return finalist, count

    @property
    def top_share(self) -> Fraction:
        """The share of the cluster's votes going to its top finalist (0 when empty)."""
        top = self.top_finalist
        return Fraction(top[1], self.size) if top else Fraction(0)

    def timeline(self) -> list[tuple[dt.datetime, int]]:
        """The votes per hour, in time order."""
        return sorted(self.hours.items())

    def add(self, vote: LoggedVote, hour: dt.datetime) -> None:
        self.votes.append(vote.id)
        self.voters.add(vote.voter)
        self.finalists[vote.finalist] += 1
        self.hours[hour] += 1
        if self.first is None or vote.at < self.first:
            self.first = vote.at
        if self.last is None or vote.at > self.last:
            self.last = vote.at
        self.signals.update(vote.flags)
        if len(self.samples) < SAMPLES:
            self.samples.append(vote)


def hour_of(moment: dt.datetime) -> dt.datetime:
    """The whole UTC hour a moment falls in (naive moments are taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    else:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


def cluster_key(flag: str, vote: LoggedVote) -> str:
    """The key of the cluster a flagged vote joins for `flag`."""
    attribute = GROUPED_BY.get(flag)
    if attribute is not None:
        return f"{flag}:{getattr(vote, attribute)[:32] or '-'}"
    if flag in (DISPOSABLE, FAST):
        return flag
    return f"flag:{flag}"[:KEY_MAX]


def rate_key(finalist: int, hour: dt.datetime) -> str:
    return f"{RATE}:{finalist}:{hour.strftime('%Y-%m-%dT%H')}"


def median(values: Sequence[int]) -> Fraction:
    """The median of whole numbers, exactly."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return Fraction(0)
    mid = n // 2
    return Fraction(ordered[mid]) if n % 2 else Fraction(ordered[mid - 1] + ordered[mid], 2)


def unusual_hours(
    per_hour: dict[int, Counter[dt.datetime]],
    hours: Iterable[dt.datetime],
    rule: RateRule = RATE_RULE,
) -> list[tuple[int, dt.datetime, int, Fraction]]:
    """(finalist, hour, votes, median) for each hour of a finalist above `rule`, sorted.

    `per_hour` holds each finalist's votes per hour; `hours` the hours in which the category
    received any vote (a finalist's hours without votes count as zero)."""
    active = sorted(set(hours))
    found = []
    for finalist, counts in per_hour.items():
        zeros = len(active) - len(counts)
        usual = median([0] * zeros + list(counts.values()))
        for hour, count in counts.items():
            if count > rule.floor and count > rule.factor * usual:
                found.append((finalist, hour, count, usual))
    return sorted(found, key=lambda item: (item[1], item[0]))


@dataclass(frozen=True)
class Review:
    """What the review shows: the clusters (largest first, then by key), the category's votes
    per hour, how many logged votes and how many of them flagged."""

    clusters: tuple[Cluster, ...]
    hours: tuple[tuple[dt.datetime, int], ...]
    logged: int
    flagged: int

    def cluster(self, key: str) -> Cluster | None:
        return next((c for c in self.clusters if c.key == key), None)


def tally(
    counts: Mapping[tuple[int, dt.datetime], int],
) -> tuple[dict[int, Counter[dt.datetime]], Counter[dt.datetime]]:
    """Each finalist's votes per hour, and the category's, from (finalist, hour) counts."""
    per_finalist: dict[int, Counter[dt.datetime]] = defaultdict(Counter)
    hours: Counter[dt.datetime] = Counter()
    for (finalist, hour), n in counts.items():
        per_finalist[finalist][hour] += n
        hours[hour] += n
    return per_finalist, hours


def spikes(
    counts: Mapping[tuple[int, dt.datetime], int], rule: RateRule = RATE_RULE
) -> list[tuple[int, dt.datetime]]:
    """The (finalist, hour) pairs far above the finalist's usual rate under `rule`."""
    per_finalist, hours = tally(counts)
    return [(f, h) for f, h, _n, _usual in unusual_hours(per_finalist, hours, rule)]


def assemble(
    flagged: Iterable[LoggedVote],
    counts: Mapping[tuple[int, dt.datetime], int],
    spike_votes: Mapping[tuple[int, dt.datetime], Iterable[LoggedVote]],
) -> Review:
    """The review from its parts, as a database gives them cheaply: the flagged votes, every
    (finalist, hour)'s number of votes, and the votes of each spike (`spikes`)."""
    clusters: dict[str, Cluster] = {}
    n_flagged = 0
    hour_cache: dict[tuple[object, ...], dt.datetime] = {}
    for vote in flagged:
        n_flagged += 1
        at = vote.at
        whole = (at.year, at.month, at.day, at.hour, at.tzinfo)
        hour = hour_cache.get(whole)
        if hour is None:
            hour = hour_cache[whole] = hour_of(at)
        for flag in vote.flags:
            name = cluster_key(flag, vote)
            cluster = clusters.get(name)
            if cluster is None:
                cluster = clusters[name] = Cluster(key=name, signal=flag)
            cluster.add(vote, hour)
    for (finalist, hour), votes in spike_votes.items():
        name = rate_key(finalist, hour)
        cluster = clusters[name] = Cluster(key=name, signal=RATE)
        for vote in votes:
            cluster.add(vote, hour)
        cluster.signals[RATE] += cluster.size
    _per_finalist, hours = tally(counts)
    ordered = sorted(clusters.values(), key=lambda c: (-c.size, c.key))
    return Review(
        clusters=tuple(ordered),
        hours=tuple(sorted(hours.items())),
        logged=sum(hours.values()),
        flagged=n_flagged,
    )


def review(votes: Iterable[LoggedVote], rule: RateRule = RATE_RULE) -> Review:
    """Group a category's logged votes into clusters, in one pass over them (then passes over
    the flagged votes and the (finalist, hour) groups, both much fewer)."""
    # (finalist, year, month, day, hour, tzinfo) -> the votes: the one dictionary the pass
    # over every vote fills (a tuple of attributes costs less than building an hour's datetime)
    groups: dict[tuple[object, ...], list[LoggedVote]] = {}
    flagged: list[LoggedVote] = []
    for vote in votes:
        at = vote.at
        key = (vote.finalist, at.year, at.month, at.day, at.hour, at.tzinfo)
        group = groups.get(key)
        if group is None:
            groups[key] = [vote]
        else:
            group.append(vote)
        if vote.flags:
            flagged.append(vote)
    by_hour: dict[tuple[int, dt.datetime], list[LoggedVote]] = defaultdict(list)
    for group in groups.values():
        by_hour[(group[0].finalist, hour_of(group[0].at))].extend(group)
    counts = {key: len(group) for key, group in by_hour.items()}
    return assemble(flagged, counts, {key: by_hour[key] for key in spikes(counts, rule)})


def per_hour(moments: Iterable[dt.datetime]) -> list[tuple[dt.datetime, int]]:
    """Votes per whole UTC hour, in time order, the hours without votes between the first and
    the last included (as zero), for the votes-per-hour plot."""
    return filled(Counter(hour_of(m) for m in moments))


def filled(hours: Mapping[dt.datetime, int]) -> list[tuple[dt.datetime, int]]:
    """Counts per whole hour in time order, with the hours between them that have none as zero."""
    if not hours:
        return []
    first, last = min(hours), max(hours)
    span = int((last - first).total_seconds()) // 3600
    steps = (first + dt.timedelta(hours=i) for i in range(span + 1))
    return [(hour, hours.get(hour, 0)) for hour in steps]
