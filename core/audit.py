"""The audit log: who changed what, when, from what to what."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from core import sql
from core.clock import now
from core.security import current_request_id


class AuditEntry(Model):
    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(db_index=True)
    actor_id = fields.IntField(null=True, db_index=True)
    actor_label = fields.CharField(max_length=320, default="")
    action = fields.CharField(max_length=80, db_index=True)
    object_type = fields.CharField(max_length=60, db_index=True)
    object_id = fields.CharField(max_length=64, default="")
    scope_type = fields.CharField(max_length=30, default="")
    scope_id = fields.IntField(null=True)
    before: fields.JSONField[Any] = fields.JSONField(null=True)
    after: fields.JSONField[Any] = fields.JSONField(null=True)
    request_id = fields.CharField(max_length=64, default="")

    class Meta:
        table = "core_audit_entry"
        ordering = ["-at", "-id"]


@dataclass(frozen=True)
class Recorded:
    """An entry as `record` wrote it (read AuditEntry for the stored row)."""

    id: int
    at: dt.datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    scope_type: str
    scope_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str


COLUMNS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "scope_type",
    "scope_id",
    "before",
    "after",
    "request_id",
)
INSERT = sql.Statement(
    f"INSERT INTO core_audit_entry ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"  # noqa: S608, E501
)
INSERT_RETURNING = sql.Statement(INSERT.text("sqlite") + " RETURNING id")


async def record(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    scope: tuple[str, int] | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    request_id: str = "",
    conn: BaseDBAsyncClient | None = None,
) -> Recorded:
    """Record one state change. `actor` is a user (or None for the system); `conn` the
    transaction it belongs to, when the caller holds one; `request_id` defaults to the id of
    the request being served.

    One hand-written INSERT (core/sql.py): every audited change pays for it."""
    values = _values(
        actor,
        action,
        obj,
        before=before,
        after=after,
        scope=scope,
        object_type=object_type,
        object_id=object_id,
        request_id=request_id,
    )
    inserted = await sql.rows(INSERT_RETURNING, sql.db_values(AuditEntry, values, COLUMNS), conn)
    return Recorded(id=inserted[0]["id"], **values)


def write(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    scope: tuple[str, int] | None = None,
    object_type: str | None = None,
) -> sql.Write:
    """The entry as a statement to run with the change it records (sql.write_together);
    `object_type` when `obj` is a plain view rather than the model it shows."""
    values = _values(
        actor, action, obj, before=before, after=after, scope=scope, object_type=object_type
    )
    return sql.Write(INSERT, sql.db_values(AuditEntry, values, COLUMNS))


def _values(
    actor: Any,
    action: str,
    obj: Any,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    scope: tuple[str, int] | None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    request_id: str = "",
) -> dict[str, Any]:
    return {
        "at": now(),
        "actor_id": getattr(actor, "id", None),
        "actor_label": getattr(actor, "email", "") or "",
        "action": action,
        "object_type": object_type or (type(obj).__name__ if obj is not None else ""),
        "object_id": str(object_id if object_id is not None else _id_of(obj)),
        "scope_type": scope[0] if scope else "",
        "scope_id": scope[1] if scope else None,
        "before": _jsonable(before),
        "after": _jsonable(after),
        "request_id": request_id or current_request_id.get(),
    }


def _id_of(obj: Any) -> Any:
    """A model's primary key, or a plain view's id ("" for neither)."""
    return getattr(obj, "pk", None) or getattr(obj, "id", None) or ""


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if values is None else _plain(values)


def _plain(value: Any) -> Any:
    """JSON-ready: containers walked, enums by value, dates, decimals, UUIDs ... as text."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON (and PostgreSQL's jsonb) has no NaN or infinity
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [_plain(v) for v in items]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed, for a compact before/after (a field missing on one side
    counts as None there)."""
    keys = [*after, *(k for k in before if k not in after)]
    changed = [k for k in keys if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after.get(k) for k in changed}
