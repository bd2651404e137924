"""The organizer's side of the public vote: turnout and votes per hour, the fraud review
(clusters of flagged votes from the pure `awards.fraud`, void or keep a cluster or one vote
with a coded reason, undo, sign-off), and what the count reads after the review.

What the results read (the count and the bundle):

- `counted_votes(category)`: {nomination id: number of votes not voided}, one GROUP BY;
- `fraud_counts(category)`: the standing decisions as `awards.bundle.FraudCount`s (reason,
  action, votes), a vote voided by two decisions counted once, for the first of them;
- `signed_off(category)`: whether the review is signed off (its decisions are then frozen).

Nothing here reveals standings while voting is open: `turnout` gives numbers of votes and
voters only, and the review names finalists only once voting has closed (`Overview.named`).

The phases: decisions are taken from the moment voting opens until the review is signed off;
sign-off comes only after voting closes, and freezes every decision.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from accounts.models import Someone
from awards import fraud
from awards.bundle import FraudCount as FraudCount
from awards.fraud import Cluster, LoggedVote, Review
from awards.models import Category, Cycle, FraudDecision, Nomination, PublicVote, VoteLog, Voter
from awards.services.common import PhaseClosed, scope, when
from awards.voters import pseudonym
from core import audit, sql
from core.clock import now
from core.errors import Conflict, Invalid, NotFound
from core.i18n import gettext as _

REASONS = (
    "disposable-domain",
    "burst",
    "sequential-addresses",
    "automation",
    "rate-spike",
    "genuine",
    "other",
)
ACTIONS = ("void", "keep")
CLUSTERS_PER_PAGE = 20
VOTES_PER_PAGE = 25
NOTE_MAX = 1000
_CHUNK = 500  # ids per IN (...) list: well under SQLite's limit of bound parameters
_LOG_FIELDS = (
    "id",
    "voter_id",
    "nomination_id",
    "at",
    "address_hash",
    "subnet_hash",
    "agent_hash",
    "shape_hash",
    "seconds_from_code",
    "flags",
)


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


# --- reading --------------------------------------------------------------------------------
#
# A category's log is read in three statements, none of which hands Python every row: the
# number of votes per (finalist, UTC hour) by one GROUP BY (the hour as text, per dialect), the
# flagged rows only (`flags` is stored as the JSON text "[]" when no flag was raised), and the
# rows of each spike of one finalist (the few hours `awards.fraud.spikes` finds).

_HOURLY = {
    "sqlite": sql.Statement(
        "SELECT nomination_id, strftime('%Y-%m-%d %H', at) AS hour, COUNT(*) AS n "
        "FROM awards_vote_log WHERE category_id = ? GROUP BY nomination_id, hour"
    ),
    "postgres": sql.Statement(
        "SELECT nomination_id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24') AS hour, "
        "COUNT(*) AS n FROM awards_vote_log WHERE category_id = ? GROUP BY nomination_id, hour"
    ),
}
_COLUMNS = (
    "id, voter_id, nomination_id, at, address_hash, subnet_hash, agent_hash, shape_hash, "
    "seconds_from_code, flags"
)
_FLAGGED = sql.Statement(
    f"SELECT {_COLUMNS} FROM awards_vote_log WHERE category_id = ? AND flags <> '[]'"  # noqa: S608
)


def _moment(value: Any) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@functools.lru_cache(maxsize=256)
def _flags_of_text(value: str) -> tuple[str, ...]:
    return tuple(str(flag) for flag in json.loads(value) or ())


def _flags(value: Any) -> tuple[str, ...]:
    """A row's flags: JSON text (SQLite, asyncpg's jsonb) or a list; few distinct texts."""
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, str):
        return _flags_of_text(value)
    return tuple(str(flag) for flag in value or ())


def _logged(row: Mapping[str, Any]) -> LoggedVote:
    return LoggedVote(
        row["id"],
        row["voter_id"],
        row["nomination_id"],
        _moment(row["at"]),
        row["address_hash"],
        row["subnet_hash"],
        row["agent_hash"],
        row["shape_hash"],
        row["seconds_from_code"],
        _flags(row["flags"]),
    )


def _hour(text: str) -> dt.datetime:
    """ "YYYY-MM-DD HH" (the GROUP BY's hour) as an aware UTC datetime."""
    return dt.datetime(
        int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), tzinfo=dt.UTC
    )


async def hourly(category: Category, conn: Any = None) -> dict[tuple[int, dt.datetime], int]:
    """{(finalist, UTC hour): votes logged}, by one GROUP BY."""
    dialect = sql.connection(conn).capabilities.dialect
    statement = _HOURLY["postgres" if dialect == "postgres" else "sqlite"]
    return {
        (row["nomination_id"], _hour(row["hour"])): int(row["n"])
        for row in await sql.rows(statement, [category.id], conn)
    }


async def read_review(category: Category, conn: Any = None) -> tuple[Review, list[LoggedVote]]:
    """The category's clusters, and its flagged logged votes (newest first)."""
    counts = await hourly(category, conn)
    flagged = [_logged(row) for row in await sql.rows(_FLAGGED, [category.id], conn)]
    flagged.sort(key=lambda v: v.id, reverse=True)
    spike_votes = {}
    for finalist, hour in fraud.spikes(counts):
        rows = await (
            VoteLog.filter(
                category_id=category.id,
                nomination_id=finalist,
                at__gte=hour,
                at__lt=hour + dt.timedelta(hours=1),
            )
            .using_db(conn)
            .order_by("id")
            .values(*_LOG_FIELDS)
        )
        spike_votes[(finalist, hour)] = [_logged(row) for row in rows]
    return fraud.assemble(reversed(flagged), counts, spike_votes), flagged


def voting_closed(cycle: Cycle, moment: dt.datetime) -> bool:
    return cycle.voting_closes is not None and moment >= cycle.voting_closes


def voting_started(cycle: Cycle, moment: dt.datetime) -> bool:
    return cycle.voting_opens is not None and moment >= cycle.voting_opens


@dataclass(frozen=True)
class Turnout:
    """A public-vote category's turnout: its current votes (one per voter), every vote and
    change logged, and the log per hour. No counts per finalist."""

    category: Category
    votes: int
    logged: int
    hours: list[tuple[dt.datetime, int]]


async def turnout(cycle: Cycle) -> tuple[int, list[Turnout]]:
    """The cycle's verified voters, and each public-vote category's turnout."""
    voters = await Voter.filter(cycle_id=cycle.id).count()
    found = []
    for category in await Category.filter(cycle_id=cycle.id, public_vote=True):
        votes = await PublicVote.filter(category_id=category.id).count()
        _per_finalist, per_hour = fraud.tally(await hourly(category))
        found.append(Turnout(category, votes, sum(per_hour.values()), fraud.filled(per_hour)))
    return voters, found


@dataclass(frozen=True)
class ClusterRow:
    """One cluster as the review page shows it."""

    cluster: Cluster
    share_percent: int
    finalist: Nomination | None  # named only once voting has closed
    samples: list[tuple[str, dt.datetime]]  # (pseudonym, time) of a few of its votes
    decision: FraudDecision | None


@dataclass(frozen=True)
class VoteRow:
    """One flagged logged vote: its voter's pseudonym, time, flags, its current vote."""

    logged: LoggedVote
    voter: str
    vote: PublicVote | None
    decision: FraudDecision | None
    finalist: Nomination | None


@dataclass(frozen=True)
class Overview:
    category: Category
    named: bool  # voting has closed: finalists are named
    logged: int
    flagged: int
    voided: int
    clusters: list[ClusterRow]
    cluster_count: int
    cluster_page: int
    votes: list[VoteRow]
    vote_count: int
    vote_page: int
    decisions: list[FraudDecision]
    signed_off: bool
    can_decide: bool
    can_sign: bool

    @property
    def cluster_pages(self) -> int:
        return max(1, -(-self.cluster_count // CLUSTERS_PER_PAGE))

    @property
    def vote_pages(self) -> int:
        return max(1, -(-self.vote_count // VOTES_PER_PAGE))


def _page(number: int, total: int, size: int) -> int:
    return min(max(1, number), max(1, -(-total // size)))


def _mask(secret: bytes, key: str) -> str:
    return pseudonym(secret, "voter", key, length=8)


async def overview(
    cycle: Cycle, category: Category, secret: bytes, cluster_page: int = 1, vote_page: int = 1
) -> Overview:
    """The review page's data: one read of the log, one pass of clustering; samples, votes and
    names only for the clusters and flagged votes on the shown pages."""
    moment = now()
    named = voting_closed(cycle, moment)
    found, flagged = await read_review(category)
    decisions = await FraudDecision.filter(category_id=category.id).order_by("decided_at", "id")
    by_cluster = {d.cluster: d for d in decisions if d.cluster}
    by_vote = {d.vote_id: d for d in decisions if d.vote_id is not None}

    cluster_page = _page(cluster_page, len(found.clusters), CLUSTERS_PER_PAGE)
    start = (cluster_page - 1) * CLUSTERS_PER_PAGE
    shown = found.clusters[start : start + CLUSTERS_PER_PAGE]
    vote_page = _page(vote_page, len(flagged), VOTES_PER_PAGE)
    listed = flagged[(vote_page - 1) * VOTES_PER_PAGE : vote_page * VOTES_PER_PAGE]

    sample_rows = {c.key: c.samples for c in shown}
    voter_ids = {r.voter for rows in sample_rows.values() for r in rows} | {r.voter for r in listed}
    keys = dict(await Voter.filter(id__in=list(voter_ids)).values_list("id", "key"))
    current = {
        v.voter_id: v
        for v in await PublicVote.filter(
            category_id=category.id, voter_id__in=[r.voter for r in listed]
        )
    }
    finalist_ids = {r.finalist for r in listed}
    finalist_ids |= {c.top_finalist[0] for c in shown if c.top_finalist}
    names = {n.id: n for n in await Nomination.filter(id__in=list(finalist_ids))} if named else {}
    rows = []
    for c in shown:
        top = c.top_finalist
        rows.append(
            ClusterRow(
                cluster=c,
                share_percent=int(c.top_share * 100),
                finalist=names.get(top[0]) if top else None,
                samples=[(_mask(secret, keys.get(r.voter, "")), r.at) for r in sample_rows[c.key]],
                decision=by_cluster.get(c.key),
            )
        )
    votes = []
    for r in listed:
        vote = current.get(r.voter)
        votes.append(
            VoteRow(
                logged=r,
                voter=_mask(secret, keys.get(r.voter, "")),
                vote=vote,
                decision=by_vote.get(vote.id) if vote else None,
                finalist=names.get(r.finalist),
            )
        )
    signed = category.fraud_review_signed_at is not None
    return Overview(
        category=category,
        named=named,
        logged=found.logged,
        flagged=found.flagged,
        voided=len({i for d in decisions if d.action == "void" for i in d.vote_ids or ()}),
        clusters=rows,
        cluster_count=len(found.clusters),
        cluster_page=cluster_page,
        votes=votes,
        vote_count=len(flagged),
        vote_page=vote_page,
        decisions=decisions,
        signed_off=signed,
        can_decide=not signed and voting_started(cycle, moment),
        can_sign=not signed and named,
    )


# --- what the results read --------------------------------------------------------------------


async def counted_votes(category: Category) -> dict[int, int]:
    """{nomination id: its public votes not voided}, by one GROUP BY (a category whose public
    vote is voided as a whole still gives its counts: `Category.public_voided` says to ignore
    them)."""
    rows = (
        await PublicVote.filter(category_id=category.id, voided=False)
        .annotate(n=Count("id"))
        .group_by("nomination_id")
        .values_list("nomination_id", "n")
    )
    return {int(nomination): int(n) for nomination, n in rows}


async def fraud_counts(category: Category) -> list[FraudCount]:
    """The standing decisions by reason and action, sorted: the votes each voided (a vote
    voided by two decisions counts once, for the earlier) or kept."""
    decisions = await FraudDecision.filter(category_id=category.id).order_by("decided_at", "id")
    voided: set[int] = set()
    totals: dict[tuple[str, str], int] = {}
    for d in decisions:
        ids = set(d.vote_ids or ())
        if d.action == "void":
            ids -= voided
            voided |= ids
        key = (d.reason, d.action)
        totals[key] = totals.get(key, 0) + len(ids)
    return [FraudCount(reason, action, n) for (reason, action), n in sorted(totals.items())]


def signed_off(category: Category) -> bool:
    return category.fraud_review_signed_at is not None


# --- deciding -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What the organizer asks: void or keep, a coded reason, a note."""

    action: str
    reason: str
    note: str = ""


def check(decision: Decision) -> Decision:
    """The decision as given, or Invalid with a message per field."""
    errors = {}
    if decision.action not in ACTIONS:
        errors["action"] = _("Choose to void or to keep.")
    if decision.reason not in REASONS:
        errors["reason"] = _("Choose a reason.")
    note = decision.note.strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("The note is too long (at most %(num)s characters).", num=NOTE_MAX)
    if decision.reason == "other" and not note and "reason" not in errors:
        errors["note"] = _("Explain the reason \u201cother\u201d in the note.")
    if errors:
        raise Invalid(errors, _("Nothing was changed: correct the marked fields."))
    return Decision(decision.action, decision.reason, note)


async def _open_for_decisions(cycle: Cycle, category_id: int) -> Category:
    """The category, re-read inside the transaction (locked on PostgreSQL), if its decisions
    may still change."""
    fresh = await Category.select_for_update().get(id=category_id)
    if not fresh.public_vote:
        raise Conflict(_("This category has no public vote. Nothing was changed."))
    if fresh.fraud_review_signed_at is not None:
        raise Conflict(
            _(
                "The review of this category was signed off on %(when)s: its decisions are "
                "final. Nothing was changed.",
                when=when(cycle, fresh.fraud_review_signed_at),
            )
        )
    if not voting_started(cycle, now()):
        raise PhaseClosed(_("The public vote has not opened yet. Nothing was changed."))
    return fresh


async def _set_voided(ids: Sequence[int], voided: bool, conn: Any) -> None:
    for part in _chunks(list(ids)):
        await PublicVote.filter(id__in=list(part)).using_db(conn).update(voided=voided)


def _audit_after(decision: FraudDecision) -> dict[str, Any]:
    return {
        "category": decision.category_id,
        "cluster": decision.cluster,
        "vote": decision.vote_id,
        "action": decision.action,
        "reason": decision.reason,
        "note": decision.note,
        "votes": decision.votes,
    }


async def decide_cluster(
    actor: Someone, cycle: Cycle, category: Category, key: str, asked: Decision
) -> FraudDecision:
    """Void or keep every current vote of the voters in a cluster."""
    asked = check(asked)
    async with in_transaction() as conn:
        fresh = await _open_for_decisions(cycle, category.id)
        cluster = (await read_review(fresh, conn))[0].cluster(key)
        if cluster is None:
            raise NotFound(_("This cluster does not exist (any more). Nothing was changed."))
        if await FraudDecision.filter(category_id=fresh.id, cluster=key).using_db(conn).exists():
            raise Conflict(_("This cluster was already decided. Undo that decision first."))
        ids: list[int] = []
        voters = sorted(cluster.voters)
        for part in _chunks(voters):
            ids += await (
                PublicVote.filter(category_id=fresh.id, voter_id__in=list(part))
                .using_db(conn)
                .values_list("id", flat=True)
            )  # type: ignore[arg-type]
        ids.sort()
        if asked.action == "void":
            await _set_voided(ids, True, conn)
        decision = await FraudDecision.create(
            category_id=fresh.id,
            cluster=key,
            action=asked.action,
            reason=asked.reason,
            note=asked.note,
            votes=len(ids),
            vote_ids=ids,
            decided_by_id=actor.id,
            decided_at=now(),
            using_db=conn,
        )
        await audit.record(
            actor,
            f"awards.fraud_{asked.action}",
            decision,
            after=_audit_after(decision),
            scope=scope(cycle),
            conn=conn,
        )
    return decision


async def decide_vote(
    actor: Someone, cycle: Cycle, category: Category, vote_id: int, asked: Decision
) -> FraudDecision:
    """Void or keep one current vote."""
    asked = check(asked)
    async with in_transaction() as conn:
        fresh = await _open_for_decisions(cycle, category.id)
        vote = await PublicVote.filter(category_id=fresh.id, id=vote_id).using_db(conn).first()
        if vote is None:
            raise NotFound(_("This vote does not exist. Nothing was changed."))
        if (
            await FraudDecision.filter(category_id=fresh.id, vote_id=vote.id)
            .using_db(conn)
            .exists()
        ):
            raise Conflict(_("This vote was already decided. Undo that decision first."))
        if asked.action == "void":
            await _set_voided([vote.id], True, conn)
        decision = await FraudDecision.create(
            category_id=fresh.id,
            vote_id=vote.id,
            action=asked.action,
            reason=asked.reason,
            note=asked.note,
            votes=1,
            vote_ids=[vote.id],
            decided_by_id=actor.id,
            decided_at=now(),
            using_db=conn,
        )
        await audit.record(
            actor,
            f"awards.fraud_{asked.action}",
            decision,
            after=_audit_after(decision),
            scope=scope(cycle),
            conn=conn,
        )
    return decision


async def undo(actor: Someone, cycle: Cycle, category: Category, decision_id: int) -> FraudDecision:
    """Withdraw a decision before sign-off; the votes it voided count again, except those
    another standing decision voids."""
    async with in_transaction() as conn:
        fresh = await _open_for_decisions(cycle, category.id)
        decision = (
            await FraudDecision.filter(category_id=fresh.id, id=decision_id).using_db(conn).first()
        )
        if decision is None:
            raise NotFound(_("This decision does not exist (any more). Nothing was changed."))
        if decision.action == "void":
            others = await (
                FraudDecision.filter(category_id=fresh.id, action="void")
                .exclude(id=decision.id)
                .using_db(conn)
                .values_list("vote_ids", flat=True)
            )
            still = {i for ids in others for i in (ids or ())}  # type: ignore[union-attr]
            await _set_voided([i for i in decision.vote_ids or () if i not in still], False, conn)
        await decision.delete(using_db=conn)
        await audit.record(
            actor,
            "awards.fraud_undo",
            decision,
            before=_audit_after(decision),
            scope=scope(cycle),
            conn=conn,
        )
    return decision


async def sign_off(actor: Someone, cycle: Cycle, category: Category) -> Category:
    """Sign off the review once voting has closed: its decisions freeze."""
    async with in_transaction() as conn:
        fresh = await _open_for_decisions(cycle, category.id)
        if not voting_closed(cycle, now()):
            closes = cycle.voting_closes
            raise PhaseClosed(
                _(
                    "The review can be signed off once voting closes (%(when)s). Nothing was "
                    "changed.",
                    when=when(cycle, closes) if closes else "—",
                )
            )
        fresh.fraud_review_signed_at = now()
        await fresh.save(update_fields=["fraud_review_signed_at"], using_db=conn)
        voided = await PublicVote.filter(category_id=fresh.id, voided=True).using_db(conn).count()
        await audit.record(
            actor,
            "awards.fraud_sign_off",
            fresh,
            after={"fraud_review_signed_at": fresh.fraud_review_signed_at, "voided": voided},
            scope=scope(cycle),
            conn=conn,
        )
    return fresh
