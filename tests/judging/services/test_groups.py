"""Rounds and judges for one group of a scope (a track, an award's category): a round for a
group takes only that group's candidates; a judge invited for a group is assigned only in
its rounds. A round or a judge for no group ("") behaves as before groups existed."""

from __future__ import annotations

import pytest

from core.errors import Invalid
from judging.models import Assignment, Entry
from judging.services import assignments, entries, judges, rounds
from judging.sources import groups_of
from tests.judging.factories import judge, make_round
from tests.judging.services.helpers import LINKS, admin
from tests.judging.sources import SCOPE_ID


async def _source_ids(round_) -> list[int]:
    return sorted(await Entry.filter(round=round_).values_list("source_id", flat=True))


async def test_a_round_for_a_group_takes_only_that_groups_candidates(db, source):
    actor = await admin()
    track_a = await make_round(group_key="a")
    every = await make_round()
    await entries.refresh_entries(actor, track_a, source)
    await entries.refresh_entries(actor, every, source)
    assert await _source_ids(track_a) == [101, 103, 105]
    assert await _source_ids(every) == [101, 102, 103, 104, 105, 106]


async def test_a_judge_for_a_group_is_assigned_only_in_its_rounds(db, source):
    actor = await admin()
    track_a, track_b = await make_round(group_key="a", k=2), await make_round(group_key="b", k=2)
    for_a = [await judge(), await judge()]
    for_b = [await judge(), await judge()]
    for seat in for_a:
        seat.group_key = "a"
        await seat.save()
    for seat in for_b:
        seat.group_key = "b"
        await seat.save()
    for round_ in (track_a, track_b):
        await entries.refresh_entries(actor, round_, source)
        outcome = await assignments.auto_assign(actor, round_)
        assert outcome.unfilled == {}
    judged_a = set(await Assignment.filter(round=track_a).values_list("judge_id", flat=True))
    judged_b = set(await Assignment.filter(round=track_b).values_list("judge_id", flat=True))
    assert judged_a == {s.id for s in for_a}
    assert judged_b == {s.id for s in for_b}
    entry = await Entry.filter(round=track_a).first()
    with pytest.raises(Invalid):  # by hand neither
        await assignments.add_assignment(actor, track_a, entry.id, for_b[0].id)


async def test_a_judge_for_no_group_judges_every_round(db, source):
    actor = await admin()
    track_a = await make_round(group_key="a", k=1)
    seat = await judge()
    await entries.refresh_entries(actor, track_a, source)
    await assignments.auto_assign(actor, track_a)
    assert await Assignment.filter(round=track_a, judge=seat).count() == 3


async def test_the_groups_of_a_scope_come_from_its_candidates(db, source):
    groups = await groups_of(source, SCOPE_ID)
    assert [(g.key, g.label_en) for g in groups] == [("a", "Digital media"), ("b", "Journalism")]


async def test_inviting_for_a_group_and_again_for_another(db, source):
    actor = await admin()
    scope = source.scopes[SCOPE_ID]
    seat = await judges.invite_judge(actor, scope, LINKS, email="j@jury.example", group_key="a")
    assert seat.group_key == "a"
    again = await judges.invite_judge(actor, scope, LINKS, email="j@jury.example", group_key="b")
    assert (again.id, again.group_key) == (seat.id, "b")


async def test_a_rounds_group_is_one_of_its_settings(db, source):
    actor = await admin()
    created = await rounds.create_round(
        actor, "event", SCOPE_ID, {"name_en": "Track B", "group_key": "b"}
    )
    assert created.group_key == "b"
    await rounds.update_round(actor, created, {"group_key": ""})
    await entries.refresh_entries(actor, created, source)
    assert len(await _source_ids(created)) == 6
