"""Who is signed in: read from the signed session cookie, checked against the database."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from accounts.models import User
from core import sql

USER_WITH_ROLES = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(User, "u")}, m.scope_type AS m_scope_type, m.scope_id AS m_scope_id,
           m.role AS m_role
    FROM accounts_user u LEFT JOIN accounts_membership m ON m.user_id = u.id
    WHERE u.id = ? AND u.is_active
      AND NOT EXISTS (SELECT 1 FROM accounts_ended_session x WHERE x.sid = ?)"""  # noqa: S608
    ),
    reuse_rows=True,
)
"""The active user and their memberships, unless this session was signed out, in one
statement (a row per membership, or one row with empty membership columns): it runs on every
signed-in request (core/sql.py). Its rows are only read (`_user_of`), so on SQLite they are
read again only when the database changed since (a sign-out, a password or role change
anywhere is a commit: the next request reads them anew, in every process)."""


async def load_user(request: Request) -> User | None:
    session = request.scope.get("session") or {}
    user_id, sid = session.get("uid"), session.get("sid")
    if not isinstance(user_id, int):
        return None
    if not isinstance(sid, str):  # every sign-in names its session
        session.clear()
        return None
    found = await sql.rows(USER_WITH_ROLES, [user_id, sid])
    user = _user_of(found) if found else None
    if user is None or user.session_version != session.get("sv"):
        session.clear()  # signed out (this cookie or a copy of it), or the password changed
        return None
    return user


LOADED_KEPT = 1024
_loaded: dict[tuple[tuple[Any, ...], ...], User] = {}
"""Users as last read, by the exact rows read: a signed-in person's next request reads the
same rows, and gets a copy of the same user instead of Tortoise building it again (a tenth of
a millisecond a request). Any change to the user or their roles changes the rows, so a stale
user is never handed out; each request gets its own copy to change."""
_by_list: dict[int, tuple[list[dict[str, Any]], User]] = {}
"""The same users by the very list of rows read: on SQLite, rows the database has not changed
since are handed out again as the same list (USER_WITH_ROLES reuses its rows), and are found
here without making a key of their every value. The list is held, so its id is not reused."""


def _user_of(found: list[dict[str, Any]]) -> User | None:
    same = _by_list.get(id(found))
    if same is not None and same[0] is found:
        return _copied(same[1])
    key = tuple(tuple(row.values()) for row in found)
    kept = _loaded.get(key)
    if kept is None:
        kept = sql.hydrate(User, found[0], "u")
        if kept is None:
            return None
        kept.roles = frozenset(
            (row["m_scope_type"], row["m_scope_id"], row["m_role"])
            for row in found
            if row["m_role"] is not None
        )
        if len(_loaded) >= LOADED_KEPT:
            _loaded.clear()
        _loaded[key] = kept
    if len(_by_list) >= LOADED_KEPT:
        _by_list.clear()
    _by_list[id(found)] = (found, kept)
    return _copied(kept)


def _copied(user: User) -> User:
    """copy.copy(user) as copy.copy makes it for a model instance (a new instance of its class
    with the same attributes: models define no __copy__, __reduce__ or __slots__), without
    the generic protocol's lookups (half the time: 1.3 µs)."""
    new = User.__new__(User)
    new.__dict__.update(user.__dict__)
    return new
