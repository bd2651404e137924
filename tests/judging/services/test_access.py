"""judging.services.access against the database."""

from __future__ import annotations

from judging.enums import (
    ConflictKind,
    ConflictOrigin,
    JudgeState,
    RoundState,
)
from judging.models import Assignment, Entry
from judging.services import (
    access,
)
from tests.judging.factories import conflict, ready_round
from tests.judging.services.helpers import judged_by


async def test_judge_may_read_only_assigned_unconflicted_entries_of_started_rounds(db, source):
    round_, seats = await ready_round(source)
    row = await Assignment.filter(judge=seats[0]).select_related("entry").first()
    user = await seats[0].user
    other = await seats[1].user
    theirs = await judged_by(seats[1])
    unassigned = next(e for e in await Entry.filter(round=round_) if e.id not in theirs)
    assert await access.judge_may_read(user.id, "test.submission", row.entry.source_id)
    assert not await access.judge_may_read(other.id, "test.submission", unassigned.source_id)
    assert not await access.judge_may_read(user.id, "other.source", row.entry.source_id)
    for state in (RoundState.CLOSED, RoundState.PUBLISHED):
        round_.state = state
        await round_.save()
        assert await access.judge_may_read(user.id, "test.submission", row.entry.source_id)
    await conflict(seats[0], ConflictKind.TEAM, row.entry.team_key, ConflictOrigin.DECLARED)
    assert not await access.judge_may_read(user.id, "test.submission", row.entry.source_id)


async def test_judge_may_not_read_in_a_draft_round_or_after_withdrawing(db, source):
    round_, seats = await ready_round(source, state=RoundState.DRAFT)
    row = await Assignment.filter(judge=seats[0]).select_related("entry").first()
    user = await seats[0].user
    assert not await access.judge_may_read(user.id, "test.submission", row.entry.source_id)
    round_.state = RoundState.OPEN
    await round_.save()
    seats[0].state = JudgeState.WITHDRAWN
    await seats[0].save()
    assert not await access.judge_may_read(user.id, "test.submission", row.entry.source_id)
