"""The one CSV writer every export uses (events, judging, and the award's to come).

- A cell that starts with `= + - @`, a tab or a carriage return gets a leading apostrophe, so
  a spreadsheet shows it as text instead of running it as a formula (CSV injection).
- Dates and times are written in ISO 8601; an aware datetime keeps its offset
  (`2026-03-01T10:00:00+03:00`), a naive one is taken as UTC. Every export gives its times in
  the time zone of what it exports, never as display text: the edition's zone for the events'
  registrants, teams and submissions, the judging scope's zone for the score sheets.
- An export next to a filtered list holds the rows that list shows: its link carries the
  list's query string and the export runs the list's own query (events.services.dashboard).
- The text is UTF-8 with a byte-order mark, so Excel opens Arabic correctly, and rows end
  with CRLF as RFC 4180 says.

Nothing else in the project imports the `csv` module; a test says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

BOM = "\ufeff"
MEDIA_TYPE = "text/csv; charset=utf-8"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """The text of one cell, safe to open in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return aware.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):  # a number, not text typed by someone
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """A whole CSV file: the header, then the rows, every cell through `cell()`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(value) for value in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return (BOM + buffer.getvalue()).encode("utf-8")
