"""Grouping routes by their first path segment (core/routing.py) answers every request with
the route Starlette's plain list would have chosen."""

from __future__ import annotations

import itertools
import re

import pytest
from starlette.convertors import IntegerConvertor
from starlette.routing import BaseRoute, Match, Mount, NoMatchFound, Route, Router

from core.app import create_app
from core.routing import (
    CHILD,
    DISPATCHED,
    BySegment,
    NamedRouter,
    PrefixGroup,
    flat,
    grouped,
    route_path,
)
from tests.conftest import csrf


def chosen(routes: list[BaseRoute], path: str, method: str) -> tuple[str, BaseRoute | None]:
    """As Starlette's Router: the first full match, else the first partial one (a 405)."""
    scope = {"type": "http", "path": path, "root_path": "", "method": method}
    partial = None
    for route in routes:
        match, child = route.matches(scope)
        picked = child.get(CHILD) or child.get(DISPATCHED) or route
        if match is Match.FULL:
            return "full", picked
        if match is Match.PARTIAL and partial is None:
            partial = picked
    return ("partial", partial) if partial else ("none", None)


def sample_paths(routes: list[BaseRoute]) -> list[str]:
    """A path for every route, its parameters filled with an integer or a word, and some that
    match nothing."""
    paths = ["/", "/nothing", "/judging/", "/events/x/y/z/w/v", "/api", "/judging/event/x/results"]
    paths += ["", "events", "//events", "/static"]  # odd paths: no leading slash, empty segment
    for route in routes:
        if isinstance(route, Mount):
            paths.append(route.path + "/css/site.css")
            continue
        template = route.path
        for name, convertor in route.param_convertors.items():
            value = "7" if type(convertor).__name__ == "IntegerConvertor" else "event"
            template = template.replace("{" + name + ":int}", value).replace(
                "{" + name + "}", value
            )
        paths += [template, template + "/extra"]
    return paths


def test_every_request_reaches_the_route_the_plain_list_would_choose(settings, db) -> None:
    app = create_app(settings)
    routes = list(flat(app.routes))
    groups = grouped(routes)
    assert any(isinstance(g, PrefixGroup) for g in groups)
    assert len(groups) < len(routes) / 3  # a request tries far fewer routes
    dispatch = [BySegment(groups)]  # as the app has them: the group looked up by segment
    (entry,) = app.router.routes  # the app's router asks one entry, which looks the group up
    assert isinstance(entry, BySegment)
    assert [repr(g) for g in entry] == [repr(g) for g in groups]
    checked = 0
    for _again in range(2):  # the second time, from the routes the groups remember
        for path, method in itertools.product(sample_paths(routes), ["GET", "POST", "DELETE"]):
            plain = chosen(routes, path, method)
            assert chosen(groups, path, method) == plain, (path, method)
            assert chosen(dispatch, path, method) == plain, (path, method)
            checked += 1
    assert checked > 600


class Counted(Route):
    tried = 0

    def matches(self, scope):  # noqa: ANN001, ANN201
        Counted.tried += 1
        return super().matches(scope)


def test_a_path_asked_again_tries_only_the_route_that_answered_it() -> None:
    async def endpoint(request):  # noqa: ANN001, ANN202
        return None

    routes = [Counted(f"/awards/{{slug}}/page{n}", endpoint) for n in range(40)]
    (group,) = grouped(routes)
    scope = {"type": "http", "path": "/awards/x/page39", "root_path": "", "method": "GET"}
    assert group.matches(scope)[0] is Match.FULL
    assert Counted.tried == 40
    Counted.tried = 0
    match, child = group.matches({**scope, "path": "/awards/x/page39"})
    assert (match, child["path_params"], child[CHILD]) == (Match.FULL, {"slug": "x"}, routes[39])
    assert Counted.tried == 1
    other = group.matches({**scope, "path": "/awards/y/page39"})  # another slug: tried anew
    assert other[1]["path_params"] == {"slug": "y"} and Counted.tried == 41
    assert group.matches({**scope, "method": "POST"})[0] is Match.PARTIAL  # a 405, as before


def test_url_for_finds_routes_inside_groups(settings, db) -> None:
    app = create_app(settings)
    assert str(app.url_path_for("judging:score", entry_id=12)) == "/judging/entries/12"
    assert str(app.url_path_for("static", path="css/site.css")) == "/static/css/site.css"


def test_the_router_remembers_which_route_answers_a_name_and_builds_the_same_paths(
    settings, db
) -> None:
    """request.url_for (navigation links on every page, redirects) asks the app's router: it
    remembers the route that answered a name instead of asking every route each time, and
    every route's path comes out as Starlette's own router builds it, the second time too."""
    app = create_app(settings)
    assert isinstance(app.router, NamedRouter)
    plain = Router(list(app.routes))
    names = 0
    for route in flat(app.routes):
        if not isinstance(route, Route) or not route.name:
            continue
        params = {
            name: 7 if isinstance(convertor, IntegerConvertor) else "event"
            for name, convertor in route.param_convertors.items()
        }
        expected = plain.url_path_for(route.name, **params)
        assert app.router.url_path_for(route.name, **params) == expected
        assert app.router.url_path_for(route.name, **params) == expected  # remembered
        names += 1
    assert names > 50
    with pytest.raises(NoMatchFound):
        app.router.url_path_for("no:such_route")
    with pytest.raises(NoMatchFound):  # a known name with other parameters
        app.router.url_path_for("judging:score", round_id=1)


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


@pytest.mark.parametrize("admin", [False, True])
async def test_oversized_ids_and_slugs_are_not_found_never_a_server_error(client, app, admin):
    """A number too large for the database's integer columns, or a slug longer than any
    slug, in any route's path: a 404 (or the page's usual refusal), never a 500."""
    from tests.factories import make_user, sign_in

    if admin:
        await sign_in(client, await make_user(admin=True))
    token = await csrf(client, "/login")
    answered = 0
    for route in flat(app.routes):
        if not isinstance(route, Route) or not route.param_convertors:
            continue
        path = route.path
        for name, convertor in route.param_convertors.items():
            value = "9" * 23 if type(convertor).__name__ == "IdConvertor" else "s" * 300
            path = re.sub(r"\{" + name + r"(:[a-z]+)?\}", value, path)
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            answer = await client.request(
                method, path, data={"csrf_token": token} if method == "POST" else None
            )
            assert answer.status_code < 500, (method, path[:80], answer.status_code)
            answered += 1
    assert answered > 80


def test_integers_in_paths_are_ids_of_at_most_nine_digits(settings, db) -> None:
    app = create_app(settings)
    route = next(r for r in flat(app.routes) if getattr(r, "name", "") == "judging:score")
    scope = {"type": "http", "path": "", "root_path": "", "method": "GET"}
    assert route.matches({**scope, "path": "/judging/entries/999999999"})[0] is Match.FULL
    assert route.matches({**scope, "path": "/judging/entries/1000000000"})[0] is Match.NONE


@pytest.mark.parametrize(
    ("path", "root_path", "expected"),
    [
        ("/judging/x", "", "/judging/x"),
        ("/app/judging/x", "/app", "/judging/x"),
        ("/app", "/app", ""),
        ("/application/x", "/app", "/application/x"),
        ("/other/x", "/app", "/other/x"),
    ],
)
def test_the_route_path_is_the_path_less_the_root_path(path, root_path, expected) -> None:
    assert route_path({"type": "http", "path": path, "root_path": root_path}) == expected


def test_the_addresses_of_many_ids_are_url_fors_even_where_the_site_address_holds_the_marker(
    settings, db
) -> None:
    """core.templating.id_urls: a list's row links made from one address are url_for's own,
    also on a site whose address holds the very number the id takes the place of."""
    from starlette.requests import Request

    from core.templating import ID_MARKER, id_urls, url_for

    app = create_app(settings)
    for host in ("testserver", f"{ID_MARKER}.example.org:8443"):
        scope = {
            "type": "http",
            "app": app,
            "scheme": "https",
            "path": "/",
            "root_path": f"/{ID_MARKER}",
            "query_string": b"",
            "headers": [(b"host", host.encode())],
        }
        request = Request(scope)
        links = id_urls(request, "awards:nomination", "nomination_id")
        for nomination_id in (1, 42, ID_MARKER, 10**12):
            expected = str(url_for(request, "awards:nomination", nomination_id=nomination_id))
            assert links(nomination_id) == expected
