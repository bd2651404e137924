"""An organizer's mail to a chosen group of an event, from a bilingual template with the
placeholders {name}, {team} and {event}: previewed first, then queued in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from accounts.models import Someone
from core import audit
from core.i18n import localized, use_locale
from core.mail import letters, outbox
from core.mail.letters import Letter, Sample, letter, letter_language
from events.enums import MailGroup, SubmissionState, TeamState
from events.models import Event, Registration, Submission, TeamMember, of_event
from events.services.editions import scope


@dataclass(frozen=True)
class Recipient:
    user: Someone
    team: str  # the team's name, or "" for someone without a team


async def recipients(event: Event, group: MailGroup, track_id: int | None) -> list[Recipient]:
    """The people of `group`, each once, in a stable order (two queries)."""
    seats = (
        of_event(TeamMember, event)
        .select_related("user", "team")
        .filter(team__state=TeamState.ACTIVE)
    )
    if group == MailGroup.REGISTRANTS:
        teams = {s.user_id: s.team.name for s in await seats}
        rows = await of_event(Registration, event).select_related("user").order_by("id")
        return [Recipient(r.user, teams.get(r.user_id, "")) for r in rows]
    if group == MailGroup.TRACK:
        seats = seats.filter(team__track_id=track_id)
    else:
        submitted = Subquery(
            of_event(Submission, event).filter(state=SubmissionState.SUBMITTED).values("team_id")
        )
        seats = seats.exclude(team_id__in=submitted)
    return [Recipient(s.user, s.team.name) for s in await seats.order_by("team_id", "id")]


def compose(event: Event, recipient: Recipient, values: dict[str, Any]) -> Letter:
    """The mail one person gets: their language if the organizer wrote it, else the other."""
    user = recipient.user
    lang = letter_language(user.language, values)
    with use_locale(lang):
        filled = {
            "name": user.display_name,
            "team": recipient.team,
            "event": localized(event, "title", lang),
        }
    return letter(user.email, lang, values, filled)


def samples(event: Event, people: list[Recipient], values: dict[str, Any]) -> list[Sample]:
    """One sample mail per language that will be sent (Arabic first), with its count."""
    return letters.samples(compose(event, p, values) for p in people)


async def send(
    actor: Someone, event: Event, group: MailGroup, track_id: int | None, values: dict[str, Any]
) -> int:
    """Queue the mail for every recipient; returns how many were queued."""
    people = await recipients(event, group, track_id)
    async with in_transaction():
        for person in people:
            letter = compose(event, person, values)
            await outbox.queue(
                letter.recipient,
                "events/announcement",
                letter.language,
                subject=letter.subject,
                body=letter.body,
            )
        await audit.record(
            actor,
            "events.mail_group",
            event,
            scope=scope(event),
            after={
                "group": group.value,
                "track": track_id,
                "recipients": len(people),
                "subject_ar": values.get("subject_ar", ""),
                "subject_en": values.get("subject_en", ""),
            },
        )
    outbox.wake()
    return len(people)
