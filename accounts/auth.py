"""Who is signed in: read from the signed session cookie, checked against the database, as a
SignedIn (plain values, frozen: accounts.models)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from starlette.requests import Request

from accounts.models import SignedIn, User
from core import sql

READ = tuple(f.name for f in fields(SignedIn) if f.name != "roles")
"""The User fields a SignedIn holds (not the password's hash, nor is_active: only active
users are read)."""

USER_WITH_ROLES = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.selected(User, "u", READ, "u")}, m.scope_type AS m_scope_type,
           m.scope_id AS m_scope_id, m.role AS m_role
    FROM accounts_user u LEFT JOIN accounts_membership m ON m.user_id = u.id
    WHERE u.id = ? AND u.is_active
      AND NOT EXISTS (SELECT 1 FROM accounts_ended_session x WHERE x.sid = ?)"""  # noqa: S608
    ),
    reuse_rows=True,
)
"""The active user and their memberships, unless this session was signed out, in one
statement (a row per membership, or one row with empty membership columns): it runs on every
signed-in request (core/sql.py). Its rows are only read (`_signed_in`), so on SQLite they are
read again only when the database changed since (a sign-out, a password or role change
anywhere is a commit: the next request reads them anew, in every process)."""


async def load_user(request: Request) -> SignedIn | None:
    session = request.scope.get("session") or {}
    user_id, sid = session.get("uid"), session.get("sid")
    if not isinstance(user_id, int):
        return None
    if not isinstance(sid, str):  # every sign-in names its session
        session.clear()
        return None
    found = await sql.rows(USER_WITH_ROLES, [user_id, sid])
    user = _signed_in(found) if found else None
    if user is None or user.session_version != session.get("sv"):
        session.clear()  # signed out (this cookie or a copy of it), or the password changed
        return None
    return user


LOADED_KEPT = 1024
_loaded: dict[tuple[tuple[Any, ...], ...], SignedIn] = {}
"""Users as last read, by the exact rows read: a signed-in person's next request reads the
same rows, and gets the same SignedIn instead of one built again. Any change to the user or
their roles changes the rows, so a stale user is never handed out; a SignedIn is frozen, so
every request can share it."""
_by_list: dict[int, tuple[list[dict[str, Any]], SignedIn]] = {}
"""The same users by the very list of rows read: on SQLite, rows the database has not changed
since are handed out again as the same list (USER_WITH_ROLES reuses its rows), and are found
here without making a key of their every value. The list is held, so its id is not reused."""


def _signed_in(found: list[dict[str, Any]]) -> SignedIn:
    same = _by_list.get(id(found))
    if same is not None and same[0] is found:
        return same[1]
    key = tuple(tuple(row.values()) for row in found)
    kept = _loaded.get(key)
    if kept is None:
        kept = _from_rows(found)
        if len(_loaded) >= LOADED_KEPT:
            _loaded.clear()
        _loaded[key] = kept
    if len(_by_list) >= LOADED_KEPT:
        _by_list.clear()
    _by_list[id(found)] = (found, kept)
    return kept


def _from_rows(found: list[dict[str, Any]]) -> SignedIn:
    """The SignedIn of USER_WITH_ROLES's rows, its values as the ORM reads them: SQLite gives
    booleans as 0 or 1 and datetimes as text (core.sql.aware)."""
    row = found[0]
    return SignedIn(
        id=row["u__id"],
        email=row["u__email"],
        name_ar=row["u__name_ar"],
        name_en=row["u__name_en"],
        organization=row["u__organization"],
        job_title=row["u__job_title"],
        phone=row["u__phone"],
        language=row["u__language"],
        is_admin=bool(row["u__is_admin"]),
        email_verified_at=sql.aware(row["u__email_verified_at"]),
        session_version=row["u__session_version"],
        roles=frozenset(
            (row["m_scope_type"], row["m_scope_id"], row["m_role"])
            for row in found
            if row["m_role"] is not None
        ),
    )
