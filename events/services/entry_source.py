"""Mediathon submissions as judging entries (judging.sources.EntrySource for scope "event").

Judges read the last submitted version, never the team's working copy; in a blind round the
team's name and members are left out.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection
from typing import Any
from urllib.parse import quote

from core import answers, sql
from core.i18n import gettext as _
from core.i18n import localized
from core.storage import StoredFile
from events.enums import QuestionScope, SubmissionState, Visibility
from events.labels import SUBMISSION_FIELDS, label
from events.models import Event, Question, Submission, SubmissionVersion, TeamMember, Track
from judging.sources import Candidate, EntryDetail, Member, ScopeInfo, ScopeTitles

TEXTS = ("title", "summary", "problem", "solution", "audience")

SCOPE_COLUMNS = "SELECT id, title_ar, title_en, time_zone, slug, visibility FROM events_event"
SCOPE = sql.Statement(SCOPE_COLUMNS + " WHERE id = ?")
"""What judging shows of an event, and whether it is public: the public results page asks on
every request (before its cached copy), so only these columns, without building an Event."""


@functools.lru_cache(maxsize=32)
def _scopes(count: int) -> sql.Statement:
    """SCOPE for `count` events at once (a judge's queue names each event they judge)."""
    return sql.Statement(f"{SCOPE_COLUMNS} WHERE id IN ({', '.join('?' * count)})")


class SubmissionSource:
    scope_type = "event"
    source = "events.submission"
    scope_titles = ScopeTitles(
        "event", "SELECT id, title_ar, title_en, time_zone FROM events_event"
    )

    async def scope(self, scope_id: int) -> ScopeInfo | None:
        found = await sql.rows(SCOPE, [scope_id])
        return self._info(found[0]) if found else None

    async def scope_infos(self, scope_ids: Collection[int]) -> dict[int, ScopeInfo]:
        """Several events by id in one statement (judging.sources.scopes_of)."""
        ids = list(scope_ids)
        return {row["id"]: self._info(row) for row in await sql.rows(_scopes(len(ids)), ids)}

    def _info(self, event: dict[str, Any]) -> ScopeInfo:
        return ScopeInfo(
            scope_type=self.scope_type,
            scope_id=event["id"],
            title_ar=event["title_ar"],
            title_en=event["title_en"],
            time_zone=event["time_zone"],
            public_url="/events/" + quote(event["slug"]),
            public=event["visibility"] == Visibility.PUBLISHED.value,
        )

    async def submissions_close(self, scope_id: int) -> dt.datetime | None:
        event = await Event.get_or_none(id=scope_id).only("id", "submissions_close")
        return event.submissions_close if event else None

    async def candidates(self, scope_id: int) -> list[Candidate]:
        """Every submitted submission of the event, with its team's members (four queries)."""
        rows = list(
            await Submission.filter(event_id=scope_id, state=SubmissionState.SUBMITTED)
            .select_related("team", "track")
            .order_by("id")
        )
        team_ids = [s.team_id for s in rows]
        people: dict[int, list[Any]] = {tid: [] for tid in team_ids}
        for member in (
            await TeamMember.filter(team_id__in=team_ids)
            .select_related("user")
            .order_by("joined_at", "id")
        ):
            people[member.team_id].append(member.user)
        titles = await _submitted_titles([s.id for s in rows])
        return [_candidate(s, people[s.team_id], titles.get(s.id, s.title)) for s in rows]

    async def detail(self, source_id: int, *, blind: bool) -> EntryDetail:
        submission = await Submission.get_or_none(id=source_id).select_related("team")
        version = (
            await SubmissionVersion.filter(submission_id=source_id).order_by("-number").first()
        )
        if submission is None or version is None:
            return EntryDetail()
        snap = version.snapshot
        fields = [(_(SUBMISSION_FIELDS[name]), str(snap.get(name, ""))) for name in TEXTS]
        track = await Track.get_or_none(id=snap["track"]) if snap.get("track") else None
        if track is not None:
            fields.append((label(SUBMISSION_FIELDS, "track"), localized(track, "name")))
        fields += await _answer_fields(submission.event_id, snap.get("answers", {}))
        if not blind:
            fields += await _team_fields(submission)
        links = [
            (_(SUBMISSION_FIELDS[name]), snap[name])
            for name in ("video_url", "prototype_url")
            if snap.get(name)
        ]
        ids = [f["id"] for f in version.files or []]
        files = list(await StoredFile.filter(id__in=ids).order_by("original_name")) if ids else []
        return EntryDetail(fields=fields, links=links, files=files)


async def _submitted_titles(submission_ids: list[int]) -> dict[int, str]:
    """The title of each submission's last submitted version."""
    titles: dict[int, str] = {}
    rows = (
        await SubmissionVersion.filter(submission_id__in=submission_ids)
        .order_by("submission_id", "-number")
        .values("submission_id", "snapshot")
    )
    for row in rows:
        titles.setdefault(row["submission_id"], str(row["snapshot"].get("title", "")))
    return titles


def _candidate(submission: Submission, users: list[Any], title: str) -> Candidate:
    track = submission.track
    team = submission.team
    organizations = tuple(sorted({u.organization.strip() for u in users if u.organization.strip()}))
    return Candidate(
        source_id=submission.id,
        title_ar=title,
        title_en=title,
        group_key=str(track.id) if track else "",
        group_label_ar=track.name_ar if track else "",
        group_label_en=track.name_en if track else "",
        team_key=f"team:{team.id}",
        team_label=team.name,
        members=tuple(
            Member(
                email=u.email, language=u.language, name=u.display_name, organization=u.organization
            )
            for u in users
        ),
        organizations=organizations,
    )


async def _answer_fields(event_id: int, given: dict[str, Any]) -> list[tuple[str, str]]:
    questions = await Question.filter(event_id=event_id, scope=QuestionScope.SUBMISSION).order_by(
        "position", "id"
    )
    shown = []
    for question in questions:
        text = answers.display(question, given.get(str(question.id)))
        if text:
            shown.append((localized(question, "label"), text))
    return shown


async def _team_fields(submission: Submission) -> list[tuple[str, str]]:
    members = (
        await TeamMember.filter(team_id=submission.team_id)
        .select_related("user")
        .order_by("joined_at", "id")
    )
    names = "، ".join(m.user.display_name for m in members)
    return [(_("Team"), submission.team.name), (_("Members"), names)]
