"""Odd values posted to every form of the app, as every kind of person, never give a 500
(issue 13): NUL bytes, 100 KB of text, 1e309, NaN, 30 digits, markup and dates at the ends of
the calendar, in every field any form has. Each post runs in a transaction rolled back after
it, so every person meets the same world."""

from __future__ import annotations

import re
from typing import Any

import httpx
from starlette.routing import Route

from core.routing import flat
from core.settings import ROOT
from events.models import Question
from judging.enums import RoundState
from judging.models import Assignment, Entry
from tests.events.test_permissions import ROLES, World, attempt, build
from tests.factories import sign_in
from tests.judging.factories import judge, make_round

ODD_VALUES = (
    "\x00",
    "x" * 100_000,
    "1e309",
    "NaN",
    "9" * 30,
    "<script>alert(1)</script>{{ 7*7 }}",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "-1",
    "",
)
# What a path parameter of each name stands for in the world (unknown ids are fine: a 404).
PATH_IDS = {
    "slug": "slug",
    "team_id": "team",
    "link_id": "file_link",
    "track_id": "track",
    "question_id": "question",  # an event's question; the award's sit under a category
    "token": "invitation",
    "entry_id": "entry",
    "scope_id": "event_id",
    "round_id": "round",
    "criterion_id": "criterion",
    "assignment_id": "assignment",
    "conflict_id": "missing",
    "mark_id": "missing",
    "category_id": "missing",
    "nomination_id": "missing",
    "appeal_id": "missing",
    "merge_id": "missing",
    "reason_id": "missing",
    "decision_id": "missing",
}


FORM_MODULES = (
    "accounts/forms.py",
    "events/forms.py",
    "judging/forms.py",
    "core/forms.py",
    "awards/forms.py",
    "core/questions.py",
    "awards/routes/nomination_form.py",
)
# Roles that pass the permission checks of some form and so reach its parsing: they get
# every odd value in every field; the others are refused before (one post each suffices).
REACHING = {"organizer", "admin", "captain", "judge"}


def form_fields(*dynamic: str) -> list[str]:
    """Every field name a form may read: named in a template (directly or through a form
    macro) or as a string in a forms module; and the names built at run time (`dynamic`)."""
    names: set[str] = set(dynamic)
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text("utf-8")
        names |= set(re.findall(r'name="([A-Za-z_][\w.\[\]-]*)"', text))
        names |= set(re.findall(r"\w+\(\s*[\"']([a-z][a-z0-9_]*)[\"']", text))
    for module in FORM_MODULES:
        names |= set(re.findall(r"[\"']([a-z][a-z0-9_]{1,40})[\"']", (ROOT / module).read_text()))
    names.discard("csrf_token")
    return sorted(names)


def post_paths(app: Any, ids: dict[str, Any]) -> list[str]:
    paths = []
    for route in flat(app.routes):
        if isinstance(route, Route) and "POST" in (route.methods or ()):
            paths.append(
                re.sub(
                    r"\{(\w+)(?::\w+)?\}",
                    lambda m: "event" if m[1] == "scope_type" else str(ids[PATH_IDS[m[1]]]),
                    route.path,
                )
            )
    return paths


async def judging_world(app: Any, world: World) -> None:
    """A round of the event with its rubric, an entry, and a judge assigned to it."""
    from events.models import Event

    event = await Event.get(slug=world.ids["slug"])
    round_ = await make_round(event.id, k=1, state=RoundState.OPEN)
    seat = await judge(scope_id=event.id, language="en", email="judge@jury.example")
    entry = await Entry.create(
        round=round_, source="events.submission", source_id=world.ids["submission"]
    )
    assignment = await Assignment.create(round=round_, entry=entry, judge=seat)
    criterion = await round_.criteria.all().first()
    world.ids.update(
        event_id=event.id,
        round=round_.id,
        entry=entry.id,
        criterion=criterion.id,
        assignment=assignment.id,
        missing=999_999,
    )
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    await sign_in(client, await seat.user)
    from tests.conftest import csrf

    world.tokens["judge"] = await csrf(client)
    world.clients["judge"] = client


async def test_odd_values_in_every_form_as_every_person_give_no_500(app, settings):
    world = await build(app, settings, "submission")
    await judging_world(app, world)
    question = await Question.get(id=world.ids["question"])
    fields = form_fields("score_c1", "score_c2", "score_c3", question.field_name)
    assert len(fields) > 100
    paths = post_paths(app, world.ids)
    assert len(paths) >= 60
    failures: list[str] = []
    try:
        for path in paths:
            for role in (*ROLES, "judge"):
                for shift in range(len(ODD_VALUES) if role in REACHING else 1):
                    data = {
                        name: ODD_VALUES[(k + shift) % len(ODD_VALUES)]
                        for k, name in enumerate(fields)
                    }
                    response = await attempt(world, role, "POST", path, data)
                    if response.status_code >= 500:
                        failures.append(f"{path} as {role} (shift {shift}): {response.status_code}")
    finally:
        for client in world.clients.values():
            await client.aclose()
    assert failures == []


def test_the_fuzzed_fields_cover_the_forms():
    fields = set(form_fields())
    assert {"email", "password", "starts_at", "registration_opens", "until", "title_ar"} <= fields
    assert {"comment_for_team", "publish_at", "team_max", "since"} <= fields
