"""The public API's OpenAPI 3.1 document, built from one registry every domain adds its paths
and schemas to (`registry.add_path(...)`, `registry.add_schema(...)`, `registry.describe(...)`)
when its routes module is imported; `/api/v1/openapi.json` serves it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

CACHE = {"Cache-Control": "public, max-age=30"}


def iso(value: dt.datetime | None) -> str | None:
    """A moment in the API's JSON: ISO 8601 in UTC, to the second, with a Z."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def bilingual(obj: Any, name: str) -> dict[str, str]:
    """A field kept in Arabic and English (`<name>_ar`, `<name>_en`) in the API's JSON."""
    return {"ar": getattr(obj, f"{name}_ar"), "en": getattr(obj, f"{name}_en")}


@dataclass
class OpenAPIRegistry:
    title: str
    version: str
    description: str = ""
    paths: dict[str, dict[str, Any]] = field(default_factory=dict)
    schemas: dict[str, Any] = field(default_factory=dict)

    def describe(self, text: str) -> None:
        """Add a domain's paragraph to the document's description."""
        self.description = f"{self.description} {text}".strip()

    def add_path(self, path: str, method: str, operation: dict[str, Any]) -> None:
        self.paths.setdefault(path, {})[method.lower()] = operation

    def add_schema(self, name: str, schema: dict[str, Any]) -> None:
        self.schemas[name] = schema

    def document(self, server_url: str) -> dict[str, Any]:
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": self.version, "description": self.description},
            "servers": [{"url": server_url.rstrip("/") + "/api/v1"}],
            "paths": {path: dict(ops) for path, ops in sorted(self.paths.items())},
            "components": {"schemas": dict(sorted(self.schemas.items()))},
        }


registry = OpenAPIRegistry(title="Manassa public API", version="1.0.0")


async def openapi(request: Request) -> Response:
    return JSONResponse(registry.document(request.app.state.settings.base_url), headers=CACHE)
