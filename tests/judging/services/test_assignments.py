"""judging.services.assignments against the database."""

from __future__ import annotations

from collections import Counter

import pytest

from core.audit import AuditEntry
from core.errors import Conflict
from judging.enums import (
    ConflictKind,
    ConflictOrigin,
    JudgeState,
    RoundState,
)
from judging.models import Assignment, Entry, Judge
from judging.services import (
    assignments,
    conflicts,
    entries,
    sheets,
)
from tests.judging.factories import judge, make_round, ready_round
from tests.judging.services.helpers import admin, sheet_for
from tests.judging.sources import standard_source


async def test_assign_gives_k_unconflicted_judges_with_balanced_loads(db):
    source = standard_source(9)
    round_ = await make_round(k=3)
    seats = [await judge() for _ in range(5)]
    actor = await admin()
    await entries.refresh_entries(actor, round_, source)
    target = await Entry.get(round=round_, source_id=101)
    await conflicts.declare_conflict(
        actor,
        seats[0],
        kind=ConflictKind.ENTRY,
        value="101",
        reason="Mentored them",
        origin=ConflictOrigin.ORGANIZER,
    )
    outcome = await assignments.auto_assign(actor, round_)
    rows = await Assignment.filter(round=round_).values_list("entry_id", "judge_id")
    assert outcome.added == len(rows) == 27 and outcome.unfilled == {}
    entry_ids = await Entry.filter(round=round_).values_list("id", flat=True)
    assert Counter(e for e, _ in rows) == dict.fromkeys(entry_ids, 3)
    loads = Counter(j for _, j in rows)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert (target.id, seats[0].id) not in set(rows)
    entry = await AuditEntry.get(action="judging.assigned")
    assert len(entry.after["added"]) == 27


async def test_assign_is_deterministic_and_keeps_what_exists(db, source):
    round_, _seats = await ready_round(source, judges=5, k=2)
    first = sorted(await Assignment.filter(round=round_).values_list("entry_id", "judge_id"))
    round_.state = RoundState.DRAFT
    await round_.save()
    again = await assignments.auto_assign(await admin(), round_)
    assert again.added == 0
    await Assignment.filter(round=round_).delete()
    await assignments.auto_assign(await admin(), round_)
    pairs = await Assignment.filter(round=round_).values_list("entry_id", "judge_id")
    assert sorted(pairs) == first


async def test_assign_says_when_an_entry_cannot_get_k_judges(db):
    source = standard_source(2)
    round_ = await make_round(k=2)
    seats = [await judge(), await judge()]
    actor = await admin()
    await entries.refresh_entries(actor, round_, source)
    await conflicts.declare_conflict(
        actor,
        seats[1],
        kind=ConflictKind.ENTRY,
        value="101",
        reason="Former colleague",
        origin=ConflictOrigin.ORGANIZER,
    )
    outcome = await assignments.auto_assign(actor, round_)
    entry = await Entry.get(round=round_, source_id=101)
    assert outcome.unfilled == {entry.id: 1}
    assert await Assignment.filter(entry=entry).values_list("judge_id", flat=True) == [seats[0].id]


async def test_replacing_a_judge_moves_only_their_unfinished_entries(db, source):
    round_, seats = await ready_round(source, judges=4, k=2)
    leaving = seats[0]
    user, seen = await sheet_for(leaving, round_)
    await sheets.save_sheet(
        user, seen, scores={"c1": 4, "c2": 6, "c3": 2}, comment="", note="", version=0, submit=True
    )
    before = set(await Assignment.filter(round=round_).values_list("entry_id", "judge_id"))
    theirs = {e for e, j in before if j == leaving.id}
    moved, left = await assignments.replace_judge(await admin(), round_, leaving)
    after = set(await Assignment.filter(round=round_).values_list("entry_id", "judge_id"))
    assert (moved, left) == (len(theirs) - 1, 0)
    assert before - after == {(e, leaving.id) for e in theirs if e != seen.entry.id}
    assert {e for e, _j in after - before} == theirs - {seen.entry.id}
    assert (seen.entry.id, leaving.id) in after
    assert (await Judge.get(id=leaving.id)).state == JudgeState.WITHDRAWN


async def test_manual_assignment_refuses_a_conflicted_pair(db, source):
    round_, seats = await ready_round(source, state=RoundState.DRAFT)
    entry = await Entry.get(round=round_, source_id=101)
    panel = set(await Assignment.filter(entry=entry).values_list("judge_id", flat=True))
    free = next(s for s in seats if s.id not in panel)
    actor = await admin()
    await conflicts.declare_conflict(
        actor,
        free,
        kind=ConflictKind.ENTRY,
        value="101",
        reason="Co-author",
        origin=ConflictOrigin.ORGANIZER,
    )
    with pytest.raises(Conflict) as caught:
        await assignments.add_assignment(actor, round_, entry.id, free.id)
    assert caught.value.message.endswith("has a conflict with this entry and cannot judge it.")
    assert not await Assignment.filter(entry=entry, judge=free).exists()
