"""Who is signed in: read from the signed session cookie, checked against the database."""

from __future__ import annotations

from starlette.requests import Request

from accounts.models import Membership, User


async def load_user(request: Request) -> User | None:
    session = request.scope.get("session") or {}
    user_id = session.get("uid")
    if not isinstance(user_id, int):
        return None
    user = await User.get_or_none(id=user_id, is_active=True)
    if user is None or user.session_version != session.get("sv"):
        session.clear()  # signed out elsewhere, or the password changed
        return None
    roles = await Membership.filter(user_id=user.id).values_list("scope_type", "scope_id", "role")
    user.roles = frozenset((t, i, r) for t, i, r in roles)
    return user
