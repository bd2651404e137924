"""Grouping routes by their first path segment (core/routing.py) answers every request with
the route Starlette's plain list would have chosen."""

from __future__ import annotations

import itertools

import pytest
from starlette.routing import BaseRoute, Match, Mount, Route

from core.app import create_app
from core.routing import CHILD, PrefixGroup, flat, grouped


def chosen(routes: list[BaseRoute], path: str, method: str) -> tuple[str, BaseRoute | None]:
    """As Starlette's Router: the first full match, else the first partial one (a 405)."""
    scope = {"type": "http", "path": path, "root_path": "", "method": method}
    partial = None
    for route in routes:
        match, child = route.matches(scope)
        picked = child.get(CHILD, route)
        if match is Match.FULL:
            return "full", picked
        if match is Match.PARTIAL and partial is None:
            partial = picked
    return ("partial", partial) if partial else ("none", None)


def sample_paths(routes: list[BaseRoute]) -> list[str]:
    """A path for every route, its parameters filled with an integer or a word, and some that
    match nothing."""
    paths = ["/", "/nothing", "/judging/", "/events/x/y/z/w/v", "/api", "/judging/event/x/results"]
    for route in routes:
        if isinstance(route, Mount):
            paths.append(route.path + "/css/site.css")
            continue
        template = route.path
        for name, convertor in route.param_convertors.items():
            value = "7" if type(convertor).__name__ == "IntegerConvertor" else "event"
            template = template.replace("{" + name + ":int}", value).replace(
                "{" + name + "}", value)
        paths += [template, template + "/extra"]
    return paths


def test_every_request_reaches_the_route_the_plain_list_would_choose(settings, db) -> None:
    app = create_app(settings)
    routes = list(flat(app.routes))
    groups = grouped(routes)
    assert any(isinstance(g, PrefixGroup) for g in groups)
    assert len(groups) < len(routes) / 3  # a request tries far fewer routes
    checked = 0
    for path, method in itertools.product(sample_paths(routes), ["GET", "POST", "DELETE"]):
        assert chosen(groups, path, method) == chosen(routes, path, method), (path, method)
        checked += 1
    assert checked > 300


def test_url_for_finds_routes_inside_groups(settings, db) -> None:
    app = create_app(settings)
    assert str(app.url_path_for("judging:score", entry_id=12)) == "/judging/entries/12"
    assert str(app.url_path_for("static", path="css/site.css")) == "/static/css/site.css"


async def test_wrong_methods_and_trailing_slashes_answer_as_before(client) -> None:
    assert (await client.get("/logout")).status_code == 405
    answer = await client.get("/judging/queue/")
    assert answer.status_code in (301, 307, 308)
    assert answer.headers["location"].endswith("/judging/queue")
    assert (await client.get("/judging/no-such-page/at-all")).status_code == 404


def test_a_route_whose_first_segment_is_a_parameter_is_refused() -> None:
    async def page(request):  # noqa: ANN001, ANN202
        return None

    with pytest.raises(ValueError, match="not literal"):
        grouped([Route("/{lang}/about", page), Route("/about", page)])
