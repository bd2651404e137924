"""judging.services.rubric against the database."""

from __future__ import annotations

import pytest

from core.errors import Conflict
from judging.services import (
    rubric,
    sheets,
)
from tests.judging.factories import ready_round
from tests.judging.services.helpers import admin, sheet_for


async def test_the_rubric_locks_with_the_first_saved_score(db, source):
    round_, seats = await ready_round(source)
    criterion = (await rubric.criteria_of(round_))[0]
    actor = await admin()
    values = {k: getattr(criterion, k) for k in rubric.CRITERION_FIELDS}
    await rubric.save_criterion(actor, round_, {**values, "weight": 3}, criterion)
    user, seen = await sheet_for(seats[0], round_)
    await sheets.save_sheet(
        user, seen, scores={"c1": 2}, comment="", note="", version=0, submit=False
    )
    with pytest.raises(Conflict) as caught:
        await rubric.save_criterion(actor, round_, {**values, "weight": 9}, criterion)
    assert caught.value.message == (
        "The rubric is locked because scoring has started: its criteria can no longer be changed."
    )
    with pytest.raises(Conflict):
        await rubric.delete_criterion(actor, round_, criterion)
    assert (await rubric.criteria_of(round_))[0].weight == 3
