"""The jury's final vote: each category's declared counting rules (the organizer sets them until
the cycle's `voting_opens`, then they are locked) and the jurors' ranked ballots over the
category's shortlist (cast and changed while the vote is open, `voting_opens` to
`voting_closes`; the last version counts).

Who is a juror of a category: an accepted judge of the cycle (judging's `Judge`, scope
"award_cycle") seated for that category (its group key) or for every category (group "").

A juror conflicted with a finalist neither sees nor ranks it: the conflict is any active
judging `Conflict` of the juror's seat that names the finalist's judging entry (the entry
itself, the nominee as a team, an organization or e-mail domain of its people), read with
judging's own markers (judging.services.markers), as for assignments.

Nothing here reveals standings: the organizer reads only how many jurors cast a ballot. The
counting reads the ballots through `ballots_for_count` and `config_for` (awards.tabulation).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from accounts.enums import ScopeType
from accounts.models import Someone
from awards.enums import Visibility
from awards.models import Category, Cycle, JuryBallot, ShortlistedNomination, of_cycle
from awards.services.common import PhaseClosed, scope, when
from awards.services.entry_source import SOURCE, group_key
from awards.tabulation import (
    TIE_CHAIN,
    Ballot,
    BallotError,
    CategoryConfig,
    Fallback,
    Method,
    check_ballot,
)
from core import audit, sql
from core.clock import now
from core.errors import Conflict, Invalid, NotFound
from core.i18n import gettext as _
from judging.enums import ConflictKind, JudgeState
from judging.models import Entry, Judge
from judging.services.markers import Markers, active_conflicts, entry_markers

METHODS = (Method.IRV, Method.BORDA, Method.MODIFIED_BORDA, Method.DOWDALL)
FALLBACKS = (Fallback.PUBLIC_ONLY, Fallback.NO_AWARD)
WEIGHT_STEP = 5  # the jury weight w is set in steps of 5 %
QUORUM_MAX = 500
RANK_FIELD = "rank-"  # the ballot form's fields: rank-<nomination id> = rank number or ""
__all__ = [
    "FALLBACKS",
    "METHODS",
    "TIE_CHAIN",
    "BallotView",
    "CategoryTurnout",
    "Rules",
    "ballot_view",
    "ballots_for_count",
    "cast_ballot",
    "config_for",
    "finalist_ids",
    "juror_categories",
    "jury_cycles",
    "lock_message",
    "locked",
    "parse_ranking",
    "set_rules",
    "turnout",
    "window_message",
]


# --- the declared rules ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """A category's declared rules for the final vote (its fields on `Category`)."""

    method: Method
    partial: bool
    weight_percent: int
    quorum: int
    fallback: Fallback
    public_vote: bool

    @classmethod
    def of(cls, category: Category) -> Rules:
        return cls(
            method=Method(category.jury_method),
            partial=category.partial_ballots,
            weight_percent=category.jury_weight_percent,
            quorum=category.quorum,
            fallback=Fallback(category.quorum_fallback),
            public_vote=category.public_vote,
        )

    def as_fields(self) -> dict[str, object]:
        return {
            "jury_method": self.method,
            "partial_ballots": self.partial,
            "jury_weight_percent": self.weight_percent,
            "quorum": self.quorum,
            "quorum_fallback": self.fallback,
            "public_vote": self.public_vote,
        }

    def as_audit(self) -> dict[str, object]:
        """The fields as the audit log keeps them (enums by their value)."""
        return {k: getattr(v, "value", v) for k, v in self.as_fields().items()}


def locked(cycle: Cycle, moment: dt.datetime | None = None) -> bool:
    """Whether the declared rules are locked: from the moment voting opens."""
    return cycle.voting_opens is not None and (moment or now()) >= cycle.voting_opens


def lock_message(cycle: Cycle) -> str:
    return _(
        "The final vote opened on %(when)s: its declared rules are locked and can no longer "
        "change.",
        when=when(cycle, cycle.voting_opens) if cycle.voting_opens else "",
    )


def _check_rules(rules: Rules) -> None:
    errors: dict[str, str] = {}
    if rules.method not in METHODS:
        errors["method"] = _("Choose one of the options.")
    if rules.fallback not in FALLBACKS:
        errors["fallback"] = _("Choose one of the options.")
    if not 0 <= rules.weight_percent <= 100 or rules.weight_percent % WEIGHT_STEP:
        errors["weight"] = _("Choose a jury weight from 0 to 100 percent, in steps of 5.")
    if not 1 <= rules.quorum <= QUORUM_MAX:
        errors["quorum"] = _("The quorum is a whole number from 1 to %(max)s.", max=QUORUM_MAX)
    if errors:
        raise Invalid(errors)


async def set_rules(actor: Someone, cycle: Cycle, category: Category, rules: Rules) -> Category:
    """Declare a category's rules for the final vote. Refused (PhaseClosed, nothing changed)
    once voting has opened; audited with what changed."""
    _check_rules(rules)
    async with in_transaction():
        fresh = await Cycle.get(id=cycle.id)  # the timeline as it is now, not as the page read it
        if locked(fresh):
            raise PhaseClosed(lock_message(fresh))
        row = await of_cycle(Category, fresh).select_for_update().get_or_none(id=category.id)
        if row is None:
            raise NotFound(_("This category does not exist."))
        before, after = audit.changes(Rules.of(row).as_audit(), rules.as_audit())
        if not after:
            return row
        for name, value in rules.as_fields().items():
            setattr(row, name, value)
        await row.save(update_fields=list(rules.as_fields()))
        await audit.record(
            actor, "awards.vote_rules", row, scope=scope(fresh), before=before, after=after
        )
    return row


# --- jurors, finalists, conflicts ------------------------------------------------------------


def _seated(judge: Judge, category: Category) -> bool:
    return judge.group_key in ("", group_key(category))


async def _seats(cycle: Cycle, user: Someone | None = None) -> list[Judge]:
    """The cycle's accepted judges with an account (one user's, when given)."""
    query = Judge.filter(
        scope_type=scope(cycle)[0],
        scope_id=cycle.id,
        state=JudgeState.ACCEPTED,
        user_id__isnull=False,
    )
    if user is not None:
        query = query.filter(user_id=user.id)
    return list(await query.order_by("id"))


async def _shortlists(categories: Sequence[Category]) -> dict[int, list[ShortlistedNomination]]:
    found: dict[int, list[ShortlistedNomination]] = defaultdict(list)
    if categories:
        for row in (
            await ShortlistedNomination.filter(category_id__in=[c.id for c in categories])
            .select_related("nomination")
            .order_by("rank", "id")
        ):
            found[row.category_id].append(row)  # type: ignore[attr-defined]
    return found


async def finalist_ids(category: Category) -> list[str]:
    """The category's finalists as the count names them: str(nomination id), shortlist order."""
    rows = await ShortlistedNomination.filter(category_id=category.id).order_by("rank", "id")
    return [str(r.nomination_id) for r in rows]  # type: ignore[attr-defined]


async def _nomination_markers(cycle_id: int, nomination_ids: Iterable[int]) -> dict[int, Markers]:
    """What a conflict can name about each nomination: its judging entries' markers (the entry,
    the nominee as a team, the organizations and e-mail domains of its people)."""
    ids = list(nomination_ids)
    found: dict[int, Markers] = {
        n: {(ConflictKind.ENTRY.value, str(n)), (ConflictKind.TEAM.value, f"nominee:{n}")}
        for n in ids
    }
    if ids:
        for entry in await Entry.filter(
            source=SOURCE,
            source_id__in=ids,
            round__scope_type=scope(cycle_id)[0],
            round__scope_id=cycle_id,
        ):
            found[entry.source_id] |= entry_markers(entry)
    return found


async def _conflicts_by_user(
    cycle_id: int, user_ids: Iterable[int], nomination_ids: Iterable[int]
) -> dict[int, set[int]]:
    """Per user, the nominations one of their seats' active conflicts names."""
    wanted = list(user_ids)
    if not wanted:
        return {}
    seats = await Judge.filter(
        scope_type=scope(cycle_id)[0], scope_id=cycle_id, user_id__in=wanted
    ).values_list("id", "user_id")
    active = await active_conflicts(scope(cycle_id)[0], cycle_id)
    named: dict[int, Markers] = defaultdict(set)
    for judge_id, user_id in seats:
        named[user_id] |= active.get(judge_id, set())
    markers = await _nomination_markers(cycle_id, nomination_ids)
    return {
        user_id: {n for n, marks in markers.items() if named.get(user_id, set()) & marks}
        for user_id in wanted
    }


async def juror_categories(user: Someone, cycle: Cycle) -> list[Category]:
    """The categories with a shortlist (finalists) that this user is a juror of, in the
    cycle's order."""
    seats = await _seats(cycle, user)
    if not seats:
        return []
    listed = set(
        await ShortlistedNomination.filter(category__cycle_id=cycle.id).values_list(
            "category_id", flat=True
        )
    )
    categories = list(await of_cycle(Category, cycle).order_by("position", "id"))
    return [c for c in categories if c.id in listed and any(_seated(j, c) for j in seats)]


# The cycles of "my nominations" whose final vote this person sits on: read on every visit of
# that page, so written once (core/sql.py) as one statement, as juror_categories decides a
# seat: an accepted judge of the cycle, of every category ("" group) or of this one, in a
# category with a shortlist.
JURY_CYCLE_WHERE = """
    y.visibility = ? AND y.voting_opens <= ? AND y.voting_closes > ? AND EXISTS (
      SELECT 1 FROM judging_judge j JOIN awards_category k ON k.cycle_id = j.scope_id
      WHERE j.scope_type = ? AND j.scope_id = y.id AND j.user_id = ? AND j.state = ?
        AND (j.group_key = ? OR j.group_key = CAST(k.id AS VARCHAR(20)))
        AND EXISTS (SELECT 1 FROM awards_shortlisted_nomination l WHERE l.category_id = k.id))"""
"""Which cycles `y` (awards_cycle) this person sits on the final vote of, now: its values are
jury_params(user); "my nominations" reads them in its own statement (awards.services.mine)."""
JURY_CYCLES = sql.Statement(
    "SELECT y.id, y.slug, y.name_ar, y.name_en FROM awards_cycle y"  # noqa: S608 - constants
    f" WHERE {JURY_CYCLE_WHERE} ORDER BY y.voting_opens DESC, y.id"
)


def jury_params(user: Someone) -> list[Any]:
    """The values of JURY_CYCLE_WHERE for this person, now."""
    moment = sql.db_values(Cycle, {"voting_opens": now()})[0]
    return [
        Visibility.PUBLISHED.value,
        moment,
        moment,
        ScopeType.AWARD_CYCLE.value,
        user.id,
        JudgeState.ACCEPTED.value,
        "",
    ]


@dataclass(frozen=True, slots=True)
class JuryCycle:
    """A cycle whose final vote is open to this juror, as their own pages link to it."""

    id: int
    slug: str
    name_ar: str
    name_en: str


async def jury_cycles(user: Someone) -> list[JuryCycle]:
    """The published cycles whose final vote is open and in which this user is a juror of a
    category with a shortlist (for the user's own pages): one statement."""
    found = await sql.rows(JURY_CYCLES, jury_params(user))
    return [JuryCycle(r["id"], r["slug"], r["name_ar"], r["name_en"]) for r in found]


# --- the juror's ballot ----------------------------------------------------------------------


@dataclass
class BallotView:
    """What a juror sees of their ballot: the finalists they may rank (those they are
    conflicted with are left out), their saved ballot, and whether the vote is open."""

    cycle: Cycle
    category: Category
    finalists: list[ShortlistedNomination]
    left_out: int  # finalists hidden because of the juror's conflicts
    ballot: JuryBallot | None
    ranks: dict[int, int] = field(default_factory=dict)  # nomination id -> saved rank
    state: str = "open"  # "upcoming", "open" or "closed"

    @property
    def ranked(self) -> list[ShortlistedNomination]:
        """The saved ballot's finalists in the juror's order."""
        by_id = {row.nomination_id: row for row in self.finalists}  # type: ignore[attr-defined]
        return [by_id[n] for n in sorted(self.ranks, key=self.ranks.__getitem__) if n in by_id]


def _window_state(cycle: Cycle, moment: dt.datetime) -> str:
    if cycle.voting_opens is None or moment < cycle.voting_opens:
        return "upcoming"
    if cycle.voting_closes is not None and moment >= cycle.voting_closes:
        return "closed"
    return "open"


def _window_message(cycle: Cycle, state: str) -> str:
    if state == "upcoming":
        if cycle.voting_opens is None:
            return _("The final vote has no opening date yet.")
        return _("The final vote opens on %(when)s.", when=when(cycle, cycle.voting_opens))
    assert cycle.voting_closes is not None  # noqa: S101 - "closed" needs a closing date
    return _(
        "The final vote closed on %(when)s: ballots can no longer change.",
        when=when(cycle, cycle.voting_closes),
    )


async def _juror_or_404(user: Someone, cycle: Cycle, category: Category) -> None:
    if not any(_seated(j, category) for j in await _seats(cycle, user)) or not (
        await ShortlistedNomination.filter(category_id=category.id).exists()
    ):
        raise NotFound(_("This page does not exist or is not available to you."))


async def ballot_view(user: Someone, cycle: Cycle, category: Category) -> BallotView:
    """The juror's ballot page (NotFound for anyone who is not a juror of the category)."""
    await _juror_or_404(user, cycle, category)
    rows = (await _shortlists([category]))[category.id]
    ids = [r.nomination_id for r in rows]  # type: ignore[attr-defined]
    conflicted = (await _conflicts_by_user(cycle.id, [user.id], ids))[user.id]
    visible = [r for r in rows if r.nomination_id not in conflicted]  # type: ignore[attr-defined]
    ballot = await JuryBallot.get_or_none(category_id=category.id, juror_id=user.id)
    ranks = {int(n): i for i, n in enumerate(ballot.ranking, 1)} if ballot else {}
    return BallotView(
        cycle=cycle,
        category=category,
        finalists=visible,
        left_out=len(rows) - len(visible),
        ballot=ballot,
        ranks=ranks,
        state=_window_state(cycle, now()),
    )


def window_message(view: BallotView) -> str:
    """Why the ballot cannot be cast now ("" while the vote is open)."""
    return "" if view.state == "open" else _window_message(view.cycle, view.state)


def parse_ranking(items: Iterable[tuple[str, object]]) -> list[int]:
    """The ranking a ballot form sends: fields ``rank-<nomination id>`` holding a rank number
    (or "" for not ranked), read in rank order. Raises Invalid (the field "ranking") for a
    finalist named twice, a rank that is not a number, two finalists with one rank, or a gap."""
    ranks: dict[int, int] = {}
    for name, value in items:
        if not name.startswith(RANK_FIELD):
            continue
        text = value.strip() if isinstance(value, str) else ""
        key = name[len(RANK_FIELD) :]
        if not key.isdigit() or not key.isascii():
            raise Invalid({"ranking": _("The ballot names a nomination that is not a finalist.")})
        nomination = int(key)
        if nomination in ranks:
            raise Invalid({"ranking": _("A finalist appears more than once on the ballot.")})
        if not text:
            ranks[nomination] = 0
            continue
        if not text.isdigit() or not text.isascii() or int(text) < 1:
            raise Invalid({"ranking": _("Choose each rank from the list.")})
        ranks[nomination] = int(text)
    chosen = sorted(r for r in ranks.values() if r)
    if len(chosen) != len(set(chosen)):
        raise Invalid(
            {"ranking": _("Two finalists have the same rank: give each rank to one finalist.")}
        )
    if chosen != list(range(1, len(chosen) + 1)):
        raise Invalid({"ranking": _("Number the ranks 1, 2, 3 … without a gap.")})
    return [n for n, r in sorted(ranks.items(), key=lambda item: item[1]) if r]


def _check(
    ranking: Sequence[int], finalists: Sequence[int], conflicts: set[int], partial: bool
) -> None:
    """The juror's ranking against the shortlist, with messages in the juror's language; then
    the count's own check (awards.tabulation.check_ballot) as the last word."""
    known = set(finalists)
    if len(set(ranking)) != len(ranking):
        raise Invalid({"ranking": _("A finalist appears more than once on the ballot.")})
    if any(n not in known for n in ranking):
        raise Invalid({"ranking": _("The ballot names a nomination that is not a finalist.")})
    if any(n in conflicts for n in ranking):
        raise Invalid(
            {"ranking": _("You cannot rank a finalist you have a conflict of interest with.")}
        )
    if not ranking:
        raise Invalid({"ranking": _("Rank at least one finalist.")})
    if not partial and len(ranking) != len(known - conflicts):
        raise Invalid({"ranking": _("This category asks you to rank every finalist.")})
    try:
        check_ballot(
            Ballot("juror", tuple(map(str, ranking)), frozenset(map(str, conflicts))),
            [str(n) for n in finalists],
            partial=partial,
        )
    except BallotError as exc:  # pragma: no cover - the checks above refuse the same first
        raise Invalid({"ranking": _("This ballot cannot be counted.")}) from exc


async def cast_ballot(
    user: Someone, cycle: Cycle, category: Category, ranking: Sequence[int]
) -> JuryBallot:
    """Save the juror's ballot (a new one, or the next version of theirs) while the vote is
    open. Refused, with nothing changed: outside the window (PhaseClosed), by anyone who is not
    a juror of the category (NotFound), or a ranking that names a non-finalist, a finalist twice
    or one the juror is conflicted with, or (when the category wants a full ranking) leaves one
    out (Invalid). Two saves at the same moment leave one ballot; the later one counts. The
    audit records the version, never the ranking."""
    await _juror_or_404(user, cycle, category)
    state = _window_state(cycle, now())
    if state != "open":
        raise PhaseClosed(_window_message(cycle, state))
    finalists = [int(n) for n in await finalist_ids(category)]
    conflicts = (await _conflicts_by_user(cycle.id, [user.id], finalists))[user.id]
    _check(list(ranking), finalists, conflicts, category.partial_ballots)
    stored = [int(n) for n in ranking]
    for attempt in (1, 2):
        try:
            return await _store(user, cycle, category, stored)
        except IntegrityError as exc:  # the first ballot saved twice at the same moment
            if attempt == 2:
                raise Conflict(
                    _("Your ballot was saved twice at the same moment. Try again.")
                ) from exc
    raise AssertionError("unreachable")  # pragma: no cover


async def _store(user: Someone, cycle: Cycle, category: Category, ranking: list[int]) -> JuryBallot:
    moment = now()
    async with in_transaction():
        changed = await JuryBallot.filter(category_id=category.id, juror_id=user.id).update(
            ranking=ranking, version=F("version") + 1, updated_at=moment
        )
        if not changed:
            await JuryBallot.create(
                category=category,
                juror_id=user.id,
                ranking=ranking,
                version=1,
                cast_at=moment,
                updated_at=moment,
            )
        ballot = await JuryBallot.get(category_id=category.id, juror_id=user.id)
        await audit.record(
            user,
            "awards.jury_ballot",
            ballot,
            scope=scope(cycle),
            after={"category": category.id, "version": ballot.version},
        )
    return ballot


# --- turnout for the organizer (no standings) ------------------------------------------------


@dataclass(frozen=True)
class CategoryTurnout:
    """How many of a category's jurors have cast a ballot, and nothing about what they chose."""

    category: Category
    finalists: int
    seats: int
    cast: int


async def turnout(cycle: Cycle) -> list[CategoryTurnout]:
    categories = list(await of_cycle(Category, cycle).order_by("position", "id"))
    seats = await _seats(cycle)
    listed = await _shortlists(categories)
    cast: dict[int, set[int]] = defaultdict(set)
    if categories:
        for category_id, juror_id in await JuryBallot.filter(
            category_id__in=[c.id for c in categories]
        ).values_list("category_id", "juror_id"):
            cast[category_id].add(juror_id)
    found = []
    for category in categories:
        jurors = {j.user_id for j in seats if _seated(j, category)}  # type: ignore[attr-defined]
        found.append(
            CategoryTurnout(
                category, len(listed[category.id]), len(jurors), len(cast[category.id] & jurors)
            )
        )
    return found


# --- what the count reads --------------------------------------------------------------------


async def ballots_for_count(category: Category) -> list[Ballot]:
    """The category's jury ballots as the count reads them (awards.tabulation.Ballot), sorted by
    juror: `juror` is the juror's user id as text (stable; the results pseudonymize it),
    `ranking` the nomination ids (as text) from first preference down, `conflicts` the
    finalists (nomination ids as text) the juror is conflicted with.

    Only the ballots of jurors still seated for the category count (a judge withdrawn from the
    jury, or moved to another category, no longer votes here). A ballot is read against the
    shortlist and the conflicts as they are at counting time: a finalist the juror became
    conflicted with after casting, or one no longer on the shortlist, is left out of the
    ranking (the rest keeps its order), so every returned ballot passes
    `awards.tabulation.check_ballot`; a ballot left with nothing ranked is still returned
    (empty) and the count treats it as exhausted."""
    cycle = await Cycle.get(id=category.cycle_id)  # type: ignore[attr-defined]
    finalists = [int(n) for n in await finalist_ids(category)]
    known = set(finalists)
    jurors = {j.user_id for j in await _seats(cycle) if _seated(j, category)}  # type: ignore[attr-defined]
    rows = [
        row
        for row in await JuryBallot.filter(category_id=category.id).order_by("juror_id")
        if row.juror_id in jurors  # type: ignore[attr-defined]
    ]
    conflicts = await _conflicts_by_user(
        cycle.id,
        [row.juror_id for row in rows],  # type: ignore[attr-defined]
        finalists,
    )
    found = []
    for row in rows:
        mine = conflicts.get(row.juror_id, set())  # type: ignore[attr-defined]
        ranking = tuple(
            str(n) for n in dict.fromkeys(int(n) for n in row.ranking) if n in known - mine
        )
        found.append(
            Ballot(
                juror=str(row.juror_id),  # type: ignore[attr-defined]
                ranking=ranking,
                conflicts=frozenset(str(n) for n in mine),
            )
        )
    return found


def config_for(category: Category, finalists: Sequence[str]) -> CategoryConfig:
    """The category's declared rules as the count reads them: the category key is
    str(category.id), `finalists` the nomination ids as text in shortlist order (see
    `finalist_ids`), the jury weight ``w = percent / 100`` as a Fraction."""
    return CategoryConfig(
        category=str(category.id),
        finalists=tuple(finalists),
        method=Method(category.jury_method),
        jury_weight=Fraction(category.jury_weight_percent, 100),
        public_vote=category.public_vote,
        quorum=category.quorum,
        quorum_fallback=Fallback(category.quorum_fallback),
        partial=category.partial_ballots,
        public_voided=category.public_voided,
        no_award=category.no_award,
    )
