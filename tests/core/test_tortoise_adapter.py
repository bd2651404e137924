"""core/tortoise_adapter.py: what the hand-written statements need from Tortoise beyond its
public API. If one of these fails after a Tortoise upgrade, the adapter must change (and the
pin in pyproject.toml with it) before anything else does."""

from __future__ import annotations

import datetime as dt

from tortoise import Tortoise

from accounts.models import Membership, User
from core import tortoise_adapter
from core.audit import AuditEntry
from tests.factories import make_user


async def test_a_row_becomes_a_saved_instance_equal_to_the_orms(db) -> None:
    user = await make_user(name_en="Row", organization="وزارة الإعلام")
    rows = await Tortoise.get_connection("default").execute_query_dict(
        "SELECT * FROM accounts_user WHERE id = ?"
        if Tortoise.get_connection("default").capabilities.dialect == "sqlite"
        else "SELECT * FROM accounts_user WHERE id = $1",
        [user.id],
    )
    built = tortoise_adapter.from_row(User, rows[0])
    orm = await User.get(id=user.id)
    for name in User.describe(serializable=False)["data_fields"]:
        assert getattr(built, name["name"]) == getattr(orm, name["name"]), name["name"]
    assert built.created_at.tzinfo is not None and built.is_active is True
    built.name_en = "Updated"
    await built.save(update_fields=["name_en"])  # an UPDATE of the row, not a new row
    assert await User.all().count() == 1
    assert (await User.get(id=user.id)).name_en == "Updated"


async def test_values_are_converted_as_the_orm_stores_them(db) -> None:
    at = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)
    assert tortoise_adapter.to_db(AuditEntry, "after", {"n": 1}) in ('{"n":1}', '{"n": 1}')
    assert tortoise_adapter.to_db(AuditEntry, "after", None) is None
    stored = tortoise_adapter.to_db(AuditEntry, "at", at)
    assert stored == at or stored == at.isoformat()
    assert tortoise_adapter.to_db(AuditEntry, "action", "x.y") == "x.y"


async def test_a_fetched_relation_is_read_without_a_query(db) -> None:
    user = await make_user()
    membership = await Membership.create(user=user, scope_type="event", scope_id=1, role="judge")
    fresh = await Membership.get(id=membership.id)
    stand_in = User(email="not-saved@example.org")
    tortoise_adapter.set_fetched(fresh, "user", stand_in)
    assert fresh.user is stand_in  # the ORM would otherwise give a query to await
