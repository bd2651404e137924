"""Hand-written statements for the few hottest requests.

Building a query through Tortoise costs far more Python than running it: a `select_related`
join over four tables costs about 0.7 ms of CPU per request to build and read, the statement
itself a few hundredths of that. On the paths a benchmark holds to a target (the signed-in
user on every request, a judge saving a score sheet) the statements are written here once
instead, and read back into plain values (the signed-in user: accounts.auth) or into the very
model instances Tortoise would build:

- `Statement` holds one SQL text with `?` placeholders and gives PostgreSQL `$1, $2 ...`;
- `columns()` lists a model's columns under a prefix, so a new field is never forgotten;
- `hydrate()` builds the instance with Tortoise's own reader (the same conversions of dates,
  JSON, enums and booleans as any query);
- `aware()` reads a datetime column of either database as the ORM gives it;
- `db_values()` converts values as Tortoise's UPDATE does;
- `write_together()` runs writes as one transaction, with a version check that undoes them
  all, and on a SQLite file lets writes arriving together share one commit (`GroupCommit`,
  SQLite only, on its own `sqlite3` connection).

Everything else goes through the ORM. What Tortoise offers no public API for (reading a row
into a saved instance, converting a value for the database, setting a fetched relation) is in
core/tortoise_adapter.py, tested against each Tortoise upgrade; column names come from the
public `Model.describe()`.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from core import tortoise_adapter

M = TypeVar("M", bound=Model)


class Statement:
    """One SQL text, written with `?` placeholders (no `?` may appear anywhere else).

    Give a function returning the text when it lists a model's columns: a model's foreign-key
    columns are only known once Tortoise is initialised, so the text is built on first use.

    `reuse_rows`: `rows()` may hand out the very rows it gave before for the same values,
    while the database has not changed since (SQLite: sqlite_engine's quick_read); for a read
    repeated on every request (the signed-in user) whose callers never change the rows."""

    __slots__ = ("_source", "_texts", "reuse_rows")

    def __init__(self, source: str | Callable[[], str], *, reuse_rows: bool = False) -> None:
        self._source = source
        self._texts: dict[str, str] = {}
        self.reuse_rows = reuse_rows

    def text(self, dialect: str) -> str:
        try:
            return self._texts[dialect]
        except KeyError:
            pass
        source = self._source if isinstance(self._source, str) else self._source()
        text = " ".join(source.split())
        if dialect == "postgres":
            parts = text.split("?")
            text = parts[0] + "".join(
                f"${number}{part}" for number, part in enumerate(parts[1:], start=1)
            )
        self._texts[dialect] = text
        return text


def connection(given: BaseDBAsyncClient | None = None) -> BaseDBAsyncClient:
    """The given connection (a transaction's), else the current one: inside `in_transaction`
    Tortoise hands out the transaction's connection."""
    return given or connections.get("default")


async def rows(
    statement: Statement, params: Sequence[Any] = (), conn: BaseDBAsyncClient | None = None
) -> list[dict[str, Any]]:
    db = connection(conn)
    text = statement.text(db.capabilities.dialect)
    quick = getattr(db, "quick_read", None)  # SQLite, outside a transaction (sqlite_engine)
    found = quick(text, list(params), statement.reuse_rows) if quick is not None else None
    if found is not None:
        return found
    return await db.execute_query_dict(text, list(params))


async def tuples(
    statement: Statement, params: Sequence[Any] = (), conn: BaseDBAsyncClient | None = None
) -> list[tuple[Any, ...]]:
    """rows() as tuples, each in the statement's column order: for a read its caller uses by
    position (or keeps whole, as a key), where making a dict of each row is wasted."""
    db = connection(conn)
    text = statement.text(db.capabilities.dialect)
    quick = getattr(db, "quick_tuples", None)  # SQLite, outside a transaction (sqlite_engine)
    found = quick(text, list(params)) if quick is not None else None
    if found is not None:
        return found
    _changed, read = await db.execute_query(text, list(params))
    return [tuple(row) for row in read]


async def execute(
    statement: Statement, params: Sequence[Any] = (), conn: BaseDBAsyncClient | None = None
) -> int:
    """Run a write; the number of rows it changed."""
    db = connection(conn)
    changed, _rows = await db.execute_query(statement.text(db.capabilities.dialect), list(params))
    return changed


@functools.cache
def _columns_of(model: type[Model]) -> tuple[str, dict[str, str]]:
    """The primary key's column and every field's column by field name (Model.describe)."""
    described = model.describe(serializable=False)
    pk = described["pk_field"]
    fields = {f["name"]: f["db_column"] for f in [pk, *described["data_fields"]]}
    return pk["db_column"], fields


def _column_names(model: type[Model]) -> tuple[str, ...]:
    return tuple(sorted(_columns_of(model)[1].values()))


def columns(model: type[Model], alias: str, prefix: str | None = None) -> str:
    """`"alias"."column" AS "prefix__column", ...` for every column of the model."""
    prefix = prefix or alias
    return ", ".join(
        f'"{alias}"."{column}" AS "{prefix}__{column}"' for column in _column_names(model)
    )


def hydrate(model: type[M], row: Mapping[str, Any], prefix: str) -> M | None:
    """The model instance from a row selected with `columns(model, ..., prefix)`; None when
    a LEFT JOIN found nothing."""
    keys = _prefixed(model, prefix)
    if row[keys[0][0]] is None:  # the primary key
        return None
    columns = {column: row[key] for key, column in keys}
    for column, parse in _date_columns(model):
        if isinstance(value := columns[column], str):
            columns[column] = _parsed(parse, value)
    return tortoise_adapter.from_row(model, columns)


@functools.cache
def _date_columns(model: type[Model]) -> tuple[tuple[str, Callable[[str], Any]], ...]:
    """The columns of the model's datetime and date fields (SQLite gives them as ISO 8601
    text), each with the standard library's reader of its type."""
    described = model.describe(serializable=False)
    readers = {
        datetime.datetime: datetime.datetime.fromisoformat,
        datetime.date: datetime.date.fromisoformat,
    }
    return tuple(
        (f["db_column"], readers[f["python_type"]])
        for f in [described["pk_field"], *described["data_fields"]]
        if f["python_type"] in readers
    )


def _parsed(parse: Callable[[str], Any], text: str) -> Any:
    """ISO 8601 text as the standard library reads it (in C, a tenth of the time of the pure
    Python parser the ORM calls; the ORM then converts the value as it does any date, into its
    time zone for a datetime); text it cannot read is left to the ORM."""
    try:
        return parse(text)
    except ValueError:
        return text


@functools.cache
def _prefixed(model: type[Model], prefix: str) -> tuple[tuple[str, str], ...]:
    """(row key, column) pairs, the primary key first."""
    pk = _columns_of(model)[0]
    names = [pk, *(c for c in _column_names(model) if c != pk)]
    return tuple((f"{prefix}__{column}", column) for column in names)


def aware(value: datetime.datetime | str | None) -> datetime.datetime | None:
    """A datetime column's value as the ORM gives it (use_tz, in UTC: core.db), read from a
    row of either database: SQLite gives the ISO 8601 text Tortoise wrote (with its offset),
    PostgreSQL an aware datetime. A naive one is taken as UTC, as the ORM takes it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


def selected(model: type[Model], alias: str, names: Iterable[str], prefix: str) -> str:
    """`"alias"."column" AS "prefix__field", ...` for these fields of the model."""
    return ", ".join(f'"{alias}"."{column_of(model, n)}" AS "{prefix}__{n}"' for n in names)


def python_values(
    model: type[Model], row: Mapping[str, Any], names: tuple[str, ...], prefix: str
) -> dict[str, Any]:
    """The fields selected with `selected(model, ..., names, prefix)`, as the ORM reads them."""
    return {name: read(row[key]) for name, key, read in _readers(model, names, prefix)}


@functools.cache
def _readers(
    model: type[Model], names: tuple[str, ...], prefix: str
) -> tuple[tuple[str, str, Callable[[Any], Any]], ...]:
    """(field, row key, converter) for each field: looked up once, used on every row."""
    return tuple((n, f"{prefix}__{n}", tortoise_adapter.reader(model, n)) for n in names)


def db_values(
    model: type[Model], values: Mapping[str, Any], order: Iterable[str] | None = None
) -> list[Any]:
    """The values of these fields as the database stores them, in `order` (default: the
    mapping's own)."""
    return [tortoise_adapter.to_db(model, name, values[name]) for name in (order or values)]


def column_of(model: type[Model], field: str) -> str:
    return _columns_of(model)[1][field]


def attach(instance: Model, relation: str, related: Model | None) -> None:
    """Set a fetched relation on an instance, as Tortoise's select_related does."""
    tortoise_adapter.set_fetched(instance, relation, related)


@dataclass(frozen=True)
class Write:
    """One statement of `write_together`; `expect`: the rows it must change, else the whole
    transaction is undone (an optimistic version check)."""

    statement: Statement
    params: Sequence[Any]
    expect: int | None = None


class Unchanged(Exception):
    """A write changed other than the rows it expected, so nothing was kept."""


Steps = list[tuple[str, list[Any], int | None]]
"""A caller's writes as SQLite runs them: (SQL, parameters, rows it must change)."""


async def write_together(writes: Sequence[Write], conn: BaseDBAsyncClient | None = None) -> None:
    """Run the writes as one transaction, durable when this returns (raises Unchanged, nothing
    kept, when a write's `expect` fails; IntegrityError, nothing kept, when the database
    refuses one).

    On a SQLite file, outside any other transaction, the writes join the worker's next group
    commit (`GroupCommit`). Elsewhere (PostgreSQL, an in-memory SQLite database, or inside a
    transaction already open) it is an ordinary, or nested, Tortoise transaction."""
    db = connection(conn)
    group = _group_of(db)
    if group is not None:
        await group.commit([(w.statement.text("sqlite"), list(w.params), w.expect) for w in writes])
        return
    async with in_transaction(db.connection_name) as tx:
        for write in writes:
            changed = await execute(write.statement, write.params, tx)
            if write.expect is not None and changed != write.expect:
                raise Unchanged


class CallerWrites(list[tuple[str, list[Any], int | None]]):
    """One caller's writes as SQLite runs them, (SQL, parameters, rows it must change), and
    whether the caller has gone away (cancelled) before they were committed."""

    def __init__(self, steps: Steps) -> None:
        super().__init__(steps)
        self.withdrawn = threading.Event()


class GroupCommit:
    """Group commit on one SQLite file (one per worker process). SQLite only.

    Every commit waits for the disk (synchronous=FULL: a saved score survives a power cut),
    and every worker process writes to the same file, waiting for the others' write locks.
    Writes that arrive while a transaction is being written therefore wait and go together in
    the next one, each inside its own savepoint: one that fails is undone alone, the others
    are kept, and every caller hears only after the COMMIT that holds its writes. With one
    writer at a time this is one transaction per call, as before; under load one disk wait
    serves many saves.

    The group writes on its own `sqlite3` connection to the file, in a one-thread executor:
    the whole transaction is one trip to that thread, so the write lock is never held across
    the event loop's other work. A caller cancelled before its writes are committed has them
    left out (or the transaction written again without them); once the COMMIT has begun they
    stand."""

    def __init__(self, path: str, pragmas: Mapping[str, Any]) -> None:
        self.path = path
        self.pragmas = dict(pragmas)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="group-commit")
        self.db: sqlite3.Connection | None = None  # opened and used in the executor's thread
        self.pending: list[tuple[CallerWrites, asyncio.Future[None]]] = []
        self.task: asyncio.Task[None] | None = None

    async def commit(self, steps: Steps) -> None:
        loop = asyncio.get_running_loop()
        writes, future = CallerWrites(steps), loop.create_future()
        self.pending.append((writes, future))
        if self.task is None or self.task.done():
            self.task = loop.create_task(self._drain())
        try:
            await future
        except asyncio.CancelledError:
            writes.withdrawn.set()  # not committed, unless the COMMIT holding them has begun
            raise

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        batch: list[tuple[CallerWrites, asyncio.Future[None]]] = []
        try:
            while self.pending:
                batch = [(w, f) for w, f in self.pending if not w.withdrawn.is_set()]
                self.pending = []
                if not batch:
                    continue
                callers = [writes for writes, _future in batch]
                try:
                    outcomes = await loop.run_in_executor(self.executor, self._write, callers)
                except Exception as exc:  # the transaction itself failed: nothing was kept
                    outcomes = [exc] * len(batch)
                for (_writes, future), outcome in zip(batch, outcomes, strict=True):
                    _settle(future, outcome)
        finally:  # cancelled (the server stopping): nobody is left waiting
            for _writes, future in [*batch, *self.pending]:
                if not future.done():
                    future.cancel()

    def _write(self, batch: list[CallerWrites]) -> list[Exception | None]:
        """In the executor's thread."""
        if self.db is None:
            self.db = _open(self.path, self.pragmas)
        return _sqlite_batch(self.db, batch)

    async def close(self) -> None:
        """Closes the group's connection in its thread, after the writes already queued."""

        def close_db() -> None:
            if self.db is not None:
                self.db.close()
                self.db = None

        await asyncio.get_running_loop().run_in_executor(self.executor, close_db)
        self.executor.shutdown(wait=False)


def _open(path: str, pragmas: Mapping[str, Any]) -> sqlite3.Connection:
    """The group's connection: autocommit mode (its transactions are explicit), the pragmas
    Tortoise's connection was given, and its busy timeout."""
    timeout = int(pragmas.get("busy_timeout", DEFAULT_BUSY_TIMEOUT_MS)) / 1000
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    for name, value in pragmas.items():
        if name.isidentifier():
            db.execute(f"PRAGMA {name}={value}")
    return db


def _settle(future: asyncio.Future[None], outcome: BaseException | None) -> None:
    if future.done():  # the caller went away while its transaction was being committed
        return
    if outcome is None:
        future.set_result(None)
    elif isinstance(outcome, sqlite3.IntegrityError):
        future.set_exception(IntegrityError(outcome))
    elif isinstance(outcome, sqlite3.OperationalError):
        future.set_exception(OperationalError(outcome))
    else:
        future.set_exception(outcome)


DEFAULT_BUSY_TIMEOUT_MS = 5000
_groups: weakref.WeakKeyDictionary[BaseDBAsyncClient, GroupCommit] = weakref.WeakKeyDictionary()


def _group_of(client: BaseDBAsyncClient) -> GroupCommit | None:
    """The client's group commit: SQLite on a file, outside a transaction; else None."""
    if client.capabilities.dialect != "sqlite" or isinstance(client, TransactionalDBClient):
        return None
    group = _groups.get(client)
    if group is None:
        path = getattr(client, "filename", "")
        if not path or path == ":memory:" or path.startswith("file::memory:"):
            return None  # one connection only can see an in-memory database
        group = _groups[client] = GroupCommit(path, getattr(client, "pragmas", {}))
        # No weakref.finalize here: a finalizer runs wherever the garbage collector does, and
        # one that queued work on an executor deadlocked a thread being started by another
        # executor (both wait for concurrent.futures' global lock). A client closed by
        # Tortoise closes its group (close_group, from core.sqlite_engine); one merely dropped
        # takes its group with it: the idle executor's thread exits when the executor is
        # collected, and the sqlite3 connection closes when it is.
    return group


async def close_group(client: BaseDBAsyncClient) -> None:
    """Closes the client's group commit, if it has one (when Tortoise closes the client)."""
    group = _groups.pop(client, None)
    if group is not None:
        await group.close()


def _sqlite_batch(db: sqlite3.Connection, batch: list[CallerWrites]) -> list[Exception | None]:
    """In the group's thread: each caller's writes in a savepoint, in one transaction; what
    each caller hears. A caller withdrawn meanwhile is left out: if its writes were already
    in the transaction, it is undone and written again without them."""
    while True:
        outcomes: list[Exception | None] = []
        written: list[CallerWrites] = []
        db.execute("BEGIN IMMEDIATE")
        try:
            for steps in batch:
                if _withdrawn(steps):
                    outcomes.append(None)  # nobody is waiting to hear
                    continue
                db.execute("SAVEPOINT manassa_write")
                try:
                    _run_steps(db, steps)
                except Exception as exc:  # this caller's own failure: undone alone
                    db.execute("ROLLBACK TO manassa_write")
                    outcomes.append(exc)
                else:
                    outcomes.append(None)
                    written.append(steps)
                db.execute("RELEASE manassa_write")
            if any(_withdrawn(steps) for steps in written):
                db.execute("ROLLBACK")
                continue
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return outcomes


def _withdrawn(steps: Steps) -> bool:
    withdrawn = getattr(steps, "withdrawn", None)
    return withdrawn is not None and withdrawn.is_set()


def _run_steps(db: sqlite3.Connection, steps: Steps) -> None:
    for text, params, expect in steps:
        changed = db.execute(text, params).rowcount
        if expect is not None and changed != expect:
            raise Unchanged
