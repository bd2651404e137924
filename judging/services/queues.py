"""A judge's queue: the assigned entries of started rounds, conflicted ones left out, in an
order of the judge's own."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from accounts.models import Someone
from core import sql, tortoise_adapter
from judging.enums import JudgeState, RoundState, SheetState
from judging.models import Entry, Round, effective_state
from judging.services.markers import Markers, markers_of
from judging.sources import ScopeTitles, scopes_of, sources

QUEUE_ORDERS_KEPT = 65536


@lru_cache(maxsize=QUEUE_ORDERS_KEPT)
def queue_order(judge_id: int, round_id: int, entry_id: int) -> str:
    """A judge's own random order of a round's entries, the same on every visit (a hash:
    kept once made, per process, as every visit of the queue asks it again)."""
    return hashlib.blake2b(f"{judge_id}:{round_id}:{entry_id}".encode(), digest_size=8).hexdigest()


@dataclass(slots=True)
class QueueEntry:
    """What the queue shows of an entry (a row, not an Entry)."""

    id: int
    source_id: int
    title_ar: str
    title_en: str
    team_label: str


@dataclass(slots=True)
class QueueItem:
    entry: QueueEntry
    sheet_state: str  # "" (not started), "draft" or "submitted"


@dataclass(slots=True)
class QueueRoundInfo:
    """What the queue shows of a round (a row, not a Round)."""

    id: int
    scope_type: str
    scope_id: int
    name_ar: str
    name_en: str
    state: str
    ends_at: dt.datetime | None
    blind: bool

    def effective_state(self, at: dt.datetime) -> RoundState:
        return effective_state(self.state, self.ends_at, at)


@dataclass(slots=True)
class QueueRound:
    round: QueueRoundInfo
    judge_id: int
    items: list[QueueItem] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.sheet_state == SheetState.SUBMITTED)

    def sort(self) -> None:
        self.items.sort(key=lambda i: queue_order(self.judge_id, self.round.id, i.entry.id))


@dataclass(slots=True)
class JudgeQueue:
    rounds: list[QueueRound]  # by deadline (none last), then by round
    seats: list[tuple[str, int]]  # the scopes of the user's accepted seats, in seat order
    # the titles and time zones of the seats' scopes, from the sources that name their table
    # (sources.ScopeTitles); a scope of another source, or gone, is not here
    scopes: dict[tuple[str, int], QueueScope] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class QueueScope:
    """What the queue shows of an event or award cycle."""

    title_ar: str
    title_en: str
    time_zone: str


# A judge's queue is every judge's page: everything it needs is read by one statement written
# here (core/sql.py), as plain rows (tuples, by the positions below), not model instances. Its
# three parts (`part`) are the user's assignments in started rounds with each entry and sheet,
# their accepted seats, and their active conflicts; the columns one part has no use for are
# NULL. A seat's row also holds the title and time zone of its scope (in `title_ar`,
# `title_en` and `value`), from the table its entry source names (sources.ScopeTitles), when it
# names one. (The assignments come first: PostgreSQL types each column of a UNION from its
# first two parts, and two NULLs would make text of the round's and the entry's numbers.) The
# entry's people come last: only a conflict reads them (SHOWN: the columns before them).
ASSIGNMENT, SEAT, CONFLICT = 0, 1, 2
(
    PART, JUDGE, SCOPE_TYPE_, SCOPE_ID, KIND, VALUE, ROUND, NAME_AR, NAME_EN, STATE, ENDS_AT,
    BLIND, ENTRY, SOURCE, TITLE_AR, TITLE_EN, TEAM_KEY, TEAM_LABEL, SHEET_STATE, MEMBERS,
    ORGANIZATIONS,
) = range(21)  # fmt: skip
SHOWN = MEMBERS
_ASSIGNMENTS = f"""
    SELECT {ASSIGNMENT} AS part, a.judge_id AS judge_id, r.scope_type AS scope_type,
           r.scope_id AS scope_id, NULL AS kind, NULL AS value, r.id AS round_id,
           r.name_ar AS name_ar, r.name_en AS name_en, r.state AS state, r.ends_at AS ends_at,
           r.blind AS blind, e.id AS entry_id, e.source_id AS source_id, e.title_ar AS title_ar,
           e.title_en AS title_en, e.team_key AS team_key, e.team_label AS team_label,
           s.state AS sheet_state, e.members AS members, e.organizations AS organizations
    FROM judging_assignment a JOIN judging_judge j ON j.id = a.judge_id
      JOIN judging_round r ON r.id = a.round_id
      JOIN judging_entry e ON e.id = a.entry_id
      LEFT JOIN judging_score_sheet s ON s.assignment_id = a.id
    WHERE j.user_id = ? AND j.state = ? AND r.state <> ?"""  # noqa: S608 - constants only
_CONFLICTS = f"""
    SELECT {CONFLICT}, c.judge_id, c.scope_type, c.scope_id, c.kind, c.value, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM judging_conflict c JOIN judging_judge j ON j.id = c.judge_id
    WHERE j.user_id = ? AND j.state = ? AND c.active"""  # noqa: S608 - constants only
SCOPE_TYPE = re.compile(r"[a-z_]{1,20}")


@lru_cache(maxsize=16)
def queue_statement(scope_tables: tuple[ScopeTitles, ...] = ()) -> sql.Statement:
    """The queue's statement, its seats joined to the scopes' tables the sources name (one
    statement per registered set of sources): a scope's title comes with its seat."""
    joins, title_ar, title_en, time_zone = [], [], [], []
    for number, table in enumerate(scope_tables):
        if not SCOPE_TYPE.fullmatch(table.scope_type):  # put into the text: a name, never a value
            raise ValueError(f"not a scope type: {table.scope_type!r}")
        joins.append(
            f"LEFT JOIN ({table.select}) t{number}"
            f" ON j.scope_type = '{table.scope_type}' AND t{number}.id = j.scope_id"
        )
        title_ar.append(f"t{number}.title_ar")
        title_en.append(f"t{number}.title_en")
        time_zone.append(f"t{number}.time_zone")

    def first(columns: list[str]) -> str:
        if not columns:
            return "NULL"
        return columns[0] if len(columns) == 1 else f"COALESCE({', '.join(columns)})"

    seats = f"""
    SELECT {SEAT}, j.id, j.scope_type, j.scope_id, NULL, {first(time_zone)}, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, {first(title_ar)}, {first(title_en)}, NULL, NULL, NULL,
           NULL, NULL
    FROM judging_judge j {" ".join(joins)}
    WHERE j.user_id = ? AND j.state = ?"""  # noqa: S608 - the sources' own text, names checked
    return sql.Statement("\n    UNION ALL".join((_ASSIGNMENTS, seats, _CONFLICTS)))


QUEUE = queue_statement()
Row = tuple[Any, ...]


async def _read(user: Someone, scope_tables: tuple[ScopeTitles, ...]) -> list[Row]:
    accepted = JudgeState.ACCEPTED.value
    return await sql.tuples(
        queue_statement(scope_tables),
        [user.id, accepted, RoundState.DRAFT.value, *(user.id, accepted) * 2],
    )


async def read_queue(user: Someone, scope_tables: tuple[ScopeTitles, ...] = ()) -> JudgeQueue:
    """The user's assigned entries per round (started rounds only), conflicted ones left out,
    each round in the judge's own random order, the scopes of their accepted seats (by seat),
    and the titles of these scopes from the tables named (sources.Sources.scope_tables). One
    statement whatever the queue's length."""
    return _queue(await _read(user, scope_tables))


def _queue(found: list[Row]) -> JudgeQueue:
    """The queue made from its statement's rows."""
    seats = [(row[JUDGE], row[SCOPE_TYPE_], row[SCOPE_ID]) for row in found if row[PART] == SEAT]
    scopes = _titled(found)
    left_out = _left_out(found)
    rounds: dict[int, QueueRound] = {}
    for row in found:
        if row[PART] != ASSIGNMENT or (left_out and (row[JUDGE], row[ENTRY]) in left_out):
            continue
        round_id = row[ROUND]
        queue = rounds.get(round_id)
        if queue is None:
            queue = rounds[round_id] = QueueRound(_round(row), row[JUDGE])
        entry = QueueEntry(row[ENTRY], row[SOURCE], row[TITLE_AR], row[TITLE_EN], row[TEAM_LABEL])
        queue.items.append(QueueItem(entry, row[SHEET_STATE] or ""))
    for queue in rounds.values():
        queue.sort()
    ordered = sorted(
        rounds.values(), key=lambda q: (q.round.ends_at is None, q.round.ends_at, q.round.id)
    )
    return JudgeQueue(
        ordered, [(scope_type, scope_id) for _id, scope_type, scope_id in sorted(seats)], scopes
    )


def _titled(found: list[Row]) -> dict[tuple[str, int], QueueScope]:
    """The titles of the seats' scopes the rows hold: those whose source names its table
    (sources.ScopeTitles), when the scope is there."""
    return {
        (row[SCOPE_TYPE_], row[SCOPE_ID]): QueueScope(row[TITLE_AR], row[TITLE_EN], row[VALUE])
        for row in found
        if row[PART] == SEAT and row[VALUE] is not None
    }


def _left_out(found: list[Row]) -> frozenset[tuple[int, int]]:
    """The (judge, entry) pairs an active conflict of that judge in the entry's scope names
    (markers.active_conflicts against the entry's markers); none without a conflict."""
    conflicts: dict[tuple[str, int, int], Markers] = defaultdict(set)
    for row in found:
        if row[PART] == CONFLICT:
            key = (row[SCOPE_TYPE_], row[SCOPE_ID], row[JUDGE])
            conflicts[key].add((str(row[KIND]), row[VALUE]))
    if not conflicts:
        return frozenset()
    return frozenset(
        (row[JUDGE], row[ENTRY])
        for row in found
        if row[PART] == ASSIGNMENT
        and (named := conflicts.get((row[SCOPE_TYPE_], row[SCOPE_ID], row[JUDGE])))
        and named & _markers(row)
    )


@dataclass(slots=True)
class JudgePage:
    """The judge's queue page as read: its statement's rows, and the titles of the scopes no
    source table gave (read from their sources)."""

    rows: list[Row]
    more_scopes: dict[tuple[str, int], QueueScope]

    def queue(self) -> JudgeQueue:
        """The queue the rows make (read_queue), with every scope's titles."""
        made = _queue(self.rows)
        made.scopes.update(self.more_scopes)
        return made

    def key(self, at: dt.datetime) -> tuple[Any, ...]:
        """Everything the page shows is made from: the rows as read (the people's JSON only
        decides which entries a conflict leaves out, and those are named instead), whether
        each round is open at `at`, and the scopes read from their sources. Two reads with
        the same key show the same page."""
        rounds: dict[int, bool] = {}
        for row in self.rows:
            if row[PART] == ASSIGNMENT and row[ROUND] not in rounds:
                rounds[row[ROUND]] = _round(row).effective_state(at) == RoundState.OPEN
        return (
            tuple(row[:SHOWN] for row in self.rows),
            tuple(rounds.items()),
            _left_out(self.rows),
            tuple(sorted(self.more_scopes.items())),
        )


async def judge_page(user: Someone, time_zone: str) -> JudgePage:
    """The judge's queue page: read_queue's rows, and the titles of every scope they name
    that the tables the sources name (sources.ScopeTitles) did not give, from their sources."""
    found = await _read(user, sources.scope_tables())
    keys = {(row[SCOPE_TYPE_], row[SCOPE_ID]) for row in found if row[PART] != CONFLICT}
    missing = keys - _titled(found).keys()
    return JudgePage(found, await scopes_shown(missing, time_zone) if missing else {})


async def scopes_shown(
    keys: set[tuple[str, int]], time_zone: str
) -> dict[tuple[str, int], QueueScope]:
    """Each scope's titles and time zone, one statement per kind of scope (an event, an
    award cycle) through its source; one its domain no longer knows gets bare ones, in
    `time_zone`."""
    wanted: dict[str, list[int]] = {}
    for scope_type, scope_id in keys:
        wanted.setdefault(scope_type, []).append(scope_id)
    found = {}
    for scope_type, ids in wanted.items():
        source = sources.get(scope_type)
        known = await scopes_of(source, ids) if source else {}
        for scope_id in ids:
            info = known.get(scope_id)
            found[(scope_type, scope_id)] = (
                QueueScope(info.title_ar, info.title_en, info.time_zone)
                if info is not None
                else QueueScope("", "", time_zone)
            )
    return found


async def judge_queue(user: Someone) -> list[QueueRound]:
    """The user's queue, per round (read_queue)."""
    return (await read_queue(user)).rounds


def _round(row: Row) -> QueueRoundInfo:
    ends_at = row[ENDS_AT]
    if ends_at is not None:
        if isinstance(ends_at, str):  # SQLite's ISO 8601 text, read in C (as sql.hydrate does)
            ends_at = dt.datetime.fromisoformat(ends_at)
        if ends_at.tzinfo is None:  # as the ORM reads a naive one (Tortoise writes aware)
            ends_at = _ends_at(ends_at)
    return QueueRoundInfo(
        row[ROUND],
        row[SCOPE_TYPE_],
        row[SCOPE_ID],
        row[NAME_AR],
        row[NAME_EN],
        row[STATE],
        ends_at,
        bool(row[BLIND]),
    )


def _ends_at(value: dt.datetime) -> dt.datetime:
    return tortoise_adapter.reader(Round, "ends_at")(value)


def _markers(row: Row) -> Markers:
    """entry_markers of the entry in the row (its people's JSON read only here)."""
    return markers_of(
        row[SOURCE],
        row[TEAM_KEY],
        tortoise_adapter.reader(Entry, "members")(row[MEMBERS]),
        tortoise_adapter.reader(Entry, "organizations")(row[ORGANIZATIONS]),
    )
