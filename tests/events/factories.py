"""Small async builders for Mediathon test data."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from accounts.enums import Role, ScopeType
from accounts.models import Membership, User
from core.clock import now
from events.enums import QuestionKind, QuestionScope, Visibility
from events.models import Event, Question, Registration, Team, TeamMember, Track
from events.services.teams import new_join_code

DAY = dt.timedelta(days=1)
_seq = itertools.count(1)
# Days after registration opens for each date of the standard test timeline.
BASE = {
    "registration_opens": 0,
    "registration_closes": 9,
    "submissions_open": 4,
    "submissions_close": 19,
    "judging_starts": 20,
    "judging_ends": 24,
    "results_at": 29,
}
# Where "now" sits on that timeline (days after registration opens) for each phase.
POSITION = {
    "upcoming": -1,
    "registration": 1,
    "submission": 5,
    "submission_only": 12,
    "judging": 21,
    "results": 30,
}


def timeline(phase: str = "submission", at: dt.datetime | None = None) -> dict[str, Any]:
    start = (at or now()) - POSITION[phase] * DAY
    return {name: start + days * DAY for name, days in BASE.items()}


async def make_event(
    *,
    phase: str = "submission",
    published: bool = True,
    tracks: int = 2,
    organizer: User | None = None,
    **fields: Any,
) -> Event:
    n = next(_seq)
    values = {
        "slug": f"mediathon-{n}",
        "title_ar": f"ميدياثون {n}",
        "title_en": f"Mediathon {n}",
        "team_min": 1,
        "team_max": 3,
        "visibility": Visibility.PUBLISHED if published else Visibility.DRAFT,
        **timeline(phase),
        **fields,
    }
    event = await Event.create(**values)
    for position in range(1, tracks + 1):
        await Track.create(
            event=event, position=position, name_ar=f"مسار {position}", name_en=f"Track {position}"
        )
    if organizer is not None:
        await grant_organizer(organizer, event)
    return event


async def grant_organizer(user: User, event: Event) -> None:
    await Membership.create(
        user=user, scope_type=ScopeType.EVENT.value, scope_id=event.id, role=Role.ORGANIZER.value
    )


async def register(user: User, event: Event, answers: dict | None = None) -> Registration:
    registration = await Registration.create(event=event, user=user, answers=answers or {})
    await Membership.create(
        user=user, scope_type=ScopeType.EVENT.value, scope_id=event.id, role=Role.PARTICIPANT.value
    )
    return registration


async def make_team(
    event: Event, captain: User, *members: User, name: str | None = None, track: Track | None = None
) -> Team:
    """A team with `captain` and `members`, all registered."""
    n = next(_seq)
    track = track or await Track.filter(event=event).order_by("position").first()
    team = await Team.create(
        event=event,
        name=name or f"Team {n}",
        name_key=(name or f"Team {n}").casefold(),
        track=track,
        captain=captain,
        join_code=new_join_code(),
        member_count=1 + len(members),
    )
    for person in (captain, *members):
        if not await Registration.filter(event=event, user=person).exists():
            await register(person, event)
        await TeamMember.create(event=event, team=team, user=person)
    return team


async def make_question(
    event: Event,
    kind: QuestionKind,
    *,
    scope: QuestionScope = QuestionScope.REGISTRATION,
    required: bool = False,
    options: list | None = None,
    label_en: str = "",
    label_ar: str = "",
) -> Question:
    position = await Question.filter(event=event, scope=scope).count() + 1
    return await Question.create(
        event=event,
        scope=scope,
        kind=kind,
        required=required,
        position=position,
        label_en=label_en or f"Question {position}",
        label_ar=label_ar or f"سؤال {position}",
        options=options or [],
    )


def text_of(html: str) -> str:
    """What a reader sees: tags dropped, entities decoded, white space collapsed."""
    import html as html_lib
    import re

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    body = re.sub(r"</?bdi\b[^>]*>", "", body)  # an isolated value is read in its sentence
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def error_of(html: str, field: str) -> str:
    """The message shown next to a field (its `e-<field>` element)."""
    import html as html_lib
    import re

    match = re.search(rf'id="e-{re.escape(field)}">(.*?)</p>', html, flags=re.S)
    return html_lib.unescape(match.group(1)).strip() if match else ""


def value_of(html: str, field: str) -> str:
    import html as html_lib
    import re

    match = re.search(rf'id="f-{re.escape(field)}"[^>]*?value="([^"]*)"', html)
    if match:
        return html_lib.unescape(match.group(1))
    match = re.search(rf'id="f-{re.escape(field)}"[^>]*>(.*?)</textarea>', html, flags=re.S)
    return html_lib.unescape(match.group(1)) if match else ""


class QueryCounter:
    """Counts the SQL statements Tortoise sends (its client logs each one at DEBUG)."""

    def __init__(self) -> None:
        import logging

        self.statements: list[str] = []
        self.logger = logging.getLogger("tortoise.db_client")
        outer = self

        class Handler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                outer.statements.append(str(record.args[0]) if record.args else record.msg)

        self.handler = Handler(level=logging.DEBUG)

    def __enter__(self) -> QueryCounter:
        import logging

        self.level = self.logger.level
        self.logger.setLevel(logging.DEBUG)
        self.logger.addHandler(self.handler)
        return self

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.level)

    @property
    def count(self) -> int:
        return len(self.statements)
