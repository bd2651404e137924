"""A judge downloads an entry's files from the scoring page. In a blind round a file is named
by entry and position (`entry-17-attachment-1.pdf`), never by the team's own file name, which
often names the team."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from core import permissions
from core.errors import NotFound
from core.i18n import gettext as _
from core.storage import StoredFile, content_disposition, file_path, upload_dir
from judging.routes.common import entry_source, signed_in
from judging.services import sheets


def blind_name(entry_id: int, position: int, stored: StoredFile) -> str:
    """The name a file of an entry goes by in a blind round (position counts from 1)."""
    _stem, dot, extension = stored.original_name.rpartition(".")
    suffix = "." + extension.lower() if dot and extension.isalnum() else ""
    return f"entry-{entry_id}-attachment-{position}{suffix}"


def shown_name(seen: sheets.Scoring, position: int, stored: StoredFile) -> str:
    return blind_name(seen.entry.id, position, stored) if seen.round.blind else stored.original_name


async def entry_file(request: Request) -> Response:
    """The entry's file at this position, to a judge who may see the entry."""
    user = signed_in(request)
    seen = await sheets.scoring_for(user, request.path_params["entry_id"])
    permissions.require(user, "judging.see_entry", seen, visible="judging.see_entry")
    source = entry_source(request, seen.round.scope_type)
    detail = await source.detail(seen.entry.source_id, blind=seen.round.blind) if source else None
    position = request.path_params["position"]
    files = detail.files if detail else []
    path = (
        file_path(upload_dir(request), files[position - 1]) if 0 < position <= len(files) else None
    )
    if path is None or not path.is_file():
        raise NotFound(_("This file does not exist or is not available to you."))
    stored = files[position - 1]
    return FileResponse(
        path,
        media_type=stored.content_type,
        headers={
            "Content-Disposition": content_disposition(
                "attachment", shown_name(seen, position, stored)
            ),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )
