"""What a nominator reads of their own nominations: the list on "my nominations" (drafts they
started, and every nomination crediting them), one nomination with who may do what to it, its
versions, files, rulings and appeal; taking a file off a draft; and who may download a
nomination's files."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from tortoise.transactions import in_transaction

from accounts.enums import Role, ScopeType
from accounts.models import Someone
from awards.enums import CyclePhase, NominationState, Visibility
from awards.models import (
    Appeal,
    Cycle,
    Nomination,
    NominationCredit,
    NominationFile,
    NominationVersion,
    ScreeningRuling,
)
from awards.rules import NominationAccess
from awards.services import voting
from awards.services.common import require_nominations_open
from awards.timeline import Timeline
from awards.timeline import phase as timeline_phase
from core import permissions, sql
from core.clock import now
from core.errors import Conflict, NotFound
from core.i18n import gettext as _
from core.storage import StoredFile, delete_file

FILE_PURPOSE = "awards.nomination"
CYCLE_SCOPE, JUDGE_ROLE = ScopeType.AWARD_CYCLE.value, Role.JUDGE.value


def latest_ruling(nomination: Nomination) -> ScreeningRuling | None:
    """The newest ruling of a nomination whose rulings are loaded."""
    rulings = list(nomination.rulings)
    return max(rulings, key=lambda r: (r.ruled_at, r.id)) if rulings else None


def appeal_of(nomination: Nomination) -> Appeal | None:
    """The nomination's appeal (there is at most one), of a nomination whose appeals are
    loaded."""
    appeals = list(nomination.appeals)
    return appeals[0] if appeals else None


@dataclass(frozen=True)
class MyNomination:
    """A nomination as "my nominations" lists it (cycle and category loaded), with its latest
    ruling (its reason loaded), its appeal and whether it is on a shortlist."""

    nomination: Nomination
    ruling: ScreeningRuling | None
    appeal: Appeal | None
    shortlist: str | None  # as shortlist_status says


def as_listed(nomination: Nomination) -> MyNomination:
    """A nomination loaded with its rulings, appeals and shortlist places (`nomination()`),
    as "my nominations" lists it."""
    return MyNomination(
        nomination, latest_ruling(nomination), appeal_of(nomination), shortlist_status(nomination)
    )


# "My nominations" is every nominator's page, made on each visit: one hand-written statement
# (core/sql.py) reads what its cards show, each nomination with its cycle, category, latest
# ruling and its reason, appeal and shortlist place, as plain values (no model instances).
_LATEST_RULING = """
    SELECT r2.id FROM awards_screening_ruling r2 WHERE r2.nomination_id = n.id
    ORDER BY r2.ruled_at DESC, r2.id DESC LIMIT 1"""
# The first appeal by (filed_at, id): none filed before it (on SQLite an index made for the
# statement, instead of sorting each nomination's appeals)
_FIRST_APPEAL = """
    a.nomination_id = n.id AND NOT EXISTS (
      SELECT 1 FROM awards_appeal b WHERE b.nomination_id = a.nomination_id
        AND (b.filed_at < a.filed_at OR (b.filed_at = a.filed_at AND b.id < a.id)))"""
TIMELINE = tuple(f.name for f in dataclasses.fields(Timeline))
# The rows are read as tuples (core.sql.tuples), by these positions: the part, the columns of
# _COLUMNS in their order, the timeline's among them.
NOMINATION, JURY = 0, 1
(
    PART, ID, STATE, CREATED_BY, FINAL, NOMINEE_AR, NOMINEE_EN, WORK, CYCLE, CATEGORY, SLUG,
    CYCLE_AR, CYCLE_EN, TIME_ZONE, VISIBILITY, SHORTLIST_AT,
) = range(16)  # fmt: skip
DATES = slice(SHORTLIST_AT + 1, SHORTLIST_AT + 1 + len(TIMELINE))
APPEALS_CLOSE = DATES.start + TIMELINE.index("appeals_close")
VOTING_OPENS = DATES.start + TIMELINE.index("voting_opens")
(
    CATEGORY_AR, CATEGORY_EN, RULING, RULING_NOTE, RULED_AT, REASON_AR, REASON_EN, APPEAL,
    APPEAL_NOTE, SHORTLISTED,
) = range(DATES.stop, DATES.stop + 10)  # fmt: skip
_COLUMNS = f"""
      n.id, n.state, n.created_by_id, n.final, n.nominee_name_ar, n.nominee_name_en,
      n.work_title, n.cycle_id, n.category_id, y.slug, y.name_ar AS cycle_name_ar,
      y.name_en AS cycle_name_en, y.time_zone, y.visibility, y.shortlist_published_at,
      {", ".join(f"y.{name}" for name in TIMELINE)},
      k.name_ar AS category_name_ar, k.name_en AS category_name_en,
      r.ruling, r.note AS ruling_note, r.ruled_at, s.label_ar AS reason_ar,
      s.label_en AS reason_en, a.state AS appeal_state, a.decision_note AS appeal_note,
      CASE WHEN n.id IN (SELECT l.nomination_id FROM awards_shortlisted_nomination l)
        THEN 1 ELSE 0 END AS shortlisted"""  # noqa: S608 - constants only
_JOINS = f"""
      JOIN awards_cycle y ON y.id = n.cycle_id
      JOIN awards_category k ON k.id = n.category_id
      LEFT JOIN awards_screening_ruling r ON r.id = ({_LATEST_RULING})
      LEFT JOIN awards_screening_reason s ON s.id = r.reason_id
      LEFT JOIN awards_appeal a ON {_FIRST_APPEAL}"""  # noqa: S608 - constants only


def _mine(part: int) -> str:
    """The reader's nominations (newest first once sorted: the database leaves them unsorted),
    in two parts, each found by an index of its own: those crediting them (a nomination
    merged into another credits its nominators on that one), and the drafts they started (a
    draft credits nobody yet), by their own nominations, not by every draft there is (the
    state is compared as text, so that SQLite does not pick the index of states)."""
    return f"""
    SELECT {part} AS part, {_COLUMNS}
    FROM awards_nomination_credit c JOIN awards_nomination n ON n.id = c.nomination_id {_JOINS}
    WHERE c.user_id = ? AND n.state <> ?
    UNION ALL
    SELECT {part}, {_COLUMNS}
    FROM awards_nomination n {_JOINS}
    WHERE n.created_by_id = ? AND n.state || '' = ? AND NOT EXISTS (
      SELECT 1 FROM awards_nomination_credit d WHERE d.nomination_id = n.id AND d.user_id = ?)"""  # noqa: S608 - constants only


MY_NOMINATIONS = sql.Statement(_mine(NOMINATION))
# "My nominations" as its page reads it: the nominations (part 0) and, in the same statement,
# the cycles whose final vote this person sits on now (part 1: voting.JURY_CYCLE_WHERE), each
# cycle's columns where a nomination's cycle has them and the rest NULL. Not sorted by the
# database (a sort of the two parts together would cost more than the few rows it orders).
MY_PAGE = sql.Statement(
    f"""{_mine(NOMINATION)}
    UNION ALL
    SELECT {JURY}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, y.id, NULL, y.slug, y.name_ar,
      y.name_en, y.time_zone, y.visibility, y.shortlist_published_at,
      {", ".join(f"y.{name}" for name in TIMELINE)},
      NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0
    FROM awards_cycle y WHERE {voting.JURY_CYCLE_WHERE}"""  # noqa: S608 - constants only
)


def _moment(value: Any) -> dt.datetime:
    """A datetime column as the ORM gives it, aware and in UTC: SQLite answers ISO 8601 text
    (read by the standard library, in C), PostgreSQL a datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _maybe_moment(value: Any) -> dt.datetime | None:
    return None if value is None else _moment(value)


@dataclass(slots=True)
class ListedCycle:
    """A cycle as "my nominations" reads it: what its cards show, and what the award's rules
    (awards.rules: awards.view, awards.nomination_edit, awards.appeal) read of a cycle: its
    id, visibility, phase and appeal deadline."""

    id: int
    slug: str
    name_ar: str
    name_en: str
    time_zone: str
    visibility: str
    shortlist_published_at: dt.datetime | None
    appeals_close: dt.datetime
    dates: tuple[Any, ...]  # the timeline's columns as read, in Timeline's order
    timeline: Timeline | None = None  # read from `dates` when first asked

    @property
    def published(self) -> bool:
        return self.visibility == Visibility.PUBLISHED

    def phase(self, moment: dt.datetime) -> CyclePhase:
        """As Cycle.phase (its timeline read only when asked, once: few cards ask, and the
        cards of one cycle share it)."""
        if self.timeline is None:
            dates = (_maybe_moment(value) for value in self.dates)
            self.timeline = Timeline(*dates)  # type: ignore[arg-type]
        return timeline_phase(self.timeline, moment)


@dataclass(slots=True)
class Listed:
    """One nomination on "my nominations", as plain values: what its card shows, and what the
    award's rules read of a nomination (state, final, created_by_id)."""

    id: int
    state: str
    created_by_id: int
    final: bool
    nominee_name_ar: str
    nominee_name_en: str
    work_title: str
    cycle: ListedCycle
    category_id: int
    category_name_ar: str
    category_name_en: str
    ruling: str | None  # the latest ruling (None: not ruled yet)
    ruling_note: str
    ruled_at: dt.datetime | None
    reason_ar: str  # the ruling's reason, in both languages ("" without one)
    reason_en: str
    appeal_state: str | None  # None: not appealed
    appeal_note: str
    shortlist: str | None  # as shortlist_status says

    def access(self, user: Someone) -> NominationAccess:
        """What the award's rules check (the reader is one of its nominators: it is listed
        because it credits them, or because they started the draft). The rules read only
        the attributes named above, which these plain values have."""
        return NominationAccess(
            cast(Cycle, self.cycle), cast(Nomination, self), frozenset({user.id})
        )


async def my_nominations(user: Someone) -> list[Listed]:
    """The drafts `user` started and every nomination crediting them (a nomination merged into
    another shows that one), newest first, with cycle, category, latest ruling, appeal and
    shortlist place: one statement whatever their number."""
    found = sorted(await sql.tuples(MY_NOMINATIONS, _mine_params(user)), key=lambda row: -row[ID])
    return MyPage(tuple(found), found, []).listed


Row = tuple[Any, ...]


@dataclass(slots=True)
class MyPage:
    """What "my nominations" shows: the reader's nominations (as my_nominations lists them)
    and the cycles whose final vote they sit on now (as voting.jury_cycles: the newest vote
    first), with the rows they are made from as read (every value the page shows is one of
    them). A nomination's row becomes a Listed only when asked (`one`, `listed`): the page
    asks the award's rules about a few of them on every request, and shows them all only
    when they changed."""

    rows: tuple[Row, ...]  # every row read, in the order read
    nominations: list[Row]  # the nominations' rows (part NOMINATION), newest first
    juries: list[voting.JuryCycle]
    _cycles: dict[int, ListedCycle] = dataclasses.field(default_factory=dict)

    @property
    def listed(self) -> list[Listed]:
        return [self.one(row) for row in self.nominations]

    def cycle(self, row: Row) -> ListedCycle:
        """The cycle of a nomination's row (one for all its rows)."""
        cycle = self._cycles.get(row[CYCLE])
        if cycle is None:
            cycle = self._cycles[row[CYCLE]] = _cycle(row)
        return cycle

    def one(self, row: Row) -> Listed:
        """A nomination's row as Listed."""
        return _one(row, self.cycle(row))


async def my_page(user: Someone) -> MyPage:
    """What "my nominations" shows (MyPage), in one statement: the juries' part only for a
    reader who is a judge of some award cycle (the rules let only a cycle's judges cast its
    final vote: awards.rules); the nominations alone (MY_NOMINATIONS) for anyone else."""
    if any(kind == CYCLE_SCOPE and role == JUDGE_ROLE for kind, _id, role in user.roles):
        found = await sql.tuples(MY_PAGE, [*_mine_params(user), *voting.jury_params(user)])
    else:
        found = await sql.tuples(MY_NOMINATIONS, _mine_params(user))
    mine = [row for row in found if row[PART] == NOMINATION]
    mine.sort(key=lambda row: -row[ID])
    juries = [row for row in found if row[PART] == JURY]
    juries.sort(key=lambda row: (-_moment(row[VOTING_OPENS]).timestamp(), row[CYCLE]))
    return MyPage(
        tuple(found),
        mine,
        [voting.JuryCycle(row[CYCLE], row[SLUG], row[CYCLE_AR], row[CYCLE_EN]) for row in juries],
    )


def _mine_params(user: Someone) -> list[Any]:
    """The values of _mine's statement."""
    return [user.id, NominationState.MERGED.value, user.id, NominationState.DRAFT.value, user.id]


def _cycle(row: Row) -> ListedCycle:
    return ListedCycle(
        row[CYCLE],
        row[SLUG],
        row[CYCLE_AR],
        row[CYCLE_EN],
        row[TIME_ZONE],
        row[VISIBILITY],
        _maybe_moment(row[SHORTLIST_AT]),
        _moment(row[APPEALS_CLOSE]),
        row[DATES],
    )


def _one(row: Row, cycle: ListedCycle) -> Listed:
    state = row[STATE]
    shortlist = None
    if cycle.shortlist_published_at is not None:
        if row[SHORTLISTED]:
            shortlist = "shortlisted"
        elif state == NominationState.ELIGIBLE:
            shortlist = "not_shortlisted"
    ruled_at = row[RULED_AT]
    return Listed(
        row[ID],
        state,
        row[CREATED_BY],
        bool(row[FINAL]),
        row[NOMINEE_AR],
        row[NOMINEE_EN],
        row[WORK],
        cycle,
        row[CATEGORY],
        row[CATEGORY_AR],
        row[CATEGORY_EN],
        row[RULING],
        row[RULING_NOTE] or "",
        None if ruled_at is None else _moment(ruled_at),
        row[REASON_AR] or "",
        row[REASON_EN] or "",
        row[APPEAL],
        row[APPEAL_NOTE] or "",
        shortlist,
    )


def shortlist_status(nomination: Nomination) -> str | None:
    """ "shortlisted" or "not_shortlisted" once the cycle's shortlist is published (for a
    nomination that was in the race), else None (its `shortlisted` relation fetched)."""
    if nomination.cycle.shortlist_published_at is None:
        return None
    if list(nomination.shortlisted):
        return "shortlisted"
    return "not_shortlisted" if nomination.state == NominationState.ELIGIBLE else None


async def access(nomination: Nomination) -> NominationAccess:
    """A nomination (with its cycle loaded) and every nominator: those credited, and the one
    who started it (a draft has no credit yet)."""
    ids = await NominationCredit.filter(nomination_id=nomination.id).values_list(
        "user_id", flat=True
    )
    return NominationAccess(
        nomination.cycle, nomination, frozenset({*ids, nomination.created_by_id})
    )


async def nomination(nomination_id: int) -> Nomination | None:
    """One nomination with its cycle, category, rulings with reasons, appeal and shortlist
    places (shortlist_status reads them once the cycle's shortlist is published)."""
    return (
        await Nomination.filter(id=nomination_id)
        .select_related("cycle", "category")
        .prefetch_related("rulings__reason", "appeals", "shortlisted")
        .first()
    )


async def versions(nomination: Nomination) -> list[NominationVersion]:
    return list(
        await NominationVersion.filter(nomination_id=nomination.id)
        .order_by("-number")
        .select_related("author")
    )


async def files(nomination: Nomination) -> list[NominationFile]:
    return list(
        await NominationFile.filter(nomination_id=nomination.id)
        .order_by("created_at", "id")
        .select_related("file")
    )


async def credited(nomination: Nomination) -> list[NominationCredit]:
    return list(
        await NominationCredit.filter(nomination_id=nomination.id)
        .order_by("created_at", "id")
        .select_related("user")
    )


async def may_download(user: Any, stored: StoredFile) -> bool:
    """A nomination's file, to its nominators and the cycle's organizers."""
    if user is None:
        return False
    link = await NominationFile.get_or_none(file_id=stored.id).select_related("nomination")
    if link is None:
        return False
    row = link.nomination
    row.cycle = await Cycle.get(id=row.cycle_id)
    return permissions.allowed(user, "awards.nomination_view", await access(row))


async def remove_draft_file(
    directory: Path, user: Someone, nomination: Nomination, link_id: int
) -> None:
    """Take a file off a draft, by the person who started it, until the deadline. A submitted
    nomination keeps its files: each version's fingerprint covers them."""
    async with in_transaction():
        cycle = await Cycle.get(id=nomination.cycle_id)
        require_nominations_open(cycle, now())
        row = await Nomination.select_for_update().get(id=nomination.id)
        if row.created_by_id != user.id:
            raise NotFound(_("This nomination does not exist or is not yours."))
        if row.state != NominationState.DRAFT:
            raise Conflict(
                _("A submitted nomination keeps its files: you can add files, not remove them.")
            )
        link = await NominationFile.get_or_none(id=link_id, nomination_id=row.id).select_related(
            "file"
        )
        if link is None:
            raise NotFound(_("This file does not exist or is not available to you."))
        await link.delete()
        await delete_file(directory, link.file)


FILE_POLICIES = {FILE_PURPOSE: may_download}
