"""Files uploaded with a registration or a submission: store every one of them or none, hand
them to the use case, and remove them again when the use case refuses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from pathlib import Path
from typing import Any, TypeVar

from starlette.datastructures import UploadFile

from core.errors import DomainError, Invalid
from core.storage import ALL_KINDS, StoredFile, delete_file, store_upload

ATTACHMENT_KINDS = ALL_KINDS
T = TypeVar("T")
Stored = list[tuple[Any, StoredFile]]


async def store_all(
    directory: Path,
    wanted: Sequence[tuple[Any, str, UploadFile]],
    *,
    purpose: str,
    owner_id: int | None,
    max_bytes: int,
    allowed: Collection[str] = ATTACHMENT_KINDS,
) -> Stored:
    """(key, field, file) in, (key, stored) out. If any file is refused, none is kept and
    Invalid carries each refused file's message under its field."""
    stored: Stored = []
    errors: dict[str, str] = {}
    for key, field, upload in wanted:
        try:
            kept = await store_upload(
                upload,
                directory=directory,
                purpose=purpose,
                owner_id=owner_id,
                allowed=allowed,
                max_bytes=max_bytes,
                field=field,
            )
        except Invalid as exc:
            for name, message in exc.errors.items():
                errors.setdefault(name, message)
            continue
        stored.append((key, kept))
    if errors:
        await discard(directory, stored)
        raise Invalid(errors)
    return stored


async def discard(directory: Path, stored: Sequence[tuple[Any, StoredFile]]) -> None:
    for _key, kept in stored:
        await delete_file(directory, kept)


async def store_then(
    directory: Path,
    wanted: Sequence[tuple[Any, str, UploadFile]],
    then: Callable[[Stored], Awaitable[T]],
    *,
    purpose: str,
    owner_id: int | None,
    max_bytes: int,
    allowed: Collection[str] = ATTACHMENT_KINDS,
) -> T:
    """Store the uploads, then run the use case `then` with them; when it refuses (a
    DomainError), the stored files are removed and the refusal goes on to the caller."""
    stored = await store_all(
        directory, wanted, purpose=purpose, owner_id=owner_id, max_bytes=max_bytes, allowed=allowed
    )
    try:
        return await then(stored)
    except DomainError:
        await discard(directory, stored)
        raise
