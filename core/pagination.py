"""One page of a query, with the numbers a list page shows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.queryset import QuerySet


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 100000 else 1


async def paginate(
    query: QuerySet, number: int, size: int = 50, *, values: Sequence[str] = ()
) -> Page:
    """One page of `query`: its rows as models, or, given `values` (column names), as dicts of
    those columns (no model built per row: for long lists)."""
    total = await query.count()
    number = min(max(1, number), max(1, math.ceil(total / size)))
    sliced = query.offset((number - 1) * size).limit(size)
    items = await (sliced.values(*values) if values else sliced)
    return Page(items=list(items), number=number, size=size, total=total)
