"""Every events route, for every kind of person, in every phase: the expected status.

Each request runs inside a transaction that is rolled back afterwards, so what one person does
(a withdrawal, a deletion) never changes what the next one meets.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from tortoise.transactions import in_transaction

from accounts.models import User
from core import clock, permissions
from events.models import Question, Submission, SubmissionFile, Track
from events.rules import TeamAccess
from events.services.entry_source import SubmissionSource
from events.services.teams import invitation_link
from judging.services import publication
from tests.conftest import CSRF_INPUT
from tests.events.factories import make_event, make_question, make_team
from tests.events.judged import JUDGING_LINKS, judged_event, later
from tests.factories import mail_links, make_user, sign_in

ROLES = (
    "anonymous",
    "outsider",
    "other_team",
    "member",
    "captain",
    "organizer",
    "other_organizer",
    "admin",
)
PHASES = ("registration", "submission", "judging")
SIGNED_IN = ROLES[1:]
TEAM_SIDE = ("member", "captain")
MANAGERS = ("organizer", "admin")
CREATORS = ("organizer", "other_organizer", "admin")


class Rollback(Exception):
    def __init__(self, response: httpx.Response) -> None:
        self.response = response


@dataclass
class World:
    clients: dict[str, httpx.AsyncClient]
    tokens: dict[str, str]
    ids: dict[str, Any]


def expect(default: int, **by_role: Any) -> dict[str, Any]:
    """Status per role: `by_role` values are a status or {phase: status} (else `default`)."""
    return {role: by_role.get(role, default) for role in ROLES}


def team_rule(*, member: Any, captain: Any, managers: Any = 403) -> dict[str, Any]:
    """A team route: strangers do not see the team (404), the anonymous are asked to sign in."""
    return expect(
        404, anonymous=303, member=member, captain=captain, organizer=managers, admin=managers
    )


def manage_rule(allowed: Any) -> dict[str, Any]:
    return expect(404, anonymous=303, organizer=allowed, admin=allowed)


OPEN_TEAMS = {"registration": 303, "submission": 303, "judging": 409}
REGISTRATION = {"registration": 200, "submission": 200, "judging": 409}
SUBMISSIONS = {"registration": 409, "submission": 422, "judging": 409}

# (method, path, form data, expected statuses)
ROUTES: list[tuple[str, str, dict[str, str], dict[str, Any]]] = [
    ("GET", "/events", {}, expect(200)),
    ("GET", "/events/{slug}", {}, expect(200)),
    ("GET", "/me/events", {}, expect(200, anonymous=303)),
    ("GET", "/events/{slug}/register", {}, expect(REGISTRATION, anonymous=303)),
    (
        "POST",
        "/events/{slug}/register",
        {},
        expect({"registration": 303, "submission": 303, "judging": 409}, anonymous=303),
    ),
    (
        "POST",
        "/events/{slug}/unregister",
        {},
        expect(403, anonymous=303, other_team=303, member=303, captain=303),
    ),
    (
        "GET",
        "/events/{slug}/teams/new",
        {},
        expect(
            {"registration": 200, "submission": 200, "judging": 409},
            anonymous=303,
            other_team=OPEN_TEAMS,
            member=OPEN_TEAMS,
            captain=OPEN_TEAMS,
        ),
    ),
    (
        "POST",
        "/events/{slug}/teams/new",
        {"name": ""},
        expect(
            {"registration": 422, "submission": 422, "judging": 409},
            anonymous=303,
            other_team=OPEN_TEAMS,
            member=OPEN_TEAMS,
            captain=OPEN_TEAMS,
        ),
    ),
    ("GET", "/events/{slug}/join", {}, expect(200, anonymous=303)),
    ("POST", "/events/{slug}/join", {"code": ""}, expect(422, anonymous=303)),
    ("GET", "/events/{slug}/teams/{team}", {}, team_rule(member=200, captain=200, managers=200)),
    (
        "POST",
        "/events/{slug}/teams/{team}/invite",
        {"email": ""},
        team_rule(member=403, captain=422),
    ),
    (
        "POST",
        "/events/{slug}/teams/{team}/revoke",
        {"invitation": "0"},
        team_rule(member=403, captain=404),
    ),
    (
        "POST",
        "/events/{slug}/teams/{team}/remove",
        {"member": "0"},
        team_rule(member=403, captain={"registration": 404, "submission": 404, "judging": 409}),
    ),
    (
        "POST",
        "/events/{slug}/teams/{team}/captain",
        {"member": "0"},
        team_rule(member=403, captain={"registration": 422, "submission": 422, "judging": 409}),
    ),
    ("POST", "/events/{slug}/teams/{team}/code", {}, team_rule(member=403, captain=OPEN_TEAMS)),
    ("POST", "/events/{slug}/teams/{team}/withdraw", {}, team_rule(member=403, captain=OPEN_TEAMS)),
    ("POST", "/events/{slug}/teams/{team}/leave", {}, team_rule(member=OPEN_TEAMS, captain=409)),
    ("GET", "/files/{file}", {}, expect(404, member=200, captain=200, organizer=200, admin=200)),
    ("GET", "/events/{slug}/teams/{team}/submission", {}, team_rule(member=200, captain=200)),
    (
        "POST",
        "/events/{slug}/teams/{team}/submission",
        {"title": "", "action": "save"},
        team_rule(member=SUBMISSIONS, captain=SUBMISSIONS),
    ),
    (
        "POST",
        "/events/{slug}/teams/{team}/submission/withdraw",
        {},
        team_rule(
            member=403,  # only the captain withdraws the team's submission
            captain={"registration": 409, "submission": 303, "judging": 409},
        ),
    ),
    (
        "POST",
        "/events/{slug}/teams/{team}/submission/files/{file}/delete",
        {},
        team_rule(
            member={"registration": 409, "submission": 303, "judging": 409},
            captain={"registration": 409, "submission": 303, "judging": 409},
        ),
    ),
    ("GET", "/events/{slug}/invitations/{invitation}", {}, expect(200)),
    ("GET", "/events/{slug}/invitations/forged", {}, expect(404)),
    (
        "POST",
        "/events/{slug}/invitations/{invitation}/accept",
        {},
        expect(403, anonymous=303),  # the link is bound to x@example.org, nobody here
    ),
    ("POST", "/events/{slug}/invitations/forged/decline", {}, expect(404, anonymous=303)),
    ("GET", "/events/new", {}, expect(403, anonymous=303, **{r: 200 for r in CREATORS})),
    ("POST", "/events/new", {}, expect(403, anonymous=303, **{r: 422 for r in CREATORS})),
    ("GET", "/events/{slug}/manage", {}, manage_rule(200)),
    ("GET", "/events/{slug}/manage/edit", {}, manage_rule(200)),
    ("POST", "/events/{slug}/manage/edit", {}, manage_rule(422)),
    ("POST", "/events/{slug}/manage/visibility", {"visibility": "draft"}, manage_rule(303)),
    ("POST", "/events/{slug}/manage/extend", {}, manage_rule(422)),
    ("GET", "/events/{slug}/manage/tracks", {}, manage_rule(200)),
    ("POST", "/events/{slug}/manage/tracks", {}, manage_rule(422)),
    ("GET", "/events/{slug}/manage/tracks/{track}", {}, manage_rule(200)),
    ("POST", "/events/{slug}/manage/tracks/{track}", {}, manage_rule(422)),
    ("POST", "/events/{slug}/manage/tracks/{track}/move", {"direction": "down"}, manage_rule(303)),
    ("POST", "/events/{slug}/manage/tracks/{track}/delete", {}, manage_rule(303)),
    ("GET", "/events/{slug}/manage/questions", {}, manage_rule(200)),
    ("POST", "/events/{slug}/manage/questions", {}, manage_rule(422)),
    ("GET", "/events/{slug}/manage/questions/{question}", {}, manage_rule(200)),
    ("POST", "/events/{slug}/manage/questions/{question}", {}, manage_rule(422)),
    ("POST", "/events/{slug}/manage/questions/{question}/move", {}, manage_rule(303)),
    ("POST", "/events/{slug}/manage/questions/{question}/delete", {}, manage_rule(303)),
    ("GET", "/events/{slug}/manage/registrants", {}, manage_rule(200)),
    ("GET", "/events/{slug}/manage/teams", {}, manage_rule(200)),
    ("GET", "/events/{slug}/manage/teams/{team}", {}, manage_rule(200)),
    ("GET", "/events/{slug}/manage/submissions", {}, manage_rule(200)),
    ("GET", "/events/{slug}/manage/submissions/{submission}", {}, manage_rule(200)),
    ("GET", "/events/{slug}/manage/export/registrants.csv", {}, manage_rule(200)),
    ("GET", "/events/{slug}/manage/export/teams.csv", {}, manage_rule(200)),
    ("GET", "/events/{slug}/manage/export/submissions.csv", {}, manage_rule(200)),
    ("GET", "/events/{slug}/manage/mail", {}, manage_rule(200)),
    ("POST", "/events/{slug}/manage/mail", {}, manage_rule(422)),
    ("GET", "/api/v1/events", {}, expect(200)),
    ("GET", "/api/v1/events/{slug}", {}, expect(200)),
    # Nothing of judging is public before publication: see also the results test below.
    ("GET", "/api/v1/events/{slug}/results", {}, expect(404)),
    ("GET", "/api/v1/openapi.json", {}, expect(200)),
]


async def build(app, settings, phase: str) -> World:
    organizer, other_organizer = await make_user(), await make_user()
    event = await make_event(phase=phase, organizer=organizer, team_max=3)
    await make_event(organizer=other_organizer)
    people = {
        "outsider": await make_user(),
        "other_team": await make_user(),
        "member": await make_user(),
        "captain": await make_user(),
        "organizer": organizer,
        "other_organizer": other_organizer,
        "admin": await make_user(admin=True),
    }
    team = await make_team(event, people["captain"], people["member"], name="Ayn")
    await make_team(event, people["other_team"], name="Other")
    submission = await Submission.create(event=event, team=team, title="Idea")
    from core.storage import StoredFile

    stored = await StoredFile.create(
        key="k" * 32,
        original_name="idea.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
        purpose="events.submission",
    )
    link = await SubmissionFile.create(submission=submission, file=stored)
    from core.storage import upload_dir

    (upload_dir(settings) / stored.key).write_bytes(b"%PDF")
    question = await make_question(event, "short_text")
    from core.clock import now
    from events.models import TeamInvitation

    invitation = await TeamInvitation.create(
        event=event,
        team=team,
        email="x@example.org",
        token="t" * 32,
        expires_at=now().replace(year=now().year + 1),
    )
    token = invitation_link(settings.secret_key, mail_links(""), event, invitation).rsplit("/", 1)[
        1
    ]
    ids = {
        "slug": event.slug,
        "team": team.id,
        "track": (await Track.filter(event=event).first()).id,
        "question": question.id,
        "submission": submission.id,
        "file": str(stored.id),
        "file_link": link.id,
        "invitation": token,
    }
    ids["file_path"] = link.id
    clients, tokens = {}, {}
    for role in ROLES:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        if role != "anonymous":
            await sign_in(client, people[role])
        page = await client.get("/login")
        tokens[role] = CSRF_INPUT.search(page.text).group(1)
        clients[role] = client
    return World(clients, tokens, ids)


def fill(path: str, ids: dict[str, Any]) -> str:
    path = path.replace("/files/{file}/delete", f"/files/{ids['file_link']}/delete")
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


async def attempt(
    world: World, role: str, method: str, path: str, data: dict[str, str]
) -> httpx.Response:
    client = world.clients[role]
    try:
        async with in_transaction():
            if method == "GET":
                response = await client.get(path)
            else:
                response = await client.post(path, data={"csrf_token": world.tokens[role], **data})
            raise Rollback(response)
    except Rollback as done:
        return done.response


@pytest.mark.parametrize("phase", PHASES)
async def test_every_route_for_every_role(app, settings, phase):
    world = await build(app, settings, phase)
    wrong = []
    try:
        for method, template, data, statuses in ROUTES:
            path = fill(template, world.ids)
            for role in ROLES:
                wanted = statuses[role]
                wanted = wanted[phase] if isinstance(wanted, dict) else wanted
                response = await attempt(world, role, method, path, data)
                if response.status_code != wanted:
                    wrong.append(
                        f"{method} {template} as {role}: {response.status_code}, expected {wanted}"
                    )
    finally:
        for client in world.clients.values():
            await client.aclose()
    assert wrong == []


DRAFT_ROUTES = (
    "/events/{slug}",
    "/events/{slug}/register",
    "/events/{slug}/join",
    "/events/{slug}/teams/new",
    "/api/v1/events/{slug}",
    "/api/v1/events/{slug}/results",
)


async def test_a_draft_event_is_hidden_from_all_but_its_organizers(app, settings):
    world = await build(app, settings, "registration")
    from events.models import Event

    await Event.filter(slug=world.ids["slug"]).update(visibility="draft")
    wrong = []
    try:
        for template in DRAFT_ROUTES:
            for role in ROLES:
                response = await attempt(world, role, "GET", fill(template, world.ids), {})
                if template.startswith("/api") or role not in MANAGERS:
                    wanted = 404
                else:  # organizers see the page; nobody registers for a draft
                    wanted = 200 if template == "/events/{slug}" else 403
                if response.status_code != wanted:
                    wrong.append(f"{template} as {role}: {response.status_code} != {wanted}")
    finally:
        for client in world.clients.values():
            await client.aclose()
    assert wrong == []


def test_the_rules_alone():
    event = type("E", (), {"id": 7, "published": False})()
    team = type("T", (), {"captain_id": 1, "active": True})()
    captain = type("U", (), {"id": 1, "roles": frozenset(), "is_admin": False})()
    organizer = type(
        "U", (), {"id": 2, "roles": frozenset({("event", 7, "organizer")}), "is_admin": False}
    )()
    access = TeamAccess(event=event, team=team, member_ids=frozenset({1}))
    assert permissions.allowed(captain, "events.team_manage", access)
    assert not permissions.allowed(organizer, "events.team_manage", access)
    assert permissions.allowed(organizer, "events.team_view", access)
    assert not permissions.allowed(captain, "events.view", event)
    assert permissions.allowed(organizer, "events.view", event)
    assert permissions.allowed(organizer, "events.create", None)
    assert not permissions.allowed(None, "events.create", None)
    assert isinstance(captain, object) and User  # the real user model carries `roles` too
    assert Question


# --- results: hidden from everyone until published, then public (feedback for the team) ---------

RESULT_ROUTES: list[tuple[str, dict[str, int], dict[str, int]]] = [
    # (path, status before publication, status after)
    ("/api/v1/events/{slug}/results", expect(404), expect(200)),
    ("/judging/event/{event}/results", expect(404), expect(200)),
    (
        "/judging/event/{event}/feedback/{submission}",
        expect(404),
        expect(404, anonymous=303, member=200, captain=200, organizer=200, admin=200),
    ),
]


async def _results_world(app, judged) -> World:  # noqa: ANN001
    other_organizer = await make_user()
    await make_event(organizer=other_organizer)
    people = {
        "outsider": await make_user(),
        "other_team": judged.other_captain,
        "member": judged.member,
        "captain": judged.captain,
        "organizer": judged.organizer,
        "other_organizer": other_organizer,
        "admin": await make_user(admin=True),
    }
    clients = {}
    for role in ROLES:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        if role != "anonymous":
            await sign_in(client, people[role])
        clients[role] = client
    ids = {
        "slug": judged.event.slug,
        "event": judged.event.id,
        "submission": judged.submissions["Verify first"].id,
        "file_link": 0,
    }
    return World(clients, {}, ids)


async def _statuses(
    world: World, moment: str, wanted_by_route: list[tuple[str, dict[str, int]]]
) -> list[str]:
    wrong = []
    for template, wanted in wanted_by_route:
        for role in ROLES:
            response = await world.clients[role].get(fill(template, world.ids))
            if response.status_code != wanted[role]:
                wrong.append(
                    f"{moment}: {template} as {role}: {response.status_code}, "
                    f"expected {wanted[role]}"
                )
            if wanted[role] == 404 and "Verify first" in response.text:
                wrong.append(f"{moment}: {template} as {role} shows the winner")
    return wrong


async def test_results_stay_hidden_from_everyone_until_published(app):
    judged = await judged_event(publish=False)
    world = await _results_world(app, judged)
    before = [(path, early) for path, early, _late in RESULT_ROUTES]
    after = [(path, late) for path, _early, late in RESULT_ROUTES]
    try:
        wrong = await _statuses(world, "decided, not published", before)
        scope = await SubmissionSource().scope(judged.event.id)
        await publication.publish(judged.organizer, judged.round, scope, JUDGING_LINKS, at=later(3))
        wrong += await _statuses(world, "scheduled", before)
        clock.travel(dt.timedelta(days=3))
        wrong += await _statuses(world, "published", after)
    finally:
        for client in world.clients.values():
            await client.aclose()
    assert wrong == []
