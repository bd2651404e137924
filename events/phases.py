"""An event's phase from its timeline and the clock: pure functions on plain data.

Every instant is an aware datetime; comparing aware datetimes is the same in every time zone,
so the server decides in UTC what the event's own clock says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from operator import itemgetter

from events.enums import Phase

PHASE_ORDER = tuple(Phase)


@dataclass(frozen=True)
class Timeline:
    registration_opens: dt.datetime
    registration_closes: dt.datetime
    submissions_open: dt.datetime
    submissions_close: dt.datetime
    judging_starts: dt.datetime | None = None
    judging_ends: dt.datetime | None = None
    results_at: dt.datetime | None = None

    def milestones(self) -> list[tuple[str, dt.datetime]]:
        """The dates that are set, in timeline order (ties keep the declared order)."""
        items = [(name, getattr(self, name)) for name in MILESTONE_NAMES]
        return sorted([item for item in items if item[1] is not None], key=_WHEN)


MILESTONE_NAMES = tuple(f.name for f in fields(Timeline))  # in declared order
_WHEN = itemgetter(1)


def phase(t: Timeline, now: dt.datetime) -> Phase:
    """The most advanced stage the clock has reached."""
    if t.results_at is not None and now >= t.results_at:
        return Phase.RESULTS
    if now >= t.submissions_close:
        return Phase.JUDGING
    if now >= t.submissions_open:
        return Phase.SUBMISSION
    if now >= t.registration_closes:
        return Phase.PREPARATION
    if now >= t.registration_opens:
        return Phase.REGISTRATION
    return Phase.UPCOMING


def registration_open(t: Timeline, now: dt.datetime) -> bool:
    return t.registration_opens <= now < t.registration_closes


def submissions_open(t: Timeline, now: dt.datetime) -> bool:
    return t.submissions_open <= now < t.submissions_close


def teams_open(t: Timeline, now: dt.datetime) -> bool:
    """Teams form and change from the opening of registration until submissions close."""
    return t.registration_opens <= now < t.submissions_close


def next_deadline(t: Timeline, now: dt.datetime) -> tuple[str, dt.datetime] | None:
    """The next date on the timeline still to come, or None when all have passed."""
    for name, when in t.milestones():
        if when > now:
            return name, when
    return None


def remaining(deadline: dt.datetime, now: dt.datetime) -> tuple[int, int, int]:
    """Whole days, hours and minutes until `deadline` (zeros once it has passed)."""
    seconds = max(0, int((deadline - now).total_seconds()))
    days, rest = divmod(seconds, 86400)
    return days, rest // 3600, (rest % 3600) // 60


# The order an organizer's dates must keep: (earlier, later, later may equal earlier).
ORDER_RULES: tuple[tuple[str, str, bool], ...] = (
    ("registration_opens", "registration_closes", False),
    ("submissions_open", "submissions_close", False),
    ("registration_opens", "submissions_open", True),
    ("registration_closes", "submissions_close", True),
    ("submissions_close", "judging_starts", True),
    ("judging_starts", "judging_ends", False),
    ("submissions_close", "judging_ends", False),
    ("judging_ends", "results_at", True),
    ("submissions_close", "results_at", False),
)


def timeline_problems(values: dict[str, dt.datetime | None]) -> dict[str, str]:
    """For each date out of order, the earlier date it must follow: {later: earlier}."""
    problems: dict[str, str] = {}
    for earlier, later, may_equal in ORDER_RULES:
        a, b = values.get(earlier), values.get(later)
        if a is None or b is None or later in problems:
            continue
        if b < a or (b == a and not may_equal):
            problems[later] = earlier
    return problems
