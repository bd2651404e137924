"""judging.services.sheets against the database."""

from __future__ import annotations

import datetime as dt

import pytest

from core import clock
from core.audit import AuditEntry
from core.errors import Conflict, Invalid, NotFound
from judging.enums import (
    ConflictKind,
    ConflictOrigin,
    SheetState,
)
from judging.models import Assignment, Entry, ScoreSheet
from judging.services import (
    sheets,
)
from tests.judging.factories import conflict, ready_round
from tests.judging.services.helpers import judged_by, sheet_for


async def test_a_submitted_sheet_has_its_weighted_total(db, source):
    round_, seats = await ready_round(source)
    user, seen = await sheet_for(seats[0], round_)
    sheet = await sheets.save_sheet(
        user,
        seen,
        scores={"c1": 4, "c2": 7.5, "c3": 1},
        comment="Strong story",
        note="Check the budget",
        version=0,
        submit=True,
    )
    # story (4-1)/4 weight 2, craft 7.5/10 weight 1: 100 * (1.5 + 0.75) / 3
    assert sheet.total == pytest.approx(75.0)
    assert (sheet.state, sheet.version, sheet.comment_for_team) == (
        SheetState.SUBMITTED,
        1,
        "Strong story",
    )
    audit = await AuditEntry.get(action="judging.score_submitted")
    assert audit.after["scores"] == {"c1": 4, "c2": 7.5, "c3": 1}


@pytest.mark.parametrize(
    ("scores", "submit", "errors"),
    [
        ({"c1": 6}, False, {"score_c1": "Enter a score from 1 to 5."}),
        ({"c1": 0}, False, {"score_c1": "Enter a score from 1 to 5."}),
        ({"c2": 7.25}, False, {"score_c2": "Scores for this criterion go in steps of 0.5 from 0."}),
        ({"c1": 2.5}, False, {"score_c1": "Scores for this criterion go in steps of 1 from 1."}),
        (
            {"c1": 3, "c2": 5},
            True,
            {"score_c3": "Give a score for this criterion before submitting."},
        ),
    ],
)
async def test_bad_scores_are_refused_and_nothing_changes(db, source, scores, submit, errors):
    round_, seats = await ready_round(source)
    user, seen = await sheet_for(seats[0], round_)
    first = await sheets.save_sheet(
        user, seen, scores={"c1": 2}, comment="keep", note="", version=0, submit=False
    )
    seen = await sheets.scoring_for(user, seen.entry.id)
    with pytest.raises(Invalid) as caught:
        await sheets.save_sheet(
            user,
            seen,
            scores=scores,
            comment="changed",
            note="",
            version=first.version,
            submit=submit,
        )
    assert caught.value.errors == errors
    kept = await ScoreSheet.get(id=first.id)
    assert (kept.scores, kept.comment_for_team, kept.version) == ({"c1": 2}, "keep", 1)


async def test_an_unassigned_or_conflicted_entry_cannot_be_scored(db, source):
    round_, seats = await ready_round(source)
    user = await seats[0].user
    theirs = await judged_by(seats[0])
    other = next(e for e in await Entry.filter(round=round_) if e.id not in theirs)
    with pytest.raises(NotFound) as caught:
        await sheets.scoring_for(user, other.id)
    assert caught.value.message == "This entry is not assigned to you."
    row = await Assignment.filter(judge=seats[0]).select_related("entry").first()
    await conflict(seats[0], ConflictKind.ENTRY, str(row.entry.source_id), ConflictOrigin.DECLARED)
    with pytest.raises(NotFound) as caught:
        await sheets.scoring_for(user, row.entry_id)
    assert caught.value.message == (
        "You have a conflict of interest with this entry, so you cannot see or score it."
    )


async def test_scores_are_refused_after_the_round_closes(db, source):
    round_, seats = await ready_round(source, ends_at=clock.now() + dt.timedelta(hours=1))
    user, seen = await sheet_for(seats[0], round_)
    await sheets.save_sheet(
        user, seen, scores={"c1": 2}, comment="", note="", version=0, submit=False
    )
    clock.travel(dt.timedelta(hours=2))
    seen = await sheets.scoring_for(user, seen.entry.id)
    with pytest.raises(Conflict) as caught:
        await sheets.save_sheet(
            user, seen, scores={"c1": 5}, comment="", note="", version=1, submit=False
        )
    assert caught.value.message == "This round is closed: scores can no longer be changed."
    assert (await ScoreSheet.get(id=seen.sheet.id)).scores == {"c1": 2}


async def test_two_tabs_never_lose_a_submitted_score(db, source):
    round_, seats = await ready_round(source)
    user, tab_a = await sheet_for(seats[0], round_)
    tab_b = await sheets.scoring_for(user, tab_a.entry.id)
    submitted = await sheets.save_sheet(
        user,
        tab_a,
        scores={"c1": 5, "c2": 10, "c3": 5},
        comment="Final",
        note="",
        version=0,
        submit=True,
    )
    with pytest.raises(sheets.StaleSheet) as caught:
        await sheets.save_sheet(
            user, tab_b, scores={"c1": 1}, comment="Old draft", note="", version=0, submit=False
        )
    assert caught.value.message.startswith("This score sheet was saved in another tab")
    kept = await ScoreSheet.get(id=submitted.id)
    assert (kept.state, kept.scores, kept.comment_for_team, kept.version) == (
        SheetState.SUBMITTED,
        {"c1": 5, "c2": 10, "c3": 5},
        "Final",
        1,
    )
    reopened = await sheets.scoring_for(user, tab_a.entry.id)
    with pytest.raises(Conflict) as caught:
        await sheets.save_sheet(
            user, reopened, scores={"c1": 1}, comment="", note="", version=1, submit=False
        )
    assert caught.value.message.startswith("This score sheet is already submitted.")
    revised = await sheets.save_sheet(
        user,
        reopened,
        scores={"c1": 4, "c2": 10, "c3": 5},
        comment="Revised",
        note="",
        version=1,
        submit=True,
    )
    assert (revised.version, revised.scores["c1"]) == (2, 4)
