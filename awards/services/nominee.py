"""The nominee's side of a nomination: what the page behind the mailed link shows (the
nomination, its category and work, who nominated), and completing it once accepted (a
biography, a photo checked by content as an image, more files up to the category's limit).

Accepting and declining themselves are `awards.services.acceptance.answer`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile
from tortoise.transactions import in_transaction

from accounts.models import Someone, User
from awards.models import Category, Cycle, Nomination, NominationCredit, NominationFile
from awards.services import acceptance
from awards.services.common import LinkInvalid, scope
from core import audit
from core.errors import Invalid
from core.i18n import gettext as _
from core.settings import Settings
from core.storage import ALL_KINDS, IMAGES, StoredFile, delete_file, store_upload

BIOGRAPHY_MAX = 3000


@dataclass(frozen=True)
class Invitation:
    """A nomination as its nominee sees it from the link."""

    nomination: Nomination
    cycle: Cycle
    category: Category
    nominators: list[User]


def _not_valid() -> LinkInvalid:
    return LinkInvalid(_("This link is not valid. Use the link exactly as it came in the mail."))


async def invitation(settings: Settings, cycle: Cycle, token: str) -> Invitation:
    """The nomination of a link that is still usable and belongs to this cycle; otherwise
    LinkInvalid (altered, expired, used) or DeadlinePassed, with the reason."""
    nomination = await acceptance.nomination_for_link(settings, token)
    if nomination.cycle_id != cycle.id:
        raise _not_valid()
    credits = await NominationCredit.filter(nomination_id=nomination.id).select_related("user")
    return Invitation(nomination, cycle, nomination.category, [c.user for c in credits])


async def answer(
    settings: Settings, cycle: Cycle, token: str, *, accept: bool, user: Someone | None
) -> acceptance.Answer:
    """Accept or decline through the link of this cycle (checked first: a link of another
    cycle's nomination under this cycle's address is treated as altered)."""
    await invitation(settings, cycle, token)
    return await acceptance.answer(settings, token, accept=accept, user=user)


async def files_of(nomination: Nomination) -> list[StoredFile]:
    rows = await NominationFile.filter(nomination_id=nomination.id).select_related("file")
    return [row.file for row in rows]


async def complete(
    directory: Path,
    user: Someone,
    cycle: Cycle,
    nomination: Nomination,
    *,
    biography: str,
    photo: UploadFile | None,
    uploads: Sequence[UploadFile],
    max_bytes: int,
) -> Nomination:
    """Add what the nominee gives after accepting. Every file is checked by its content and
    either all are kept or none; nothing changes when anything is refused."""
    category = await Category.get(id=nomination.category_id)
    present = await NominationFile.filter(nomination_id=nomination.id).count()
    errors: dict[str, str] = {}
    if len(biography) > BIOGRAPHY_MAX:
        errors["biography"] = _(
            "Use at most %(n)s characters (you used %(used)s).",
            n=BIOGRAPHY_MAX,
            used=len(biography),
        )
    if uploads and present + len(uploads) > category.max_files:
        errors["files"] = _(
            "This category takes at most %(n)s files; the nomination has %(present)s.",
            n=category.max_files,
            present=present,
        )
    if errors:
        raise Invalid(errors)
    stored: list[StoredFile] = []
    try:
        new_photo = None
        if photo is not None:
            new_photo = await store_upload(
                photo,
                directory=directory,
                purpose="awards.nominee_photo",
                owner_id=user.id,
                allowed=IMAGES,
                max_bytes=max_bytes,
                field="photo",
            )
            stored.append(new_photo)
        kinds = set(category.file_kinds or []) or ALL_KINDS
        for upload in uploads:
            stored.append(
                await store_upload(
                    upload,
                    directory=directory,
                    purpose="awards.nomination_file",
                    owner_id=user.id,
                    allowed=kinds,
                    max_bytes=max_bytes,
                    field="files",
                )
            )
        old_photo_id = nomination.nominee_photo_id
        async with in_transaction():
            nomination.nominee_biography = biography
            if new_photo is not None:
                nomination.nominee_photo_id = new_photo.id
            await nomination.save(update_fields=["nominee_biography", "nominee_photo_id"])
            for kept in stored:
                if kept is not new_photo:
                    await NominationFile.create(nomination=nomination, file=kept)
            await audit.record(
                user,
                "awards.nominee_complete",
                nomination,
                after={
                    "biography": biography,
                    "photo": new_photo.original_name if new_photo else None,
                    "files": [f.original_name for f in stored if f is not new_photo],
                },
                scope=scope(cycle),
            )
    except BaseException:
        for kept in stored:
            await delete_file(directory, kept)
        raise
    if new_photo is not None and old_photo_id is not None:
        old = await StoredFile.get_or_none(id=old_photo_id)
        if old is not None:
            await delete_file(directory, old)
    return nomination
