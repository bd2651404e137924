"""What other domains ask judging (they call it through judging.services, never the models)."""

from __future__ import annotations

from judging.enums import JudgeState, RoundState
from judging.models import Assignment
from judging.services.markers import is_conflicted


async def judge_may_read(user_id: int, source: str, source_id: int) -> bool:
    """Whether the user is an accepted judge assigned (and not conflicted) to an entry with
    this source and source id in a round that has started (open, closed or published): the
    rule by which the judge reads the entry on the scoring page (judging.rules.sees_entry),
    so a judge may read an entry's files for as long as they may read the entry. The events
    domain's file policy asks this so assigned judges can download submission files."""
    assignments = (
        await Assignment.filter(
            judge__user_id=user_id,
            judge__state=JudgeState.ACCEPTED,
            entry__source=source,
            entry__source_id=source_id,
        )
        .exclude(round__state=RoundState.DRAFT)
        .select_related("entry", "judge")
    )
    for row in assignments:
        if not await is_conflicted(row.judge_id, row.entry):
            return True
    return False
