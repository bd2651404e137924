"""The signed-in person (accounts.auth.load_user) is plain values, frozen: a SignedIn read from
the one statement's rows with the values the ORM reads, on SQLite and PostgreSQL alike, never a
Tortoise model that a handler or a service could change or save."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from tortoise.models import Model

from accounts import services
from accounts.auth import load_user
from accounts.enums import Role, ScopeType
from accounts.models import SignedIn, User
from tests.factories import grant, make_user


class FakeRequest:  # only the session is read
    def __init__(self, user: User, sid: str = "s1") -> None:
        self.scope: dict[str, Any] = {
            "session": {"uid": user.id, "sv": user.session_version, "sid": sid}
        }


async def test_load_user_gives_a_frozen_dataclass_not_a_model(db) -> None:
    user = await make_user()
    loaded = await load_user(FakeRequest(user))  # type: ignore[arg-type]
    assert loaded is not None
    assert not isinstance(loaded, Model)
    assert type(loaded) is SignedIn and dataclasses.is_dataclass(loaded)
    assert loaded.__dataclass_params__.frozen  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.language = "en"  # type: ignore[misc]
    assert not hasattr(loaded, "password_hash")


@pytest.mark.parametrize("admin", [False, True])
async def test_the_signed_in_values_are_the_ones_the_orm_reads(db, admin: bool) -> None:
    user = await make_user(
        "Mona@Example.ORG",
        admin=admin,
        name_en="",
        organization="وزارة الإعلام",
        job_title="محررة",
        phone="+971 4 000 0000",
        language="en",
    )
    await grant(user, Role.JUDGE, ScopeType.EVENT, 7)
    await grant(user, Role.ORGANIZER, ScopeType.AWARD_CYCLE, 3)
    loaded = await load_user(FakeRequest(user))  # type: ignore[arg-type]
    orm = await User.get(id=user.id)
    assert loaded is not None
    for field in dataclasses.fields(SignedIn):
        if field.name != "roles":
            assert getattr(loaded, field.name) == getattr(orm, field.name), field.name
            assert type(getattr(loaded, field.name)) is type(getattr(orm, field.name)), field.name
    assert loaded.is_admin is admin
    assert loaded.email_verified_at is not None
    assert loaded.email_verified_at.utcoffset() is not None  # aware, as the ORM gives it
    assert loaded.roles == frozenset({("event", 7, "judge"), ("award_cycle", 3, "organizer")})
    for name in ("display_name", "email_domain", "verified"):
        assert getattr(loaded, name) == getattr(orm, name), name
    assert loaded.email_domain == "example.org" and loaded.verified


async def test_an_unverified_user_reads_as_unverified(db) -> None:
    user = await make_user(verified=False)
    loaded = await load_user(FakeRequest(user))  # type: ignore[arg-type]
    assert loaded is not None
    assert loaded.email_verified_at is None and not loaded.verified


async def test_a_change_is_read_by_the_next_load_and_the_one_given_stays_as_it_was(db) -> None:
    user = await make_user(language="ar")
    first = await load_user(FakeRequest(user))  # type: ignore[arg-type]
    assert first is not None
    await services.save_language(first, "en")
    await services.grant_role(None, first, ScopeType.EVENT, 9, Role.ORGANIZER)
    assert first.language == "ar" and first.roles == frozenset()
    again = await load_user(FakeRequest(user))  # type: ignore[arg-type]
    assert again is not None
    assert again.language == "en" and again.roles == frozenset({("event", 9, "organizer")})
