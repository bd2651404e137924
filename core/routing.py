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

import functools
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from starlette.convertors import Convertor, IntegerConvertor, register_url_convertor
from starlette.datastructures import URLPath
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Match, Mount, NoMatchFound, Route, Router, compile_path
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


ANSWERED_KEPT = 4096
"""Paths a group remembers the answering route of (emptied when it would grow past this): a
page visited again (the hottest ones over and over) tries one route instead of every route of
its segment before it, one regular expression each (a late route of a large group, such as
the award's shortlist page, tried about forty)."""


class PrefixGroup(BaseRoute):
    """The routes whose paths start with /<segment>, tried in their order."""

    def __init__(self, segment: str, routes: Sequence[BaseRoute]) -> None:
        self.segment = segment
        self.routes = list(routes)
        self.exact = "/" + segment
        self.prefix = self.exact + "/"
        self.param_convertors: dict[str, Convertor[Any]] = {}
        # (scope type, method, path) -> the route that fully matched it: the routes never
        # change, so the first full match of the same request is the same route
        self._answered: dict[tuple[str, str | None, str], BaseRoute] = {}

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] not in ("http", "websocket"):
            return Match.NONE, {}
        path = route_path(scope)
        if not (path.startswith(self.prefix) or path == self.exact):
            return Match.NONE, {}
        key = (scope["type"], scope.get("method"), path)
        known = self._answered.get(key)
        if known is not None:  # the route that answered this very request before
            match, child_scope = known.matches(scope)
            if match is Match.FULL:
                return Match.FULL, {**child_scope, CHILD: known}
        match, child_scope = first_match(self.routes, scope, CHILD)
        if match is Match.FULL:
            if len(self._answered) >= ANSWERED_KEPT:
                self._answered.clear()
            self._answered[key] = child_scope[CHILD]
        return match, child_scope

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _handle_chosen(scope, receive, send, CHILD)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        return _path_for(self.routes, name, path_params)

    def __iter__(self) -> Iterator[BaseRoute]:
        return iter(self.routes)

    def __repr__(self) -> str:
        return f"PrefixGroup({self.exact!r}, {len(self.routes)} routes)"


def first_match(routes: Iterable[BaseRoute], scope: Scope, key: str) -> tuple[Match, Scope]:
    """As Starlette's router chooses: the first route that fully matches, else the first that
    partly does (a 405); the chosen route is left in the child scope under `key`."""
    partial: tuple[BaseRoute, Scope] | None = None
    for route in routes:
        match, child_scope = route.matches(scope)
        if match is Match.FULL:
            return Match.FULL, {**child_scope, key: route}
        if match is Match.PARTIAL and partial is None:
            partial = (route, child_scope)
    if partial is not None:
        return Match.PARTIAL, {**partial[1], key: partial[0]}
    return Match.NONE, {}


async def _handle_chosen(scope: Scope, receive: Receive, send: Send, key: str) -> None:
    route: BaseRoute = scope.pop(key)
    scope["route"] = route
    await route.handle(scope, receive, send)


def _path_for(routes: Iterable[BaseRoute], name: str, path_params: dict[str, Any]) -> URLPath:
    for route in routes:
        try:
            return route.url_path_for(name, **path_params)
        except NoMatchFound:
            continue
    raise NoMatchFound(name, path_params)


DISPATCHED = "manassa.segment_route"
"""The scope key where `BySegment` leaves the group or route that matched, for `handle`."""


class BySegment(BaseRoute):
    """The groups (and lone routes) of `grouped()`, found by the request's first path segment
    in one look-up instead of asking each in turn: the router tried every group before the
    request's own (a cached award page asked some twenty groups first, a fixed cost of every
    request). A path can only match routes of its own first segment, so the answer is the
    same; a path that does not start with "/" (none does, but the router allows it) asks every
    route in order as before."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = list(routes)
        self._by_segment: dict[str, BaseRoute] = {}
        for route in self.routes:
            segment = route.segment if isinstance(route, PrefixGroup) else first_segment(route)
            if segment in self._by_segment:
                raise ValueError(f"two entries for the first segment {segment!r}: group them")
            self._by_segment[segment] = route

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] not in ("http", "websocket"):
            return Match.NONE, {}
        path = route_path(scope)
        if path.startswith("/"):
            route = self._by_segment.get(path[1:].partition("/")[0])
            candidates: Iterable[BaseRoute] = () if route is None else (route,)
        else:
            candidates = self.routes
        return first_match(candidates, scope, DISPATCHED)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _handle_chosen(scope, receive, send, DISPATCHED)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        return _path_for(self.routes, name, path_params)

    def __iter__(self) -> Iterator[BaseRoute]:
        return iter(self.routes)

    def __repr__(self) -> str:
        return f"BySegment({len(self.routes)} segments)"


class NamedRouter(Router):
    """Starlette's router, except that `url_path_for` (every `request.url_for`: the navigation
    links of each page, redirects) remembers which route answered a name with a set of
    parameters, instead of asking every route in turn (each refusal raises and formats a
    NoMatchFound). The route then builds the path as before, so the result is the same."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._named: dict[tuple[str, frozenset[str]], BaseRoute] = {}

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        key = (name, frozenset(path_params))
        route = self._named.get(key)
        if route is not None:
            return route.url_path_for(name, **path_params)
        for route in flat(self.routes):  # the route itself, not the group holding it
            try:
                found = route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
            self._named[key] = route
            return found
        raise NoMatchFound(name, path_params)


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
    """Every route, groups (and the dispatch by segment) opened."""
    for route in routes:
        if isinstance(route, (PrefixGroup, BySegment)):
            yield from flat(route.routes)
        else:
            yield route


def form_pages(routes: Sequence[BaseRoute], pages: Mapping[str, str]) -> list[BaseRoute]:
    """`routes`, where each POST-only route named in `pages` also answers GET: a 303 back to
    the named page (its form's own page), with the path parameters the page takes.

    Such an action re-renders its form's page at its own address when it refuses the input
    (422, what was typed kept in the page), so the browser's address is the action's. A GET of
    it then (a reload, the language switch going back, a bookmark) used to answer 405; it now
    leads to the form's page. The page route must be in `routes`; both names are checked here,
    when the routes are built."""
    by_name = {r.name: r for r in routes if isinstance(r, Route)}
    missing = sorted((set(pages) | set(pages.values())) - set(by_name))
    if missing:
        raise ValueError(f"form_pages: no route named {', '.join(missing)}")
    result: list[BaseRoute] = []
    for route in routes:
        target = pages.get(route.name) if isinstance(route, Route) else None
        if target is None or not isinstance(route, Route):
            result.append(route)
            continue
        if route.methods != {"POST"}:
            raise ValueError(f"form_pages: {route.name} is not a POST-only route")
        keys = tuple(by_name[target].param_convertors)
        result.append(
            Route(
                route.path,
                _back_on_get(route.endpoint, target, keys),
                methods=["GET", "POST"],
                name=route.name,
            )
        )
    return result


def _back_on_get(
    endpoint: Callable[[Request], Awaitable[Response]], target: str, keys: tuple[str, ...]
) -> Callable[[Request], Awaitable[Response]]:
    @functools.wraps(endpoint)
    async def handle(request: Request) -> Response:
        if request.method == "POST":
            return await endpoint(request)
        params = {key: request.path_params[key] for key in keys}
        return RedirectResponse(str(request.url_for(target, **params)), status_code=303)

    return handle
