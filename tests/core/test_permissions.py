"""Named permission rules: 404 when not visible, 403 when not allowed, sign-in for visitors."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from accounts.enums import Role, ScopeType
from core import permissions
from core.errors import Forbidden, NotFound
from core.permissions import (
    RULES,
    SignInRequired,
    admin,
    all_of,
    any_of,
    anyone,
    has_role,
    register,
    require,
    signed_in,
)
from tests.factories import grant, make_user, sign_in

EVENTS = {7: SimpleNamespace(id=7, published=True), 8: SimpleNamespace(id=8, published=False)}


def person(*roles: tuple[str, int, str], is_admin: bool = False) -> SimpleNamespace:
    return SimpleNamespace(id=1, is_admin=is_admin, roles=frozenset(roles))


organizer_of = has_role("organizer", "event", lambda event: event.id)
judge_of = has_role("judge", "event", lambda event: event.id)


def published(user: object, event: SimpleNamespace) -> bool:
    return event.published


@pytest.fixture
def rules() -> Iterator[None]:
    """Rules a test registers under its own names, removed afterwards."""
    before = dict(RULES)
    register(
        {
            "test.view": any_of(published, organizer_of, admin),
            "test.edit": any_of(organizer_of, admin),
            "test.judge_and_organize": all_of(organizer_of, judge_of),
        }
    )
    yield
    RULES.clear()
    RULES.update(before)


def test_has_role_matches_role_scope_type_and_scope_id():
    organizer = person(("event", 7, "organizer"))
    assert organizer_of(organizer, EVENTS[7])
    assert not organizer_of(organizer, EVENTS[8])  # another event
    assert not judge_of(organizer, EVENTS[7])  # another role
    assert not has_role("organizer", "award_cycle", lambda c: c.id)(organizer, EVENTS[7])
    assert not organizer_of(None, EVENTS[7])
    assert not organizer_of(organizer, None)
    assert organizer_of.__name__ == "has_organizer_in_event"


def test_any_of_and_all_of():
    both = person(("event", 7, "organizer"), ("event", 7, "judge"))
    only_judge = person(("event", 7, "judge"))
    assert all_of(organizer_of, judge_of)(both, EVENTS[7])
    assert not all_of(organizer_of, judge_of)(only_judge, EVENTS[7])
    assert any_of(organizer_of, judge_of)(only_judge, EVENTS[7])
    assert not any_of(organizer_of, judge_of)(person(), EVENTS[7])
    assert all_of()(None, None) and not any_of()(None, None)


def test_building_blocks():
    assert anyone(None, None)
    assert signed_in(person(), None) and not signed_in(None, None)
    assert admin(person(is_admin=True), None) and not admin(person(), None)
    assert not admin(None, None)


def test_require_answers_404_403_or_sign_in(rules):
    organizer = person(("event", 8, "organizer"))
    stranger = person()
    require(organizer, "test.edit", EVENTS[8], visible="test.view")  # allowed: no error
    require(person(is_admin=True), "test.edit", EVENTS[8], visible="test.view")
    with pytest.raises(NotFound) as hidden:
        require(stranger, "test.edit", EVENTS[8], visible="test.view")
    assert hidden.value.status_code == 404
    with pytest.raises(Forbidden) as refused:
        require(stranger, "test.edit", EVENTS[7], visible="test.view")
    assert refused.value.status_code == 403
    with pytest.raises(SignInRequired):
        require(None, "test.edit", EVENTS[7], visible="test.view")
    with pytest.raises(NotFound):  # what a visitor may not see stays hidden
        require(None, "test.edit", EVENTS[8], visible="test.view")


def test_an_unknown_rule_name_fails_loudly():
    with pytest.raises(LookupError) as caught:
        permissions.allowed(person(), "no.such.rule")
    assert str(caught.value) == "no permission rule named 'no.such.rule' is registered"


@pytest.fixture
def event_page(app, rules):  # noqa: ANN001, ANN201
    async def edit_event(request: Request) -> Response:
        event = EVENTS.get(request.path_params["event_id"])
        require(request.state.user, "test.edit", event, visible="test.view")
        return PlainTextResponse(f"editing event {event.id}")

    app.router.routes.append(Route("/test/events/{event_id:int}/edit", edit_event))
    return app


async def test_require_through_http(event_page, client):
    organizer = await make_user()
    await grant(organizer, Role.ORGANIZER, ScopeType.EVENT, 8)
    stranger = await make_user()

    visitor = await client.get("/test/events/7/edit?tab=dates")
    assert visitor.status_code == 303
    target = urlsplit(visitor.headers["location"])
    assert target.path == "/login"
    assert parse_qs(target.query) == {"next": ["/test/events/7/edit?tab=dates"]}

    await sign_in(client, stranger)
    hidden = await client.get("/test/events/8/edit")
    assert hidden.status_code == 404
    assert "هذه الصفحة غير موجودة أو غير متاحة لك." in hidden.text
    refused = await client.get("/test/events/7/edit")
    assert refused.status_code == 403
    assert "ليست لديك صلاحية للقيام بهذا." in refused.text

    client.cookies.clear()  # a new visitor on the same browser
    await sign_in(client, organizer)
    allowed = await client.get("/test/events/8/edit")
    assert (allowed.status_code, allowed.text) == (200, "editing event 8")
