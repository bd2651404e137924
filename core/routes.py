"""Core pages: home, health, authorized file download, admin outbox and audit log."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from core import permissions
from core.audit import AuditEntry
from core.errors import NotFound
from core.i18n import N_
from core.i18n import gettext as _
from core.mail.models import MailState, OutboxMessage
from core.pagination import page_number, paginate
from core.settings import ROOT
from core.storage import StoredFile, file_path, upload_dir
from core.templating import render

HOME_SECTIONS = (
    ("events", N_("Mediathon events"), N_("No Mediathon event has been published yet.")),
    ("awards", N_("Media Excellence Award"), N_("No award cycle has been published yet.")),
)
HOME_CACHE_SECONDS = 5.0


async def home(request: Request) -> Response:
    sections = [
        {"key": key, "title": _(title), "empty": _(empty),
         "items": await _section_items(request, key)}
        for key, title, empty in HOME_SECTIONS
    ]
    return render(request, "core/home.html", {"sections": sections})


async def _section_items(request: Request, key: str) -> list[dict[str, Any]]:
    """Published items for the home page, cached briefly per process: the page is the most
    visited and its data changes rarely."""
    provider = request.app.state.hooks.home_sections.get(key)
    if provider is None:
        return []
    cache = request.app.state.home_cache
    hit = cache.get(key)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    items = await provider()
    cache[key] = (time.monotonic() + HOME_CACHE_SECONDS, items)
    return items


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def download(request: Request) -> Response:
    stored = await StoredFile.get_or_none(id=request.path_params["file_id"])
    user = request.state.user
    policy = request.app.state.hooks.file_policies.get(stored.purpose) if stored else None
    if stored is None or not (
        permissions.admin(user, stored)
        or (policy is not None and await policy(user, stored))
        or (user is not None and stored.owner_id == user.id)
    ):
        raise NotFound(_("This file does not exist or is not available to you."))
    inline = stored.kind in {"png", "jpeg", "webp"} and request.query_params.get("inline")
    return FileResponse(
        file_path(upload_dir(request), stored), media_type=stored.content_type,
        filename=stored.original_name,
        content_disposition_type="inline" if inline else "attachment",
        headers={"Cache-Control": "private, no-store",
                 "Content-Security-Policy": "default-src 'none'; sandbox"},
    )


async def admin_outbox(request: Request) -> Response:
    permissions.require(request.state.user, "core.admin", visible="core.admin")
    q = request.query_params
    query = OutboxMessage.all()
    state = q.get("state", "")
    if state in {s.value for s in MailState}:
        query = query.filter(state=state)
    if search := q.get("q", "").strip()[:200]:
        query = query.filter(recipient__icontains=search)
    page = await paginate(query.order_by("-id"), page_number(q.get("page")))
    counts = {s.value: await OutboxMessage.filter(state=s).count() for s in MailState}
    return render(request, "core/admin_outbox.html", {
        "page": page, "state": state, "q": search, "states": list(MailState), "counts": counts,
    })


async def admin_outbox_detail(request: Request) -> Response:
    permissions.require(request.state.user, "core.admin", visible="core.admin")
    message = await OutboxMessage.get_or_none(id=request.path_params["message_id"])
    if message is None:
        raise NotFound(_("This page does not exist or is not available to you."))
    return render(request, "core/admin_outbox_detail.html", {"message": message})


def _day(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


async def admin_audit(request: Request) -> Response:
    permissions.require(request.state.user, "core.admin", visible="core.admin")
    q = request.query_params
    filters = {k: q.get(k, "").strip()[:100] for k in ("action", "object_type", "actor")}
    query = AuditEntry.all()
    if filters["action"]:
        query = query.filter(action__icontains=filters["action"])
    if filters["object_type"]:
        query = query.filter(object_type=filters["object_type"])
    if filters["actor"]:
        query = query.filter(actor_label__icontains=filters["actor"])
    since, until = _day(q.get("since", "")), _day(q.get("until", ""))
    if since:
        query = query.filter(at__gte=dt.datetime.combine(since, dt.time(), dt.UTC))
    if until:
        query = query.filter(at__lt=dt.datetime.combine(until, dt.time(), dt.UTC)
                             + dt.timedelta(days=1))
    page = await paginate(query.order_by("-at", "-id"), page_number(q.get("page")))
    types = await AuditEntry.all().distinct().order_by("object_type").values_list(
        "object_type", flat=True)
    return render(request, "core/admin_audit.html", {
        "page": page, "filters": filters, "since": since or "", "until": until or "",
        "object_types": types,
    })


routes = [
    Route("/", home, name="core:home"),
    Route("/healthz", healthz, name="core:healthz"),
    Route("/files/{file_id:uuid}", download, name="core:download"),
    Route("/admin/outbox", admin_outbox, name="core:admin_outbox"),
    Route("/admin/outbox/{message_id:int}", admin_outbox_detail, name="core:admin_outbox_detail"),
    Route("/admin/audit", admin_audit, name="core:admin_audit"),
    Mount("/static", app=StaticFiles(directory=ROOT / "static"), name="static"),
]
