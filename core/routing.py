"""Routes grouped by the first segment of their path, so a request tries only its own
domain's routes.

Starlette's router tries every route in order, one regular expression each: with about a
hundred routes, a judging page paid for sixty failed matches (about 30 us, half the cost of
serving a cached public page). `grouped()` puts the routes that share a first path segment
("events", "judging", "api" ...) into one `PrefixGroup`, in their original order. A path can
only match routes of its own first segment, so the first route that matches is the same as
before: nothing else changes (405 answers, trailing-slash redirects, url_for).

Starlette's own `Mount` per first segment was measured against this (the app's 97 routes, ten
typical paths, matching only, same run): about 11.7 us a request with Mounts, 9.4 us with
PrefixGroup, before counting the Mount's inner Router call and scope copies. PrefixGroup is
kept; it is a public `BaseRoute` and uses no private Starlette API.

`IdConvertor` makes `{name:int}` in any path an id of at most nine digits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from starlette.convertors import Convertor, IntegerConvertor, register_url_convertor
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, Mount, NoMatchFound, Route, compile_path
from starlette.types import Receive, Scope, Send


class IdConvertor(IntegerConvertor):
    """`{name:int}` in a path: a row id, at most nine digits. Every integer in our paths is an
    id, and a longer number (99999999999999999999) would overflow the database's integer
    columns and fail the request; it now simply matches no route (404)."""

    regex = "[0-9]{1,9}"


def bound_path_integers() -> None:
    """Make `int` in route paths mean IdConvertor; done when `core` is imported, before any
    route is compiled (core/__init__.py)."""
    register_url_convertor("int", IdConvertor())


def route_path(scope: Scope) -> str:
    """The path the routes match: the request's path less the app's root path (what Starlette
    does, in a module of its own that is not public)."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if not root_path or not path.startswith(root_path):
        return path
    if path == root_path:
        return ""
    return path[len(root_path) :] if path[len(root_path)] == "/" else path


CHILD = "manassa.route"
"""The scope key where a group leaves the route that matched, for `handle`."""


def first_segment(route: BaseRoute) -> str:
    """The literal first segment of a route's path ("" for "/"); a route whose first segment
    holds a parameter cannot be grouped."""
    path = getattr(route, "path", None)
    if not isinstance(route, (Route, Mount)) or path is None:
        raise ValueError(f"cannot group {route!r}: only routes and mounts with a path")
    segment = path.split("/")[1] if path.startswith("/") else path
    _regex, _format, convertors = compile_path("/" + segment)
    if convertors or "{" in segment:
        raise ValueError(f"cannot group {path}: its first segment is not literal")
    return segment


class PrefixGroup(BaseRoute):
    """The routes whose paths start with /<segment>, tried in their order."""

    def __init__(self, segment: str, routes: Sequence[BaseRoute]) -> None:
        self.segment = segment
        self.routes = list(routes)
        self.exact = "/" + segment
        self.prefix = self.exact + "/"
        self.param_convertors: dict[str, Convertor[Any]] = {}

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] not in ("http", "websocket"):
            return Match.NONE, {}
        path = route_path(scope)
        if not (path.startswith(self.prefix) or path == self.exact):
            return Match.NONE, {}
        partial: tuple[BaseRoute, Scope] | None = None
        for route in self.routes:
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                return Match.FULL, {**child_scope, CHILD: route}
            if match is Match.PARTIAL and partial is None:
                partial = (route, child_scope)
        if partial is not None:
            return Match.PARTIAL, {**partial[1], CHILD: partial[0]}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route: BaseRoute = scope.pop(CHILD)
        scope["route"] = route
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)

    def __iter__(self) -> Iterator[BaseRoute]:
        return iter(self.routes)

    def __repr__(self) -> str:
        return f"PrefixGroup({self.exact!r}, {len(self.routes)} routes)"


def grouped(routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """The routes as groups by first path segment, each where its first route stood; a
    segment with a single route keeps that route as it is."""
    segments: dict[str, list[BaseRoute]] = {}
    for route in routes:
        segments.setdefault(first_segment(route), []).append(route)
    return [
        group[0] if len(group) == 1 else PrefixGroup(segment, group)
        for segment, group in segments.items()
    ]


def flat(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, groups opened."""
    for route in routes:
        if isinstance(route, PrefixGroup):
            yield from route.routes
        else:
            yield route
