"""The public vote, the voter's side: a code by mail, verification for the whole cycle, one
vote per verified voter per category (the last one counts), and the log the fraud review reads.

- A voter is known only by `awards.voters.voter_key` (the HMAC of the canonical e-mail). The
  raw address goes into the code's mail (the outbox) and nowhere else: not in these tables, the
  rate limits, the logs or the session.
- A code: 6 digits, kept as a keyed hash, valid `CODE_MINUTES`, dead after `CODE_TRIES` wrong
  tries or once used (one conditional update claims it: two requests with the same code, one
  verifies). A signed-in person with a verified account skips the code.
- What the voter's session remembers for a cycle is a `Pass` (voter id and key, the e-mail's
  shape hash, the disposable flag, when the code was sent), in the signed session cookie.
- A vote is one atomic upsert on (category, voter) plus its `VoteLog` row, in one transaction:
  concurrent votes of one voter leave exactly one vote, the last one.
- Rate limits (core.ratelimit, shared by every worker): codes per voter and per client address
  per hour, votes per client address per minute.
- Flags (awards.vote_flags) are raised and logged, never refused.

What the fraud review and the count read: `PublicVote` (one row per voter and category, the
current choice in `nomination_id`, `voided` set by the review), `VoteLog` (every vote and
change, with its flags), and `counts(cycle, category)`: the non-voided votes per finalist (only once
voting has closed).
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Mapping, MutableMapping
from dataclasses import asdict, dataclass
from typing import Any

from disposable_email_domains import blocklist
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Someone
from awards import vote_flags, voters
from awards.enums import CyclePhase
from awards.models import (
    Category,
    Cycle,
    Nomination,
    PublicVote,
    ShortlistedNomination,
    VoteCode,
    VoteLog,
    Voter,
    of_cycle,
)
from awards.services import fraud
from awards.services.common import Links, cycle_name, when
from core import ratelimit, sql
from core.clock import now
from core.errors import Conflict, Invalid, NotFound, TooManyRequests
from core.i18n import gettext as _
from core.i18n import ngettext
from core.mail import outbox

CODE_DIGITS = 6
CODE_MINUTES = 10
CODE_TRIES = 5
CODES_PER_VOTER = 5  # codes asked for one e-mail (its voter key) per hour
CODES_PER_ADDRESS = 20  # codes asked from one client address per hour
CODE_WINDOW = 3600
VOTES_PER_ADDRESS = 20  # votes cast from one client address per minute
VOTE_WINDOW = 60
SESSION_KEY = "public_vote"  # {cycle id: Pass as a dict}
PENDING_KEY = "public_vote_pending"  # {cycle id: Pending as a dict}


@dataclass(frozen=True)
class Pending:
    """A code was sent: whom it verifies (hashes only) and what the vote will be flagged with."""

    key: str
    shape: str
    disposable: bool


@dataclass(frozen=True)
class Pass:
    """A verified voter of one cycle, as the session remembers it."""

    voter_id: int
    key: str
    shape: str
    disposable: bool
    code_sent: float | None  # epoch seconds; None when no code was needed


@dataclass(frozen=True)
class Cast:
    """A vote recorded: the finalist chosen, whether it replaced another choice, the flags."""

    category: Category
    nomination: Nomination
    changed: bool
    flags: list[str]


# --- the session -----------------------------------------------------------------------------


def pending_of(session: Mapping[str, Any], cycle: Cycle) -> Pending | None:
    found = session.get(PENDING_KEY, {}).get(str(cycle.id))
    return Pending(**found) if isinstance(found, dict) else None


def pass_of(session: Mapping[str, Any], cycle: Cycle) -> Pass | None:
    found = session.get(SESSION_KEY, {}).get(str(cycle.id))
    return Pass(**found) if isinstance(found, dict) else None


def remember_pending(session: MutableMapping[str, Any], cycle: Cycle, pending: Pending) -> None:
    session[PENDING_KEY] = {**session.get(PENDING_KEY, {}), str(cycle.id): asdict(pending)}


def remember_pass(session: MutableMapping[str, Any], cycle: Cycle, found: Pass) -> None:
    session[SESSION_KEY] = {**session.get(SESSION_KEY, {}), str(cycle.id): asdict(found)}
    left = {k: v for k, v in session.get(PENDING_KEY, {}).items() if k != str(cycle.id)}
    session[PENDING_KEY] = left


def forget_pending(session: MutableMapping[str, Any], cycle: Cycle) -> None:
    left = {k: v for k, v in session.get(PENDING_KEY, {}).items() if k != str(cycle.id)}
    session[PENDING_KEY] = left


# --- when the vote is open -------------------------------------------------------------------


def is_open(cycle: Cycle, moment: dt.datetime | None = None) -> bool:
    return cycle.published and cycle.phase(moment or now()) == CyclePhase.VOTING


def require_open(cycle: Cycle) -> None:
    """Refuse (409, changing nothing) outside the cycle's voting window."""
    moment = now()
    if is_open(cycle, moment):
        return
    if cycle.voting_opens is not None and moment < cycle.voting_opens:
        raise Conflict(
            _("The public vote opens on %(when)s.", when=when(cycle, cycle.voting_opens))
        )
    raise Conflict(_("The public vote is closed."))


async def voting_categories(cycle: Cycle) -> list[tuple[Category, list[ShortlistedNomination]]]:
    """The categories with a public vote and a published shortlist, with their finalists."""
    if cycle.shortlist_published_at is None or not cycle.published:
        return []
    categories = list(
        await of_cycle(Category, cycle)
        .filter(public_vote=True, shortlist_approved_at__isnull=False)
        .order_by("position", "id")
    )
    if not categories:
        return []
    listed: dict[int, list[ShortlistedNomination]] = {c.id: [] for c in categories}
    for row in (
        await ShortlistedNomination.filter(category_id__in=list(listed))
        .select_related("nomination")
        .order_by("rank", "id")
    ):
        listed[row.category_id].append(row)  # type: ignore[attr-defined]
    return [(c, listed[c.id]) for c in categories if listed[c.id]]


async def voting_category(
    cycle: Cycle, category_id: int
) -> tuple[Category, list[ShortlistedNomination]]:
    """One category open to the public vote, with its finalists; NotFound otherwise."""
    for category, finalists in await voting_categories(cycle):
        if category.id == category_id:
            return category, finalists
    raise NotFound(_("This category has no public vote."))


# --- codes -----------------------------------------------------------------------------------


def _secret(secret_key: str) -> bytes:
    return secret_key.encode()


def _code_hash(secret: bytes, cycle: Cycle, key: str, code: str) -> str:
    return voters.keyed_hash(secret, "vote-code", f"{cycle.id}:{key}:{code}")


def _too_many(wait: int) -> TooManyRequests:
    minutes = max(1, -(-wait // 60))
    if wait < 60:
        message = ngettext(
            "Too many requests. Try again in %(num)s second.",
            "Too many requests. Try again in %(num)s seconds.",
            wait,
        )
    else:
        message = ngettext(
            "Too many requests. Try again in %(num)s minute.",
            "Too many requests. Try again in %(num)s minutes.",
            minutes,
        )
    return TooManyRequests(message, wait)


async def _take(bucket: str, key: str, limit: int, window: int) -> ratelimit.Ticket:
    try:
        return await ratelimit.take(bucket, key, limit, window)
    except ratelimit.Refused as refused:
        raise _too_many(refused.retry_after) from None


def identify(secret_key: str, email: str) -> Pending:
    """The hashes of an address (its voter key and shape) and whether its domain is disposable;
    Invalid when it is not an address."""
    secret = _secret(secret_key)
    try:
        canonical = voters.canonical_email(email)
    except voters.AddressError:
        raise Invalid({"email": _("Enter a valid e-mail address.")}) from None
    return Pending(
        key=voters.keyed_hash(secret, "voter", canonical),
        shape=voters.keyed_hash(secret, "shape", vote_flags.email_shape(canonical)),
        disposable=voters.domain_listed(canonical, blocklist),
    )


async def request_code(
    cycle: Cycle, email: str, language: str, address: str, secret_key: str, base_url: str
) -> Pending:
    """Send a 6-digit code to `email`, in `language`; what the session keeps until it is
    entered. Refused outside the vote, for a bad address, or past the rate limits."""
    require_open(cycle)
    pending = identify(secret_key, email)
    ticket = await _take("vote-code-address", address, CODES_PER_ADDRESS, CODE_WINDOW)
    try:
        await _take("vote-code-voter", pending.key, CODES_PER_VOTER, CODE_WINDOW)
    except TooManyRequests:
        await ratelimit.refund(ticket)  # no code sent: the address's attempt does not count
        raise
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    sent = now()
    async with in_transaction():
        await VoteCode.create(
            cycle=cycle,
            key=pending.key,
            code_hash=_code_hash(_secret(secret_key), cycle, pending.key, code),
            sent_at=sent,
            expires_at=sent + dt.timedelta(minutes=CODE_MINUTES),
        )
        await outbox.queue(
            email.strip(),
            "awards/vote_code",
            language,
            code=code,
            minutes=CODE_MINUTES,
            cycle_name=cycle_name(cycle, language),
            url=Links(base_url).build("/awards/{slug}/vote", slug=cycle.slug),
        )
    outbox.wake()
    return pending


_CLAIM = sql.Statement(
    "UPDATE awards_vote_code SET used_at = ? "
    "WHERE id = ? AND used_at IS NULL AND tries < ? AND expires_at > ?"
)
_WRONG = sql.Statement(
    "UPDATE awards_vote_code SET tries = tries + 1 "
    "WHERE id = ? AND used_at IS NULL AND tries < ? AND expires_at > ?"
)
_ADD_VOTER = sql.Statement(
    'INSERT INTO awards_voter (cycle_id, "key", verified_at, created_at) VALUES (?, ?, ?, ?) '
    'ON CONFLICT (cycle_id, "key") DO NOTHING'
)


def _dead_code() -> Invalid:
    return Invalid({"code": _("This code has expired or was already used. Ask for a new code.")})


async def verify_code(cycle: Cycle, pending: Pending, code: str, secret_key: str) -> Pass:
    """Check the code sent for `pending`: the pass for the whole cycle, or Invalid (a wrong
    code counts a try; after the last one, or once expired or used, a new code is needed)."""
    require_open(cycle)
    digits = "".join(code.split())
    found = await VoteCode.filter(cycle=cycle, key=pending.key).order_by("-id").first()
    moment = now()
    if found is None or found.used_at is not None or found.expires_at <= moment:
        raise _dead_code()
    if found.tries >= CODE_TRIES:
        raise _dead_code()
    expected = found.code_hash
    given = _code_hash(_secret(secret_key), cycle, pending.key, digits)
    params = [*sql.db_values(VoteCode, {"used_at": moment}), found.id, CODE_TRIES]
    params += sql.db_values(VoteCode, {"expires_at": moment})
    if not hmac.compare_digest(expected, given):
        if await sql.execute(_WRONG, params[1:]) == 0:
            raise _dead_code()
        left = CODE_TRIES - found.tries - 1
        if left <= 0:
            raise _dead_code()
        raise Invalid(
            {
                "code": ngettext(
                    "This code is wrong. %(num)s try left.",
                    "This code is wrong. %(num)s tries left.",
                    left,
                )
            }
        )
    async with in_transaction() as tx:
        if await sql.execute(_CLAIM, params, tx) != 1:
            raise _dead_code()
        voter = await _voter(cycle, pending.key, moment, tx)
    return Pass(
        voter_id=voter,
        key=pending.key,
        shape=pending.shape,
        disposable=pending.disposable,
        code_sent=found.sent_at.timestamp(),
    )


async def _voter(cycle: Cycle, key: str, moment: dt.datetime, conn: Any = None) -> int:
    stamp = sql.db_values(Voter, {"verified_at": moment})[0]
    await sql.execute(_ADD_VOTER, [cycle.id, key, stamp, stamp], conn)
    voter = await Voter.filter(cycle_id=cycle.id, key=key).using_db(conn).first()
    assert voter is not None
    return voter.id


async def account_pass(cycle: Cycle, user: Someone | None, secret_key: str) -> Pass | None:
    """A signed-in person with a verified e-mail needs no code: their pass, or None."""
    if user is None or not user.verified or not is_open(cycle):
        return None
    try:
        return await verified_pass(cycle, user.email, secret_key)
    except Invalid:
        return None


async def verified_pass(
    cycle: Cycle, email: str, secret_key: str, code_sent: dt.datetime | None = None
) -> Pass:
    """The pass of an address verified otherwise than by this cycle's code (a signed-in
    account's, or the demo's voters, with the moment their code was sent)."""
    pending = identify(secret_key, email)
    voter = await _voter(cycle, pending.key, now())
    sent = code_sent.timestamp() if code_sent is not None else None
    return Pass(voter, pending.key, pending.shape, pending.disposable, sent)


# --- votes -----------------------------------------------------------------------------------

_UPSERT = sql.Statement(
    """
    INSERT INTO awards_public_vote (category_id, voter_id, nomination_id, cast_at, changes,
                                    voided)
    VALUES (?, ?, ?, ?, 0, ?)
    ON CONFLICT (category_id, voter_id) DO UPDATE SET
      changes = awards_public_vote.changes + CASE
        WHEN awards_public_vote.nomination_id = excluded.nomination_id THEN 0 ELSE 1 END,
      nomination_id = excluded.nomination_id,
      cast_at = excluded.cast_at
    """
)
_LOG = sql.Statement(
    """
    INSERT INTO awards_vote_log (category_id, voter_id, nomination_id, at, address_hash,
                                 subnet_hash, agent_hash, shape_hash, seconds_from_code, flags)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """
)
_SAME_SHAPE = sql.Statement(
    """
    SELECT COUNT(*) AS n FROM (
      SELECT DISTINCT l.voter_id FROM awards_vote_log l
      JOIN awards_voter v ON v.id = l.voter_id
      WHERE l.shape_hash = ? AND v.cycle_id = ? AND l.voter_id <> ?
      LIMIT ?
    ) AS others
    """
)
_CURRENT = sql.Statement(
    "SELECT nomination_id FROM awards_public_vote WHERE category_id = ? AND voter_id = ?"
)


_FINALIST = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(Category, "c")}, {sql.columns(Nomination, "n")}
    FROM awards_category c
    JOIN awards_shortlisted_nomination s ON s.category_id = c.id
    JOIN awards_nomination n ON n.id = s.nomination_id
    WHERE c.id = ? AND c.cycle_id = ? AND c.public_vote = ?
      AND c.shortlist_approved_at IS NOT NULL AND s.nomination_id = ?
    """  # noqa: S608 - the models' own column names
    )
)


async def _finalist(
    cycle: Cycle, category_id: int, nomination_id: int | None
) -> tuple[Category, Nomination]:
    """The category open to the public vote and its finalist, in one statement (the hot path);
    NotFound for a category without a public vote, Invalid for a nomination that is not one of
    its finalists."""
    if cycle.shortlist_published_at is not None and nomination_id is not None:
        public = sql.db_values(Category, {"public_vote": True})[0]
        found = await sql.rows(_FINALIST, [category_id, cycle.id, public, nomination_id])
        if found:
            category = sql.hydrate(Category, found[0], "c")
            nomination = sql.hydrate(Nomination, found[0], "n")
            assert category is not None and nomination is not None
            return category, nomination
    await voting_category(cycle, category_id)  # NotFound when it has no public vote
    raise Invalid({"nomination": _("Choose one of the finalists.")})


async def cast(
    cycle: Cycle,
    category_id: int,
    nomination_id: int | None,
    voter: Pass,
    address: str,
    agent: str,
    secret_key: str,
) -> Cast:
    """Record `voter`'s vote for a finalist of a category (replacing their earlier choice
    there). Refused, changing nothing: outside the vote, a category without a public vote, a
    nomination that is not its finalist, past the rate limit."""
    require_open(cycle)
    category, chosen = await _finalist(cycle, category_id, nomination_id)
    net = vote_flags.subnet(address)
    secret = _secret(secret_key)
    # this vote's address and subnet counts, for the burst flag (read before the write that
    # counts this vote: the limit itself is held by that write)
    address_votes = await ratelimit.counted("vote-address", address, VOTE_WINDOW) + 1
    subnet_votes = await ratelimit.counted("vote-subnet", net, vote_flags.BURST_WINDOW) + 1
    others = await sql.rows(
        _SAME_SHAPE, [voter.shape, cycle.id, voter.voter_id, vote_flags.SEQUENTIAL_OTHERS]
    )
    moment = now()
    seconds = None
    if voter.code_sent is not None:
        seconds = max(0, int(moment.timestamp() - voter.code_sent))
    raised = vote_flags.flags(
        vote_flags.Signals(
            disposable=voter.disposable,
            seconds_from_code=seconds,
            address_votes=address_votes,
            subnet_votes=subnet_votes,
            same_shape_voters=int(others[0]["n"]) if others else 0,
        )
    )
    before = await sql.rows(_CURRENT, [category.id, voter.voter_id])
    stamp = sql.db_values(PublicVote, {"cast_at": moment, "voided": False})
    log = sql.db_values(VoteLog, {"at": moment, "flags": raised})
    try:
        # one transaction (on SQLite, the worker's next group commit): the address's rate
        # limit (it undoes everything when reached), the subnet's count, the vote, its log
        await sql.write_together(
            [
                ratelimit.taking("vote-address", address, VOTES_PER_ADDRESS, VOTE_WINDOW),
                ratelimit.counting("vote-subnet", net, vote_flags.BURST_WINDOW),
                sql.Write(_UPSERT, [category.id, voter.voter_id, chosen.id, stamp[0], stamp[1]]),
                sql.Write(
                    _LOG,
                    [
                        category.id,
                        voter.voter_id,
                        chosen.id,
                        log[0],
                        voters.keyed_hash(secret, "address", address),
                        voters.keyed_hash(secret, "subnet", net),
                        voters.keyed_hash(secret, "agent", agent),
                        voter.shape,
                        seconds,
                        log[1],
                    ],
                ),
            ]
        )
    except sql.Unchanged:  # the address's limit is reached: nothing was written
        raise _too_many(await ratelimit.retry_after("vote-address", address, VOTE_WINDOW)) from None
    except IntegrityError:  # the voter's row is gone (a session from a deleted cycle)
        raise NotFound(_("Verify your e-mail again to vote.")) from None
    changed = bool(before) and before[0]["nomination_id"] != chosen.id
    return Cast(category, chosen, changed, raised)


async def my_votes(cycle: Cycle, voter: Pass | None) -> dict[int, PublicVote]:
    """The voter's own current vote per category id (with its nomination): all they see."""
    if voter is None:
        return {}
    votes = await PublicVote.filter(
        voter_id=voter.voter_id, category__cycle_id=cycle.id
    ).select_related("nomination")
    return {v.category_id: v for v in votes}  # type: ignore[attr-defined]


async def counts(cycle: Cycle, category: Category) -> dict[int, int]:
    """The non-voided public votes per finalist's nomination id, once voting has closed; an
    empty dict before: counts are never revealed while the vote is open, to anyone."""
    closes = cycle.voting_closes
    if closes is None or now() < closes:
        return {}
    return await fraud.counted_votes(category)
