"""A cycle's phase from its timeline and the clock: pure functions on plain data.

Every instant is an aware datetime, so comparing in UTC is what the cycle's own clock says; the
time zone matters only for showing dates and for turning a local date into an instant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from awards.enums import CyclePhase


@dataclass(frozen=True)
class Timeline:
    nominations_open: dt.datetime
    nominations_close: dt.datetime
    screening_ends: dt.datetime
    appeals_close: dt.datetime
    jury_starts: dt.datetime | None = None
    jury_ends: dt.datetime | None = None
    shortlist_at: dt.datetime | None = None
    voting_opens: dt.datetime | None = None
    voting_closes: dt.datetime | None = None
    results_at: dt.datetime | None = None

    def milestones(self) -> list[tuple[str, dt.datetime]]:
        """The dates that are set, in declared order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name)]


_LATE_PHASES = (
    ("results_at", CyclePhase.RESULTS),
    ("voting_closes", CyclePhase.COUNTING),
    ("voting_opens", CyclePhase.VOTING),
    ("shortlist_at", CyclePhase.SHORTLIST),
)


def phase(t: Timeline, now: dt.datetime) -> CyclePhase:
    """The most advanced stage the clock has reached."""
    if now < t.nominations_open:
        return CyclePhase.UPCOMING
    if now < t.nominations_close:
        return CyclePhase.NOMINATIONS
    if now < t.screening_ends:
        return CyclePhase.SCREENING
    if now < t.appeals_close:
        return CyclePhase.APPEALS
    for name, late_phase in _LATE_PHASES:
        when = getattr(t, name)
        if when is not None and now >= when:
            return late_phase
    return CyclePhase.JURY


def timeline_problems(t: dict[str, dt.datetime | None]) -> list[tuple[str, str]]:
    """Each (later, earlier) pair of set dates out of order: every date must not come before
    the one declared ahead of it."""
    order = [f.name for f in fields(Timeline)]
    problems: list[tuple[str, str]] = []
    previous: tuple[str, dt.datetime] | None = None
    for name in order:
        when = t.get(name)
        if when is None:
            continue
        if previous is not None and when < previous[1]:
            problems.append((name, previous[0]))
        if name == "nominations_close" and when <= t["nominations_open"]:  # type: ignore[operator]
            problems.append((name, "nominations_open"))
        previous = (name, when)
    return problems


def local_midnight(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """The first instant of `day` in a time zone, in UTC."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
