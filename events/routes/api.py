"""The public, read-only JSON API of the Mediathon, and its OpenAPI 3.1 document.

Its paths and schemas go into core.openapi's document, next to other domains'. An event's
results come from judging's services and answer 404 until they are published.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from accounts.enums import ScopeType
from core import page_cache
from core.clock import now
from core.openapi import CACHE, bilingual, iso, registry
from events.enums import Phase, Visibility
from events.models import Event, Track, of_event
from events.phases import Timeline
from events.routes.common import slug_of
from events.services import public_cache
from judging.services import published as published_service

TIMELINE_FIELDS = tuple(Timeline.__dataclass_fields__)


def event_summary(request: Request, event: Event, moment: dt.datetime) -> dict[str, Any]:
    return {
        "slug": event.slug,
        "title": bilingual(event, "title"),
        "phase": event.phase(moment).value,
        "time_zone": event.time_zone,
        "timeline": {name: iso(getattr(event, name)) for name in TIMELINE_FIELDS},
        "url": str(request.url_for("events:detail", slug=event.slug)),
    }


async def event_list(request: Request) -> Response:
    key = page_cache.public_key(request, "events:api_list")
    return await public_cache.of(request).serve(
        key, lambda: _event_list(request, key), _list_response
    )


def _list_response(body: bytes) -> Response:
    return Response(body, media_type="application/json", headers=CACHE)


async def _event_list(request: Request, key: tuple[Any, ...]) -> Response:
    cache = public_cache.of(request)
    seen = cache.generation
    events = await Event.filter(visibility=Visibility.PUBLISHED).order_by(
        "-registration_opens", "id"
    )
    moment = now()
    response = JSONResponse(
        {"events": [event_summary(request, e, moment) for e in events]}, headers=CACHE
    )
    cache.put(
        key,
        bytes(response.body),
        seen=seen,
        milestones=(when for e in events for _name, when in e.timeline.milestones()),
    )
    return response


def _not_found() -> Response:
    return JSONResponse({"error": "not_found"}, status_code=404)


async def _published_event(request: Request) -> Event | None:
    slug = slug_of(request)
    return await Event.get_or_none(slug=slug, visibility=Visibility.PUBLISHED) if slug else None


async def event_detail(request: Request) -> Response:
    event = await _published_event(request)
    if event is None:
        return _not_found()
    tracks = await of_event(Track, event).order_by("position", "id")
    body = event_summary(request, event, now())
    body.update(
        description=bilingual(event, "description"),
        rules=bilingual(event, "rules"),
        team_size={"min": event.team_min, "max": event.team_max},
        tracks=[
            {"id": t.id, "name": bilingual(t, "name"), "description": bilingual(t, "description")}
            for t in tracks
        ],
    )
    return JSONResponse(body, headers=CACHE)


# --- results ----------------------------------------------------------------------------------


def _track(entry: published_service.PublishedEntry) -> dict[str, Any] | None:
    """The track an entry was judged in (its group: the track's id in the events source)."""
    if not entry.group_key.isdigit():
        return None
    return {
        "id": int(entry.group_key),
        "name": {"ar": entry.group_label_ar, "en": entry.group_label_en},
    }


def _placing(placing: published_service.Placing) -> dict[str, Any]:
    """An entry with its rank and combined score (both null for a marked entry nobody
    scored)."""
    entry = placing.entry
    ranked = placing.rank > 0
    return {
        "rank": placing.rank if ranked else None,
        "score": round(placing.score, 2) if ranked else None,
        "entry": {
            "id": entry.source_id,
            "title": bilingual(entry, "title"),
            "team": entry.team_label,
            "track": _track(entry),
        },
    }


def _winners(published: published_service.PublishedRound) -> list[dict[str, Any]]:
    """Overall winners first (track null), then each track's, by place."""
    found = [{"place": p.place, "track": None, **_placing(p)} for p in published.overall]
    for group in published.groups:
        found += [
            {"place": p.place, "track": _track(p.entry), **_placing(p)} for p in group.winners
        ]
    return found


def _round_results(published: published_service.PublishedRound) -> dict[str, Any]:
    round_ = published.round
    return {
        "id": round_.id,
        "name": bilingual(round_, "name"),
        "published_at": iso(round_.publish_at),
        "method": str((round_.snapshot or {}).get("method", round_.method)),
        "winners": _winners(published),
        "honourable_mentions": [_placing(p) for p in published.mentions],
        "ranking": [_placing(p) for p in published.ranking],
    }


async def event_results(request: Request) -> Response:
    """The published results of a published event; 404 before publication, whatever the
    phase, so nothing leaks early."""
    event = await _published_event(request)
    scope = ScopeType.EVENT.value
    published = await published_service.published_results(scope, event.id) if event else None
    if event is None or published is None:
        return _not_found()
    return JSONResponse(
        {
            "slug": event.slug,
            "title": bilingual(event, "title"),
            "url": str(request.url_for("events:detail", slug=event.slug)),
            "results_url": str(
                request.url_for("judging:public_results", scope_type=scope, scope_id=event.id)
            ),
            "rounds": [_round_results(r) for r in published.rounds],
        },
        headers=CACHE,
    )


def _register_documentation() -> None:
    registry.describe(
        "Read-only data about published Mediathon events. Dates are UTC (ISO 8601); "
        "texts come in Arabic (ar) and English (en)."
    )
    text = {
        "type": "object",
        "required": ["ar", "en"],
        "properties": {"ar": {"type": "string"}, "en": {"type": "string"}},
    }
    moment = {"type": ["string", "null"], "format": "date-time"}
    registry.add_schema("Bilingual", text)
    registry.add_schema(
        "Timeline",
        {
            "type": "object",
            "required": list(TIMELINE_FIELDS),
            "properties": {name: moment for name in TIMELINE_FIELDS},
        },
    )
    registry.add_schema(
        "EventSummary",
        {
            "type": "object",
            "required": ["slug", "title", "phase", "time_zone", "timeline", "url"],
            "properties": {
                "slug": {"type": "string"},
                "title": {"$ref": "#/components/schemas/Bilingual"},
                "phase": {"type": "string", "enum": [p.value for p in Phase]},
                "time_zone": {"type": "string", "examples": ["Asia/Riyadh"]},
                "timeline": {"$ref": "#/components/schemas/Timeline"},
                "url": {"type": "string", "format": "uri"},
            },
        },
    )
    registry.add_schema(
        "Track",
        {
            "type": "object",
            "required": ["id", "name", "description"],
            "properties": {
                "id": {"type": "integer"},
                "name": {"$ref": "#/components/schemas/Bilingual"},
                "description": {"$ref": "#/components/schemas/Bilingual"},
            },
        },
    )
    registry.add_schema(
        "Event",
        {
            "allOf": [
                {"$ref": "#/components/schemas/EventSummary"},
                {
                    "type": "object",
                    "required": ["description", "rules", "team_size", "tracks"],
                    "properties": {
                        "description": {"$ref": "#/components/schemas/Bilingual"},
                        "rules": {"$ref": "#/components/schemas/Bilingual"},
                        "team_size": {
                            "type": "object",
                            "required": ["min", "max"],
                            "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}},
                        },
                        "tracks": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Track"},
                        },
                    },
                },
            ]
        },
    )
    registry.add_schema(
        "Error",
        {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
    )
    _register_result_schemas()
    _register_paths()


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _register_result_schemas() -> None:
    number = {"type": ["number", "null"]}
    registry.add_schema(
        "TrackRef",
        {
            "type": "object",
            "required": ["id", "name"],
            "properties": {"id": {"type": "integer"}, "name": _ref("Bilingual")},
        },
    )
    registry.add_schema(
        "ResultEntry",
        {
            "type": "object",
            "required": ["id", "title", "team", "track"],
            "description": "A submission as it was judged (its last submitted version).",
            "properties": {
                "id": {"type": "integer", "description": "The submission's id"},
                "title": _ref("Bilingual"),
                "team": {"type": "string"},
                "track": {"oneOf": [_ref("TrackRef"), {"type": "null"}]},
            },
        },
    )
    registry.add_schema(
        "Placing",
        {
            "type": "object",
            "required": ["rank", "score", "entry"],
            "properties": {
                "rank": {"type": ["integer", "null"], "description": "1 is first; ties share"},
                "score": {
                    **number,
                    "description": "Combined score out of 100 under the round's "
                    "method, two decimals",
                },
                "entry": _ref("ResultEntry"),
            },
        },
    )
    registry.add_schema(
        "Winner",
        {
            "allOf": [
                _ref("Placing"),
                {
                    "type": "object",
                    "required": ["place", "track"],
                    "properties": {
                        "place": {"type": "integer", "enum": [1, 2, 3]},
                        "track": {
                            "oneOf": [_ref("TrackRef"), {"type": "null"}],
                            "description": "The track this place is in; null for an overall place",
                        },
                    },
                },
            ]
        },
    )
    registry.add_schema(
        "ResultsRound",
        {
            "type": "object",
            "required": [
                "id",
                "name",
                "published_at",
                "method",
                "winners",
                "honourable_mentions",
                "ranking",
            ],
            "properties": {
                "id": {"type": "integer"},
                "name": _ref("Bilingual"),
                "published_at": {"type": "string", "format": "date-time"},
                "method": {"type": "string", "enum": list(published_service.METHODS)},
                "winners": {"type": "array", "items": _ref("Winner")},
                "honourable_mentions": {"type": "array", "items": _ref("Placing")},
                "ranking": {"type": "array", "items": _ref("Placing")},
            },
        },
    )
    registry.add_schema(
        "EventResults",
        {
            "type": "object",
            "required": ["slug", "title", "url", "results_url", "rounds"],
            "properties": {
                "slug": {"type": "string"},
                "title": _ref("Bilingual"),
                "url": {"type": "string", "format": "uri"},
                "results_url": {"type": "string", "format": "uri"},
                "rounds": {
                    "type": "array",
                    "items": _ref("ResultsRound"),
                    "description": "Published judging rounds, latest first",
                },
            },
        },
    )


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _register_paths() -> None:
    registry.add_path(
        "/events",
        "get",
        {
            "operationId": "listEvents",
            "summary": "Published Mediathon events",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["events"],
                        "properties": {
                            "events": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/EventSummary"},
                            }
                        },
                    },
                    "The published events, latest first",
                )
            },
        },
    )
    registry.add_path(
        "/events/{slug}",
        "get",
        {
            "operationId": "getEvent",
            "summary": "One published event with its tracks",
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": _json({"$ref": "#/components/schemas/Event"}, "The event"),
                "404": _json(
                    {"$ref": "#/components/schemas/Error"}, "No published event has this slug"
                ),
            },
        },
    )
    registry.add_path(
        "/events/{slug}/results",
        "get",
        {
            "operationId": "getEventResults",
            "summary": "The published results of an event: winners, mentions and the ranking",
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": _json(_ref("EventResults"), "The published results"),
                "404": _json(
                    _ref("Error"),
                    "No published event has this slug, or its results are not published yet",
                ),
            },
        },
    )


_register_documentation()

routes = [
    Route("/api/v1/events", event_list, name="events:api_list"),
    Route("/api/v1/events/{slug}", event_detail, name="events:api_detail"),
    Route("/api/v1/events/{slug}/results", event_results, name="events:api_results"),
]
