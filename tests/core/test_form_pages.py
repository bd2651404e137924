"""Issue 11, item 8: a POST-only action re-renders its form's page at its own address when it
refuses the input; a GET of that address (a reload, the language switch going back) leads to
the form's page instead of answering 405, on every such route of every domain."""

from __future__ import annotations

import re

from starlette.routing import Route

from core.routing import flat
from tests.conftest import post_form
from tests.events.factories import error_of, make_event, make_team, value_of
from tests.factories import make_user, sign_in

# Actions that never re-render a page (they always redirect): sign-out and the language switch.
NO_FORM_PAGE = {"accounts:logout", "core:language"}


def _filled(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: "event" if m[1] == "scope_type" else "7", path)


async def test_no_post_only_address_answers_a_get_with_405(app, client):
    await sign_in(client, await make_user(admin=True))
    actions = [
        r
        for r in flat(app.routes)
        if isinstance(r, Route) and "POST" in (r.methods or ()) and r.name not in NO_FORM_PAGE
    ]
    assert len(actions) > 40
    for route in actions:
        for method in ("GET", "HEAD"):
            response = await client.request(method, _filled(route.path))
            assert response.status_code != 405, (method, route.name)
    # the ones that were POST-only go back to a page of their own domain, never to themselves
    for name, path in [
        ("events:team_invite", "/events/x/teams/7/invite"),
        ("judging:conflict_add", "/judging/event/7/conflicts"),
        ("judging:publish", "/judging/event/7/rounds/7/results/publish"),
        ("accounts:resend", "/verify/resend"),
    ]:
        response = await client.get(path)
        assert response.status_code == 303, name
        assert response.headers["location"] != f"http://testserver{path}"
    assert (await client.get("/events/x/teams/7/invite")).headers[
        "location"
    ] == "http://testserver/events/x/teams/7"
    assert (await client.get("/judging/event/7/rounds/7/results/publish")).headers[
        "location"
    ] == "http://testserver/judging/event/7/rounds/7/results"
    assert (await client.get("/verify/resend")).headers["location"] == "http://testserver/login"


async def test_a_refused_invitation_keeps_what_was_typed_and_a_reload_shows_the_form(client):
    captain = await make_user(language="en")
    event = await make_event()
    team = await make_team(event, captain)
    await sign_in(client, captain)
    address = f"/events/{event.slug}/teams/{team.id}/invite"
    refused = await post_form(client, address, {"email": "not an address"})
    assert refused.status_code == 422
    assert value_of(refused.text, "email") == "not an address"
    assert error_of(refused.text, "email")
    # the browser is now at the action's address: a GET there leads to the team's page
    again = await client.get(address)
    assert again.status_code == 303
    assert again.headers["location"].endswith(f"/events/{event.slug}/teams/{team.id}")
    shown = await client.get(again.headers["location"])
    assert shown.status_code == 200
    assert 'id="f-email"' in shown.text and "Invite a teammate" in shown.text
