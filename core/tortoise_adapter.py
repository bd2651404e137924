"""The things the hand-written statements (core/sql.py) need from Tortoise that it has no
public API for, in one place, against tortoise-orm 1.1 (pinned in pyproject.toml):

- `from_row()`: a model instance from a row, converted as any query converts it (dates, JSON,
  enums, booleans) and known to be saved (so `save(update_fields=...)` updates it). Tortoise's
  own reader is `Model._init_from_db`; the public constructor would make an unsaved instance.
- `to_db()`: a value as the database stores it, as Tortoise's UPDATE converts it
  (`Field.to_db_value`, reached through `Model._meta.fields_map`), and `to_python()`, a value
  read as any query converts it (`Field.to_python_value`), for plain views of rows.
- `set_fetched()`: a related instance set as `select_related` sets it (the `_<relation>`
  attribute a foreign key's accessor reads), so reading the relation runs no query.

Column names come from the public `Model.describe()` (core/sql.py). tests/core/
test_tortoise_adapter.py fails loudly when a new Tortoise changes any of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


def from_row(model: type[M], columns: Mapping[str, Any]) -> M:
    """The saved instance whose columns (by column name) are these."""
    return model._init_from_db(**columns)


def to_db(model: type[Model], field: str, value: Any) -> Any:
    """The value of this field as the database stores it."""
    return model._meta.fields_map[field].to_db_value(value, model)


def set_fetched(instance: Model, relation: str, related: Model | None) -> None:
    """Set a fetched relation on an instance, as Tortoise's select_related does."""
    object.__setattr__(instance, f"_{relation}", related)


def reader(model: type[Model], field: str) -> Callable[[Any], Any]:
    """What converts a value of this field read from the database as the ORM does (dates
    aware, JSON decoded, enums, booleans)."""
    return model._meta.fields_map[field].to_python_value


def to_python(model: type[Model], field: str, value: Any) -> Any:
    """A value read from the database, as the ORM gives it."""
    return reader(model, field)(value)
