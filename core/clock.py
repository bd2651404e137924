"""The one source of the current time, so tests can move it."""

from __future__ import annotations

import datetime as dt

_offset = dt.timedelta(0)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + _offset


def travel(delta: dt.timedelta) -> None:
    """Move the clock (tests and demos only)."""
    global _offset
    _offset += delta


def reset() -> None:
    global _offset
    _offset = dt.timedelta(0)
