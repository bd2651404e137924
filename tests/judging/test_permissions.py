"""Every judging route, for every kind of visitor, in every round state.

404: not theirs to see; 303: sign in first (or the action went through); 409: seen, but the
round's state refuses the action.
"""

from __future__ import annotations

import pytest

from accounts.enums import Role, ScopeType
from core.links import Links
from judging.enums import ConflictKind, ConflictOrigin, RoundState
from judging.models import Assignment, Entry
from judging.services import publication
from tests.factories import grant, make_user, sign_in
from tests.judging.factories import conflict, judge, organizer, post, ready_round
from tests.judging.sources import OTHER_SCOPE_ID, SCOPE_ID

VISITORS = (
    "anonymous",
    "participant",
    "judge",
    "conflicted_judge",
    "other_judge",
    "organizer",
    "other_organizer",
    "admin",
)
LINKS = Links("http://testserver", lambda name, **params: "/")


async def world(source, state: RoundState):  # noqa: ANN001, ANN201
    round_, _seats = await ready_round(source, judges=3, k=2, state=RoundState.OPEN)
    entry = await Entry.get(round=round_, source_id=101)
    panel = await Assignment.filter(entry=entry).select_related("judge").order_by("id")
    seat, conflicted = panel[0].judge, panel[1].judge
    await conflict(conflicted, ConflictKind.ENTRY, "101", ConflictOrigin.DECLARED)
    participant = await make_user("captain101@team101.org")
    await grant(participant, Role.PARTICIPANT, ScopeType.EVENT, SCOPE_ID)
    users = {
        "anonymous": None,
        "participant": participant,
        "judge": await seat.user,
        "conflicted_judge": await conflicted.user,
        "other_judge": await (await judge()).user,
        "organizer": await organizer(),
        "other_organizer": await organizer(OTHER_SCOPE_ID),
        "admin": await make_user(admin=True),
    }
    if state == RoundState.PUBLISHED:
        round_.state = RoundState.CLOSED
        await round_.save()
        await publication.publish(users["admin"], round_, source.scopes[SCOPE_ID], LINKS)
    else:
        round_.state = state
        await round_.save()
    return round_, entry, users


def organizer_only(visitor: str) -> int:
    return {"organizer": 200, "admin": 200, "anonymous": 303}.get(visitor, 404)


def expected(visitor: str, state: RoundState) -> dict[str, int]:
    published = state == RoundState.PUBLISHED
    judging = visitor == "judge" and state != RoundState.DRAFT
    save = {RoundState.OPEN: 303, RoundState.CLOSED: 409, RoundState.PUBLISHED: 409}
    feedback = {"participant": 200, "organizer": 200, "admin": 200, "anonymous": 303}
    return {
        "organizer_pages": organizer_only(visitor),
        "score_get": 303 if visitor == "anonymous" else (200 if judging else 404),
        "score_post": 303 if visitor == "anonymous" else (save[state] if judging else 404),
        "queue": 303 if visitor == "anonymous" else 200,
        "public_results": 200 if published else 404,
        "feedback": feedback.get(visitor, 404) if published else 404,
        # choosing the method: done (303), or refused once the results are out (409)
        "organizer_post": organizer_only(visitor)
        if organizer_only(visitor) != 200
        else (409 if published else 303),
    }


async def observe(client, round_, entry) -> dict[str, int]:  # noqa: ANN001
    prefix = f"/judging/event/{SCOPE_ID}"
    rounds = f"{prefix}/rounds/{round_.id}"
    pages = [
        prefix,
        f"{prefix}/judges",
        f"{prefix}/rounds/new",
        rounds,
        f"{rounds}/edit",
        f"{rounds}/rubric",
        f"{rounds}/assignments",
        f"{rounds}/results",
        f"{rounds}/results/preview",
        f"{rounds}/results/export.csv",
    ]
    statuses = {(await client.get(page)).status_code for page in pages}
    assert len(statuses) == 1, (pages, statuses)
    score = f"/judging/entries/{entry.id}"
    return {
        "organizer_pages": statuses.pop(),
        "score_get": (await client.get(score)).status_code,
        "score_post": (
            await post(client, score, {"score_c1": "3", "version": "0", "action": "draft"})
        ).status_code,
        "queue": (await client.get("/judging/queue")).status_code,
        "public_results": (await client.get(f"{prefix}/results")).status_code,
        "feedback": (await client.get(f"{prefix}/feedback/101")).status_code,
        "organizer_post": (
            await post(client, f"{rounds}/results/method", {"method": "median"})
        ).status_code,
    }


@pytest.mark.parametrize("state", list(RoundState))
async def test_permission_matrix(client, source, state):
    round_, entry, users = await world(source, state)
    seen = {}
    for visitor in VISITORS:
        client.cookies.clear()
        if users[visitor] is not None:
            await sign_in(client, users[visitor])
        seen[visitor] = await observe(client, round_, entry)
        if visitor == "organizer" and state != RoundState.PUBLISHED:
            round_.method = "mean"  # the organizer's POST changed it; keep the world the same
            await round_.save()
    assert seen == {visitor: expected(visitor, state) for visitor in VISITORS}


async def test_anonymous_visitors_are_asked_to_sign_in(client, source):
    round_, _entry, _users = await world(source, RoundState.OPEN)
    response = await client.get(f"/judging/event/1/rounds/{round_.id}/results")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"http://testserver/login?next=%2Fjudging%2Fevent%2F1%2Frounds%2F{round_.id}%2Fresults"
    )


async def test_a_scope_nobody_registered_is_not_found(client, source):
    await sign_in(client, await make_user(admin=True))
    assert (await client.get("/judging/award_cycle/1")).status_code == 404
    assert (await client.get("/judging/event/99")).status_code == 404


async def test_a_round_of_another_scope_is_not_found(client, source):
    round_, _entry, _users = await world(source, RoundState.OPEN)
    await sign_in(client, await organizer(OTHER_SCOPE_ID))
    assert (
        await client.get(f"/judging/event/{OTHER_SCOPE_ID}/rounds/{round_.id}")
    ).status_code == 404
