"""A cycle's results: the organizer's pages (count, each category's full report with the
sensitivity of its winner to the jury weight, "no award", citations, approval, publication now
or at a set time) and, once published, the public's (the results page, each category's report,
the bundle download, the archive of past cycles and `GET /api/v1/awards/{slug}/results`).

Nothing public answers before the moment of publication (`results.is_public`): a 404, like a
cycle that does not exist."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from awards import labels
from awards.models import Category, Cycle, of_cycle
from awards.routes.common import managed_cycle, not_found, slug_of, visible_cycle
from awards.services import cycles, results, results_cache
from awards.tabulation import point_scale
from core import page_cache
from core.clock import now
from core.errors import Conflict, Invalid
from core.forms import parse_local
from core.i18n import format_datetime, localized
from core.i18n import gettext as _
from core.openapi import CACHE, bilingual, iso, registry
from core.web import flash, page, redirect

# The heat map of each finalist's rank across the jury weight (0 .. 1 by 0.05).
CELL_W, CELL_H, LEFT, TOP = 22, 22, 36, 22
# rank 1 darkest; later ranks lighter (a sequential scale readable in both themes' frames)
SHADES = ("#14532d", "#166534", "#15803d", "#16a34a", "#22c55e", "#4ade80", "#86efac", "#bbf7d0")


def _shade(rank: int, count: int) -> str:
    if count <= 1:
        return SHADES[0]
    step = (len(SHADES) - 1) * (rank - 1) / (count - 1)
    return SHADES[round(step)]


def heat_map(report: dict[str, Any]) -> dict[str, Any] | None:
    """The cells of the sensitivity heat map (server-rendered SVG, no script): one row per
    finalist (in the chosen ranking's order), one column per swept weight."""
    spread = report.get("sensitivity")
    if not spread:
        return None
    weights = [Fraction(str(w)) for w in spread["weights"]]
    order = list(spread["chosen"])
    chosen_w = Fraction(str(report["config"]["juryWeight"]))
    count = len(order)
    rows = []
    for row, name in enumerate(order):
        ranks = spread["ranks"][name]
        rows.append(
            {
                "finalist": name,
                "label": str(row + 1),
                "y": TOP + row * CELL_H,
                "cells": [
                    {
                        "x": LEFT + col * CELL_W,
                        "rank": rank,
                        "fill": _shade(rank, count),
                        "ink": "#ffffff" if rank <= (count + 1) // 2 else "#052e16",
                    }
                    for col, rank in enumerate(ranks)
                ],
            }
        )
    column = next((i for i, w in enumerate(weights) if w == chosen_w), None)
    low, high = (Fraction(str(w)) for w in spread["interval"])
    return {
        "width": LEFT + len(weights) * CELL_W + 4,
        "height": TOP + count * CELL_H + 4,
        "cell_w": CELL_W,
        "cell_h": CELL_H,
        "rows": rows,
        "weights": [results.fraction_text(w) for w in spread["weights"]],
        "ticks": [
            {"x": LEFT + i * CELL_W + CELL_W // 2, "text": results.fraction_text(w)}
            for i, w in enumerate(spread["weights"])
            if i % 5 == 0
        ],
        "chosen_x": LEFT + column * CELL_W if column is not None else None,
        "interval": (results.fraction_text(low), results.fraction_text(high)),
        "winners": spread["winners"],
    }


def _view(item: results.CategoryReport) -> dict[str, Any]:
    """What a report template reads beside the report itself."""
    report = item.report
    config = report.get("config", {})
    finalists = config.get("finalists", [])
    return {
        "item": item,
        "report": report,
        "outcome": results.outcome_text(report, item.category),
        "heat": heat_map(report),
        "scale": point_scale(len(finalists)) if finalists else (),
        "borda": config.get("method") != "irv",
        "positions": range(1, len(finalists) + 1),
    }


def _name(item: results.CategoryReport, key: str | None) -> str:
    nomination = item.finalists.get(key or "")
    return localized(nomination, "nominee_name") if nomination is not None else (key or "—")


def _context(cycle: Cycle, found: list[results.CategoryReport]) -> dict[str, Any]:
    return {
        "cycle": cycle,
        "views": [_view(item) for item in found],
        "fraction": results.fraction_text,
        "finalist_name": _name,
        "fraud_reasons": labels.FRAUD_REASONS,
    }


# --- the organizer's pages -----------------------------------------------------------------


async def overview(
    request: Request, status: int = 200, message: str = "", **extra: Any
) -> Response:
    cycle = await managed_cycle(request)
    found = await results.reports(cycle)
    counted = {item.category.id for item in found}
    waiting = [c for c in await results.counted_categories(cycle) if c.id not in counted]
    return page(
        request,
        "awards/manage/results.html",
        status=status,
        message=message,
        fingerprint=await results.fingerprint_of(cycle),
        waiting=waiting,
        public=results.is_public(cycle),
        closed=cycle.voting_closes is not None and now() >= cycle.voting_closes,
        values=extra.pop("values", {}),
        errors=extra.pop("errors", {}),
        **_context(cycle, found),
    )


async def _category(cycle: Cycle, request: Request) -> Category:
    category = await of_cycle(Category, cycle).get_or_none(id=request.path_params["category_id"])
    if category is None:
        raise not_found()
    return category


async def category_report(
    request: Request, status: int = 200, message: str = "", **extra: Any
) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    found = await results.reports(cycle, category.id)
    view = _view(found[0]) if found else None
    values = extra.pop("values", None)
    if values is None:
        row = found[0].result if found else None
        values = {
            "citation_ar": row.citation_ar if row else "",
            "citation_en": row.citation_en if row else "",
            "reason": category.no_award_reason,
        }
    return page(
        request,
        "awards/manage/results_category.html",
        status=status,
        message=message,
        cycle=cycle,
        category=category,
        view=view,
        fraction=results.fraction_text,
        finalist_name=_name,
        fraud_reasons=labels.FRAUD_REASONS,
        values=values,
        errors=extra.pop("errors", {}),
    )


async def count(request: Request) -> Response:
    cycle = await managed_cycle(request)
    try:
        built = await results.count(request.state.user, cycle, request.app.state.settings)
    except Conflict as exc:
        return await overview(request, 409, exc.message)
    flash(request, _("The results are counted. Fingerprint: %(value)s", value=built.fingerprint))
    return redirect(request, "awards:results", slug=cycle.slug)


async def citations(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("citation_ar", "citation_en")}
    try:
        await results.save_citations(
            request.state.user, cycle, category, ar=values["citation_ar"], en=values["citation_en"]
        )
    except Conflict as exc:
        return await category_report(request, 409, exc.message, values=values)
    except Invalid as exc:
        return await category_report(request, 422, exc.message, values=values, errors=exc.errors)
    flash(request, _("The citations are saved."))
    return redirect(request, "awards:results_category", slug=cycle.slug, category_id=category.id)


async def no_award(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    form = await request.form()
    values = {"reason": str(form.get("reason", ""))}
    record = form.get("action", "record") != "withdraw"
    try:
        await results.set_no_award(
            request.state.user, cycle, category, no_award=record, reason=values["reason"]
        )
    except Conflict as exc:
        return await category_report(request, 409, exc.message, values=values)
    except Invalid as exc:
        return await category_report(request, 422, exc.message, values=values, errors=exc.errors)
    if await results.fingerprint_of(cycle) is None:  # not counted yet
        flash(request, _("“No award” is recorded.") if record else _("“No award” is withdrawn."))
    else:
        try:
            await results.count(request.state.user, cycle, request.app.state.settings)
        except Conflict as exc:
            return await category_report(request, 409, exc.message, values=values)
        flash(
            request,
            _("“No award” is recorded and the results are counted again.")
            if record
            else _("“No award” is withdrawn and the results are counted again."),
        )
    return redirect(request, "awards:results_category", slug=cycle.slug, category_id=category.id)


async def approve(request: Request) -> Response:
    cycle = await managed_cycle(request)
    try:
        await results.approve(request.state.user, cycle)
    except Conflict as exc:
        return await overview(request, 409, exc.message)
    flash(request, _("The results are approved. Publish them now or at a set time."))
    return redirect(request, "awards:results", slug=cycle.slug)


async def withdraw(request: Request) -> Response:
    cycle = await managed_cycle(request)
    try:
        await results.withdraw_approval(request.state.user, cycle)
    except Conflict as exc:
        return await overview(request, 409, exc.message)
    flash(request, _("The approval has been withdrawn."))
    return redirect(request, "awards:results", slug=cycle.slug)


async def publish(request: Request) -> Response:
    cycle = await managed_cycle(request)
    form = await request.form()
    raw = str(form.get("publish_at", "")).strip()
    values = {"publish_at": raw}
    at = None
    if form.get("when") == "later":
        at = parse_local(raw, cycle.time_zone)
        if at is None:
            errors = {"publish_at": _("Enter a date and time.")}
            return await overview(request, 422, "", values=values, errors=errors)
    try:
        when = await results.publish(request.state.user, cycle, request.app.state.settings, at=at)
    except Conflict as exc:
        return await overview(request, 409, exc.message, values=values)
    except Invalid as exc:
        return await overview(request, 422, exc.message, values=values, errors=exc.errors)
    if at is None:
        flash(request, _("The results are published; nominees and nominators are being told."))
    else:
        flash(
            request,
            _(
                "The results will be published on %(when)s; nothing is public until then.",
                when=format_datetime(when, cycle.time_zone),
            ),
        )
    return redirect(request, "awards:results", slug=cycle.slug)


# --- the public's pages --------------------------------------------------------------------


async def _public_cycle(request: Request) -> Cycle:
    cycle = await visible_cycle(request)
    if not results.is_public(cycle):
        raise not_found()
    return cycle


async def public_results(request: Request) -> Response:
    """Published results read the same for every visitor without a session in one language:
    the page is kept as bytes for a few seconds (awards.services.results_cache), never past
    an embargo's moment still ahead."""
    key = page_cache.anonymous_key(request, "awards:results_public", request.path_params["slug"])
    return await results_cache.of(request).serve(
        key, lambda: _public_results(request, key), HTMLResponse
    )


async def _public_results(request: Request, key: tuple[Any, ...] | None) -> Response:
    cache = results_cache.of(request)
    seen = cache.generation
    cycle = await visible_cycle(request)
    if not results.is_public(cycle):
        raise not_found()
    found = await results.reports(cycle)
    response = page(
        request,
        "awards/results.html",
        fingerprint=await results.fingerprint_of(cycle),
        **_context(cycle, found),
    )
    if request.state.user is None and page_cache.session_free(request):
        cache.put(key, bytes(response.body), seen=seen)
    return response


async def public_report(request: Request) -> Response:
    cycle = await _public_cycle(request)
    category = await _category(cycle, request)
    found = await results.reports(cycle, category.id)
    if not found:
        raise not_found()
    return page(
        request,
        "awards/results_report.html",
        category=category,
        view=_view(found[0]),
        fingerprint=await results.fingerprint_of(cycle),
        **_context(cycle, found),
    )


async def bundle_download(request: Request) -> Response:
    cycle = await _public_cycle(request)
    kept = await results.bundle_of(cycle)
    if kept is None:
        raise not_found()
    name = f"{cycle.slug}-results.zip"
    return Response(
        bytes(kept.data),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Fingerprint-SHA256": kept.fingerprint,
        },
    )


async def archive(request: Request) -> Response:
    moment = now()
    found = await results.published_cycles_with_winners(moment)
    return page(
        request,
        "awards/results_archive.html",
        cycles=[(cycle, [_view(item) for item in items]) for cycle, items in found],
        finalist_name=_name,
    )


# --- the API -------------------------------------------------------------------------------


def _results_body(
    request: Request, cycle: Cycle, fingerprint: str | None, found: list[Any]
) -> dict[str, Any]:
    return {
        "slug": cycle.slug,
        "name": bilingual(cycle, "name"),
        "published_at": iso(cycle.results_publish_at),
        "fingerprint": fingerprint,
        "url": str(request.url_for("awards:results_public", slug=cycle.slug)),
        "bundle_url": str(request.url_for("awards:results_bundle", slug=cycle.slug)),
        "categories": [
            {
                "id": item.category.id,
                "name": bilingual(item.category, "name"),
                "outcome": item.result.outcome,
                "winner": (
                    {
                        "nomination": item.winner.id,
                        "nominee": bilingual(item.winner, "nominee_name"),
                        "title": item.winner.work_title,
                        "outlet": item.winner.work_outlet,
                    }
                    if item.winner is not None
                    else None
                ),
                "citation": (
                    {"ar": item.result.citation_ar, "en": item.result.citation_en}
                    if item.winner is not None
                    else None
                ),
                "voided_votes": item.voided,
                "report_url": str(
                    request.url_for(
                        "awards:results_report", slug=cycle.slug, category_id=item.category.id
                    )
                ),
            }
            for item in found
        ],
    }


async def api_results(request: Request) -> Response:
    slug = slug_of(request)
    cycle = await cycles.cycle_of_slug(slug) if slug else None
    if cycle is None or not results.is_public(cycle):
        return JSONResponse({"error": "not_found"}, status_code=404)
    found = await results.reports(cycle)
    body = _results_body(request, cycle, await results.fingerprint_of(cycle), found)
    return JSONResponse(body, headers=CACHE)


def _register_documentation() -> None:
    text = {"type": "string"}
    ref = {"$ref": "#/components/schemas/Bilingual"}

    def obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
        return {
            "type": "object",
            "required": list(properties) if required is None else required,
            "properties": properties,
        }

    winner = obj({"nomination": {"type": "integer"}, "nominee": ref, "title": text, "outlet": text})
    registry.add_schema(
        "AwardResults",
        obj(
            {
                "slug": text,
                "name": ref,
                "published_at": {"type": "string", "format": "date-time"},
                "fingerprint": {
                    "type": "string",
                    "description": "The SHA-256 of the results bundle's manifest.json",
                },
                "url": {"type": "string", "format": "uri"},
                "bundle_url": {"type": "string", "format": "uri"},
                "categories": {
                    "type": "array",
                    "items": obj(
                        {
                            "id": {"type": "integer"},
                            "name": ref,
                            "outcome": {
                                "type": "string",
                                "enum": ["blend", "jury-only", "public-only", "no-award"],
                            },
                            "winner": {"oneOf": [winner, {"type": "null"}]},
                            "citation": {"oneOf": [ref, {"type": "null"}]},
                            "voided_votes": {
                                "type": "object",
                                "description": "Public votes voided by the fraud review, by "
                                "reason code",
                                "additionalProperties": {"type": "integer"},
                            },
                            "report_url": {"type": "string", "format": "uri"},
                        }
                    ),
                },
            }
        ),
    )
    registry.add_path(
        "/awards/{slug}/results",
        "get",
        {
            "operationId": "getAwardResults",
            "summary": "The published results of an award cycle: winners, citations, fingerprint",
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": {
                    "description": "The results",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/AwardResults"}
                        }
                    },
                },
                "404": {
                    "description": "No published cycle has this slug, or its results are not "
                    "published yet",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
        },
    )


_register_documentation()

_M = "/awards/{slug}/manage/results"
_C = _M + "/categories/{category_id:int}"
_P = "/awards/{slug}/results"
# before "/awards/{slug}" (awards.plugin lists them first)
routes_before_slug = [Route("/awards/archive", archive, name="awards:archive")]
routes = [
    Route(_P, public_results, name="awards:results_public"),
    Route(_P + "/bundle.zip", bundle_download, name="awards:results_bundle"),
    Route(_P + "/categories/{category_id:int}", public_report, name="awards:results_report"),
    Route("/api/v1" + _P, api_results, name="awards:api_results"),
    Route(_M, overview, name="awards:results"),
    Route(_M + "/count", count, methods=["POST"], name="awards:results_count"),
    Route(_M + "/approve", approve, methods=["POST"], name="awards:results_approve"),
    Route(_M + "/withdraw", withdraw, methods=["POST"], name="awards:results_withdraw"),
    Route(_M + "/publish", publish, methods=["POST"], name="awards:results_publish"),
    Route(_C, category_report, name="awards:results_category"),
    Route(_C + "/citations", citations, methods=["POST"], name="awards:results_citations"),
    Route(_C + "/no-award", no_award, methods=["POST"], name="awards:results_no_award"),
]

# POST-only actions and the page their forms sit on (core.routing.form_pages).
FORM_PAGES = {
    "awards:results_count": "awards:results",
    "awards:results_approve": "awards:results",
    "awards:results_withdraw": "awards:results",
    "awards:results_publish": "awards:results",
    "awards:results_citations": "awards:results_category",
    "awards:results_no_award": "awards:results_category",
}
