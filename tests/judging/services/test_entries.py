"""judging.services.entries against the database."""

from __future__ import annotations

import pytest

from core.errors import Conflict
from judging.enums import (
    RoundState,
)
from judging.models import Entry
from judging.services import (
    entries,
    sheets,
)
from tests.judging.factories import make_round, ready_round
from tests.judging.services.helpers import admin, sheet_for
from tests.judging.sources import SCOPE_ID


async def test_refresh_entries_follows_the_source(db, source):
    round_ = await make_round()
    actor = await admin()
    first = await entries.refresh_entries(actor, round_, source)
    assert (first.added, first.updated, first.removed, first.kept) == (6, 0, 0, 0)
    entry = await Entry.get(round=round_, source_id=101)
    assert (entry.title_en, entry.group_label_en, entry.team_label) == (
        "Initiative 101",
        "Digital media",
        "Team 101",
    )
    assert entry.members == [
        {
            "email": "captain101@team101.org",
            "language": "en",
            "name": "Captain 101",
            "organization": "",
        }
    ]
    source.rename(SCOPE_ID, 101, "Renamed")
    source.withdraw(SCOPE_ID, 102)
    second = await entries.refresh_entries(actor, round_, source)
    assert (second.added, second.updated, second.removed, second.kept) == (0, 1, 1, 0)
    assert (await Entry.get(round=round_, source_id=101)).title_en == "Renamed"
    assert await Entry.filter(round=round_).count() == 5


async def test_an_entry_that_left_but_has_a_score_is_kept(db, source):
    round_, seats = await ready_round(source)
    user, seen = await sheet_for(seats[0], round_)
    await sheets.save_sheet(
        user, seen, scores={"c1": 3}, comment="", note="", version=0, submit=False
    )
    source.withdraw(SCOPE_ID, seen.entry.source_id)
    result = await entries.refresh_entries(await admin(), round_, source)
    assert (result.removed, result.kept) == (0, 1)
    assert await Entry.filter(id=seen.entry.id).exists()


async def test_entries_of_a_closed_round_cannot_change(db, source):
    round_ = await make_round(state=RoundState.CLOSED)
    with pytest.raises(Conflict) as caught:
        await entries.refresh_entries(await admin(), round_, source)
    assert caught.value.message == "The entries of a closed round can no longer change."
    assert await Entry.filter(round=round_).count() == 0
