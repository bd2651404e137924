"""The award's public pages: the archive of published cycles with their categories, and a
cycle's page (its categories with their rules, its timeline, the call to nominate)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from awards.routes.common import timeline_items, visible_cycle
from awards.services import public, voting
from core import permissions
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
    cycle = await visible_cycle(request)
    user = request.state.user
    moment = now()
    return page(
        request,
        "awards/detail.html",
        cycle=cycle,
        categories=await public.categories(cycle),
        timeline=timeline_items(cycle, moment),
        phase=cycle.phase(moment).value,
        can_manage=permissions.allowed(user, "awards.manage", cycle),
        juror=bool(user and await voting.juror_categories(user, cycle)),
    )


routes = [
    Route("/awards/{slug}", cycle_detail, name="awards:detail"),
    Route("/awards", cycle_list, name="awards:list"),
]
