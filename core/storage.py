"""Uploads: size-capped streaming, type checked by content, random names outside static/,
served only through an authorized route (see core.routes.download)."""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
import unicodedata
import zipfile
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from babel.lists import format_list
from babel.numbers import format_decimal
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message
from tortoise import fields
from tortoise.models import Model

from core.errors import DomainError, Invalid
from core.i18n import N_, get_locale
from core.i18n import gettext as _

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Kind:
    name: str
    mime: str
    extension: str


KINDS = {
    k.name: k
    for k in (
        Kind("pdf", "application/pdf", "pdf"),
        Kind("png", "image/png", "png"),
        Kind("jpeg", "image/jpeg", "jpg"),
        Kind("webp", "image/webp", "webp"),
        Kind("mp4", "video/mp4", "mp4"),
        Kind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        Kind(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
        ),
        Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    )
}
IMAGES = frozenset({"png", "jpeg", "webp"})
DOCUMENTS = frozenset({"pdf", "docx", "pptx", "xlsx"})
ALL_KINDS = frozenset(KINDS)
_OOXML = {"word/": "docx", "ppt/": "pptx", "xl/": "xlsx"}
# ISO base media brands of MP4 video (QuickTime "qt  " and audio-only "M4A " are not accepted)
_MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso3",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"dash",
        b"MSNV",
        b"mp71",
    }
)


class StoredFile(Model):
    id = fields.UUIDField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)
    original_name = fields.CharField(max_length=255)
    kind = fields.CharField(max_length=10)
    content_type = fields.CharField(max_length=120)
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64)
    owner_id = fields.IntField(null=True, db_index=True)
    purpose = fields.CharField(max_length=60, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "core_stored_file"


def sniff(head: bytes, path: Path | None = None) -> str | None:
    """The kind of a file from its first bytes (and, for ZIP-based Office files, its index)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return "mp4"
    if head.startswith(b"PK\x03\x04") and path is not None:
        return _ooxml_kind(path)
    return None


def _ooxml_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return None  # macro-enabled (.docm, .pptm, .xlsm) renamed: refused
    for prefix, kind in _OOXML.items():
        if any(n.startswith(prefix) for n in names):
            return kind
    return None


def clean_name(name: str | None, kind: Kind) -> str:
    """A display name without paths, control or bidi-override characters, or a misleading
    extension: the extension always follows the sniffed kind."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = " ".join(base.split()).strip(" .")
    stem = base.rsplit(".", 1)[0].strip(" .")[:120] or "file"
    return f"{stem}.{kind.extension}"


def upload_dir(request_or_settings: Any) -> Path:
    settings = getattr(getattr(request_or_settings, "app", None), "state", None)
    settings = settings.settings if settings is not None else request_or_settings
    path = settings.path(settings.uploads_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


class BodyTooLarge(DomainError):
    """The request body passed the configured cap while it was being read (answers 413)."""

    status_code = 413

    def __init__(self, max_bytes: int) -> None:
        super().__init__(_("The file is larger than %(size)s.", size=human_size(max_bytes)))
        self.max_bytes = max_bytes


def cap_body(request: Request, max_bytes: int) -> Request:
    """The same request, its body refused past `max_bytes` while streaming, whether or not it
    declares a Content-Length (the form parser then never writes more than the cap to disk)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BodyTooLarge(max_bytes)
    received = 0
    receive = request.receive

    async def limited() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > max_bytes:
            raise BodyTooLarge(max_bytes)
        return message

    return Request(request.scope, limited)


async def store_upload(
    upload: UploadFile,
    *,
    directory: Path,
    purpose: str,
    owner_id: int | None,
    allowed: Collection[str],
    max_bytes: int,
    field: str = "file",
) -> StoredFile:
    """Check an uploaded file and keep it under a random name; raises Invalid with a message
    for `field`. Nothing is left on disk when the file is refused."""
    if upload.size is not None and upload.size > max_bytes:
        raise _too_large(field, max_bytes)
    key = secrets.token_hex(16)
    target = directory / key
    try:
        size, sha = await _write(upload, target, max_bytes, field)
        kind = _checked_kind(target, size, allowed, field)
        return await StoredFile.create(
            key=key,
            original_name=clean_name(upload.filename, kind),
            kind=kind.name,
            content_type=kind.mime,
            size=size,
            sha256=sha,
            owner_id=owner_id,
            purpose=purpose,
        )
    except BaseException:
        _discard(target)
        raise


async def _write(upload: UploadFile, target: Path, max_bytes: int, field: str) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    await upload.seek(0)
    with open(target, "xb") as out:  # noqa: ASYNC230 - small chunks to a local disk
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(field, max_bytes)
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _checked_kind(target: Path, size: int, allowed: Collection[str], field: str) -> Kind:
    if size == 0:
        raise Invalid({field: _("The file is empty.")})
    with target.open("rb") as f:
        kind_name = sniff(f.read(64), target)
    if kind_name is None or kind_name not in allowed:
        names = kinds_list(sorted(allowed, key=lambda k: KINDS[k].extension if k in KINDS else k))
        raise Invalid(
            {field: _("This type of file is not accepted. Accepted: %(kinds)s.", kinds=names)}
        )
    return KINDS[kind_name]


def _too_large(field: str, max_bytes: int) -> Invalid:
    return Invalid({field: _("The file is larger than %(size)s.", size=human_size(max_bytes))})


def _discard(target: Path) -> None:
    target.unlink(missing_ok=True)


def content_disposition(disposition: str, name: str) -> str:
    """`attachment; filename="plain.pdf"; filename*=UTF-8''...`: an ASCII fallback for old
    clients and the exact (often Arabic) name for the rest (RFC 6266)."""
    stem, _dot, extension = name.rpartition(".")
    fallback = re.sub(r"[^A-Za-z0-9 ._()-]+", "_", stem).strip(" ._") or "file"
    value = f'{disposition}; filename="{fallback}.{extension}"'
    if f"{fallback}.{extension}" != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def file_path(directory: Path, stored: StoredFile) -> Path:
    return directory / stored.key


async def delete_file(directory: Path, stored: StoredFile) -> None:
    (directory / stored.key).unlink(missing_ok=True)
    await stored.delete()


def copy_into(directory: Path, source: Path) -> tuple[str, int, str]:
    """Copy a local file into storage (demo data); returns key, size, sha256."""
    key = secrets.token_hex(16)
    shutil.copyfile(source, directory / key)
    data = (directory / key).read_bytes()
    return key, len(data), hashlib.sha256(data).hexdigest()


SIZE_UNITS = (N_("%(size)s B"), N_("%(size)s KB"), N_("%(size)s MB"), N_("%(size)s GB"))


def human_size(n: int) -> str:
    """A size as the reader writes it: "1.5 MB", "1.5 م.ب" (one decimal at most)."""
    value = float(n)
    for unit in SIZE_UNITS:
        if value < 1024 or unit == SIZE_UNITS[-1]:
            break
        value /= 1024
    return _(unit, size=format_decimal(value, format="#,##0.#", locale=get_locale()))


def kinds_list(kinds: Collection[str]) -> str:
    """File kinds as their extensions, a list in the reader's language: "PDF or JPG",
    "PDF أو JPG" (kinds not known here are left out)."""
    names = [KINDS[k].extension.upper() for k in kinds if k in KINDS]
    return format_list(names, style="or", locale=get_locale()) if names else ""


FilePolicy = Callable[[Any, StoredFile], Awaitable[bool]]
