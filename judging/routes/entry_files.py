"""A judge downloads an entry's files from the scoring page. In a blind round a file is named
by entry and position (`entry-17-attachment-1.pdf`), never by the team's own file name, which
often names the team."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from core import permissions
from core.errors import NotFound
from core.i18n import gettext as _
from core.storage import StoredFile, content_disposition, file_path, upload_dir
from judging.routes.common import entry_source, signed_in
from judging.services import sheets
from judging.sources import EntryDetail


def blind_name(entry_id: int, position: int, stored: StoredFile) -> str:
    """The name a file of an entry goes by in a blind round (position counts from 1)."""
    _stem, dot, extension = stored.original_name.rpartition(".")
    suffix = "." + extension.lower() if dot and extension.isalnum() else ""
    return f"entry-{entry_id}-attachment-{position}{suffix}"


def shown_name(seen: sheets.Scoring, position: int, stored: StoredFile) -> str:
    return blind_name(seen.entry.id, position, stored) if seen.round.blind else stored.original_name


@dataclass(frozen=True)
class ShownFile:
    """A file of the entry as the judge's page lists it: its position (from 1), its row, and
    whether its bytes are in storage (a link is shown only then, so no link answers 404)."""

    position: int
    stored: StoredFile
    name: str
    available: bool


def shown_files(
    request: Request, seen: sheets.Scoring, detail: EntryDetail | None
) -> list[ShownFile]:
    """The entry's files for a judge who may read the entry: the page lists these and the
    download route serves exactly these, under the same rule (judging.see_entry)."""
    directory = upload_dir(request)
    return [
        ShownFile(
            position,
            stored,
            shown_name(seen, position, stored),
            file_path(directory, stored).is_file(),
        )
        for position, stored in enumerate(detail.files if detail else [], start=1)
    ]


async def entry_detail(request: Request, seen: sheets.Scoring) -> EntryDetail | None:
    source = entry_source(request, seen.round.scope_type)
    return await source.detail(seen.entry.source_id, blind=seen.round.blind) if source else None


async def entry_file(request: Request) -> Response:
    """The entry's file at this position, to a judge who may read the entry: for as long as
    they may read it (open, closed or published round), as the scoring page shows it."""
    user = signed_in(request)
    seen = await sheets.scoring_for(user, request.path_params["entry_id"])
    permissions.require(user, "judging.see_entry", seen, visible="judging.see_entry")
    files = shown_files(request, seen, await entry_detail(request, seen))
    position = request.path_params["position"]
    shown = files[position - 1] if 0 < position <= len(files) else None
    if shown is None or not shown.available:
        raise NotFound(_("This file does not exist or is not available to you."))
    return FileResponse(
        file_path(upload_dir(request), shown.stored),
        media_type=shown.stored.content_type,
        headers={
            "Content-Disposition": content_disposition("attachment", shown.name),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
