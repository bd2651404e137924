"""Event use cases: set up an edition (event, tracks, questions, publication, deadlines) and
register for it. Each function owns its transaction, audits organizer actions in the event's
scope, queues its mail inside the transaction and wakes the mail worker after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.enums import Role, ScopeType
from accounts.models import Someone
from accounts.services import grant_role
from core import audit, sql
from core.errors import Conflict, DomainError, Invalid
from core.i18n import gettext as _
from core.i18n import localized
from core.storage import StoredFile
from events import phases
from events.enums import Deadline, QuestionScope, Visibility
from events.models import (
    Event,
    Question,
    RegistrationFile,
    SubmissionFile,
    Team,
    Track,
    of_event,
)
from events.services import public_cache

EVENT_BY_SLUG = sql.Statement(
    lambda: f"SELECT {sql.columns(Event, 'e')} FROM events_event e WHERE e.slug = ?"  # noqa: S608
)


async def event_by_slug(slug: str) -> Event | None:
    """The event at this address: one hand-written statement (on SQLite a read on the event
    loop, core.sql), as every page of an event's organizers and teams starts with it, instead
    of an ORM query's round trip to aiosqlite's thread."""
    found = await sql.rows(EVENT_BY_SLUG, [slug])
    return sql.hydrate(Event, found[0], "e") if found else None


EVENT_AUDIT_FIELDS = (
    "slug",
    "title_ar",
    "title_en",
    "time_zone",
    "visibility",
    "team_min",
    "team_max",
    "registration_opens",
    "registration_closes",
    "submissions_open",
    "submissions_close",
    "judging_starts",
    "judging_ends",
    "results_at",
    "max_attachments",
    "max_attachment_mb",
    "gallery_public",
)


class PhaseClosed(DomainError):
    """The timeline does not allow this now; the message says when it did or will."""

    status_code = 409


def scope(event: Event) -> tuple[str, int]:
    return (ScopeType.EVENT.value, event.id)


def _snapshot(event: Event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in EVENT_AUDIT_FIELDS}


def _slug_taken() -> Invalid:
    return Invalid({"slug": _("Another event already uses this address.")})


# --- the event -----------------------------------------------------------------------------


async def create_event(actor: Someone, values: dict[str, Any]) -> Event:
    """A new draft event; its creator becomes its organizer."""
    if await Event.filter(slug=values["slug"]).exists():
        raise _slug_taken()
    try:
        async with in_transaction():
            event = await Event.create(**values, visibility=Visibility.DRAFT)
            await grant_role(actor, actor, ScopeType.EVENT, event.id, Role.ORGANIZER)
            await audit.record(
                actor, "events.create", event, after=_snapshot(event), scope=scope(event)
            )
    except IntegrityError as exc:  # the same address chosen at the same moment
        raise _slug_taken() from exc
    public_cache.changed()
    return event


async def update_event(actor: Someone, event: Event, values: dict[str, Any]) -> Event:
    if values["slug"] != event.slug and await Event.filter(slug=values["slug"]).exists():
        raise _slug_taken()
    before = _snapshot(event)
    try:
        async with in_transaction():
            for name, value in values.items():
                setattr(event, name, value)
            await event.save()
            old, new = audit.changes(before, _snapshot(event))
            if new:
                await audit.record(
                    actor, "events.update", event, before=old, after=new, scope=scope(event)
                )
    except IntegrityError as exc:
        raise _slug_taken() from exc
    public_cache.changed()
    return event


async def set_visibility(actor: Someone, event: Event, visibility: Visibility) -> Event:
    if event.visibility == visibility:
        return event
    before = event.visibility.value
    async with in_transaction():
        event.visibility = visibility
        await event.save(update_fields=["visibility", "updated_at"])
        action = "events.publish" if visibility == Visibility.PUBLISHED else "events.unpublish"
        await audit.record(
            actor,
            action,
            event,
            before={"visibility": before},
            after={"visibility": visibility.value},
            scope=scope(event),
        )
    public_cache.changed()
    return event


async def extend_deadline(
    actor: Someone, event: Event, deadline: Deadline, until: dt.datetime
) -> Event:
    """Move a closing date later (never earlier), keeping the timeline in order."""
    current = getattr(event, deadline.value)
    if current is not None and until <= current:
        raise Invalid({"until": _("Choose a moment later than the current deadline.")})
    dates = {name: getattr(event, name) for name in phases.Timeline.__dataclass_fields__}
    dates[deadline.value] = until
    if phases.timeline_problems(dates):
        raise Invalid(
            {
                "until": _(
                    "This date would put the timeline out of order: move the later dates first."
                )
            }
        )
    async with in_transaction():
        setattr(event, deadline.value, until)
        await event.save(update_fields=[deadline.value, "updated_at"])
        await audit.record(
            actor,
            "events.extend_deadline",
            event,
            before={deadline.value: current},
            after={deadline.value: until},
            scope=scope(event),
        )
    public_cache.changed()
    return event


# --- tracks --------------------------------------------------------------------------------

TRACK_FIELDS = ("name_ar", "name_en", "description_ar", "description_en")


async def add_track(actor: Someone, event: Event, values: dict[str, Any]) -> Track:
    async with in_transaction():
        last = await of_event(Track, event).order_by("-position").first()
        position = last.position + 1 if last else 1
        track = await Track.create(
            event=event, position=position, **{k: values[k] for k in TRACK_FIELDS}
        )
        await audit.record(
            actor,
            "events.track_add",
            track,
            scope=scope(event),
            after={k: values[k] for k in ("name_ar", "name_en")},
        )
    public_cache.changed()
    return track


async def update_track(actor: Someone, event: Event, track: Track, values: dict[str, Any]) -> Track:
    before = {k: getattr(track, k) for k in TRACK_FIELDS}
    async with in_transaction():
        for name in TRACK_FIELDS:
            setattr(track, name, values[name])
        await track.save()
        old, new = audit.changes(before, {k: getattr(track, k) for k in TRACK_FIELDS})
        if new:
            await audit.record(
                actor, "events.track_update", track, before=old, after=new, scope=scope(event)
            )
    public_cache.changed()
    return track


async def move(
    actor: Someone, event: Event, model: type[Track] | type[Question], item: Any, step: int
) -> None:
    """Swap a track or question with its neighbour (step -1 earlier, +1 later)."""
    async with in_transaction():
        query = of_event(model, event)
        if isinstance(item, Question):
            query = query.filter(scope=item.scope)
        ordered = list(await query.order_by("position", "id"))
        index = next(i for i, other in enumerate(ordered) if other.id == item.id)
        target = index + step
        if not 0 <= target < len(ordered):
            return
        ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, other in enumerate(ordered, start=1):
            if other.position != position:
                await model.filter(id=other.id).update(position=position)
        await audit.record(
            actor,
            f"events.{model.__name__.lower()}_move",
            item,
            after={"order": [o.id for o in ordered]},
            scope=scope(event),
        )
    public_cache.changed()


async def delete_track(actor: Someone, event: Event, track: Track) -> None:
    if await of_event(Team, event).filter(track_id=track.id).exists():
        raise Conflict(
            _("Teams have chosen this track, so it cannot be deleted. Rename it instead.")
        )
    async with in_transaction():
        await audit.record(
            actor,
            "events.track_delete",
            track,
            scope=scope(event),
            before={k: getattr(track, k) for k in ("name_ar", "name_en")},
        )
        await track.delete()
    public_cache.changed()


# --- questions -----------------------------------------------------------------------------

QUESTION_FIELDS = ("kind", "label_ar", "label_en", "help_ar", "help_en", "required")


async def add_question(actor: Someone, event: Event, values: dict[str, Any]) -> Question:
    async with in_transaction():
        last = (
            await of_event(Question, event)
            .filter(scope=values["scope"])
            .order_by("-position")
            .first()
        )
        position = last.position + 1 if last else 1
        question = await Question.create(
            event=event,
            scope=values["scope"],
            position=position,
            options=values["option_list"],
            **{k: values[k] for k in QUESTION_FIELDS},
        )
        await audit.record(
            actor,
            "events.question_add",
            question,
            scope=scope(event),
            after={
                "scope": values["scope"],
                "kind": values["kind"],
                "label_ar": values["label_ar"],
                "label_en": values["label_en"],
            },
        )
    return question


async def update_question(
    actor: Someone, event: Event, question: Question, values: dict[str, Any]
) -> Question:
    keys = (*QUESTION_FIELDS, "options")
    before = {k: getattr(question, k) for k in keys}
    async with in_transaction():
        for name in QUESTION_FIELDS:
            setattr(question, name, values[name])
        question.options = values["option_list"]
        await question.save()
        old, new = audit.changes(before, {k: getattr(question, k) for k in keys})
        if new:
            await audit.record(
                actor, "events.question_update", question, before=old, after=new, scope=scope(event)
            )
    return question


async def delete_question(actor: Someone, event: Event, question: Question) -> None:
    async with in_transaction():
        await audit.record(
            actor,
            "events.question_delete",
            question,
            scope=scope(event),
            before={"label_ar": question.label_ar, "label_en": question.label_en},
        )
        await question.delete()


async def questions(event: Event, which: QuestionScope) -> list[Question]:
    return list(await of_event(Question, event).filter(scope=which).order_by("position", "id"))


def event_title(event: Event, user: Someone) -> str:
    return localized(event, "title", user.language)


# --- files ---------------------------------------------------------------------------------


async def event_of_file(stored: StoredFile) -> tuple[Event, Any] | None:
    """The event and the owning row (registration or submission file) of a stored file."""
    if stored.purpose == "events.registration":
        link = await RegistrationFile.get_or_none(file_id=stored.id).select_related(
            "event", "registration"
        )
        return (link.event, link.registration) if link else None
    link = await SubmissionFile.get_or_none(file_id=stored.id).select_related("submission__event")
    return (link.submission.event, link.submission) if link else None
