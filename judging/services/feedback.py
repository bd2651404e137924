"""What a team reads after publication: per-criterion averages and the judges' comments for
the team, never who wrote them."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from core import sql
from core.clock import now
from judging import scoring
from judging.enums import RoundState, SheetState
from judging.models import Criterion, Entry, Round, ScoreSheet
from judging.services.markers import active_conflicts, meets_conflict
from judging.services.rubric import criteria_of


@dataclass
class CriterionFeedback:
    criterion: Criterion
    average: float | None


@dataclass
class RoundFeedback:
    round: Round
    entry: Entry
    criteria: list[CriterionFeedback]
    comments: list[str]


@dataclass
class Feedback:
    source: str
    source_id: int
    scope_type: str
    scope_id: int
    member_emails: set[str]
    rounds: list[RoundFeedback]


SCOPES_KEPT = 64  # statements by the number of ids (a dashboard lists a few)


@functools.lru_cache(maxsize=SCOPES_KEPT)
def _scopes_statement(count: int) -> sql.Statement:
    marks = ", ".join("?" * count)
    return sql.Statement(
        lambda: (
            f"""
        SELECT e.source_id AS source_id, r.scope_type AS scope_type, r.scope_id AS scope_id
        FROM judging_entry e JOIN judging_round r ON r.id = e.round_id
        WHERE e.source = ? AND e.source_id IN ({marks}) AND r.state = ?
          AND r.publish_at <= ?
        ORDER BY e.round_id"""  # noqa: S608
        )
    )


async def feedback_scopes(source: str, source_ids: Collection[int]) -> dict[int, tuple[str, int]]:
    """For each of these source ids with published feedback, the scope its feedback page is
    in: one statement whatever the number of ids (a team dashboard lists many; written once
    in core/sql.py's way, as every signed-in participant's dashboard asks)."""
    if not source_ids:
        return {}
    ids = sorted(source_ids)
    at = sql.db_values(Round, {"publish_at": now()})[0]  # Round.results_public, in the query
    rows = await sql.rows(
        _scopes_statement(len(ids)), [source, *ids, RoundState.PUBLISHED.value, at]
    )
    found: dict[int, tuple[str, int]] = {}
    for row in rows:
        found.setdefault(row["source_id"], (row["scope_type"], row["scope_id"]))
    return found


async def feedback_for(source: str, source_id: int) -> Feedback | None:
    """A team's feedback from every published round: per-criterion averages and the judges'
    comments for the team, never who wrote them. None before publication."""
    at = now()
    entries = [
        e
        for e in await Entry.filter(source=source, source_id=source_id)
        .select_related("round")
        .order_by("round_id")
        if e.round.results_public(at)
    ]
    if not entries:
        return None
    rounds = [await _round_feedback(entry) for entry in entries]
    first = entries[0]
    emails = set().union(*(e.member_emails for e in entries))
    return Feedback(source, source_id, first.round.scope_type, first.round.scope_id, emails, rounds)


async def _round_feedback(entry: Entry) -> RoundFeedback:
    criteria = await criteria_of(entry.round)
    sheets = await ScoreSheet.filter(
        assignment__entry_id=entry.id, state=SheetState.SUBMITTED
    ).select_related("assignment")
    left_out = await _conflicted_at_publication(entry)
    counted = [s for s in sheets if s.assignment.judge_id not in left_out]
    averages = scoring.criterion_averages(
        [scoring.Sheet(entry.id, s.assignment.judge_id, s.scores) for s in counted]
    ).get(entry.id, {})
    return RoundFeedback(
        entry.round,
        entry,
        [CriterionFeedback(c, averages.get(c.key)) for c in criteria],
        _anonymous_order(s.comment_for_team for s in counted),
    )


async def _conflicted_at_publication(entry: Entry) -> set[int]:
    """The judges whose sheets of this entry the published results left out for a conflict
    (recorded at publication; for rounds published before that was recorded, the conflicts
    active now)."""
    frozen = (entry.round.snapshot or {}).get("conflicted")
    if frozen is not None:
        return {int(judge) for judge, entry_id in frozen if int(entry_id) == entry.id}
    conflicts = await active_conflicts(entry.round.scope_type, entry.round.scope_id)
    return {judge for judge in conflicts if meets_conflict(conflicts, judge, entry)}


def _anonymous_order(comments: Iterable[str]) -> list[str]:
    """Comments in an order that says nothing about which judge wrote which."""
    return sorted(
        (text for text in comments if text.strip()),
        key=lambda text: hashlib.blake2b(text.encode(), digest_size=8).digest(),
    )
