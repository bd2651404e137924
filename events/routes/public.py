"""The public pages of Mediathon events: the list of events and an event's page (kept as bytes
for visitors without a session until the next milestone or change)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from accounts.enums import ScopeType
from accounts.models import SignedIn
from core import page_cache, permissions
from core.clock import now
from core.web import page
from events import phases, views
from events.enums import Visibility
from events.models import Event
from events.routes.common import not_found
from events.services import event_page, public_cache
from judging.services import published


def _user(request: Request) -> SignedIn | None:
    return request.state.user


# --- public pages --------------------------------------------------------------------------


async def event_list(request: Request) -> Response:
    user = _user(request)
    published = await Event.filter(visibility=Visibility.PUBLISHED).order_by(
        "-registration_opens", "id"
    )
    organized: list[Event] = []
    if user is not None and user.is_admin:
        organized = list(await Event.all().order_by("-registration_opens", "id"))
    elif user is not None:
        ids = [i for t, i, r in user.roles if t == "event" and r == "organizer"]
        organized = list(await Event.filter(id__in=ids).order_by("-registration_opens", "id"))
    return page(
        request,
        "events/list.html",
        events=published,
        organized=organized,
        can_create=permissions.allowed(user, "events.create"),
        now=now(),
    )


async def event_detail(request: Request) -> Response:
    key = page_cache.anonymous_key(request, "events:detail", request.path_params["slug"])
    return await public_cache.of(request).serve(
        key, lambda: _event_page(request, key), HTMLResponse
    )


async def _event_page(request: Request, key: tuple[Any, ...] | None) -> Response:
    cache = public_cache.of(request)
    seen = cache.generation
    user = _user(request)
    found = await event_page.read(request.path_params["slug"], user)
    if found is None:
        raise not_found()
    event = found.event
    permissions.require(user, "events.view", event, visible="events.view")
    moment = now()
    timeline = event.timeline  # made once: the phase, the open windows and the dates read it
    doing = views.Doing(
        phase=phases.phase(timeline, moment),
        registration_open=phases.registration_open(timeline, moment),
        teams_open=phases.teams_open(timeline, moment),
        can_manage=permissions.allowed(user, "events.manage", event),
        signed_in=user is not None,
    )
    response = page(
        request,
        "events/detail.html",
        event=event,
        shown=views.event_page(request, event, found, timeline, doing, moment),
        results=(
            await published.published_results(ScopeType.EVENT.value, event.id)
            if found.published
            else None
        ),
    )
    if user is None and page_cache.session_free(request):  # the page used nobody's session
        await public_cache.keep_event_page(
            cache, key, bytes(response.body), event, seen=seen, moment=moment
        )
    return response


routes = [
    Route("/events/{slug}", event_detail, name="events:detail"),
    Route("/events", event_list, name="events:list"),
]
