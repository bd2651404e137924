"""Issue 11, item 9: the score sheets export writes its times in ISO 8601 with the offset of
the scope's time zone (Asia/Riyadh here), like the events' exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

from judging.enums import RoundState
from judging.models import ScoreSheet
from tests.factories import sign_in
from tests.judging.factories import organizer, ready_round, score_everything


async def test_submitted_times_are_iso_with_the_scope_offset(client, source):
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    round_.state = RoundState.CLOSED
    await round_.save()
    await ScoreSheet.all().update(submitted_at=dt.datetime(2026, 12, 1, 19, 41, tzinfo=dt.UTC))
    await sign_in(client, await organizer(language="ar"))
    url = f"/judging/event/1/rounds/{round_.id}/results/export.csv"
    rows = list(csv.reader(io.StringIO((await client.get(url)).content.decode("utf-8-sig"))))
    assert len(rows) > 1
    for row in rows[1:]:
        when = dt.datetime.fromisoformat(row[-1])
        assert when.utcoffset() == dt.timedelta(hours=3)
        assert row[-1] == "2026-12-01T22:41:00+03:00"
