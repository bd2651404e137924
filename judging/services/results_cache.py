"""The last computed results of each round, per process, reused while nothing they are
computed from has changed.

Computing a national round's results (every method's ranking, the leniency fit, 6,000 sheets
read) takes most of a second; an organizer reloads the page far more often than a sheet is
saved. One statement reads a fingerprint of everything the computation reads (entries, seats,
sheets with their versions, active conflicts, judges, tie decisions) and the round's own
settings are part of it: a saved sheet adds to its version, so any change, made in any
process, gives another fingerprint and the results are computed again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from core import sql
from judging.models import Round

V = TypeVar("V")
KEPT = 16  # rounds per process; emptied when it would grow past this

FINGERPRINT = sql.Statement(
    """
    SELECT * FROM
      (SELECT COUNT(*) AS entries, COALESCE(SUM(id), 0) AS entry_ids, MAX(created_at) AS entry_at,
              MAX(updated_at) AS entry_changed_at
       FROM judging_entry WHERE round_id = ?) e,
      (SELECT COUNT(*) AS seats, COALESCE(SUM(id + judge_id), 0) AS seat_ids
       FROM judging_assignment WHERE round_id = ?) a,
      (SELECT COUNT(*) AS sheets, COALESCE(SUM(s.version), 0) AS versions,
              MAX(s.updated_at) AS sheet_at
       FROM judging_score_sheet s JOIN judging_assignment x ON x.id = s.assignment_id
       WHERE x.round_id = ?) s,
      (SELECT COUNT(*) AS conflicts, COALESCE(SUM(id), 0) AS conflict_ids
       FROM judging_conflict WHERE scope_type = ? AND scope_id = ? AND active) c,
      (SELECT COUNT(*) AS judges, COALESCE(SUM(id), 0) AS judge_ids
       FROM judging_judge WHERE scope_type = ? AND scope_id = ?) j,
      (SELECT COUNT(*) AS decisions, COALESCE(SUM(position * entry_id), 0) AS decided,
              MAX(decided_at) AS decided_at
       FROM judging_tie_decision WHERE round_id = ?) t
    """
)

_kept: dict[int, tuple[tuple[Any, ...], Any]] = {}


async def fingerprint(round_: Round) -> tuple[Any, ...]:
    """What the round's results are computed from, in brief (one statement)."""
    scope = [round_.scope_type, round_.scope_id]
    found = await sql.rows(
        FINGERPRINT, [round_.id, round_.id, round_.id, *scope, *scope, round_.id]
    )
    return (
        round_.created_at,
        str(round_.method),
        round_.min_scores_for_zscore,
        tuple(round_.tiebreak or ()),
        round_.spread_threshold,
        *(str(value) for value in found[0].values()),
    )


async def kept(round_: Round, make: Callable[[], Awaitable[V]]) -> V:
    """The round's value made by `make`, made again only when its fingerprint changed."""
    key = await fingerprint(round_)
    found = _kept.get(round_.id)
    if found is not None and found[0] == key:
        return found[1]  # type: ignore[no-any-return]
    value = await make()
    if len(_kept) >= KEPT:
        _kept.clear()
    _kept[round_.id] = (key, value)
    return value


def clear() -> None:
    """Forget every round's results (their fingerprints make this needless but for tests)."""
    _kept.clear()
