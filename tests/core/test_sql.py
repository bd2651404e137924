"""The hand-written statements of the hottest paths (core/sql.py) read and write exactly what
the ORM would, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator

import pytest
from tortoise import Tortoise
from tortoise.contrib.test import tortoise_test_context
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import User
from core import audit, sql
from core.audit import AuditEntry
from core.db import connected, model_modules
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_user

USER_ROW = sql.Statement(
    lambda: f"SELECT {sql.columns(User, 'u')} FROM accounts_user u WHERE u.id = ?"  # noqa: S608
)
RENAME = sql.Statement("UPDATE accounts_user SET name_en = ? WHERE id = ?")
NEW_USER = sql.Statement(
    "INSERT INTO accounts_user (email, password_hash, name_ar, name_en, "
    "organization, job_title, phone, language, is_admin, is_active, "
    "session_version, created_at) VALUES (?, 'x', '', '', '', '', '', 'ar', "
    "?, ?, 1, ?)"
)


@pytest.fixture
async def file_db(settings, tmp_path) -> AsyncIterator[str]:  # noqa: ANN001
    """A SQLite file, where writes go through the group commit (an in-memory database has
    one connection only, so its writes are ordinary transactions); its path."""
    if TEST_DATABASE_URL:
        pytest.skip("group commit is SQLite's; PostgreSQL writes in ordinary transactions")
    path = tmp_path / "group.sqlite3"
    async with tortoise_test_context(model_modules(settings), db_url=f"sqlite://{path}"):
        assert sql._group_of(Tortoise.get_connection("default")) is not None
        yield str(path)


def test_placeholders_are_numbered_for_postgresql() -> None:
    statement = sql.Statement("SELECT 1 FROM t\n   WHERE a = ? AND b IN (?, ?)")
    assert statement.text("sqlite") == "SELECT 1 FROM t WHERE a = ? AND b IN (?, ?)"
    assert statement.text("postgres") == "SELECT 1 FROM t WHERE a = $1 AND b IN ($2, $3)"


async def test_a_hydrated_user_equals_the_one_the_orm_reads(db) -> None:
    user = await make_user(organization="وزارة الإعلام", phone="+971 4 000 0000")
    found = await sql.rows(USER_ROW, [user.id])
    hydrated = sql.hydrate(User, found[0], "u")
    orm = await User.get(id=user.id)
    assert hydrated is not None
    for name in User._meta.fields_db_projection:
        assert getattr(hydrated, name) == getattr(orm, name), name
    assert hydrated.email_verified_at is not None
    assert hydrated.email_verified_at.tzinfo is not None  # aware, as the ORM gives it
    assert hydrated.is_active is True and hydrated.is_admin is False


def test_aware_reads_a_datetime_of_either_database_as_the_orm_gives_it() -> None:
    at = dt.datetime(2026, 3, 1, 12, 30, 5, 123456, tzinfo=dt.UTC)
    gulf = dt.timezone(dt.timedelta(hours=4))
    assert sql.aware(None) is None
    assert sql.aware("2026-03-01 12:30:05.123456+00:00") == at  # SQLite: Tortoise's text
    assert sql.aware("2026-03-01T12:30:05.123456") == at  # naive: taken as UTC
    assert sql.aware(at.astimezone(gulf)) == at  # PostgreSQL: aware
    for value in ("2026-03-01 12:30:05.123456+00:00", at.astimezone(gulf), at.replace(tzinfo=None)):
        read = sql.aware(value)
        assert read is not None and read.utcoffset() == dt.timedelta(0)


async def test_tuples_are_the_rows_values_in_the_statements_order_in_and_out_of_a_transaction(
    db,
) -> None:
    """sql.tuples reads what sql.rows reads, each row a tuple in the SELECT's column order:
    outside a transaction (SQLite's quick read on the event loop) and inside one (the ORM's
    connection; PostgreSQL's always)."""
    statement = sql.Statement(
        "SELECT u.email AS email, u.id AS id, u.name_ar AS name_ar FROM accounts_user u"
        " WHERE u.id IN (?, ?) ORDER BY u.id"
    )
    first = await make_user(name_ar="مريم")
    second = await make_user(name_ar="")
    expected = [(first.email, first.id, "مريم"), (second.email, second.id, "")]
    assert await sql.tuples(statement, [first.id, second.id]) == expected
    assert [tuple(row.values()) for row in await sql.rows(statement, [first.id, second.id])] == (
        expected
    )
    async with in_transaction() as conn:
        assert await sql.tuples(statement, [first.id, second.id], conn) == expected
    assert await sql.tuples(statement, [0, -1]) == []


async def test_a_left_join_that_found_nothing_hydrates_to_none(db) -> None:
    statement = sql.Statement(
        lambda: (
            f"""
        SELECT {sql.columns(User, "u")}, {sql.columns(AuditEntry, "a")}
        FROM accounts_user u LEFT JOIN core_audit_entry a ON a.actor_id = u.id
        WHERE u.id = ?"""
        )
    )
    user = await make_user()
    found = await sql.rows(statement, [user.id])
    assert sql.hydrate(AuditEntry, found[0], "a") is None
    assert sql.hydrate(User, found[0], "u").email == user.email


async def test_writes_together_are_kept_together(db) -> None:
    user = await make_user(name_en="Before")
    entries = await AuditEntry.all().count()
    await sql.write_together(
        [
            sql.Write(RENAME, ["After", user.id], expect=1),
            audit.write(
                user, "accounts.renamed", user, before={"name": "Before"}, after={"name": "After"}
            ),
        ]
    )
    assert (await User.get(id=user.id)).name_en == "After"
    entry = await AuditEntry.all().order_by("-id").first()
    assert await AuditEntry.all().count() == entries + 1
    assert (entry.action, entry.object_id, entry.after) == (
        "accounts.renamed",
        str(user.id),
        {"name": "After"},
    )
    assert entry.at is not None and entry.at.tzinfo is not None


async def test_a_write_that_misses_its_rows_undoes_the_others(db) -> None:
    user = await make_user(name_en="Kept")
    entries = await AuditEntry.all().count()
    with pytest.raises(sql.Unchanged):
        await sql.write_together(
            [
                audit.write(user, "accounts.renamed", user),
                sql.Write(RENAME, ["Lost", user.id], expect=1),
                sql.Write(RENAME, ["Lost", user.id + 1000], expect=1),  # no such user
            ]
        )
    assert (await User.get(id=user.id)).name_en == "Kept"
    assert await AuditEntry.all().count() == entries


async def test_a_refused_write_is_an_integrity_error_and_undoes_the_others(db) -> None:
    user = await make_user(name_en="Kept")
    with pytest.raises(IntegrityError):
        await sql.write_together(
            [
                sql.Write(RENAME, ["Lost", user.id], expect=1),
                sql.Write(NEW_USER, [user.email, False, True, user.created_at]),  # e-mail taken
            ]
        )
    assert (await User.get(id=user.id)).name_en == "Kept"
    assert await User.filter(email=user.email).count() == 1


async def test_inside_a_transaction_the_writes_join_it(db) -> None:
    user = await make_user(name_en="Kept")

    class Undo(Exception):
        pass

    with pytest.raises(Undo):
        async with in_transaction():
            await sql.write_together([sql.Write(RENAME, ["Lost", user.id], expect=1)])
            assert (await User.get(id=user.id)).name_en == "Lost"
            raise Undo
    assert (await User.get(id=user.id)).name_en == "Kept"


async def test_an_audit_entry_reads_back_as_recorded(db) -> None:
    actor = await make_user()
    recorded = await audit.record(
        actor,
        "test.checked",
        object_type="Thing",
        object_id=42,
        scope=("event", 9),
        before={"n": 1},
        after={"n": 2},
        request_id="abc123",
    )
    stored = await AuditEntry.get(id=recorded.id)
    for name in (
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
    ):
        assert getattr(stored, name) == getattr(recorded, name), name
    assert (stored.object_id, stored.scope_id, stored.after) == ("42", 9, {"n": 2})


async def test_concurrent_writes_commit_in_groups_and_fail_alone(file_db, monkeypatch) -> None:
    """Writes arriving together share a transaction on SQLite (one disk wait for all), yet
    each caller's writes stand or fall alone: a missed version check undoes only its own."""
    users = [await make_user(name_en=f"Before {n}") for n in range(8)]
    entries = await AuditEntry.all().count()
    transactions: list[int] = []
    batch = sql._sqlite_batch

    def counted(conn, steps):  # noqa: ANN001, ANN202
        transactions.append(len(steps))
        return batch(conn, steps)

    monkeypatch.setattr(sql, "_sqlite_batch", counted)

    async def rename(user: User, target: int) -> str:
        try:
            await sql.write_together(
                [
                    audit.write(user, "accounts.renamed", user),
                    sql.Write(RENAME, [f"After {target}", target], expect=1),
                ]
            )
        except sql.Unchanged:
            return "unchanged"
        return "saved"

    # every third write names a user who does not exist, so its version check fails
    targets = [user.id if n % 3 else user.id + 10_000 for n, user in enumerate(users)]
    outcomes = await asyncio.gather(*(rename(u, t) for u, t in zip(users, targets, strict=True)))
    assert outcomes == ["unchanged" if n % 3 == 0 else "saved" for n in range(8)]
    for n, user in enumerate(users):
        expected = f"Before {n}" if n % 3 == 0 else f"After {user.id}"
        assert (await User.get(id=user.id)).name_en == expected
    assert await AuditEntry.all().count() == entries + 5
    assert sum(transactions) == 8 and len(transactions) < 8, transactions


async def test_a_group_whose_commit_fails_tells_every_caller(file_db, monkeypatch) -> None:
    """When the transaction itself cannot be written, every caller in it hears so and
    nothing of theirs is kept."""
    from tortoise.exceptions import OperationalError

    users = [await make_user(name_en="Kept") for _ in range(3)]

    def locked(conn, steps):  # noqa: ANN001, ANN202
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(sql, "_sqlite_batch", locked)
    results = await asyncio.gather(
        *(sql.write_together([sql.Write(RENAME, ["Lost", u.id], expect=1)]) for u in users),
        return_exceptions=True,
    )
    assert all(isinstance(r, OperationalError) for r in results), results
    monkeypatch.undo()
    assert {(await User.get(id=u.id)).name_en for u in users} == {"Kept"}


async def test_one_callers_bad_write_does_not_fail_the_others_in_its_group(db) -> None:
    """A write the database cannot take (here a number too large for an integer column)
    fails its own caller only, even when it shares a group commit with others."""
    users = [await make_user(name_en="Before") for _ in range(3)]

    async def rename(user_id: int) -> str:
        try:
            await sql.write_together([sql.Write(RENAME, ["After", user_id], expect=1)])
        except sql.Unchanged:
            return "unchanged"
        except Exception as exc:  # noqa: BLE001 - which error the database gives varies
            return type(exc).__name__
        return "saved"

    outcomes = await asyncio.gather(rename(users[0].id), rename(10**30), rename(users[2].id))
    assert outcomes[0] == outcomes[2] == "saved"
    assert outcomes[1] not in ("saved", "unchanged")
    assert [(await User.get(id=u.id)).name_en for u in users] == ["After", "Before", "After"]


async def test_a_save_on_a_sqlite_file_is_one_trip_to_the_database(file_db, monkeypatch) -> None:
    """The version-checked write and its audit entry: one transaction, one trip to the group
    commit's thread, no statement on the ORM's connection."""
    user = await make_user(name_en="Before")
    trips: list[list[str]] = []
    batch = sql._sqlite_batch

    def counted(conn, callers):  # noqa: ANN001, ANN202
        trips.extend([text.split()[0] for text, *_ in steps] for steps in callers)
        return batch(conn, callers)

    monkeypatch.setattr(sql, "_sqlite_batch", counted)
    connection = Tortoise.get_connection("default")
    seen: list[str] = []
    original = connection.execute_query

    async def spied(query, values=None):  # noqa: ANN001, ANN202
        seen.append(query)
        return await original(query, values)

    monkeypatch.setattr(connection, "execute_query", spied)
    await sql.write_together(
        [sql.Write(RENAME, ["After", user.id], expect=1), audit.write(user, "renamed", user)]
    )
    monkeypatch.undo()
    assert trips == [["UPDATE", "INSERT"]] and seen == []
    assert (await User.get(id=user.id)).name_en == "After"


async def test_a_caller_cancelled_while_waiting_has_nothing_committed(file_db) -> None:
    """Cancelled before its writes were committed (whether they wait for the next group or
    are in the transaction being written), a caller's writes are left out; the others in its
    group are kept."""
    users = [await make_user(name_en="Before") for _ in range(3)]
    entries = await AuditEntry.all().count()
    other = sqlite3.connect(file_db, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock

    def rename(user: User) -> asyncio.Task[None]:
        writes = [
            sql.Write(RENAME, ["After", user.id], expect=1),
            audit.write(user, "accounts.renamed", user),
        ]
        return asyncio.create_task(sql.write_together(writes))

    try:
        in_flight, kept = rename(users[0]), rename(users[1])
        await asyncio.sleep(0.2)  # their transaction now waits for the lock, in its thread
        queued = rename(users[2])  # waits for the next group
        await asyncio.sleep(0.05)
        in_flight.cancel()
        queued.cancel()
    finally:
        other.execute("ROLLBACK")
        other.close()
    await kept
    for task in (in_flight, queued):
        with pytest.raises(asyncio.CancelledError):
            await task
    await sql.write_together([sql.Write(RENAME, ["Flushed", users[1].id], expect=1)])
    assert [(await User.get(id=u.id)).name_en for u in users] == ["Before", "Flushed", "Before"]
    assert await AuditEntry.all().count() == entries + 1


async def test_closing_the_apps_sqlite_connection_closes_its_group_commit(
    settings, tmp_path
) -> None:  # noqa: ANN001
    """The app's SQLite engine closes the group commit's own connection with its own: the
    group's thread closes it after the writes queued, and the file is left with no
    connection (nothing is left to a garbage-collector finalizer, which once deadlocked the
    suite by queueing work while another executor started a thread)."""
    if TEST_DATABASE_URL:
        pytest.skip("group commit is SQLite's; PostgreSQL writes in ordinary transactions")
    path = tmp_path / "app.sqlite3"
    async with connected(dataclasses.replace(settings, database_url=f"sqlite://{path}")):
        await Tortoise.generate_schemas()
        client = Tortoise.get_connection("default")
        user = await make_user(name_en="Before")
        await sql.write_together([sql.Write(RENAME, ["After", user.id], expect=1)])
        group = sql._group_of(client)
        assert group is not None and group.db is not None
    assert group.db is None and group.executor._shutdown
    assert sql._groups.get(client) is None
    check = sqlite3.connect(path, timeout=0)
    try:
        check.execute("BEGIN EXCLUSIVE")  # no other connection holds the file
        assert check.execute("SELECT name_en FROM accounts_user").fetchall() == [("After",)]
    finally:
        check.close()
