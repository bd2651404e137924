"""What a team reads after publication: per-criterion averages and the judges' comments for
the team, never who wrote them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

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


def first_feedback_round(source_id: str) -> str:
    """SQL for the id of the first round (by id) whose published results hold the feedback
    of the entry made from one source row (NULL before publication): a scalar subquery a
    judged domain puts in its own statement, `source_id` naming that row's id column there.
    The participant's dashboard reads its cards and their feedback pages so, in the one
    statement it runs for every signed-in participant instead of a second round trip. Its
    three `?` take `feedback_round_params`, where it stands in the statement. (MIN rather
    than ORDER BY ... LIMIT 1: the same round, without a sort for each row.)"""
    return f"""(SELECT MIN(fe.round_id) FROM judging_entry fe
        JOIN judging_round fr ON fr.id = fe.round_id
        WHERE fe.source = ? AND fe.source_id = {source_id} AND fr.state = ?
          AND fr.publish_at <= ?)"""  # noqa: S608 - source_id: a column the caller names


def feedback_round_params(source: str) -> list[Any]:
    """The values of `first_feedback_round`'s `?`, for the entries of this source: a round
    is published (Round.results_public, in the statement) at its publication time."""
    at = sql.db_values(Round, {"publish_at": now()})[0]
    return [source, RoundState.PUBLISHED.value, at]


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
