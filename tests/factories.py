"""Small async builders for test data."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from accounts.enums import Role, ScopeType
from accounts.models import Membership, User
from accounts.passwords import hash_password
from core.clock import now
from core.links import Links, site_links
from core.settings import Settings

PASSWORD = "correct horse battery"  # noqa: S105
_seq = itertools.count(1)


async def make_user(
    email: str | None = None,
    *,
    password: str = PASSWORD,
    verified: bool = True,
    admin: bool = False,
    language: str = "ar",
    **fields: Any,
) -> User:
    n = next(_seq)
    return await User.create(
        email=email or f"user{n}@example.org",
        password_hash=hash_password(password, "test"),
        email_verified_at=now() if verified else None,
        is_admin=admin,
        language=language,
        name_ar=fields.pop("name_ar", f"مستخدم {n}"),
        name_en=fields.pop("name_en", f"User {n}"),
        **fields,
    )


async def grant(user: User, role: Role, scope_type: ScopeType, scope_id: int) -> Membership:
    return await Membership.create(
        user=user, role=role.value, scope_type=scope_type.value, scope_id=scope_id
    )


async def sign_in(client: httpx.AsyncClient, user: User, password: str = PASSWORD) -> None:
    from tests.conftest import post_form

    response = await post_form(client, "/login", {"email": user.email, "password": password})
    assert response.status_code == 303, response.text


def mail_links(base_url: str = "http://testserver") -> Links:
    """The links services put in mails, built from the installed domains' routes."""
    return site_links(Settings(base_url=base_url))
