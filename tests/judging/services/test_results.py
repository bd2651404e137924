"""judging.services.results against the database."""

from __future__ import annotations

from judging.services import results as results_service
from tests.judging.factories import ready_round, score_everything


async def test_results_rank_entries_under_every_method(db, source):
    round_, seats = await ready_round(source, judges=4, k=2)
    await score_everything(round_, seats)
    results = await results_service.round_results(round_)
    assert results.methods == ["mean", "median", "trimmed_mean", "zscore", "leniency"]
    order = [row.entry.source_id for row in results.rows]
    # every judge agrees, so the mean follows story (n % 5 + 1) then craft (n)
    assert order == [104, 103, 102, 106, 101, 105]
    assert [row.ranks["mean"] for row in results.rows] == [1, 2, 3, 4, 5, 6]
    assert all(row.spread == 0 and not row.disagreement for row in results.rows)
    assert [lr.count for lr in results.leniency] == [3, 3, 3, 3]
