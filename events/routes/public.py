"""The public pages of Mediathon events: the list of events and an event's page (kept as bytes
for visitors without a session until the next milestone or change)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from accounts.enums import ScopeType
from accounts.models import User
from core import page_cache, permissions
from core.clock import now
from core.i18n import format_datetime, localized_in, zone_name
from core.i18n import gettext as _
from core.templating import user_written
from core.web import page
from events import labels, phases
from events.enums import Visibility
from events.models import Event
from events.routes.common import not_found
from events.services import event_page, public_cache
from judging.services import published


def _user(request: Request) -> User | None:
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
    phase = phases.phase(timeline, moment)
    response = page(
        request,
        "events/detail.html",
        event=event,
        shown=_shown_event(event, found, timeline, phase, moment),
        phase=phase,
        registration_open=phases.registration_open(timeline, moment),
        teams_open=phases.teams_open(timeline, moment),
        registered=found.registered,
        team=found.team,
        can_manage=permissions.allowed(user, "events.manage", event),
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


def _user_text(obj: Any, field: str) -> Markup:
    """Organizer content in the reader's language (else the other), isolated as |auto does."""
    value, lang = localized_in(obj, field)
    return user_written(value, lang)


@dataclass(slots=True)
class ShownEvent:
    """An event's page as shown: values made in the reader's language, organizer texts
    isolated in their direction (as |auto does)."""

    title: str  # the page's title, plain
    heading: Markup
    description: Markup
    rules: Markup
    phase: str
    tracks: list[tuple[Markup, Markup]]  # name, description
    timeline: list[tuple[str, str, str, str, str]]  # class, key, name, ISO time, shown time
    time_zone: Markup  # the sentence naming the timeline's time zone
    team_size: Markup  # the sentence saying how many members a team has
    my_team: Markup  # the link to the visitor's team says this ("" without a team)


def _shown_event(
    event: Event,
    found: event_page.EventPage,
    timeline: phases.Timeline,
    phase: str,
    moment: dt.datetime,
) -> ShownEvent:
    """The page's display values, made once here instead of by a helper call per value in
    the template; its sentences with values as the template's _() makes them (the
    translation escaped as text, then each value escaped unless it is markup)."""
    tz = event.time_zone
    title, title_lang = localized_in(event, "title")
    team = found.team
    return ShownEvent(
        title=title,
        heading=user_written(title, title_lang),
        description=_user_text(event, "description"),
        rules=_user_text(event, "rules"),
        phase=labels.label(labels.PHASES, phase),
        tracks=[
            (_user_text(track, "name"), _user_text(track, "description")) for track in found.tracks
        ],
        timeline=[
            (
                "passed" if when <= moment else "ahead",
                key,
                _(labels.MILESTONES[key]),
                when.isoformat(),
                format_datetime(when, tz),
            )
            for key, when in timeline.milestones()
        ],
        time_zone=_said(
            _("Times are shown in the event's time zone (%(zone)s)."), zone=escape(zone_name(tz))
        ),
        team_size=_said(
            _("Teams have %(min)s to %(max)s members."), min=event.team_min, max=event.team_max
        ),
        my_team=(
            _said(_("Go to your team: %(team)s"), team=user_written(team.name))
            if team is not None
            else Markup()
        ),
    )


def _said(translated: str, **values: Markup | int) -> Markup:
    """A translated sentence as the template's _() shows it: the translation escaped as text,
    the values put in as they are (markup already, or numbers), without Markup's % (which
    escapes each value again, through a helper object per value)."""
    return Markup(str(escape(translated)) % values)  # noqa: S704 - escaped text, safe values


routes = [
    Route("/events/{slug}", event_detail, name="events:detail"),
    Route("/events", event_list, name="events:list"),
]
