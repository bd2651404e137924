"""Who may download an event's files through /files/{id}: the submission's team, the event's
organizers and the judges assigned to it (judging.services.access says which); a
registration file's registrant and organizers. core/routes.py `download` asks these policies
(offered in events/plugin.py) after the file's owner and the admins."""

from __future__ import annotations

from typing import Any

from core import permissions
from core.storage import StoredFile
from events.models import RegistrationFile, SubmissionFile, TeamMember
from judging.services import access

SUBMISSION_PURPOSE = "events.submission"
REGISTRATION_PURPOSE = "events.registration"


async def submission_file(user: Any, stored: StoredFile) -> bool:
    if user is None:
        return False
    link = await SubmissionFile.get_or_none(file_id=stored.id).select_related("submission__event")
    if link is None:
        return False
    submission = link.submission
    if permissions.allowed(user, "events.manage", submission.event):
        return True
    if await TeamMember.filter(team_id=submission.team_id, user_id=user.id).exists():
        return True
    return await access.judge_may_read(user.id, SUBMISSION_PURPOSE, submission.id)


async def registration_file(user: Any, stored: StoredFile) -> bool:
    if user is None:
        return False
    link = await RegistrationFile.get_or_none(file_id=stored.id).select_related(
        "event", "registration"
    )
    if link is None:
        return False
    return link.registration.user_id == user.id or permissions.allowed(
        user, "events.manage", link.event
    )


FILE_POLICIES = {SUBMISSION_PURPOSE: submission_file, REGISTRATION_PURPOSE: registration_file}
