"""The public, read-only JSON API of the Mediathon, and its OpenAPI 3.1 document.

The document is built from a small registry so other endpoints (results, awards) can add their
paths and schemas next to these: `registry.add_path(...)`, `registry.add_schema(...)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.clock import now
from events.enums import Phase, Visibility
from events.models import Event, Track, of_event
from events.phases import Timeline

TIMELINE_FIELDS = tuple(Timeline.__dataclass_fields__)
CACHE = {"Cache-Control": "public, max-age=30"}


@dataclass
class OpenAPIRegistry:
    title: str
    version: str
    description: str = ""
    paths: dict[str, dict[str, Any]] = field(default_factory=dict)
    schemas: dict[str, Any] = field(default_factory=dict)

    def add_path(self, path: str, method: str, operation: dict[str, Any]) -> None:
        self.paths.setdefault(path, {})[method.lower()] = operation

    def add_schema(self, name: str, schema: dict[str, Any]) -> None:
        self.schemas[name] = schema

    def document(self, server_url: str) -> dict[str, Any]:
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version,
                     "description": self.description},
            "servers": [{"url": server_url.rstrip("/") + "/api/v1"}],
            "paths": {path: dict(ops) for path, ops in sorted(self.paths.items())},
            "components": {"schemas": dict(sorted(self.schemas.items()))},
        }


registry = OpenAPIRegistry(
    title="Manassa public API", version="1.0.0",
    description="Read-only data about published Mediathon events. Dates are UTC (ISO 8601); "
                "texts come in Arabic (ar) and English (en).")


def iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def bilingual(obj: Any, name: str) -> dict[str, str]:
    return {"ar": getattr(obj, f"{name}_ar"), "en": getattr(obj, f"{name}_en")}


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
    events = await Event.filter(visibility=Visibility.PUBLISHED).order_by(
        "-registration_opens", "id")
    moment = now()
    return JSONResponse({"events": [event_summary(request, e, moment) for e in events]},
                        headers=CACHE)


async def event_detail(request: Request) -> Response:
    event = await Event.get_or_none(slug=request.path_params["slug"],
                                    visibility=Visibility.PUBLISHED)
    if event is None:
        return JSONResponse({"error": "not_found"}, status_code=404)
    tracks = await of_event(Track, event).order_by("position", "id")
    body = event_summary(request, event, now())
    body.update(
        description=bilingual(event, "description"),
        rules=bilingual(event, "rules"),
        team_size={"min": event.team_min, "max": event.team_max},
        tracks=[{"id": t.id, "name": bilingual(t, "name"),
                 "description": bilingual(t, "description")} for t in tracks],
    )
    return JSONResponse(body, headers=CACHE)


async def openapi(request: Request) -> Response:
    return JSONResponse(registry.document(request.app.state.settings.base_url), headers=CACHE)


def _register_documentation() -> None:
    text = {"type": "object", "required": ["ar", "en"],
            "properties": {"ar": {"type": "string"}, "en": {"type": "string"}}}
    moment = {"type": ["string", "null"], "format": "date-time"}
    registry.add_schema("Bilingual", text)
    registry.add_schema("Timeline", {
        "type": "object", "required": list(TIMELINE_FIELDS),
        "properties": {name: moment for name in TIMELINE_FIELDS}})
    registry.add_schema("EventSummary", {
        "type": "object", "required": ["slug", "title", "phase", "time_zone", "timeline", "url"],
        "properties": {
            "slug": {"type": "string"}, "title": {"$ref": "#/components/schemas/Bilingual"},
            "phase": {"type": "string", "enum": [p.value for p in Phase]},
            "time_zone": {"type": "string", "examples": ["Asia/Riyadh"]},
            "timeline": {"$ref": "#/components/schemas/Timeline"},
            "url": {"type": "string", "format": "uri"}}})
    registry.add_schema("Track", {
        "type": "object", "required": ["id", "name", "description"],
        "properties": {"id": {"type": "integer"},
                       "name": {"$ref": "#/components/schemas/Bilingual"},
                       "description": {"$ref": "#/components/schemas/Bilingual"}}})
    registry.add_schema("Event", {"allOf": [
        {"$ref": "#/components/schemas/EventSummary"},
        {"type": "object", "required": ["description", "rules", "team_size", "tracks"],
         "properties": {
             "description": {"$ref": "#/components/schemas/Bilingual"},
             "rules": {"$ref": "#/components/schemas/Bilingual"},
             "team_size": {"type": "object", "required": ["min", "max"],
                           "properties": {"min": {"type": "integer"},
                                          "max": {"type": "integer"}}},
             "tracks": {"type": "array", "items": {"$ref": "#/components/schemas/Track"}}}}]})
    registry.add_schema("Error", {"type": "object", "required": ["error"],
                                  "properties": {"error": {"type": "string"}}})
    _register_paths()


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _register_paths() -> None:
    registry.add_path("/events", "get", {
        "operationId": "listEvents", "summary": "Published Mediathon events",
        "responses": {"200": _json({"type": "object", "required": ["events"], "properties": {
            "events": {"type": "array",
                       "items": {"$ref": "#/components/schemas/EventSummary"}}}},
            "The published events, latest first")}})
    registry.add_path("/events/{slug}", "get", {
        "operationId": "getEvent", "summary": "One published event with its tracks",
        "parameters": [{"name": "slug", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "responses": {
            "200": _json({"$ref": "#/components/schemas/Event"}, "The event"),
            "404": _json({"$ref": "#/components/schemas/Error"},
                         "No published event has this slug")}})


_register_documentation()

routes = [
    Route("/api/v1/events", event_list, name="events:api_list"),
    Route("/api/v1/events/{slug}", event_detail, name="events:api_detail"),
    Route("/api/v1/openapi.json", openapi, name="events:openapi"),
]
