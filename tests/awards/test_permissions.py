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

# (route name, path, status for everyone on a published cycle, status on a draft per person)
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
    # the shortlist is not published in these cycles: nobody sees it (tests/awards/
    # test_shortlist.py has the published one)
    "awards:shortlist": ("/awards/{slug}/shortlist", 404, {p: 404 for p in PEOPLE}),
    "awards:api_shortlist": ("/api/v1/awards/{slug}/shortlist", 404, {p: 404 for p in PEOPLE}),
    "awards:jury": (
        "/awards/{slug}/manage/jury",
        {p: 200 if p in MANAGERS else 303 if p == "anonymous" else 403 for p in PEOPLE},
        {p: 200 if p in MANAGERS else 404 for p in PEOPLE},
    ),
    # POST-only actions: a GET leads back to their page (core.routing.form_pages)
    "awards:shortlist_approve": (
        "/awards/{slug}/manage/jury/categories/1/approve",
        303,
        {p: 303 for p in PEOPLE},
    ),
    "awards:shortlist_withdraw": (
        "/awards/{slug}/manage/jury/categories/1/withdraw",
        303,
        {p: 303 for p in PEOPLE},
    ),
    "awards:shortlist_publish": (
        "/awards/{slug}/manage/jury/publish",
        303,
        {p: 303 for p in PEOPLE},
    ),
}


def _published(name: str, who: str) -> int:
    """The status expected on a published cycle: one for everyone, or one per person."""
    expected = MATRIX[name][1]
    return expected if isinstance(expected, int) else expected[who]


def test_every_award_route_is_in_the_matrix(app):
    names = {
        r.name for r in flat(app.routes) if isinstance(r, Route) and r.name.startswith("awards:")
    }
    assert names == set(MATRIX)


async def _people(cycle_phase: str, published: bool) -> tuple[str, dict[str, object]]:
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
    return cycle.slug, people


async def _statuses(app, slug: str, people: dict[str, object]) -> dict[tuple[str, str], int]:  # noqa: ANN001
    found = {}
    for who, user in people.items():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            if user is not None:
                await sign_in(client, user)
            for name, (path, _published, _draft) in MATRIX.items():
                found[(name, who)] = (await client.get(path.format(slug=slug))).status_code
    return found


@pytest.mark.parametrize("phase", PHASES)
async def test_every_route_for_every_person_in_every_phase(app, phase):
    slug, people = await _people(phase, published=True)
    statuses = await _statuses(app, slug, people)
    wrong = [
        f"{name} as {who}: {status}, expected {_published(name, who)}"
        for (name, who), status in statuses.items()
        if status != _published(name, who)
    ]
    assert wrong == []


@pytest.mark.parametrize("phase", PHASES)
async def test_a_draft_is_hidden_from_everyone_but_its_organizers(app, phase):
    slug, people = await _people(phase, published=False)
    statuses = await _statuses(app, slug, people)
    wrong = [
        f"{name} as {who}: {status}, expected {MATRIX[name][2][who]}"
        for (name, who), status in statuses.items()
        if status != MATRIX[name][2][who]
    ]
    assert wrong == []
