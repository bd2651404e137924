"""Absolute links for mails, built from route names (never from copied URL patterns): every
domain's services take a `Links` and call `links.url("events:team", slug=..., team_id=...)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.routing import Router

from core.settings import Settings


@dataclass(frozen=True)
class Links:
    """`path_for` is an app's (or a router's) `url_path_for`."""

    base_url: str
    path_for: Callable[..., Any]

    def url(self, name: str, **params: Any) -> str:
        return self.absolute(str(self.path_for(name, **params)))

    def absolute(self, path: str) -> str:
        """A path of this site as a full link ("" stays ""; full links stay as they are)."""
        return self.base_url.rstrip("/") + path if path.startswith("/") else path


def request_links(request: Request) -> Links:
    """Links to the site the request came to (its configured base URL)."""
    return Links(request.app.state.settings.base_url, request.app.url_path_for)


def site_links(settings: Settings) -> Links:
    """Links without an app (the CLI's demo data, tests): the installed domains' routes."""
    from core.hooks import collect

    routes, _hooks = collect(settings)
    return Links(settings.base_url, Router(routes=routes).url_path_for)
