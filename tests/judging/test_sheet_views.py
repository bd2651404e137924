"""The score sheet's view (judging/services/sheets.py) is plain dataclasses read by one
hand-written statement, each value as the ORM reads it, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

from judging.enums import RoundState, SheetState
from judging.models import Assignment, Criterion, Entry, Judge, Round, ScoreSheet
from judging.services import sheets
from tests.judging.factories import ready_round


def same_as_orm(view: object, model: object) -> None:
    assert dataclasses.is_dataclass(view) and not hasattr(view, "save")
    for field in dataclasses.fields(view):
        assert getattr(view, field.name) == getattr(model, field.name), field.name


async def test_the_view_holds_what_the_orm_reads(db, source) -> None:  # noqa: ANN001
    round_, seats = await ready_round(source, judges=2, k=2)
    row = await Assignment.filter(judge=seats[0]).order_by("id").first()
    user = await seats[0].user
    seen = await sheets.scoring_for(user, row.entry_id)
    await sheets.save_sheet(
        user, seen, scores={"c1": 4.0}, comment="Clear", note="", version=0, submit=False
    )
    seen = await sheets.scoring_for(user, row.entry_id)

    same_as_orm(seen.round, await Round.get(id=round_.id))
    same_as_orm(seen.entry, await Entry.get(id=row.entry_id))
    same_as_orm(seen.judge, await Judge.get(id=seats[0].id))
    same_as_orm(seen.assignment, row)
    sheet = await ScoreSheet.get(assignment_id=row.id)
    same_as_orm(seen.sheet, sheet)
    criteria = await Criterion.filter(round_id=round_.id).order_by("position", "id")
    assert [c.key for c in seen.criteria] == [c.key for c in criteria] and criteria
    for view, model in zip(seen.criteria, criteria, strict=True):
        same_as_orm(view, model)
    assert isinstance(seen.round.state, RoundState) and seen.round.state == RoundState.OPEN
    assert seen.sheet is not None and seen.sheet.state == SheetState.DRAFT
    assert seen.sheet.scores == {"c1": 4.0} and seen.sheet.updated_at.tzinfo is not None
    assert isinstance(seen.round, sheets.RoundView) and seen.round.accepts_scores(sheet.updated_at)
