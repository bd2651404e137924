"""What every events handler needs: load the event (and team) within scope, mail links, and
keep uploads all-or-nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from core import answers, permissions, templating
from core.errors import DomainError, Invalid, NotFound
from core.forms import Form
from core.i18n import gettext as _
from core.links import Links, request_links
from core.web import page
from events import labels
from events.models import SLUG_MAX, Event, Team, of_event
from events.rules import TeamAccess
from events.services import editions, teams

MIB = 1024 * 1024
# What an attachment may be: PDF, slides, documents, spreadsheets, images, video.


def not_found() -> NotFound:
    return NotFound(_("This page does not exist or is not available to you."))


def slug_of(request: Request) -> str | None:
    """The URL's event slug, or None when it cannot be one (longer than any slug: asking the
    database would only fail its length check)."""
    slug = request.path_params["slug"]
    return slug if len(slug) <= SLUG_MAX else None


async def event_or_404(request: Request) -> Event:
    slug = slug_of(request)
    event = await editions.event_by_slug(slug) if slug else None
    if event is None:
        raise not_found()
    return event


async def visible_event(request: Request) -> Event:
    """The event of the URL, if this visitor may see it (drafts only to their organizers)."""
    event = await event_or_404(request)
    permissions.require(request.state.user, "events.view", event, visible="events.view")
    return event


async def managed_event(request: Request) -> Event:
    permissions.require(request.state.user, "core.signed_in")  # a signed-out organizer signs in
    event = await event_or_404(request)
    permissions.require(request.state.user, "events.manage", event, visible="events.manage")
    return event


async def team_access(
    request: Request, event: Event, rule: str, visible: str = "events.team_view"
) -> TeamAccess:
    """The team of the URL within the event, checked against `rule` (404 if not visible)."""
    permissions.require(request.state.user, "core.signed_in")
    team = (
        await of_event(Team, event)
        .get_or_none(id=request.path_params["team_id"])
        .select_related("track")
    )
    if team is None:
        raise not_found()
    found = await teams.access(event, team)
    permissions.require(request.state.user, rule, found, visible=visible)
    return found


def timeline_items(event: Event, moment: dt.datetime) -> list[dict[str, Any]]:
    """The event's dates in order, named, and whether each has passed."""
    return [
        {"key": key, "label": _(labels.MILESTONES[key]), "when": when, "passed": when <= moment}
        for key, when in event.timeline.milestones()
    ]


def links(request: Request) -> Links:
    return request_links(request)


def secret(request: Request) -> str:
    return request.app.state.settings.secret_key


def file_cap(request: Request, event: Event) -> int:
    """One file's size limit: the event's, never above the site's."""
    return min(event.max_attachment_mb * MIB, request.app.state.settings.uploads_max_bytes)


def uploads_in(data: Any, name: str) -> list[UploadFile]:
    """The files actually chosen in a file input (a browser sends an empty part for none)."""
    values = data.getlist(name) if hasattr(data, "getlist") else []
    return [v for v in values if isinstance(v, UploadFile) and v.filename]


templating.plain_helpers(labels.label)  # called per row, takes nothing from the template


def page_context() -> dict[str, Any]:
    """What every events page can use: the label helpers (events.plugin offers it)."""
    return {
        "labels": labels,
        "label": labels.label,
        "answer": answers.display,
    }


def refused(
    request: Request, template: str, form: Form, exc: DomainError, **extra: Any
) -> Response:
    """The form again with what was typed and the service's reason."""
    if isinstance(exc, Invalid):
        for name, message in exc.errors.items():
            form.error(name, message)
    message = exc.message if not isinstance(exc, Invalid) or not exc.errors else ""
    return page(request, template, form, exc.status_code, message=message, **extra)
