"""What a nominator reads of their own nominations: the list on "my nominations" (drafts they
started, and every nomination crediting them), one nomination with who may do what to it, its
versions, files, rulings and appeal; taking a file off a draft; and who may download a
nomination's files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from accounts.models import User
from awards.enums import NominationState
from awards.models import (
    Appeal,
    Cycle,
    Nomination,
    NominationCredit,
    NominationFile,
    NominationVersion,
    ScreeningRuling,
)
from awards.rules import NominationAccess
from awards.services.common import require_nominations_open
from core import permissions
from core.clock import now
from core.errors import Conflict, NotFound
from core.i18n import gettext as _
from core.storage import StoredFile, delete_file

FILE_PURPOSE = "awards.nomination"


def latest_ruling(nomination: Nomination) -> ScreeningRuling | None:
    """The newest ruling of a nomination whose rulings are loaded."""
    rulings = list(nomination.rulings)
    return max(rulings, key=lambda r: (r.ruled_at, r.id)) if rulings else None


def appeal_of(nomination: Nomination) -> Appeal | None:
    """The nomination's appeal (there is at most one), of a nomination whose appeals are
    loaded."""
    appeals = list(nomination.appeals)
    return appeals[0] if appeals else None


async def my_nominations(user: User) -> list[Nomination]:
    """The drafts `user` started and every nomination crediting them (a nomination merged into
    another shows that one), newest first, with cycle, category, rulings and appeal loaded, in
    one query per relation."""
    query = Nomination.filter(
        Q(credits__user_id=user.id) | Q(created_by_id=user.id, state=NominationState.DRAFT)
    ).exclude(state=NominationState.MERGED)
    ids = list(await query.distinct().values_list("id", flat=True))
    if not ids:
        return []
    return list(
        await Nomination.filter(id__in=ids)
        .order_by("-id")
        .select_related("cycle", "category")
        .prefetch_related("rulings__reason", "appeals", "shortlisted")
    )


def shortlist_status(nomination: Nomination) -> str | None:
    """ "shortlisted" or "not_shortlisted" once the cycle's shortlist is published (for a
    nomination that was in the race), else None (`shortlisted` loaded by my_nominations)."""
    if nomination.cycle.shortlist_published_at is None:
        return None
    if list(nomination.shortlisted):
        return "shortlisted"
    return "not_shortlisted" if nomination.state == NominationState.ELIGIBLE else None


def access_for(user: User, nomination: Nomination) -> NominationAccess:
    """The access of a nomination listed by `my_nominations` (its reader is a nominator)."""
    return NominationAccess(nomination.cycle, nomination, frozenset({user.id}))


async def access(nomination: Nomination) -> NominationAccess:
    """A nomination (with its cycle loaded) and every nominator: those credited, and the one
    who started it (a draft has no credit yet)."""
    ids = await NominationCredit.filter(nomination_id=nomination.id).values_list(
        "user_id", flat=True
    )
    return NominationAccess(
        nomination.cycle, nomination, frozenset({*ids, nomination.created_by_id})
    )


async def nomination(nomination_id: int) -> Nomination | None:
    """One nomination with its cycle, category, rulings with reasons and appeal."""
    return (
        await Nomination.filter(id=nomination_id)
        .select_related("cycle", "category")
        .prefetch_related("rulings__reason", "appeals")
        .first()
    )


async def versions(nomination: Nomination) -> list[NominationVersion]:
    return list(
        await NominationVersion.filter(nomination_id=nomination.id)
        .order_by("-number")
        .select_related("author")
    )


async def files(nomination: Nomination) -> list[NominationFile]:
    return list(
        await NominationFile.filter(nomination_id=nomination.id)
        .order_by("created_at", "id")
        .select_related("file")
    )


async def credited(nomination: Nomination) -> list[NominationCredit]:
    return list(
        await NominationCredit.filter(nomination_id=nomination.id)
        .order_by("created_at", "id")
        .select_related("user")
    )


async def may_download(user: Any, stored: StoredFile) -> bool:
    """A nomination's file, to its nominators and the cycle's organizers."""
    if user is None:
        return False
    link = await NominationFile.get_or_none(file_id=stored.id).select_related("nomination")
    if link is None:
        return False
    row = link.nomination
    row.cycle = await Cycle.get(id=row.cycle_id)
    return permissions.allowed(user, "awards.nomination_view", await access(row))


async def remove_draft_file(
    directory: Path, user: User, nomination: Nomination, link_id: int
) -> None:
    """Take a file off a draft, by the person who started it, until the deadline. A submitted
    nomination keeps its files: each version's fingerprint covers them."""
    async with in_transaction():
        cycle = await Cycle.get(id=nomination.cycle_id)
        require_nominations_open(cycle, now())
        row = await Nomination.select_for_update().get(id=nomination.id)
        if row.created_by_id != user.id:
            raise NotFound(_("This nomination does not exist or is not yours."))
        if row.state != NominationState.DRAFT:
            raise Conflict(
                _("A submitted nomination keeps its files: you can add files, not remove them.")
            )
        link = await NominationFile.get_or_none(id=link_id, nomination_id=row.id).select_related(
            "file"
        )
        if link is None:
            raise NotFound(_("This file does not exist or is not available to you."))
        await link.delete()
        await delete_file(directory, link.file)


FILE_POLICIES = {FILE_PURPOSE: may_download}
