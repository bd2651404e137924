"""The cycle's jury for its organizers (each category with its judging round, judges, scoring
progress and shortlist: approve, withdraw, publish), and the published shortlist for everyone:
its page and `GET /api/v1/awards/{slug}/shortlist` (in the OpenAPI document).

Juries, rubrics, assignments and scoring are judging's own pages, for the scope
("award_cycle", cycle id); a category's round and judges carry the category's group key."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from accounts.enums import ScopeType
from awards.enums import Visibility
from awards.models import Category, Cycle, of_cycle
from awards.routes.common import managed_cycle, not_found, slug_of, visible_cycle
from awards.services import cycles, public_vote, shortlist, shortlist_cache
from awards.services.entry_source import group_key
from core import page_cache
from core.errors import Conflict
from core.i18n import gettext as _
from core.openapi import CACHE, bilingual, iso, registry
from core.web import flash, page, redirect

SCOPE_TYPE = ScopeType.AWARD_CYCLE.value


async def _category(cycle: Cycle, request: Request) -> Category:
    category = await of_cycle(Category, cycle).get_or_none(id=request.path_params["category_id"])
    if category is None:
        raise not_found()
    return category


async def jury(request: Request, status: int = 200, message: str = "") -> Response:
    cycle = await managed_cycle(request)
    return page(
        request,
        "awards/jury.html",
        status=status,
        cycle=cycle,
        rows=await shortlist.jury_overview(cycle),
        scope_type=SCOPE_TYPE,
        group_key=group_key,
        message=message,
    )


async def approve(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    try:
        rows = await shortlist.approve(request.state.user, cycle, category)
    except Conflict as exc:
        return await jury(request, 409, exc.message)
    flash(request, _("The shortlist of this category is approved (%(num)s).", num=len(rows)))
    return redirect(request, "awards:jury", slug=cycle.slug)


async def withdraw(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    try:
        await shortlist.withdraw_approval(request.state.user, cycle, category)
    except Conflict as exc:
        return await jury(request, 409, exc.message)
    flash(request, _("The approval has been withdrawn."))
    return redirect(request, "awards:jury", slug=cycle.slug)


async def publish(request: Request) -> Response:
    cycle = await managed_cycle(request)
    try:
        count = await shortlist.publish(request.state.user, cycle, request.app.state.settings)
    except Conflict as exc:
        return await jury(request, 409, exc.message)
    flash(
        request,
        _(
            "The shortlist is published (%(num)s nominations); nominators and nominees are "
            "being told.",
            num=count,
        ),
    )
    return redirect(request, "awards:jury", slug=cycle.slug)


async def shortlist_page(request: Request) -> Response:
    """A published shortlist reads the same for every visitor without a session in one
    language: the page is kept as bytes for a few seconds (awards.services.shortlist_cache),
    and such a visitor is answered without a query."""
    key = page_cache.anonymous_key(request, "awards:shortlist", request.path_params["slug"])
    return await shortlist_cache.of(request).serve(
        key, lambda: _shortlist_page(request, key), HTMLResponse
    )


async def _shortlist_page(request: Request, key: tuple[Any, ...] | None) -> Response:
    cache = shortlist_cache.of(request)
    seen = cache.generation
    cycle = await visible_cycle(request)
    published = await shortlist.published_shortlist(cycle)
    if published is None:
        raise not_found()
    response = page(
        request,
        "awards/shortlist.html",
        cycle=cycle,
        categories=published,
        voting=public_vote.is_open(cycle),
    )
    if request.state.user is None and page_cache.session_free(request):
        # the same for everyone (the vote's links, never a voter's choice), kept no later
        # than the vote's opening or closing
        milestones = (cycle.voting_opens, cycle.voting_closes)
        cache.put(key, bytes(response.body), seen=seen, milestones=milestones)
    return response


# --- the API -------------------------------------------------------------------------------


def _shortlist_body(request: Request, cycle: Cycle, found: list[Any]) -> dict[str, Any]:
    return {
        "slug": cycle.slug,
        "name": bilingual(cycle, "name"),
        "published_at": iso(cycle.shortlist_published_at),
        "url": str(request.url_for("awards:shortlist", slug=cycle.slug)),
        "categories": [
            {
                "id": item.category.id,
                "name": bilingual(item.category, "name"),
                "nominations": [
                    {
                        "rank": row.rank,
                        "nominee": bilingual(row.nomination, "nominee_name"),
                        "title": row.nomination.work_title,
                        "outlet": row.nomination.work_outlet,
                        "citation": row.citation,
                    }
                    for row in item.nominations
                ],
            }
            for item in found
        ],
    }


async def api_shortlist(request: Request) -> Response:
    slug = slug_of(request)
    cycle = await cycles.cycle_of_slug(slug) if slug else None
    if cycle is not None and cycle.visibility != Visibility.PUBLISHED:
        cycle = None
    found = await shortlist.published_shortlist(cycle) if cycle else None
    if cycle is None or found is None:
        return JSONResponse({"error": "not_found"}, status_code=404)
    return JSONResponse(_shortlist_body(request, cycle, found), headers=CACHE)


def _register_documentation() -> None:
    text = {"type": "string"}
    ref = {"$ref": "#/components/schemas/Bilingual"}

    def obj(properties: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "required": list(properties), "properties": properties}

    registry.add_schema(
        "AwardShortlistedNomination",
        obj(
            {
                "rank": {"type": "integer", "minimum": 1},
                "nominee": ref,
                "title": text,
                "outlet": text,
                "citation": {"type": "string", "description": "A short citation"},
            }
        ),
    )
    registry.add_schema(
        "AwardShortlist",
        obj(
            {
                "slug": text,
                "name": ref,
                "published_at": {"type": "string", "format": "date-time"},
                "url": {"type": "string", "format": "uri"},
                "categories": {
                    "type": "array",
                    "description": "In the cycle's order; each with its shortlist by rank",
                    "items": obj(
                        {
                            "id": {"type": "integer"},
                            "name": ref,
                            "nominations": {
                                "type": "array",
                                "items": {
                                    "$ref": "#/components/schemas/AwardShortlistedNomination"
                                },
                            },
                        }
                    ),
                },
            }
        ),
    )
    error = {"$ref": "#/components/schemas/Error"}
    registry.add_path(
        "/awards/{slug}/shortlist",
        "get",
        {
            "operationId": "getAwardShortlist",
            "summary": "The published shortlist of an award cycle, per category",
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": {
                    "description": "The shortlist",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/AwardShortlist"}
                        }
                    },
                },
                "404": {
                    "description": "No published cycle has this slug, or its shortlist is not "
                    "published yet",
                    "content": {"application/json": {"schema": error}},
                },
            },
        },
    )


_register_documentation()

_JURY = "/awards/{slug}/manage/jury"
routes = [
    Route("/awards/{slug}/shortlist", shortlist_page, name="awards:shortlist"),
    Route("/api/v1/awards/{slug}/shortlist", api_shortlist, name="awards:api_shortlist"),
    Route(_JURY, jury, name="awards:jury"),
    Route(
        _JURY + "/categories/{category_id:int}/approve",
        approve,
        methods=["POST"],
        name="awards:shortlist_approve",
    ),
    Route(
        _JURY + "/categories/{category_id:int}/withdraw",
        withdraw,
        methods=["POST"],
        name="awards:shortlist_withdraw",
    ),
    Route(_JURY + "/publish", publish, methods=["POST"], name="awards:shortlist_publish"),
]

# POST-only actions and the page their forms sit on (core.routing.form_pages).
FORM_PAGES = {
    "awards:shortlist_approve": "awards:jury",
    "awards:shortlist_withdraw": "awards:jury",
    "awards:shortlist_publish": "awards:jury",
}
