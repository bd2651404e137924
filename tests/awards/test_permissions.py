"""Every award route, for every kind of person, in every phase of a published cycle: the
expected status; and a draft cycle, hidden from everyone but its organizers and admins.

The test fails when an `awards:` route is added without a row here. A row's path may name the
fixture's records ({nomination}, {appeal}, {merge}); a status may differ per person (a dict) and
per phase (a dict in it); a row with form data as its fourth element is a POST (with a CSRF
token, data that changes nothing where the route is open: a refused form)."""

from __future__ import annotations

import httpx
import pytest
from starlette.routing import Route

from accounts.enums import Role, ScopeType
from awards.enums import MergeReason, NominationState, Ruling
from awards.models import (
    Appeal,
    Nomination,
    NominationCredit,
    NominationMerge,
    ScreeningRuling,
)
from core.clock import now
from core.routing import flat
from tests.awards.builders import make_category, make_cycle
from tests.conftest import CSRF_INPUT
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
SIGN_IN = 303  # the anonymous are asked to sign in


def manage_only(managers: object) -> dict[str, object]:
    """An organizer's page: the anonymous sign in first, everyone else sees nothing (404)."""
    return {p: managers if p in MANAGERS else SIGN_IN if p == "anonymous" else 404 for p in PEOPLE}


def until(last: str, open_status: int, closed: int = 409) -> dict[str, int]:
    """`open_status` in the phases up to `last`, `closed` after."""
    cut = PHASES.index(last)
    return {phase: open_status if i <= cut else closed for i, phase in enumerate(PHASES)}


# The organizer undoes the fixture's merge while merges can change; the admin, after them,
# finds it undone.
UNDO = {**manage_only(until("screening", 303)), "admin": 409}

M = "/awards/{slug}/manage"
# (route name, path, status on a published cycle: for everyone or per person, status on a draft
# per person[, form data of a POST])
MATRIX: dict[str, tuple] = {
    "awards:list": ("/awards", 200, {p: 200 for p in PEOPLE}),
    "awards:detail": (
        "/awards/{slug}",
        200,
        {p: 200 if p in MANAGERS else 404 for p in PEOPLE},
    ),
    "awards:api_list": ("/api/v1/awards", 200, {p: 200 for p in PEOPLE}),
    # the API shows nothing unpublished, whoever asks
    "awards:api_detail": ("/api/v1/awards/{slug}", 200, {p: 404 for p in PEOPLE}),
    "awards:screening": (M + "/screening", manage_only(200), manage_only(200)),
    "awards:screening_rule": (
        M + "/screening",
        manage_only({**until("nominations", 409), "screening": 422}),
        manage_only({**until("nominations", 409), "screening": 422}),
        {"ruling": "", "nomination": "{nomination}"},
    ),
    "awards:appeals": (M + "/appeals", manage_only(200), manage_only(200)),
    "awards:appeal_decide": (
        M + "/appeals/{appeal}",
        manage_only(until("appeals", 422)),
        manage_only(until("appeals", 422)),
        {"decision": ""},
    ),
    "awards:duplicates": (M + "/duplicates", manage_only(200), manage_only(200)),
    "awards:duplicate_merge": (
        M + "/duplicates/merge",
        manage_only(until("screening", 422)),
        manage_only(until("screening", 422)),
        {"kept": "{nomination}", "merged": "{nomination}"},
    ),
    "awards:duplicate_reject": (
        M + "/duplicates/reject",
        manage_only(until("screening", 422)),
        manage_only(until("screening", 422)),
        {"first": "{nomination}", "second": "{nomination}"},
    ),
    "awards:merge_undo": (M + "/merges/{merge}/undo", UNDO, UNDO, {}),
}


def test_every_award_route_is_in_the_matrix(app):
    names = {
        r.name for r in flat(app.routes) if isinstance(r, Route) and r.name.startswith("awards:")
    }
    assert names == set(MATRIX)


async def _people(cycle_phase: str, published: bool) -> tuple[dict[str, object], dict[str, object]]:
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
    ruled = await Nomination.create(
        cycle=cycle, category=category, created_by=nominator, state=NominationState.INELIGIBLE
    )
    ruling = await ScreeningRuling.create(
        nomination=ruled, ruling=Ruling.INELIGIBLE, ruled_by=organizer, ruled_at=now()
    )
    appeal = await Appeal.create(
        nomination=ruled, ruling=ruling, statement="…", filed_by=nominator, filed_at=now()
    )
    merged = await Nomination.create(
        cycle=cycle, category=category, created_by=nominator, state=NominationState.MERGED
    )
    merge = await NominationMerge.create(
        cycle=cycle,
        kept=nomination,
        merged=merged,
        reason=MergeReason.CONFIRMED,
        previous_state=NominationState.SUBMITTED,
        merged_at=now(),
    )
    people = {
        "anonymous": None,
        "outsider": await make_user(),
        "nominator": nominator,
        "judge": judge,
        "organizer": organizer,
        "other_organizer": other_organizer,
        "admin": await make_user(admin=True),
    }
    ids = {"slug": cycle.slug, "nomination": nomination.id, "appeal": appeal.id, "merge": merge.id}
    return ids, people


def _expected(status: object, who: str, phase: str) -> object:
    status = status.get(who) if isinstance(status, dict) else status
    return status.get(phase) if isinstance(status, dict) else status


async def _statuses(
    app, ids: dict[str, object], people: dict[str, object]
) -> dict[tuple[str, str], int]:  # noqa: ANN001
    found = {}
    for who, user in people.items():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            if user is not None:
                await sign_in(client, user)
            token = CSRF_INPUT.search((await client.get("/login")).text).group(1)
            for name, row in MATRIX.items():
                url, form = row[0].format(**ids), row[3] if len(row) > 3 else None
                if form is not None:
                    data = {k: v.format(**ids) for k, v in form.items()}
                    response = await client.post(url, data={"csrf_token": token, **data})
                else:
                    response = await client.get(url)
                found[(name, who)] = response.status_code
    return found


@pytest.mark.parametrize("phase", PHASES)
async def test_every_route_for_every_person_in_every_phase(app, phase):
    ids, people = await _people(phase, published=True)
    statuses = await _statuses(app, ids, people)
    wrong = [
        f"{name} as {who}: {status}, expected {_expected(MATRIX[name][1], who, phase)}"
        for (name, who), status in statuses.items()
        if status != _expected(MATRIX[name][1], who, phase)
    ]
    assert wrong == []


@pytest.mark.parametrize("phase", PHASES)
async def test_a_draft_is_hidden_from_everyone_but_its_organizers(app, phase):
    ids, people = await _people(phase, published=False)
    statuses = await _statuses(app, ids, people)
    wrong = [
        f"{name} as {who}: {status}, expected {_expected(MATRIX[name][2], who, phase)}"
        for (name, who), status in statuses.items()
        if status != _expected(MATRIX[name][2], who, phase)
    ]
    assert wrong == []
