"""The award's permission predicates, for each kind of person and phase."""

from __future__ import annotations

import pytest

from accounts.models import User
from awards.enums import NominationState
from awards.models import Nomination
from awards.rules import NominationAccess
from core.permissions import allowed
from tests.awards.factories import make_cycle
from tests.factories import make_user


def person(uid: int, *, roles=frozenset(), verified=True, admin=False) -> User:
    user = User(id=uid, email=f"u{uid}@example.org", is_admin=admin)
    user.email_verified_at = "now" if verified else None
    user.roles = roles
    return user


@pytest.mark.parametrize(
    ("phase", "published", "who", "expected"),
    [
        ("nominations", True, "verified", True),
        ("nominations", True, "unverified", False),
        ("nominations", True, "anonymous", False),
        ("nominations", False, "verified", False),
        ("upcoming", True, "verified", False),
        ("screening", True, "verified", False),
    ],
)
async def test_who_may_nominate(db, phase, published, who, expected):
    cycle = await make_cycle(phase=phase, published=published)
    user = {"verified": person(1), "unverified": person(1, verified=False), "anonymous": None}[who]
    assert allowed(user, "awards.nominate", cycle) is expected


async def test_an_unpublished_cycle_is_seen_only_by_its_organizers_and_admins(db):
    cycle = await make_cycle(published=False)
    organizer = person(1, roles=frozenset({("award_cycle", cycle.id, "organizer")}))
    other_organizer = person(2, roles=frozenset({("award_cycle", cycle.id + 1, "organizer")}))
    assert [
        allowed(u, "awards.view", cycle)
        for u in (None, person(3), other_organizer, organizer, person(4, admin=True))
    ] == [False, False, False, True, True]


async def test_a_nomination_is_seen_by_its_nominators_and_appealed_while_appealable(db):
    cycle = await make_cycle(phase="screening")
    creator = await make_user()
    row = Nomination(
        id=7, cycle_id=cycle.id, created_by_id=creator.id, state=NominationState.INELIGIBLE
    )
    access = NominationAccess(cycle, row, frozenset({creator.id, 9}))
    assert allowed(person(9), "awards.nomination_view", access)
    assert not allowed(person(10), "awards.nomination_view", access)
    assert allowed(person(9), "awards.appeal", access)
    row.final = True
    assert not allowed(person(9), "awards.appeal", access)
    assert not allowed(person(creator.id), "awards.nomination_edit", access)  # closed
    organizer = person(1, roles=frozenset({("award_cycle", cycle.id, "organizer")}))
    assert allowed(organizer, "awards.screen", cycle)
    assert not allowed(person(2), "awards.screen", cycle)
