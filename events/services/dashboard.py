"""What the dashboards read: the participant's events, and the organizer's counts, lists,
details and CSV exports. Every list runs a fixed number of queries whatever its length: one
page of rows with its relations joined, then one query per related kind for that page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from tortoise.expressions import Q, Subquery

from accounts.models import NamedPerson, Someone
from core import answers, sql, tortoise_adapter
from core.i18n import get_locale, localized
from core.i18n import gettext as _
from core.pagination import Page, paginate
from core.spreadsheet import to_csv
from events import phases
from events.enums import InvitationState, QuestionScope, SubmissionState, TeamState
from events.labels import SUBMISSION_STATES, TEAM_STATES, label
from events.models import (
    Event,
    Question,
    Registration,
    Submission,
    SubmissionVersion,
    Team,
    TeamInvitation,
    TeamMember,
    Track,
    of_event,
)
from events.services.entry_source import SubmissionSource
from judging.services import feedback

SUBMISSIONS = SubmissionSource.source  # the judging entries made from submissions
PAGE_SIZE = 25
SEARCH_MAX = 100


# --- the participant -----------------------------------------------------------------------


# The dashboard is every signed-in participant's page: its reads are written once here
# (core/sql.py) instead of built by the ORM on each request, and read as plain values (no
# model instance per row): two statements whatever the number of events, teams and people.
# Their few rows are put in order here, not by the statements (a sort in SQLite costs more than
# Python's of a handful of rows), by the same values an ORDER BY would compare.
TIMELINE = phases.MILESTONE_NAMES
TIMELINE_KEYS = tuple(f"e__{name}" for name in TIMELINE)  # their columns, in Timeline's order
# A submitted idea's feedback page is in the scope of the first round that published it
# (judging's subquery, its parameters first): read with the cards rather than by a statement
# of its own. In the order I registered, newest first (BY_REGISTRATION).
MY_CARDS = sql.Statement(
    lambda: (
        f"""
    SELECT e.id AS event_id, e.slug, e.title_ar, e.title_en, e.time_zone,
           {sql.selected(Event, "e", TIMELINE, "e")},
           t.id AS team_id, t.name AS team_name, t.captain_id,
           k.name_ar AS track_name_ar, k.name_en AS track_name_en,
           s.id AS submission_id, {sql.selected(Submission, "s", ("state",), "s")},
           s.title AS submission_title, f.scope_type AS feedback_type,
           f.scope_id AS feedback_id, r.created_at AS registered_at, r.id AS registration_id
    FROM events_registration r JOIN events_event e ON e.id = r.event_id
      LEFT JOIN events_team_member m ON m.event_id = r.event_id AND m.user_id = r.user_id
      LEFT JOIN events_team t ON t.id = m.team_id
      LEFT JOIN events_track k ON k.id = t.track_id
      LEFT JOIN events_submission s ON s.team_id = t.id
      LEFT JOIN judging_round f
        ON s.version_count > 0 AND f.id = {feedback.first_feedback_round("s.id")}
    WHERE r.user_id = ?"""  # noqa: S608
    )
)
BY_REGISTRATION = itemgetter("registered_at", "registration_id")  # reversed: newest first
# The people around my teams, by kind: my teams' members (0, in the order they joined), my
# teams' invitations waiting for an answer (1) and the live invitations addressed to me (2),
# both oldest first in BY_KIND (the dashboard lists them newest first); a column a kind has
# not is NULL. My teams are joined through my own seats (a person sits once in a team).
MY_PEOPLE = sql.Statement(
    """
    SELECT 0 AS kind, m.team_id, m.id, m.user_id, u.name_ar, u.name_en, u.email,
           m.joined_at AS happened, NULL AS token, NULL AS team_name, NULL AS slug,
           NULL AS title_ar, NULL AS title_en
    FROM events_team_member mine JOIN events_team_member m ON m.team_id = mine.team_id
      JOIN accounts_user u ON u.id = m.user_id
    WHERE mine.user_id = ?
    UNION ALL
    SELECT 1, i.team_id, i.id, NULL, NULL, NULL, i.email, i.created_at, NULL, NULL, NULL,
           NULL, NULL
    FROM events_team_member mine JOIN events_team_invitation i ON i.team_id = mine.team_id
    WHERE mine.user_id = ? AND i.state = ?
    UNION ALL
    SELECT 2, i.team_id, i.id, NULL, NULL, NULL, i.email, i.created_at, i.token, t.name,
           e.slug, e.title_ar, e.title_en
    FROM events_team_invitation i JOIN events_team t ON t.id = i.team_id
      JOIN events_event e ON e.id = i.event_id
    WHERE i.email = ? AND i.state = ? AND i.expires_at > ?"""
)
BY_KIND = itemgetter("kind", "happened", "id")


@dataclass(frozen=True)
class Person(NamedPerson):
    """A team member as the dashboard shows them."""

    user_id: int


@dataclass(frozen=True)
class MyTeam:
    id: int
    name: str
    captain_id: int
    track_name_ar: str | None  # None: no track chosen
    track_name_en: str | None
    members: list[Person]
    invited: list[str]  # the e-mails of invitations waiting for an answer, newest first


@dataclass(frozen=True)
class MySubmission:
    id: int
    state: SubmissionState
    title: str
    feedback: tuple[str, int] | None  # its feedback page's scope, once published


@dataclass(frozen=True)
class Card:
    """One event I registered for, with my team and its idea (None when I have none yet)."""

    event_id: int
    slug: str
    title_ar: str
    title_en: str
    time_zone: str
    timeline: phases.Timeline
    team: MyTeam | None
    submission: MySubmission | None


@dataclass(frozen=True)
class Invitation:
    """An invitation to join a team, addressed to me."""

    id: int
    token: str
    team_name: str
    slug: str
    title_ar: str
    title_en: str


@dataclass(frozen=True)
class MyEvents:
    cards: list[Card]
    received: list[Invitation]


def _read_datetime(value: Any) -> dt.datetime | None:
    """A datetime column as the ORM reads it: aware, in UTC (SQLite gives ISO 8601 text, read
    in C here; text written in UTC, as the ORM writes it, needs nothing more)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
        if value.utcoffset() == _NO_OFFSET:
            return value
    return _datetime(value)


_NO_OFFSET = dt.timedelta(0)


_datetime = tortoise_adapter.reader(Event, "submissions_close")


async def participant_overview(user: Someone, moment: dt.datetime) -> MyEvents:
    """My events (registered or in a team), my team, its members, invitations and submission
    (with the scope of its feedback page once published), newest deadline first, and the
    invitations addressed to me: two statements whatever the number of events."""
    pending = InvitationState.PENDING.value
    expires = sql.db_values(TeamInvitation, {"expires_at": moment})[0]
    members: dict[int, list[Person]] = defaultdict(list)
    invited: dict[int, list[str]] = defaultdict(list)
    received: list[Invitation] = []
    people = await sql.rows(MY_PEOPLE, [user.id, user.id, pending, user.email, pending, expires])
    people.sort(key=BY_KIND)
    for row in people:
        kind = row["kind"]
        if kind == 0:
            person = Person(row["name_ar"], row["name_en"], row["email"], user_id=row["user_id"])
            members[row["team_id"]].append(person)
        elif kind == 1:
            invited[row["team_id"]].insert(0, row["email"])
        else:
            received.insert(
                0,
                Invitation(
                    row["id"],
                    row["token"],
                    row["team_name"],
                    row["slug"],
                    row["title_ar"],
                    row["title_en"],
                ),
            )
    mine = await sql.rows(MY_CARDS, [*feedback.feedback_round_params(SUBMISSIONS), user.id])
    mine.sort(key=BY_REGISTRATION, reverse=True)
    cards = [_card(row, members, invited) for row in mine]
    cards.sort(key=lambda card: card.timeline.submissions_close, reverse=True)  # stable
    return MyEvents(cards, received)


def _card(
    row: dict[str, Any], members: dict[int, list[Person]], invited: dict[int, list[str]]
) -> Card:
    timeline = phases.Timeline(*[_read_datetime(row[key]) for key in TIMELINE_KEYS])
    team_id = row["team_id"]
    team = (
        None
        if team_id is None
        else MyTeam(
            team_id,
            row["team_name"],
            row["captain_id"],
            row["track_name_ar"],
            row["track_name_en"],
            members.get(team_id, []),
            invited.get(team_id, []),
        )
    )
    submission = (
        None
        if row["submission_id"] is None
        else MySubmission(
            row["submission_id"],
            SubmissionState(row["s__state"]),
            row["submission_title"],
            None if row["feedback_type"] is None else (row["feedback_type"], row["feedback_id"]),
        )
    )
    return Card(
        row["event_id"],
        row["slug"],
        row["title_ar"],
        row["title_en"],
        row["time_zone"],
        timeline,
        team,
        submission,
    )


async def _members_by_team(team_ids: Sequence[int]) -> dict[int, list[TeamMember]]:
    return await _group(
        TeamMember.filter(team_id__in=list(team_ids))
        .select_related("user")
        .order_by("joined_at", "id"),
        "team_id",
    )


async def _group(query: Any, key: str) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in await query:
        grouped[getattr(row, key)].append(row)
    return grouped


# --- the organizer: counts -----------------------------------------------------------------


@dataclass
class Overview:
    registrants: int = 0
    teams: int = 0
    withdrawn_teams: int = 0
    incomplete_teams: int = 0
    without_team: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_track: list[dict[str, Any]] = field(default_factory=list)


OVERVIEW_COUNTS = sql.Statement(
    """
    SELECT (SELECT COUNT(*) FROM events_registration WHERE event_id = ?) AS registrants,
      (SELECT COUNT(*) FROM events_team WHERE event_id = ? AND state = ?) AS teams,
      (SELECT COUNT(*) FROM events_team WHERE event_id = ? AND state = ?) AS withdrawn_teams,
      (SELECT COUNT(*) FROM events_team
       WHERE event_id = ? AND state = ? AND member_count < ?) AS incomplete_teams,
      (SELECT COUNT(*) FROM events_registration r WHERE r.event_id = ?
         AND r.user_id NOT IN (SELECT m.user_id FROM events_team_member m
                               WHERE m.event_id = ?)) AS without_team"""
)
GRID_SUBMISSIONS, GRID_TEAMS = 0, 1
OVERVIEW_GRID = sql.Statement(
    f"""
    SELECT {GRID_SUBMISSIONS} AS part, track_id, state, COUNT(id) AS n
    FROM events_submission WHERE event_id = ? GROUP BY track_id, state
    UNION ALL
    SELECT {GRID_TEAMS}, track_id, NULL, COUNT(id)
    FROM events_team WHERE event_id = ? AND state = ? GROUP BY track_id"""  # noqa: S608 - constants
)
EVENT_TRACKS = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(Track, "k")} FROM events_track k
    WHERE k.event_id = ? ORDER BY k.position, k.id"""  # noqa: S608 - column names only
    )
)
"""The organizer's counts at a glance, the submissions per track and state with the active
teams per track, and the event's tracks in order: three hand-written statements (on SQLite
reads on the event loop, core.sql) where the organizer's most visited page ran nine ORM
queries, each a round trip to aiosqlite's thread."""


async def overview(event: Event) -> Overview:
    """Counts at a glance, in three statements whatever the event's size."""
    active, withdrawn = TeamState.ACTIVE.value, TeamState.WITHDRAWN.value
    counts = (
        await sql.rows(
            OVERVIEW_COUNTS,
            [event.id, event.id, active, event.id, withdrawn]
            + [event.id, active, event.team_min, event.id, event.id],
        )
    )[0]
    result = Overview(
        registrants=counts["registrants"],
        teams=counts["teams"],
        withdrawn_teams=counts["withdrawn_teams"],
        incomplete_teams=counts["incomplete_teams"],
        without_team=counts["without_team"],
    )
    found = await sql.rows(OVERVIEW_GRID, [event.id, event.id, active])
    grid = [r for r in found if r["part"] == GRID_SUBMISSIONS]
    team_counts = [r for r in found if r["part"] == GRID_TEAMS]
    tracks = [sql.hydrate(Track, row, "k") for row in await sql.rows(EVENT_TRACKS, [event.id])]
    result.by_state = {
        s.value: sum(r["n"] for r in grid if r["state"] == s.value) for s in SubmissionState
    }
    result.by_track = _by_track([t for t in tracks if t is not None], grid, team_counts)
    return result


def _by_track(tracks: list[Track], grid: list[dict], team_counts: list[dict]) -> list[dict]:
    rows = []
    for track in [*tracks, None]:
        key = track.id if track else None
        cells = {
            s.value: sum(r["n"] for r in grid if r["track_id"] == key and r["state"] == s.value)
            for s in SubmissionState
        }
        teams = sum(r["n"] for r in team_counts if r["track_id"] == key)
        if track is not None or teams or any(cells.values()):
            rows.append({"track": track, "teams": teams, **cells})
    return rows


# --- the organizer: lists ------------------------------------------------------------------


def clean_search(raw: str | None) -> str:
    return " ".join((raw or "").split())[:SEARCH_MAX]


TEAM_FILTERS = ("incomplete", "complete", "submitted", "not_submitted", "withdrawn")
IN_TEAM = ("yes", "no")
SUBMISSION_STATE_VALUES = frozenset(s.value for s in SubmissionState)


@dataclass(frozen=True)
class ListFilter:
    """What an organizer's list shows, read from its query string. A list page and its CSV
    export read the same filter and run the same query (`registrant_query`, `team_query`,
    `submission_query`), so the file holds exactly the rows the list shows, on every page."""

    search: str = ""
    in_team: str = ""
    track: int | None = None
    show: str = ""
    state: str = ""

    @classmethod
    def from_query(cls, q: Mapping[str, str]) -> ListFilter:
        raw_track = q.get("track", "")
        return cls(
            search=clean_search(q.get("q")),
            in_team=q.get("in_team", "") if q.get("in_team") in IN_TEAM else "",
            track=int(raw_track) if raw_track.isdigit() and len(raw_track) < 10 else None,
            show=q.get("show", "") if q.get("show") in TEAM_FILTERS else "",
            state=q.get("state", "") if q.get("state") in SUBMISSION_STATE_VALUES else "",
        )

    def query_string(self) -> str:
        """The filter as the list's query string ("?q=...&state=..."), or "" when none is set;
        the export link carries it."""
        pairs = {
            "q": self.search,
            "in_team": self.in_team,
            "track": str(self.track) if self.track else "",
            "show": self.show,
            "state": self.state,
        }
        kept = {key: value for key, value in pairs.items() if value}
        return "?" + urlencode(kept) if kept else ""


def registrant_query(event: Event, f: ListFilter) -> Any:
    """The registrations a filter shows, newest first, with their users."""
    query = of_event(Registration, event).select_related("user")
    if f.search:
        query = query.filter(
            Q(user__email__icontains=f.search)
            | Q(user__name_ar__icontains=f.search)
            | Q(user__name_en__icontains=f.search)
            | Q(user__organization__icontains=f.search)
        )
    seated = Subquery(of_event(TeamMember, event).values("user_id"))
    if f.in_team == "yes":
        query = query.filter(user_id__in=seated)
    elif f.in_team == "no":
        query = query.exclude(user_id__in=seated)
    return query.order_by("-created_at", "-id")


async def registrants(
    event: Event, f: ListFilter = ListFilter(), number: int = 1
) -> tuple[Page, dict[int, Team]]:
    """A page of registrations with their users, and the team of each (three queries)."""
    page = await paginate(registrant_query(event, f), number, PAGE_SIZE)
    user_ids = [r.user_id for r in page.items]
    seats = await of_event(TeamMember, event).filter(user_id__in=user_ids).select_related("team")
    return page, {s.user_id: s.team for s in seats}


async def team_rows(
    event: Event, f: ListFilter = ListFilter(), number: int = 1
) -> tuple[Page, dict, dict]:
    """A page of teams with track and captain, their submissions and members (four queries)."""
    page = await paginate(team_query(event, f), number, PAGE_SIZE)
    ids = [t.id for t in page.items]
    work = {s.team_id: s for s in await of_event(Submission, event).filter(team_id__in=ids)}
    return page, work, await _members_by_team(ids)


def team_query(event: Event, f: ListFilter) -> Any:
    """The teams a filter shows, by name, with their track and captain."""
    query = of_event(Team, event).select_related("track", "captain")
    if f.search:
        query = query.filter(name__icontains=f.search)
    if f.track:
        query = query.filter(track_id=f.track)
    submitted = Subquery(
        of_event(Submission, event).filter(state=SubmissionState.SUBMITTED).values("team_id")
    )
    active = {"state": TeamState.ACTIVE}
    if f.show == "incomplete":
        query = query.filter(member_count__lt=event.team_min, **active)
    elif f.show == "complete":
        query = query.filter(member_count__gte=event.team_min, **active)
    elif f.show == "submitted":
        query = query.filter(id__in=submitted)
    elif f.show == "not_submitted":
        query = query.filter(**active).exclude(id__in=submitted)
    elif f.show == "withdrawn":
        query = query.filter(state=TeamState.WITHDRAWN)
    return query.order_by("name_key", "id")


def submission_query(event: Event, f: ListFilter) -> Any:
    """The submissions a filter shows, last changed first, with their team and track."""
    query = of_event(Submission, event).select_related("team", "track")
    if f.search:
        query = query.filter(Q(title__icontains=f.search) | Q(team__name__icontains=f.search))
    if f.track:
        query = query.filter(track_id=f.track)
    if f.state:
        query = query.filter(state=f.state)
    return query.order_by("-updated_at", "-id")


async def submission_rows(event: Event, f: ListFilter = ListFilter(), number: int = 1) -> Page:
    """A page of submissions with their team and track (two queries)."""
    return await paginate(submission_query(event, f), number, PAGE_SIZE)


# --- the organizer: details ----------------------------------------------------------------


async def version_history(submission: Submission) -> list[SubmissionVersion]:
    return list(
        await SubmissionVersion.filter(submission_id=submission.id)
        .select_related("author")
        .order_by("-number")
    )


async def questions_of(event: Event, which: QuestionScope) -> list[Question]:
    return list(await of_event(Question, event).filter(scope=which).order_by("position", "id"))


# --- CSV exports (written by core.spreadsheet) ------------------------------------------------


def _when(value: dt.datetime | None, event: Event) -> dt.datetime | None:
    return value.astimezone(ZoneInfo(event.time_zone)) if value else None


async def export_registrants(event: Event, f: ListFilter = ListFilter()) -> bytes:
    questions = await questions_of(event, QuestionScope.REGISTRATION)
    rows = await registrant_query(event, f)
    seats = {s.user_id: s.team for s in await of_event(TeamMember, event).select_related("team")}
    header = [
        _("Name (Arabic)"),
        _("Name (English)"),
        _("E-mail"),
        _("Organization"),
        _("Job title"),
        _("Phone"),
        _("Registered"),
        _("Team"),
        *[localized(q, "label") for q in questions],
    ]
    body = (
        [
            r.user.name_ar,
            r.user.name_en,
            r.user.email,
            r.user.organization,
            r.user.job_title,
            r.user.phone,
            _when(r.created_at, event),
            seats[r.user_id].name if r.user_id in seats else "",
            *[answers.display(q, (r.answers or {}).get(str(q.id))) for q in questions],
        ]
        for r in rows
    )
    return to_csv(header, body)


async def export_teams(event: Event, f: ListFilter = ListFilter()) -> bytes:
    teams = await team_query(event, f)
    people = await _members_by_team([t.id for t in teams])
    work = {s.team_id: s for s in await of_event(Submission, event)}
    header = [
        _("Team"),
        _("Track"),
        _("State"),
        _("Captain"),
        _("Members"),
        _("Size"),
        _("Join code"),
        _("Submission"),
        _("Created"),
    ]
    body = (
        [
            t.name,
            localized(t.track, "name") if t.track else "",
            label(TEAM_STATES, t.state),
            t.captain.email,
            "; ".join(m.user.email for m in people.get(t.id, [])),
            t.member_count,
            t.join_code,
            label(SUBMISSION_STATES, work[t.id].state) if t.id in work else _("None"),
            _when(t.created_at, event),
        ]
        for t in teams
    )
    return to_csv(header, body)


async def export_submissions(event: Event, f: ListFilter = ListFilter()) -> bytes:
    questions = await questions_of(event, QuestionScope.SUBMISSION)
    rows = await submission_query(event, f)
    header = [
        _("Team"),
        _("Title"),
        _("Track"),
        _("State"),
        _("Submitted"),
        _("Versions"),
        _("Fingerprint"),
        _("Summary"),
        _("The problem"),
        _("Proposed solution"),
        _("Audience"),
        _("Video link"),
        _("Prototype link"),
        *[localized(q, "label") for q in questions],
    ]
    body = (
        [
            s.team.name,
            s.title,
            localized(s.track, "name") if s.track else "",
            label(SUBMISSION_STATES, s.state),
            _when(s.submitted_at, event),
            s.version_count,
            s.fingerprint,
            s.summary,
            s.problem,
            s.solution,
            s.audience,
            s.video_url,
            s.prototype_url,
            *[answers.display(q, (s.answers or {}).get(str(q.id))) for q in questions],
        ]
        for s in rows
    )
    return to_csv(header, body)


def list_separator() -> str:
    return "، " if get_locale() == "ar" else ", "
