"""The award's public pages: the archive of published cycles with their categories, and a
cycle's page (its categories with their rules, its timeline, the call to nominate)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from awards.routes.common import timeline_items, visible_cycle
from awards.services import public, shortlist_cache, voting
from core import page_cache, permissions
from core.clock import now
from core.web import page


async def cycle_list(request: Request) -> Response:
    user = request.state.user
    cycles = await public.published_cycles()
    organized = [c for c in await public.organized_cycles(user) if not c.published]
    return page(
        request,
        "awards/list.html",
        cycles=cycles,
        organized=organized,
        categories=await public.categories_of(cycles),
        now=now(),
        can_create=permissions.allowed(user, "awards.create"),
    )


async def cycle_detail(request: Request) -> Response:
    """A published cycle's page reads the same for every visitor without a session in one
    language: it is kept as bytes for a few seconds, never past the cycle's next milestone
    (awards.services.shortlist_cache), and such a visitor is answered without a query."""
    key = page_cache.anonymous_key(request, "awards:detail", request.path_params["slug"])
    return await shortlist_cache.of(request).serve(
        key, lambda: _cycle_page(request, key), HTMLResponse
    )


async def _cycle_page(request: Request, key: tuple[Any, ...] | None) -> Response:
    cache = shortlist_cache.of(request)
    seen = cache.generation
    cycle = await visible_cycle(request)
    user = request.state.user
    moment = now()
    response = page(
        request,
        "awards/detail.html",
        cycle=cycle,
        categories=await public.categories(cycle),
        timeline=timeline_items(cycle, moment),
        phase=cycle.phase(moment).value,
        can_manage=permissions.allowed(user, "awards.manage", cycle),
        juror=bool(user and await voting.juror_categories(user, cycle)),
    )
    if user is None and page_cache.session_free(request):  # the page used nobody's session
        milestones = [when for _name, when in cycle.timeline.milestones()]
        if cycle.results_publish_at is not None:  # the winners' link appears then
            milestones.append(cycle.results_publish_at)
        cache.put(key, bytes(response.body), seen=seen, milestones=milestones)
    return response


routes = [
    Route("/awards/{slug}", cycle_detail, name="awards:detail"),
    Route("/awards", cycle_list, name="awards:list"),
]
