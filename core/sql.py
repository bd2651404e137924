"""Hand-written statements for the few hottest requests.

Building a query through Tortoise costs far more Python than running it: a `select_related`
join over four tables costs about 0.7 ms of CPU per request to build and read, the statement
itself a few hundredths of that. On the paths a benchmark holds to a target (the signed-in
user on every request, a judge saving a score sheet) the statements are written here once
instead, and read back into the very model instances Tortoise would build:

- `Statement` holds one SQL text with `?` placeholders and gives PostgreSQL `$1, $2 ...`;
- `columns()` lists a model's columns under a prefix, so a new field is never forgotten;
- `hydrate()` builds the instance with `Model._init_from_db`, Tortoise's own reader (the same
  conversions of dates, JSON, enums and booleans as any query);
- `db_values()` converts values as Tortoise's UPDATE does (`Field.to_db_value`).

Everything else goes through the ORM.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.models import Model

M = TypeVar("M", bound=Model)


class Statement:
    """One SQL text, written with `?` placeholders (no `?` may appear anywhere else).

    Give a function returning the text when it lists a model's columns: a model's foreign-key
    columns are only known once Tortoise is initialised, so the text is built on first use."""

    __slots__ = ("_source", "_texts")

    def __init__(self, source: str | Callable[[], str]) -> None:
        self._source = source
        self._texts: dict[str, str] = {}

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
                f"${number}{part}" for number, part in enumerate(parts[1:], start=1))
        self._texts[dialect] = text
        return text


def connection(given: BaseDBAsyncClient | None = None) -> BaseDBAsyncClient:
    """The given connection (a transaction's), else the current one: inside `in_transaction`
    Tortoise hands out the transaction's connection."""
    return given or connections.get("default")


async def rows(statement: Statement, params: Sequence[Any] = (),
               conn: BaseDBAsyncClient | None = None) -> list[dict[str, Any]]:
    db = connection(conn)
    return await db.execute_query_dict(statement.text(db.capabilities.dialect), list(params))


async def execute(statement: Statement, params: Sequence[Any] = (),
                  conn: BaseDBAsyncClient | None = None) -> int:
    """Run a write; the number of rows it changed."""
    db = connection(conn)
    changed, _rows = await db.execute_query(statement.text(db.capabilities.dialect),
                                            list(params))
    return changed


def _column_names(model: type[Model]) -> tuple[str, ...]:
    return tuple(sorted(model._meta.db_fields))


def columns(model: type[Model], alias: str, prefix: str | None = None) -> str:
    """`"alias"."column" AS "prefix__column", ...` for every column of the model."""
    prefix = prefix or alias
    return ", ".join(f'"{alias}"."{column}" AS "{prefix}__{column}"'
                     for column in _column_names(model))


def hydrate(model: type[M], row: Mapping[str, Any], prefix: str) -> M | None:
    """The model instance from a row selected with `columns(model, ..., prefix)`; None when
    a LEFT JOIN found nothing."""
    keys = _prefixed(model, prefix)
    if row[keys[0][0]] is None and model._meta.db_pk_column == keys[0][1]:
        return None
    return model._init_from_db(**{column: row[key] for key, column in keys})


@functools.cache
def _prefixed(model: type[Model], prefix: str) -> tuple[tuple[str, str], ...]:
    """(row key, column) pairs, the primary key first."""
    pk = model._meta.db_pk_column
    names = [pk, *(c for c in _column_names(model) if c != pk)]
    return tuple((f"{prefix}__{column}", column) for column in names)


def db_values(model: type[Model], values: Mapping[str, Any],
              order: Iterable[str] | None = None) -> list[Any]:
    """The values of these fields as the database stores them, in `order` (default: the
    mapping's own)."""
    fields = model._meta.fields_map
    return [fields[name].to_db_value(values[name], None) for name in (order or values)]


def column_of(model: type[Model], field: str) -> str:
    return model._meta.fields_db_projection[field]


def attach(instance: Model, relation: str, related: Model | None) -> None:
    """Set a fetched relation on an instance, as Tortoise's select_related does."""
    object.__setattr__(instance, f"_{relation}", related)


@dataclass(frozen=True)
class Write:
    """One statement of `write_together`; `expect`: the rows it must change, else the whole
    transaction is undone (an optimistic version check)."""

    statement: Statement
    params: Sequence[Any]
    expect: int | None = None


class Unchanged(Exception):
    """A write changed other than the rows it expected, so nothing was kept."""


async def write_together(writes: Sequence[Write], conn: BaseDBAsyncClient | None = None
                         ) -> None:
    """Run the writes as one transaction (raises Unchanged, nothing kept, when a write's
    `expect` fails).

    On SQLite, outside any other transaction, the whole transaction is one trip to the
    database thread: the file's write lock is then held for the microseconds the statements
    take, never across the event loop's other work, which matters because every worker
    process writes to the same file and waits for the others' locks. Elsewhere, or inside a
    transaction already open, it is an ordinary (nested) Tortoise transaction."""
    db = connection(conn)
    if db.capabilities.dialect == "sqlite" and not isinstance(db, TransactionalDBClient):
        steps = [(w.statement.text("sqlite"), list(w.params), w.expect) for w in writes]
        async with db.acquire_connection() as aio:
            try:
                await aio._execute(_sqlite_transaction, aio._conn, steps)
            except sqlite3.IntegrityError as exc:
                raise IntegrityError(exc) from exc
            except sqlite3.OperationalError as exc:
                raise OperationalError(exc) from exc
        return
    async with db._in_transaction() as tx:
        for write in writes:
            changed = await execute(write.statement, write.params, tx)
            if write.expect is not None and changed != write.expect:
                raise Unchanged


def _sqlite_transaction(db: sqlite3.Connection, steps: list[tuple[str, list[Any], int | None]]
                        ) -> None:
    """In aiosqlite's thread, on Tortoise's connection (autocommit mode, so the transaction
    is explicit)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for text, params, expect in steps:
            changed = db.execute(text, params).rowcount
            if expect is not None and changed != expect:
                raise Unchanged
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
