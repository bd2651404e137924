"""The audit log: record() stores who did what to which object, in which scope, from what to
what; changes() keeps only the fields that changed."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tortoise.transactions import in_transaction

from accounts.enums import ScopeType
from accounts.models import Membership
from core import audit, clock
from core.audit import AuditEntry
from core.mail.models import MailState
from tests.factories import make_user


async def test_record_stores_actor_action_object_scope_and_values(db):
    admin = await make_user("admin@example.org", admin=True)
    member = await make_user("member@example.org")
    membership = await Membership.create(user=member, role="judge", scope_type="event", scope_id=7)
    clock.travel(dt.timedelta(days=3))

    await audit.record(
        admin,
        "accounts.grant_role",
        membership,
        before={"role": None},
        after={"role": "judge", "user": member.email},
        scope=(ScopeType.EVENT.value, 7),
    )

    entry = await AuditEntry.get()
    assert (entry.actor_id, entry.actor_label) == (admin.id, "admin@example.org")
    assert entry.action == "accounts.grant_role"
    assert (entry.object_type, entry.object_id) == ("Membership", str(membership.id))
    assert (entry.scope_type, entry.scope_id) == ("event", 7)
    assert entry.before == {"role": None}
    assert entry.after == {"role": "judge", "user": "member@example.org"}
    assert abs(entry.at - clock.now()) < dt.timedelta(seconds=5)  # the clock's time, not the OS


async def test_system_actions_have_no_actor(db):
    await audit.record(None, "core.cleanup", object_type="StoredFile", object_id="abc")

    entry = await AuditEntry.get()
    assert (entry.actor_id, entry.actor_label) == (None, "")
    assert (entry.object_type, entry.object_id) == ("StoredFile", "abc")
    assert (entry.scope_type, entry.scope_id) == ("", None)
    assert (entry.before, entry.after) == (None, None)


async def test_values_that_json_cannot_hold_are_stored_as_text(db):
    when = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")

    await audit.record(
        None,
        "events.update",
        object_type="Event",
        object_id=1,
        after={
            "opens_at": when,
            "day": dt.date(2026, 12, 1),
            "fee": Decimal("12.50"),
            "key": key,
            "state": MailState.SENT,
            "tags": {"b", "a"},
            "slots": [when, 3],
            "nested": {1: when},
            "ratio": float("nan"),
        },
    )

    entry = await AuditEntry.get()
    assert entry.after == {
        "opens_at": "2026-11-22T09:30:00+00:00",
        "day": "2026-12-01",
        "fee": "12.50",
        "key": str(key),
        "state": "sent",
        "tags": ["a", "b"],
        "slots": ["2026-11-22T09:30:00+00:00", 3],
        "nested": {"1": "2026-11-22T09:30:00+00:00"},
        "ratio": "nan",
    }


async def test_entry_is_rolled_back_with_the_change_it_describes(db):
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await audit.record(None, "events.delete", object_type="Event", object_id=1)
            raise RuntimeError("the change failed")

    assert await AuditEntry.all().count() == 0


def test_changes_keeps_only_changed_fields():
    before = {"title_ar": "قديم", "title_en": "Old", "max_team_size": 5, "public": False}
    after = {"title_ar": "جديد", "title_en": "Old", "max_team_size": 5, "public": True}

    assert audit.changes(before, after) == (
        {"title_ar": "قديم", "public": False},
        {"title_ar": "جديد", "public": True},
    )
    assert audit.changes(after, after) == ({}, {})


def test_changes_treats_a_missing_field_as_none():
    assert audit.changes({"a": 1, "gone": "x"}, {"a": 1, "new": 2}) == (
        {"new": None, "gone": "x"},
        {"new": 2, "gone": None},
    )


values = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3))
records = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), values, max_size=4)


@given(before=records, after=records)
def test_changes_property(before, after):
    old, new = audit.changes(before, after)

    assert old.keys() == new.keys()
    for key in before.keys() | after.keys():
        differs = before.get(key) != after.get(key)
        assert (key in new) == differs
        if differs:
            assert (old[key], new[key]) == (before.get(key), after.get(key))
    # applying the change to the old record gives the new one (missing counts as None)
    merged = {k: v for k, v in {**before, **new}.items() if v is not None}
    assert merged == {k: v for k, v in after.items() if v is not None}
