"""Submission use cases: save a draft, submit (each submit kept as a version with what changed,
and a receipt with the SHA-256 fingerprint mailed to every member), withdraw, remove a file.

The deadline is checked on the server, inside the transaction, against the event's stored
closing time: a request that arrives after it changes nothing. The row being edited is the
team's working copy; judges and the history read the submitted versions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Someone
from core.clock import now
from core.errors import Conflict, DomainError, Invalid, NotFound
from core.i18n import format_datetime
from core.i18n import gettext as _
from core.links import Links
from core.mail import outbox
from core.storage import StoredFile, delete_file
from events import fingerprint as fp
from events.enums import SubmissionState
from events.models import (
    Event,
    Submission,
    SubmissionFile,
    SubmissionVersion,
    Team,
    TeamMember,
    Track,
    of_event,
)
from events.rules import TeamAccess
from events.services.editions import PhaseClosed, event_title
from judging.services.rounds import scoring_started

TEXT_FIELDS = ("title", "summary", "problem", "solution", "audience", "video_url", "prototype_url")
PURPOSE = "events.submission"


class DeadlinePassed(DomainError):
    status_code = 409


@dataclass(frozen=True)
class Saved:
    submission: Submission
    version: SubmissionVersion | None  # the new version when this was a submit that changed
    unchanged: bool = False  # a submit identical to the last submitted version


def require_submissions_open(event: Event, when: dt.datetime) -> None:
    if when < event.submissions_open:
        raise PhaseClosed(
            _(
                "Submissions open on %(when)s.",
                when=format_datetime(event.submissions_open, event.time_zone),
            )
        )
    if when >= event.submissions_close:
        raise DeadlinePassed(
            _(
                "The submission deadline passed on %(when)s. Nothing was changed.",
                when=format_datetime(event.submissions_close, event.time_zone),
            )
        )


async def frozen(event: Event) -> bool:
    """Whether a judging round of the event has opened, which freezes its submissions."""
    return await scoring_started("event", event.id)


async def require_not_frozen(event: Event) -> None:
    """Once a judging round of the event has opened, submissions are frozen: judges read the
    version that existed then, so nothing may be submitted, changed or withdrawn any more
    (whatever the deadline says, should it be moved later)."""
    if await frozen(event):
        raise DeadlinePassed(
            _(
                "Judging has begun: submissions are frozen at the version the judges read. "
                "Nothing was changed."
            )
        )


async def submission_of(event: Event, team: Team) -> Submission | None:
    return await of_event(Submission, event).get_or_none(team_id=team.id).select_related("track")


async def current_files(submission: Submission | None) -> list[SubmissionFile]:
    if submission is None:
        return []
    return list(
        await SubmissionFile.filter(submission_id=submission.id, detached_at=None)
        .select_related("file")
        .order_by("created_at", "id")
    )


async def save(
    links: Links,
    user: Someone,
    team_access: TeamAccess,
    *,
    values: dict[str, Any],
    track: Track | None,
    answers: dict[str, Any],
    uploads: list[tuple[int | None, StoredFile]],
    submit: bool,
) -> Saved:
    """Save the working copy and, when `submit`, record a version and mail the receipts.
    `uploads` are stored files with the question they answer (None for an attachment)."""
    event, team = team_access.event, team_access.team
    if not team.active:
        raise Conflict(_("This team has withdrawn from the event."))
    require_submissions_open(event, now())
    await require_not_frozen(event)
    async with in_transaction():
        fresh = await Event.get(id=event.id)  # an extension or a cut decided a moment ago
        require_submissions_open(fresh, now())
        submission = await _working_copy(fresh, team)
        await _attach(fresh, submission, uploads)
        _apply(submission, values, track, answers, uploads)
        await submission.save()
        if not submit:
            return Saved(submission, None)
        saved = await _submit(links, user, fresh, team, submission)
    outbox.wake()
    return saved


async def _working_copy(event: Event, team: Team) -> Submission:
    submission = await of_event(Submission, event).select_for_update().get_or_none(team_id=team.id)
    if submission is not None:
        return submission
    try:
        return await Submission.create(event=event, team=team, track_id=team.track_id)
    except IntegrityError as exc:  # a teammate started it at the same moment
        raise Conflict(
            _("A teammate is saving the submission right now. Reload and try again.")
        ) from exc


async def _attach(
    event: Event, submission: Submission, uploads: list[tuple[int | None, StoredFile]]
) -> None:
    new_attachments = sum(1 for question_id, _f in uploads if question_id is None)
    if new_attachments:
        present = await SubmissionFile.filter(
            submission_id=submission.id, detached_at=None, question_id=None
        ).count()
        if present + new_attachments > event.max_attachments:
            raise Invalid(
                {
                    "attachments": _(
                        "A submission can have at most %(n)s attachments; it has %(present)s.",
                        n=event.max_attachments,
                        present=present,
                    )
                }
            )
    for question_id, stored in uploads:
        if question_id is not None:
            await _release_answer_file(submission, question_id)
        await SubmissionFile.create(submission=submission, file=stored, question_id=question_id)


async def _release_answer_file(submission: Submission, question_id: int) -> None:
    await SubmissionFile.filter(
        submission_id=submission.id, question_id=question_id, detached_at=None
    ).update(detached_at=now())


def _apply(
    submission: Submission,
    values: dict[str, Any],
    track: Track | None,
    answers: dict[str, Any],
    uploads: list[tuple[int | None, StoredFile]],
) -> None:
    for name in TEXT_FIELDS:
        setattr(submission, name, values.get(name, ""))
    if track is not None:
        submission.track_id = track.id
    merged = dict(answers)
    for question_id, stored in uploads:
        if question_id is not None:
            merged[str(question_id)] = file_answer(stored)
    submission.answers = merged


def file_answer(stored: StoredFile) -> dict[str, Any]:
    return {
        "file": str(stored.id),
        "name": stored.original_name,
        "size": stored.size,
        "sha256": stored.sha256,
    }


async def _submit(
    links: Links, user: Someone, event: Event, team: Team, submission: Submission
) -> Saved:
    if team.member_count < event.team_min:
        raise Conflict(
            _("Your team needs at least %(n)s members before it can submit.", n=event.team_min)
        )
    files = await current_files(submission)
    snap = snapshot(submission, files)
    digest = fp.fingerprint(snap)
    if submission.state == SubmissionState.SUBMITTED and digest == submission.fingerprint:
        return Saved(submission, None, unchanged=True)
    previous = (
        await SubmissionVersion.filter(submission_id=submission.id).order_by("-number").first()
    )
    version = await SubmissionVersion.create(
        submission=submission,
        number=submission.version_count + 1,
        snapshot=snap,
        files=[_version_file(f) for f in files],
        fingerprint=digest,
        created_at=now(),
        author_id=user.id,
        changes=fp.changes(previous.snapshot if previous else None, snap),
    )
    submission.state = SubmissionState.SUBMITTED
    submission.submitted_at = version.created_at
    submission.fingerprint = digest
    submission.version_count = version.number
    await submission.save(
        update_fields=["state", "submitted_at", "fingerprint", "version_count", "updated_at"]
    )
    await _queue_receipts(links, event, team, submission, version)
    return Saved(submission, version)


def snapshot(submission: Submission, files: list[SubmissionFile]) -> fp.Snapshot:
    """What a submit fingerprints: the fields, the answers and the attachments' hashes (file
    answers by name and hash too; storage ids are left out, they are not content)."""
    answers = {
        key: ({k: v for k, v in value.items() if k != "file"} if isinstance(value, dict) else value)
        for key, value in (submission.answers or {}).items()
    }
    return {
        **{name: getattr(submission, name) for name in TEXT_FIELDS},
        "track": submission.track_id,
        "answers": answers,
        "files": [
            {"name": f.file.original_name, "sha256": f.file.sha256, "size": f.file.size}
            for f in files
            if f.question_id is None
        ],
    }


def _version_file(f: SubmissionFile) -> dict[str, Any]:
    return {
        "id": str(f.file.id),
        "name": f.file.original_name,
        "sha256": f.file.sha256,
        "size": f.file.size,
        "question": f.question_id,
    }


async def _queue_receipts(
    links: Links, event: Event, team: Team, submission: Submission, version: SubmissionVersion
) -> None:
    people = await TeamMember.filter(team_id=team.id).select_related("user")
    for member in people:
        person = member.user
        await outbox.queue(
            person.email,
            "events/submission_receipt",
            person.language,
            name=person.display_name,
            event_title=event_title(event, person),
            team_name=team.name,
            title=submission.title,
            number=version.number,
            submitted_at=version.created_at,
            time_zone=event.time_zone,
            fingerprint=version.fingerprint,
            files=[f for f in version.files if f["question"] is None],
            url=links.url("events:team", slug=event.slug, team_id=team.id),
        )


async def withdraw(user: Someone, team_access: TeamAccess) -> Submission:
    event = team_access.event
    require_submissions_open(event, now())
    await require_not_frozen(event)
    async with in_transaction():
        submission = (
            await of_event(Submission, event)
            .select_for_update()
            .get_or_none(team_id=team_access.team.id)
        )
        if submission is None or submission.state == SubmissionState.WITHDRAWN:
            raise Conflict(_("There is no submission to withdraw."))
        submission.state = SubmissionState.WITHDRAWN
        await submission.save(update_fields=["state", "updated_at"])
    return submission


async def remove_file(
    directory: Path, user: Someone, team_access: TeamAccess, link_id: int
) -> None:
    """Take an attachment off the submission. A file that was part of a submitted version
    stays in storage for the history; any other is deleted."""
    event = team_access.event
    require_submissions_open(event, now())
    await require_not_frozen(event)
    link = await SubmissionFile.get_or_none(
        id=link_id,
        submission__team_id=team_access.team.id,
        submission__event_id=event.id,
        detached_at=None,
    ).select_related("file")
    if link is None:
        raise NotFound(_("This file does not exist or is not available to you."))
    if await _in_a_version(link):
        await SubmissionFile.filter(id=link.id).update(detached_at=now())
        return
    async with in_transaction():
        await link.delete()
        await delete_file(directory, link.file)


async def _in_a_version(link: SubmissionFile) -> bool:
    wanted = str(link.file_id)
    versions = await SubmissionVersion.filter(submission_id=link.submission_id).values_list(
        "files", flat=True
    )
    return any(f.get("id") == wanted for files in versions for f in files or [])


async def versions(submission: Submission) -> list[SubmissionVersion]:
    return list(
        await SubmissionVersion.filter(submission_id=submission.id)
        .select_related("author")
        .order_by("-number")
    )
