"""Registration for an edition: the window it is open in, registering (with answers and
files), joining through a team without answers, and cancelling."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.enums import Role, ScopeType
from accounts.models import Membership, Someone
from core.clock import now
from core.errors import Conflict, DomainError
from core.i18n import gettext as _
from core.links import Links
from core.mail import outbox
from core.storage import StoredFile
from events.enums import QuestionScope
from events.models import Event, Question, Registration, RegistrationFile, TeamMember, of_event
from events.services.editions import PhaseClosed, event_title


class RegistrationNeeded(DomainError):
    """Joining a team needs a registration with answers the person has not given yet."""

    status_code = 409


# --- registration --------------------------------------------------------------------------


def require_registration_open(event: Event, when: dt.datetime) -> None:
    t = event.timeline
    if when < t.registration_opens:
        raise PhaseClosed(_("Registration has not opened yet."))
    if when >= t.registration_closes:
        raise PhaseClosed(_("Registration for this event has closed."))


async def registration_of(event: Event, user: Someone | None) -> Registration | None:
    if user is None:
        return None
    return await of_event(Registration, event).get_or_none(user_id=user.id)


async def register(
    links: Links, user: Someone, event: Event, answers: dict[str, Any], files: dict[int, StoredFile]
) -> Registration:
    """Register (or update the answers of a registration) while registration is open.
    `files` are the stored uploads answering file questions, by question id."""
    require_registration_open(event, now())
    answers = {**answers, **{str(qid): _file_answer(f) for qid, f in files.items()}}
    async with in_transaction():
        registration = (
            await of_event(Registration, event).select_for_update().get_or_none(user_id=user.id)
        )
        first = registration is None
        if registration is None:
            registration = await _create_registration(user, event, answers)
        else:
            registration.answers = answers
            await registration.save(update_fields=["answers", "updated_at"])
        for question_id, stored in files.items():
            await _replace_registration_file(event, registration, question_id, stored)
        if first:
            await outbox.queue(
                user.email,
                "events/registered",
                user.language,
                name=user.display_name,
                event_title=event_title(event, user),
                event_url=links.url("events:detail", slug=event.slug),
                dashboard_url=links.url("events:mine"),
            )
    outbox.wake()
    return registration


async def _create_registration(
    user: Someone, event: Event, answers: dict[str, Any]
) -> Registration:
    try:
        registration = await Registration.create(event=event, user_id=user.id, answers=answers)
    except IntegrityError as exc:  # registered in another tab at the same moment
        raise Conflict(_("You are already registered for this event.")) from exc
    await Membership.get_or_create(
        user_id=user.id,
        scope_type=ScopeType.EVENT.value,
        scope_id=event.id,
        role=Role.PARTICIPANT.value,
    )
    return registration


async def _replace_registration_file(
    event: Event, registration: Registration, question_id: int, stored: StoredFile
) -> None:
    await RegistrationFile.filter(registration_id=registration.id, question_id=question_id).delete()
    await RegistrationFile.create(
        event=event, registration=registration, question_id=question_id, file=stored
    )


def _file_answer(stored: StoredFile) -> dict[str, Any]:
    return {
        "file": str(stored.id),
        "name": stored.original_name,
        "size": stored.size,
        "sha256": stored.sha256,
    }


async def ensure_registered(user: Someone, event: Event) -> None:
    """Inside a transaction: register someone who joins a team through an invitation or a
    code, when the event asks no required registration question."""
    if await of_event(Registration, event).filter(user_id=user.id).exists():
        return
    if (
        await of_event(Question, event)
        .filter(scope=QuestionScope.REGISTRATION, required=True)
        .exists()
    ):
        raise RegistrationNeeded(_("Register for the event first, then come back to join."))
    await _create_registration(user, event, {})


async def unregister(user: Someone, event: Event) -> None:
    """Cancel a registration while registration is open, if the person is in no team."""
    require_registration_open(event, now())
    if await of_event(TeamMember, event).filter(user_id=user.id).exists():
        raise Conflict(_("Leave your team before you cancel your registration."))
    async with in_transaction():
        await of_event(Registration, event).filter(user_id=user.id).delete()
        await Membership.filter(
            user_id=user.id,
            scope_type=ScopeType.EVENT.value,
            scope_id=event.id,
            role=Role.PARTICIPANT.value,
        ).delete()
