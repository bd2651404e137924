"""A Mediathon judged end to end through the real events source: three submitted ideas, two
judges who score every one, winners marked, and (optionally) the results published."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from accounts.models import User
from core.clock import now
from core.links import Links
from events.models import Event, Submission, Team, Track
from events.services import submissions, teams
from events.services.entry_source import SubmissionSource
from judging.enums import MarkKind, RoundState
from judging.models import Assignment, Criterion, Entry, Round
from judging.services import assignments, decisions, entries, publication, sheets
from tests.events.factories import make_event, make_team
from tests.factories import mail_links, make_user
from tests.judging.factories import judge

LINKS = mail_links()
JUDGING_LINKS = Links("http://testserver", lambda name, **params: "/")
# Scores per idea title: (judge one, judge two), each (story 1..5, craft 0..10). Both criteria
# weigh the same, so a sheet's total is 50 * ((story - 1) / 4 + craft / 10).
SCORES = {
    "Verify first": ((5, 10), (5, 8)),  # 100 and 90: mean 95
    "Local copilot": ((3, 6), (4, 6)),  # 55 and 67.5: mean 61.25
    "Youth stories": ((2, 4), (1, 2)),
}  # 32.5 and 10: mean 21.25
_judges = itertools.count(1)


@dataclass
class Judged:
    event: Event
    round: Round
    organizer: User
    captain: User  # of "Verify first" (team Ayn, track 1)
    member: User
    other_captain: User  # of "Local copilot" (team Bots, track 2)
    tracks: list[Track]
    submissions: dict[str, Submission]


async def judged_event(
    *, publish: bool = True, publish_at: dt.datetime | None = None, **event_fields: object
) -> Judged:
    organizer = await make_user(language="en")
    event = await make_event(
        phase="submission",
        organizer=organizer,
        title_ar="ميدياثون",
        title_en="Mediathon",
        **event_fields,
    )
    tracks = list(await Track.filter(event=event).order_by("position"))
    captain, member = await make_user(language="en"), await make_user(language="en")
    other_captain = await make_user(language="en")
    ayn = await make_team(event, captain, member, name="Ayn", track=tracks[0])
    bots = await make_team(event, other_captain, name="Bots", track=tracks[1])
    youth = await make_team(event, await make_user(), name="Youth", track=tracks[0])
    found = {
        title: await _submit(event, team, title)
        for title, team in (
            ("Verify first", ayn),
            ("Local copilot", bots),
            ("Youth stories", youth),
        )
    }
    round_ = await _scored_round(event)
    await _decide(round_, found)
    if publish:
        scope = await SubmissionSource().scope(event.id)
        assert scope is not None
        await publication.publish(organizer, round_, scope, JUDGING_LINKS, at=publish_at)
        await round_.refresh_from_db()
    return Judged(event, round_, organizer, captain, member, other_captain, tracks, found)


async def _submit(event: Event, team: Team, title: str) -> Submission:
    access = await teams.access(event, team)
    track = await Track.get(id=team.track_id)
    values = {
        "title": title,
        "summary": "S",
        "problem": "P",
        "solution": "So",
        "audience": "A",
        "video_url": "",
        "prototype_url": "",
    }
    saved = await submissions.save(
        LINKS,
        await team.captain,
        access,
        values=values,
        track=track,
        answers={},
        uploads=[],
        submit=True,
    )
    return saved.submission


async def _scored_round(event: Event) -> Round:
    round_ = await Round.create(
        scope_type="event",
        scope_id=event.id,
        name_ar="التحكيم",
        name_en="Online judging",
        judges_per_entry=2,
    )
    for key, (name, low, high) in {"c1": ("Story", 1, 5), "c2": ("Craft", 0, 10)}.items():
        await Criterion.create(
            round=round_,
            key=key,
            position=int(key[1]),
            name_en=name,
            name_ar=name,
            weight=1,
            min_score=low,
            max_score=high,
            step=1,
        )
    # Judges from another mail domain than the teams', or detection would find conflicts.
    seats = [
        await judge(
            await make_user(f"judge{next(_judges)}@jury.example", language="en"), scope_id=event.id
        )
        for _ in range(2)
    ]
    admin = await make_user(admin=True)
    await entries.refresh_entries(admin, round_, SubmissionSource())
    await assignments.auto_assign(admin, round_)
    round_.state = RoundState.OPEN
    await round_.save()
    for number, seat in enumerate(seats):
        user = await seat.user
        for row in await Assignment.filter(round=round_, judge=seat).select_related("entry"):
            story, craft = SCORES[row.entry.title_en][number]
            seen = await sheets.scoring_for(user, row.entry_id)
            await sheets.save_sheet(
                user,
                seen,
                scores={"c1": story, "c2": craft},
                comment=f"Judge {number + 1} on {row.entry.title_en}",
                note="private",
                version=0,
                submit=True,
            )
    round_.state = RoundState.CLOSED
    await round_.save()
    return round_


async def _decide(round_: Round, found: dict[str, Submission]) -> None:
    """First place overall, first place in track 2, and an honourable mention."""
    actor = await make_user(admin=True)
    for title, kind, place, per_group in (
        ("Verify first", MarkKind.WINNER, 1, False),
        ("Local copilot", MarkKind.WINNER, 1, True),
        ("Youth stories", MarkKind.HONOURABLE_MENTION, None, False),
    ):
        entry = await Entry.get(round=round_, source_id=found[title].id)
        await decisions.set_mark(
            actor, round_, entry.id, kind=kind, place=place, per_group=per_group
        )


def later(days: int) -> dt.datetime:
    return now() + dt.timedelta(days=days)
