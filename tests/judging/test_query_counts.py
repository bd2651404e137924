"""List pages run a fixed number of queries, however many entries and judges they show."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from tortoise import Tortoise

from core.links import Links
from judging.enums import ConflictKind, ConflictOrigin, JudgeState, RoundState
from judging.models import Assignment, Judge, ScoreSheet
from judging.services import publication
from judging.sources import sources
from tests.factories import make_user, sign_in
from tests.judging.factories import conflict, judge, organizer, ready_round, score_everything
from tests.judging.sources import OTHER_SCOPE_ID, SCOPE_ID, candidate

LINKS = Links("http://testserver", lambda name, **params: "/")


@contextlib.contextmanager
def counted() -> Iterator[list[str]]:
    """Every SQL statement run on the default connection while the block runs."""
    connection = Tortoise.get_connection("default")
    seen: list[str] = []
    originals = {
        name: getattr(connection, name) for name in ("execute_query", "execute_query_dict")
    }
    for name, original in originals.items():

        def wrapper(sql, values=None, _original=original):  # noqa: ANN001, ANN202
            seen.append(sql)
            return _original(sql, values)

        setattr(connection, name, wrapper)
    try:
        yield seen
    finally:
        for name in originals:
            delattr(connection, name)


async def page_queries(client, source, scope_id: int, judges: int) -> dict[str, int]:  # noqa: ANN001
    round_, seats = await ready_round(source, judges=judges, k=2, scope_id=scope_id)
    await score_everything(round_, seats)
    round_.state = RoundState.CLOSED
    await round_.save()
    client.cookies.clear()
    await sign_in(client, await organizer(scope_id))
    counts = {}
    base = f"/judging/event/{scope_id}/rounds/{round_.id}"
    for name, url in (("assignments", base + "/assignments"), ("results", base + "/results")):
        with counted() as seen:
            assert (await client.get(url)).status_code == 200
        counts[name] = len(seen)
    client.cookies.clear()
    await sign_in(client, await seats[0].user)
    with counted() as seen:
        assert (await client.get("/judging/queue")).status_code == 200
    counts["queue"] = len(seen)
    await publication.publish(await make_user(admin=True), round_, source.scopes[scope_id], LINKS)
    with counted() as seen:
        assert (await client.get(f"/judging/event/{scope_id}/results")).status_code == 200
    counts["public"] = len(seen)
    return counts


async def test_page_queries_do_not_grow_with_the_round(client, source):
    for n in range(201, 219):
        source.add(OTHER_SCOPE_ID, candidate(n, track="a" if n % 2 else "b"))
    small = await page_queries(client, source, SCOPE_ID, judges=3)  # 6 entries, 3 judges
    large = await page_queries(client, source, OTHER_SCOPE_ID, judges=7)  # 18 entries, 7 judges
    assert small == large
    assert all(0 < count <= 12 for count in small.values()), small


STATEMENTS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many")
TRANSACTION_STEPS = ("begin", "commit", "rollback")


def _transaction_classes(client: type) -> Iterator[type]:
    from tortoise.backends.base.client import TransactionalDBClient

    pending = list(TransactionalDBClient.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if issubclass(cls, client):
            yield cls


@contextlib.contextmanager
def round_trips(monkeypatch) -> Iterator[list[str]]:  # noqa: ANN001
    """Every statement and every transaction step sent to the database while the block runs,
    inside transactions too (`counted` sees only the default connection's statements). A
    transaction that SQLite runs in one trip (core.sql.write_together) shows as one item,
    "transaction" and its statements."""
    from core import sql

    seen: list[str] = []
    client = type(Tortoise.get_connection("default"))

    def spy(cls: type, name: str) -> None:
        original = cls.__dict__[name]

        def wrapper(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            seen.append(name if name in TRANSACTION_STEPS else str(args[0]).split()[0])
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    for name in STATEMENTS:
        spy(next(c for c in client.__mro__ if name in c.__dict__), name)
    for cls in _transaction_classes(client):
        for name in TRANSACTION_STEPS:
            if name in cls.__dict__:
                spy(cls, name)
    one_trip = sql._sqlite_batch

    def whole(db, batch):  # noqa: ANN001, ANN202
        for steps in batch:
            seen.append(" ".join(["transaction", *(text.split()[0] for text, *_ in steps)]))
        return one_trip(db, batch)

    monkeypatch.setattr(sql, "_sqlite_batch", whole)
    try:
        yield seen
    finally:
        monkeypatch.undo()


def one_transaction(*statements: str) -> list[str]:
    """How a write of these statements reaches the database: one trip on a SQLite file (its
    group commit), four or more elsewhere (an in-memory SQLite database, PostgreSQL)."""
    from core import sql

    if sql._group_of(Tortoise.get_connection("default")) is not None:
        return [" ".join(["transaction", *statements])]
    return ["begin", *statements, "commit"]


DRAFT = {
    "score_c1": "4",
    "score_c2": "7.5",
    "score_c3": "2",
    "comment_for_team": "Clear",
    "note_for_organizers": "",
    "action": "draft",
}


async def test_saving_a_score_sheet_costs_three_round_trips(client, source, monkeypatch):
    """One to load the signed-in judge with their roles (accounts), one to load the sheet (the
    assignment with its entry, round, judge, sheet, rubric and the judge's conflict count)
    and one transaction: the version-checked write and its audit entry,
    which SQLite runs in one trip. The first save, which creates the sheet, goes through the
    ORM."""
    from tests.conftest import csrf
    from tests.judging.factories import ready_round

    _round, seats = await ready_round(source, judges=2, k=2)
    row = await Assignment.filter(judge=seats[0]).order_by("id").first()
    await sign_in(client, await seats[0].user)
    token = await csrf(client, "/login")
    url = f"/judging/entries/{row.entry_id}"
    reads = ["SELECT", "SELECT"]
    for version, writes in (
        (0, ["begin", "INSERT", "INSERT", "commit"]),
        (1, one_transaction("UPDATE", "INSERT")),
        (2, one_transaction("UPDATE", "INSERT")),
    ):
        with round_trips(monkeypatch) as seen:
            answer = await client.post(
                url, data={"csrf_token": token, **DRAFT, "version": str(version)}
            )
        assert answer.status_code == 303
        assert seen == [*reads, *writes]
    assert (await ScoreSheet.get(assignment_id=row.id)).version == 3


async def test_a_judge_with_conflicts_costs_one_round_trip_more(client, source, monkeypatch):
    from tests.conftest import csrf
    from tests.judging.factories import ready_round

    _round, seats = await ready_round(source, judges=2, k=2)
    await conflict(seats[0], ConflictKind.ORGANIZATION, "elsewhere.org", ConflictOrigin.DECLARED)
    row = await Assignment.filter(judge=seats[0]).order_by("id").first()
    await sign_in(client, await seats[0].user)
    token = await csrf(client, "/login")
    with round_trips(monkeypatch) as seen:
        answer = await client.post(
            f"/judging/entries/{row.entry_id}", data={"csrf_token": token, **DRAFT, "version": "0"}
        )
    assert answer.status_code == 303
    assert seen == ["SELECT"] * 3 + ["begin", "INSERT", "INSERT", "commit"]


async def test_the_queue_reads_judging_in_one_statement_with_or_without_conflicts(client, source):
    """Seats, conflicts, assignments with their rounds, entries and sheets: queues.QUEUE."""
    from judging.services import queues

    _round, seats = await ready_round(source, judges=2, k=2)
    await sign_in(client, await seats[0].user)
    dialect = Tortoise.get_connection("default").capabilities.dialect
    with counted() as plain:
        assert (await client.get("/judging/queue")).status_code == 200
    await conflict(seats[0], ConflictKind.ORGANIZATION, "team101.org", ConflictOrigin.DETECTED)
    with counted() as conflicted:
        answer = await client.get("/judging/queue")
    assert answer.status_code == 200 and "Initiative 101" not in answer.text
    judging = [s for s in plain if "judging_" in s]
    assert judging == [queues.queue_statement(sources.scope_tables()).text(dialect)]
    assert len(conflicted) == len(plain)


async def test_the_queue_reads_the_titles_of_events_and_cycles_with_the_seats(client):
    """The real sources name their tables (judging.sources.ScopeTitles): an event's and an
    award cycle's titles and time zones come in the queue's one statement; a seat whose
    scope is gone has none."""
    from judging.services import queues
    from judging.sources import ScopeTitles
    from tests.awards.factories import make_cycle
    from tests.events.factories import make_event

    event = await make_event()
    cycle = await make_cycle()
    user = await make_user()
    await judge(user=user, scope_id=event.id)
    await Judge.create(
        scope_type="award_cycle",
        scope_id=cycle.id,
        email=user.email,
        name=user.name_en,
        language=user.language,
        user=user,
        state=JudgeState.ACCEPTED,
        token_hash="c" * 64,
    )
    await judge(user=user, scope_id=987654)  # an event that is not there
    from events.services.entry_source import SubmissionSource

    with sources.replaced(SubmissionSource()):  # this folder's tests judge a memory source
        tables = sources.scope_tables()
        assert {t.scope_type for t in tables} == {"event", "award_cycle"}
        with counted() as seen:
            found = await queues.read_queue(user, tables)
    assert len(seen) == 1
    assert found.scopes[("event", event.id)] == queues.QueueScope(
        event.title_ar, event.title_en, event.time_zone
    )
    assert found.scopes[("award_cycle", cycle.id)] == queues.QueueScope(
        cycle.name_ar, cycle.name_en, cycle.time_zone
    )
    assert ("event", 987654) in found.seats and ("event", 987654) not in found.scopes
    with pytest.raises(ValueError, match="not a scope type"):
        queues.queue_statement((ScopeTitles("event'; --", "SELECT 1"),))
