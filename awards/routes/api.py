"""The award's public, read-only JSON API, and its entries in the OpenAPI document
(core.openapi's registry). Only published cycles are answered; a draft is a 404 like a cycle
that does not exist, whoever asks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from awards.enums import CyclePhase, EvidenceField, NomineeType, Visibility
from awards.models import Category, Cycle
from awards.routes.common import slug_of
from awards.services import cycles, public
from awards.timeline import Timeline
from core.clock import now
from core.openapi import CACHE, bilingual, iso, registry
from core.storage import KINDS

TIMELINE_FIELDS = tuple(Timeline.__dataclass_fields__)


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def cycle_summary(request: Request, cycle: Cycle, moment: dt.datetime) -> dict[str, Any]:
    return {
        "slug": cycle.slug,
        "year": cycle.year,
        "name": bilingual(cycle, "name"),
        "phase": cycle.phase(moment).value,
        "time_zone": cycle.time_zone,
        "timeline": {name: iso(getattr(cycle, name)) for name in TIMELINE_FIELDS},
        "url": str(request.url_for("awards:detail", slug=cycle.slug)),
    }


def category_body(category: Category) -> dict[str, Any]:
    return {
        "id": category.id,
        "position": category.position,
        "name": bilingual(category, "name"),
        "description": bilingual(category, "description"),
        "citation_guidance": bilingual(category, "citation_guidance"),
        "nominee_type": str(category.nominee_type.value),
        "self_nomination": category.self_nomination,
        "publication_window": {
            "from": day(category.published_from),
            "until": day(category.published_until),
        },
        "max_per_nominator": category.max_per_nominator,
        "evidence": {
            "required_fields": list(category.required_fields or []),
            "min_links": category.min_links,
            "file_kinds": list(category.file_kinds or []),
            "min_files": category.min_files,
            "max_files": category.max_files,
        },
        "shortlist_size": category.shortlist_size,
        "public_vote": category.public_vote,
    }


async def cycle_list(request: Request) -> Response:
    moment = now()
    cycles = await public.published_cycles()
    return JSONResponse(
        {"cycles": [cycle_summary(request, c, moment) for c in cycles]}, headers=CACHE
    )


async def cycle_detail(request: Request) -> Response:
    slug = slug_of(request)
    cycle = await cycles.cycle_of_slug(slug) if slug else None
    if cycle is None or cycle.visibility != Visibility.PUBLISHED:
        return JSONResponse({"error": "not_found"}, status_code=404)
    body = cycle_summary(request, cycle, now())
    body.update(
        description=bilingual(cycle, "description"),
        rules=bilingual(cycle, "rules"),
        categories=[category_body(c) for c in await public.categories(cycle)],
    )
    return JSONResponse(body, headers=CACHE)


# --- the OpenAPI document ------------------------------------------------------------------


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties, **extra}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _register_documentation() -> None:
    registry.describe(
        "Read-only data about published cycles of the Media Excellence Award, with their "
        "categories and timeline. Dates are UTC (ISO 8601); texts come in Arabic (ar) and "
        "English (en)."
    )
    text = {"type": "string"}
    registry.add_schema(  # the same shape the other domains use for bilingual texts
        "Bilingual",
        {"type": "object", "required": ["ar", "en"], "properties": {"ar": text, "en": text}},
    )
    moment = {"type": ["string", "null"], "format": "date-time"}
    registry.add_schema(
        "AwardTimeline",
        _object(
            {name: moment for name in TIMELINE_FIELDS},
            description="The cycle's dates in order; the first four are always set.",
        ),
    )
    registry.add_schema(
        "AwardCycleSummary",
        _object(
            {
                "slug": {"type": "string"},
                "year": {"type": "integer"},
                "name": _ref("Bilingual"),
                "phase": {"type": "string", "enum": [p.value for p in CyclePhase]},
                "time_zone": {"type": "string", "examples": ["Asia/Riyadh"]},
                "timeline": _ref("AwardTimeline"),
                "url": {"type": "string", "format": "uri"},
            }
        ),
    )
    a_day = {"type": ["string", "null"], "format": "date"}
    count = {"type": "integer", "minimum": 0}
    registry.add_schema(
        "AwardCategory",
        _object(
            {
                "id": {"type": "integer"},
                "position": {"type": "integer"},
                "name": _ref("Bilingual"),
                "description": _ref("Bilingual"),
                "citation_guidance": _ref("Bilingual"),
                "nominee_type": {"type": "string", "enum": [t.value for t in NomineeType]},
                "self_nomination": {
                    "type": "boolean",
                    "description": "Whether a person may nominate themself",
                },
                "publication_window": _object(
                    {"from": a_day, "until": a_day},
                    description="The work must be published within these days (null: open)",
                ),
                "max_per_nominator": {"type": "integer", "minimum": 1},
                "evidence": _object(
                    {
                        "required_fields": {
                            "type": "array",
                            "items": {"type": "string", "enum": [f.value for f in EvidenceField]},
                        },
                        "min_links": count,
                        "file_kinds": {
                            "type": "array",
                            "items": {"type": "string", "enum": sorted(KINDS)},
                        },
                        "min_files": count,
                        "max_files": count,
                    }
                ),
                "shortlist_size": {"type": "integer", "minimum": 1},
                "public_vote": {"type": "boolean"},
            }
        ),
    )
    registry.add_schema(
        "AwardCycle",
        {
            "allOf": [
                _ref("AwardCycleSummary"),
                _object(
                    {
                        "description": _ref("Bilingual"),
                        "rules": _ref("Bilingual"),
                        "categories": {
                            "type": "array",
                            "items": _ref("AwardCategory"),
                            "description": "In the cycle's order",
                        },
                    }
                ),
            ]
        },
    )
    registry.add_schema(
        "Error",
        {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
    )
    registry.add_path(
        "/awards",
        "get",
        {
            "operationId": "listAwardCycles",
            "summary": "Published cycles of the Media Excellence Award",
            "responses": {
                "200": _json(
                    _object({"cycles": {"type": "array", "items": _ref("AwardCycleSummary")}}),
                    "The published cycles, newest first",
                )
            },
        },
    )
    registry.add_path(
        "/awards/{slug}",
        "get",
        {
            "operationId": "getAwardCycle",
            "summary": "One published award cycle with its categories and timeline",
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": _json(_ref("AwardCycle"), "The cycle"),
                "404": _json(_ref("Error"), "No published award cycle has this slug"),
            },
        },
    )


_register_documentation()

routes = [
    Route("/api/v1/awards", cycle_list, name="awards:api_list"),
    Route("/api/v1/awards/{slug}", cycle_detail, name="awards:api_detail"),
]
