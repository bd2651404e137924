"""Every award route, for every kind of person, in every phase of a published cycle: the
expected status; and a draft cycle, hidden from everyone but its organizers and admins.

The test fails when an `awards:` route is added without a row here."""

from __future__ import annotations

import httpx
import pytest
from starlette.routing import Route

from accounts.enums import Role, ScopeType
from awards.enums import NominationState
from awards.models import Nomination, NominationCredit
from core.routing import flat
from tests.awards.builders import make_category, make_cycle
from tests.factories import grant, make_user, sign_in

PEOPLE = (
    "anonymous",
    "outsider",
    "nominator",
    "judge",
    "organizer",
    "other_organizer",
    "admin",
)
PHASES = ("upcoming", "nominations", "screening", "appeals", "jury", "results")
MANAGERS = ("organizer", "admin")
# An organizer's page: anonymous visitors sign in, managers see it, everyone else gets a 404.
MANAGED = {p: 303 if p == "anonymous" else 200 if p in MANAGERS else 404 for p in PEOPLE}

# (route name, path, status for everyone (or per person) on a published cycle, status on a
# draft per person); {id} is a nomination of the cycle
MATRIX = {
    "awards:list": ("/awards", 200, {p: 200 for p in PEOPLE}),
    "awards:detail": (
        "/awards/{slug}",
        200,
        {p: 200 if p in MANAGERS else 404 for p in PEOPLE},
    ),
    "awards:api_list": ("/api/v1/awards", 200, {p: 200 for p in PEOPLE}),
    # the API shows nothing unpublished, whoever asks
    "awards:api_detail": ("/api/v1/awards/{slug}", 200, {p: 404 for p in PEOPLE}),
    "awards:nominations": ("/awards/{slug}/manage/nominations", MANAGED, MANAGED),
    "awards:nominations_export": ("/awards/{slug}/manage/nominations.csv", MANAGED, MANAGED),
    "awards:manage_nomination": ("/awards/{slug}/manage/nominations/{id}", MANAGED, MANAGED),
    # no such file: managers get the file's 404, after the same checks as the pages
    "awards:manage_nomination_file": (
        "/awards/{slug}/manage/nominations/{id}/files/0",
        {**MANAGED, "organizer": 404, "admin": 404},
        {**MANAGED, "organizer": 404, "admin": 404},
    ),
    "awards:screening_dashboard": ("/awards/{slug}/manage/screening-dashboard", MANAGED, MANAGED),
    "awards:mail": ("/awards/{slug}/manage/mail", MANAGED, MANAGED),
}


def _expected(status: int | dict[str, int], who: str) -> int:
    return status if isinstance(status, int) else status[who]


def test_every_award_route_is_in_the_matrix(app):
    names = {
        r.name for r in flat(app.routes) if isinstance(r, Route) and r.name.startswith("awards:")
    }
    assert names == set(MATRIX)


async def _people(cycle_phase: str, published: bool) -> tuple[tuple[str, int], dict[str, object]]:
    organizer, other_organizer = await make_user(), await make_user()
    cycle = await make_cycle(phase=cycle_phase, published=published, organizer=organizer)
    await make_cycle(phase=cycle_phase, organizer=other_organizer)
    category = await make_category(cycle)
    nominator, judge = await make_user(), await make_user()
    nomination = await Nomination.create(
        cycle=cycle, category=category, created_by=nominator, state=NominationState.SUBMITTED
    )
    await NominationCredit.create(nomination=nomination, user=nominator)
    await grant(judge, Role.JUDGE, ScopeType.AWARD_CYCLE, cycle.id)
    people = {
        "anonymous": None,
        "outsider": await make_user(),
        "nominator": nominator,
        "judge": judge,
        "organizer": organizer,
        "other_organizer": other_organizer,
        "admin": await make_user(admin=True),
    }
    return (cycle.slug, nomination.id), people


async def _statuses(
    app,  # noqa: ANN001
    ids: tuple[str, int],
    people: dict[str, object],
) -> dict[tuple[str, str], int]:
    found = {}
    for who, user in people.items():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            if user is not None:
                await sign_in(client, user)
            for name, (path, _published, _draft) in MATRIX.items():
                url = path.format(slug=ids[0], id=ids[1])
                found[(name, who)] = (await client.get(url)).status_code
    return found


@pytest.mark.parametrize("phase", PHASES)
async def test_every_route_for_every_person_in_every_phase(app, phase):
    ids, people = await _people(phase, published=True)
    statuses = await _statuses(app, ids, people)
    wrong = [
        f"{name} as {who}: {status}, expected {_expected(MATRIX[name][1], who)}"
        for (name, who), status in statuses.items()
        if status != _expected(MATRIX[name][1], who)
    ]
    assert wrong == []


@pytest.mark.parametrize("phase", PHASES)
async def test_a_draft_is_hidden_from_everyone_but_its_organizers(app, phase):
    ids, people = await _people(phase, published=False)
    statuses = await _statuses(app, ids, people)
    wrong = [
        f"{name} as {who}: {status}, expected {MATRIX[name][2][who]}"
        for (name, who), status in statuses.items()
        if status != MATRIX[name][2][who]
    ]
    assert wrong == []
