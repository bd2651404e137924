"""Core pages: home (its sections come from the domains' hooks), health, the OpenAPI document,
authorized file download, admin outbox and audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from core import audit_view, dates, language, page_cache, permissions
from core.audit import AuditEntry
from core.errors import NotFound
from core.hooks import AuditLabels
from core.i18n import LANGUAGES, zone
from core.i18n import gettext as _
from core.mail.models import MailState, OutboxMessage
from core.openapi import openapi
from core.pagination import page_number, paginate
from core.settings import ROOT
from core.storage import IMAGES as IMAGE_KINDS
from core.storage import StoredFile, content_disposition, file_path, upload_dir
from core.templating import render

HOME_CACHE = dt.timedelta(seconds=5)
HOME_PAGES_KEPT = 32


async def home(request: Request) -> Response:
    """The home page is the same for every visitor without a session (no user, no flash, no
    form token) in one language: it is kept as bytes as briefly as its sections."""
    key = page_cache.anonymous_key(request, "core:home")
    return await _home_cache(request).serve(key, lambda: _home_page(request, key), HTMLResponse)


def _home_cache(request: Request) -> page_cache.PageCache[Any]:
    return page_cache.on_app(request, "home_cache", HOME_CACHE, HOME_PAGES_KEPT)


async def _home_page(request: Request, key: tuple[Any, ...] | None) -> Response:
    sections = [
        {
            "key": section.key,
            "title": _(section.title),
            "empty": _(section.empty),
            "items": await _section_items(request, section.key),
        }
        for section in request.app.state.hooks.sections
    ]
    response = render(request, "core/home.html", {"sections": sections})
    if page_cache.session_free(request):  # the page used nobody's session
        _home_cache(request).put(key, bytes(response.body))
    return response


async def _section_items(request: Request, key: str) -> list[dict[str, Any]]:
    """Published items for the home page, cached briefly per process: the page is the most
    visited and its data changes rarely."""
    provider = request.app.state.hooks.home_sections.get(key)
    if provider is None:
        return []
    cache = _home_cache(request)
    section = ("section", key)

    async def read() -> list[dict[str, Any]]:
        seen = cache.generation
        items = await provider()
        cache.put(section, items, seen=seen)
        return items

    # one request reads an expired section again (PageCache.serve); the signed-in ones that
    # arrive meanwhile wait for it instead of each reading it (under load, dozens of reads
    # queued on the database's one thread made some home pages wait over a second)
    found: list[dict[str, Any]] = await cache.serve(section, read, lambda items: items)
    return found


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def download(request: Request) -> Response:
    """A stored file, to its owner, an admin, or whoever its purpose's file policy allows;
    everyone else gets the same 404 as for a file that does not exist."""
    missing = NotFound(_("This file does not exist or is not available to you."))
    stored = await StoredFile.get_or_none(id=request.path_params["file_id"])
    if stored is None or not await _may_download(request, stored):
        raise missing
    path = file_path(upload_dir(request), stored)
    if not path.is_file():  # a row may outlive its file (a restored database): 404, not 500
        raise missing
    inline = stored.kind in IMAGE_KINDS and request.query_params.get("inline") == "1"
    return FileResponse(
        path,
        media_type=stored.content_type,
        headers={
            "Content-Disposition": content_disposition(
                "inline" if inline else "attachment", stored.original_name
            ),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


async def _may_download(request: Request, stored: StoredFile) -> bool:
    user = request.state.user
    if permissions.admin(user, stored) or (user is not None and stored.owner_id == user.id):
        return True
    policy = request.app.state.hooks.file_policies.get(stored.purpose)
    return policy is not None and bool(await policy(user, stored))


def _require_admin(request: Request) -> None:
    """Anonymous visitors are asked to sign in; signed-in non-admins see a plain 404."""
    user = request.state.user
    permissions.require(user, "core.signed_in")
    permissions.require(user, "core.admin", visible="core.admin")


async def admin_outbox(request: Request) -> Response:
    _require_admin(request)
    q = request.query_params
    query = OutboxMessage.all()
    state = q.get("state", "")
    if state in {s.value for s in MailState}:
        query = query.filter(state=state)
    if search := q.get("q", "").strip()[:200]:
        query = query.filter(recipient__icontains=search)
    page = await paginate(query.order_by("-id"), page_number(q.get("page")))
    counts = await _state_counts()
    return render(
        request,
        "core/admin_outbox.html",
        {
            "page": page,
            "state": state,
            "q": search,
            "states": list(MailState),
            "counts": counts,
            "time_zone": request.app.state.settings.time_zone,
        },
    )


async def _state_counts() -> dict[str, int]:
    """How many mails are in each state, in one grouped query."""
    rows = await (
        OutboxMessage.all()
        .annotate(n=Count("id"))
        .group_by("state")
        .order_by("state")
        .values_list("state", "n")
    )
    found = {str(getattr(state, "value", state)): n for state, n in rows}
    return {s.value: found.get(s.value, 0) for s in MailState}


async def admin_outbox_detail(request: Request) -> Response:
    _require_admin(request)
    message = await OutboxMessage.get_or_none(id=request.path_params["message_id"])
    if message is None:
        raise NotFound(_("This page does not exist or is not available to you."))
    language = LANGUAGES.get(message.locale, {"name": message.locale, "dir": "ltr"})
    return render(
        request,
        "core/admin_outbox_detail.html",
        {
            "message": message,
            "language_name": language["name"],
            "message_dir": language["dir"],
            "time_zone": request.app.state.settings.time_zone,
        },
    )


def _day(raw: str) -> dt.date | None:
    """A filter's day; none (no bound) when it is not a date or outside the sane range."""
    try:
        day = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return day if day is not None and dates.in_range(day) else None


def _day_start(day: dt.date, time_zone: str) -> dt.datetime:
    """Midnight of `day` where the admins are (the site's time zone), in UTC: SQLite compares
    stored datetimes as text, so the bound must use the same offset as the stored values."""
    return dt.datetime.combine(day, dt.time(), zone(time_zone)).astimezone(dt.UTC)


def _audit_query(
    filters: dict[str, str], since: dt.date | None, until: dt.date | None, time_zone: str
) -> QuerySet[AuditEntry]:
    query = AuditEntry.all()
    if filters["action"]:
        query = query.filter(action__icontains=filters["action"])
    if filters["object_type"]:
        query = query.filter(object_type=filters["object_type"])
    if filters["actor"]:
        query = query.filter(actor_label__icontains=filters["actor"])
    if since:
        query = query.filter(at__gte=_day_start(since, time_zone))
    if until:
        query = query.filter(at__lt=_day_start(until + dt.timedelta(days=1), time_zone))
    return query.order_by("-at", "-id")


def _changed_fields(
    labels: AuditLabels, entry: AuditEntry
) -> list[tuple[str, str | None, str | None]]:
    """(field, before, after) rows as a person reads them; None where the entry has no such
    side at all. Fields in the order of their keys: PostgreSQL's jsonb keeps no insertion
    order, so the page reads the same on either database."""
    before, after = entry.before or {}, entry.after or {}
    keys = sorted({*before, *after})
    return [
        (
            audit_view.field(labels, k),
            audit_view.value(labels, k, before.get(k), entry.object_type)
            if entry.before is not None
            else None,
            audit_view.value(labels, k, after.get(k), entry.object_type)
            if entry.after is not None
            else None,
        )
        for k in keys
    ]


def _entry_names(labels: AuditLabels, entry: AuditEntry) -> dict[str, str]:
    return {
        "action": audit_view.action(labels, entry.action),
        "object": audit_view.object_type(labels, entry.object_type) if entry.object_type else "",
        "scope": audit_view.object_type(labels, entry.scope_type) if entry.scope_type else "",
    }


async def admin_audit(request: Request) -> Response:
    _require_admin(request)
    q = request.query_params
    time_zone = request.app.state.settings.time_zone
    filters = {k: q.get(k, "").strip()[:100] for k in ("action", "object_type", "actor")}
    since, until = _day(q.get("since", "")), _day(q.get("until", ""))
    page = await paginate(
        _audit_query(filters, since, until, time_zone), page_number(q.get("page"))
    )
    labels: AuditLabels = request.app.state.hooks.audit
    types = (
        await AuditEntry.all()
        .distinct()
        .order_by("object_type")
        .values_list("object_type", flat=True)
    )
    return render(
        request,
        "core/admin_audit.html",
        {
            "page": page,
            "filters": filters,
            "since": since or "",
            "until": until or "",
            "object_types": [(t, audit_view.object_type(labels, str(t))) for t in types if t],
            "time_zone": time_zone,
            "fields": {e.id: _changed_fields(labels, e) for e in page.items},
            "names": {e.id: _entry_names(labels, e) for e in page.items},
        },
    )


routes = [
    Route("/", home, name="core:home"),
    Route("/healthz", healthz, name="core:healthz"),
    Route("/api/v1/openapi.json", openapi, name="core:openapi"),
    *language.routes,
    Route("/files/{file_id:uuid}", download, name="core:download"),
    Route("/admin/outbox", admin_outbox, name="core:admin_outbox"),
    Route("/admin/outbox/{message_id:int}", admin_outbox_detail, name="core:admin_outbox_detail"),
    Route("/admin/audit", admin_audit, name="core:admin_audit"),
    Mount("/static", app=StaticFiles(directory=ROOT / "static"), name="static"),
]
