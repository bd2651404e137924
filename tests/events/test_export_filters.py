"""Issue 11, item 9: a CSV export next to a filtered list holds exactly the rows the list
shows with the same filter (the export link carries the filter), and every date in it is
ISO 8601 with the edition's offset."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

from events.enums import SubmissionState
from events.models import Submission, Track
from tests.events.factories import make_event, make_team, register
from tests.factories import make_user, sign_in


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def export_link(page: str) -> str:
    """The href of the list's "Export (CSV)" link, as a browser would follow it."""
    found = re.search(r'<a href="([^"]+\.csv[^"]*)">Export \(CSV\)</a>', page)
    assert found, "the list has no export link"
    return html.unescape(found.group(1))


async def organizer_of(client):
    organizer = await make_user(language="en")
    event = await make_event(organizer=organizer, time_zone="Asia/Riyadh", team_min=2)
    await sign_in(client, organizer)
    return event


async def nine_teams(event):
    one, two = await Track.filter(event=event).order_by("position")
    teams = []
    for n in range(9):
        captain = await make_user(f"captain{n}@example.org", name_en=f"Captain {n}")
        team = await make_team(event, captain, name=f"Team {n}", track=one if n else two)
        teams.append(team)
        await Submission.create(
            event=event,
            team=team,
            title=f"Idea {n}",
            track_id=team.track_id,
            state=SubmissionState.SUBMITTED if n else SubmissionState.DRAFT,
            version_count=1,
            submitted_at=dt.datetime(2026, 12, 1, 19, 41, tzinfo=dt.UTC),
        )
    return teams, two


async def test_a_filter_showing_one_row_exports_one_row(client):
    event = await organizer_of(client)
    _teams, two = await nine_teams(event)
    await register(await make_user("alone@example.org", name_en="Alone"), event)
    base = f"/events/{event.slug}/manage"
    cases = [
        ("registrants?q=captain3%40example", "captain3@example.org", 2),
        ("registrants?in_team=no", "alone@example.org", 2),
        (f"teams?track={two.id}", "Team 0", 0),
        ("teams?q=team+4&show=incomplete", "Team 4", 0),
        ("submissions?state=draft", "Idea 0", 1),
        (f"submissions?q=idea+7&track={two.id}", None, None),
    ]
    for query, expected, column in cases:
        page = await client.get(f"{base}/{query}")
        assert page.status_code == 200
        link = export_link(page.text)
        assert "?" in link, f"{query}: the export link drops the filter"
        response = await client.get(link)
        assert response.status_code == 200
        rows = read_csv(response.content)
        if expected is None:  # a filter that shows nothing exports the header alone
            assert "No submission matches." in page.text
            assert len(rows) == 1
            continue
        assert expected in page.text
        assert len(rows) == 2, f"{query}: exported {len(rows) - 1} rows"
        assert rows[1][column] == expected
    # Without a filter the link stays bare and exports every row, past the first page.
    page = await client.get(f"{base}/teams")
    assert export_link(page.text).endswith("/export/teams.csv")
    assert len(read_csv((await client.get(export_link(page.text))).content)) == 1 + 9


async def test_the_export_reads_the_same_filter_across_pages(client):
    event = await organizer_of(client)
    for n in range(30):
        await register(await make_user(f"kept{n:02}@example.org"), event)
    for n in range(5):
        await register(await make_user(f"other{n}@example.org"), event)
    base = f"/events/{event.slug}/manage"
    page = await client.get(f"{base}/registrants?q=kept&page=2")
    rows = read_csv((await client.get(export_link(page.text))).content)
    assert len(rows) == 1 + 30
    assert all(row[2].startswith("kept") for row in rows[1:])


async def test_every_date_in_the_events_exports_is_iso_with_an_offset(client):
    event = await organizer_of(client)
    await nine_teams(event)
    base = f"/events/{event.slug}/manage/export"
    for kind, header in [
        ("registrants", "Registered"),
        ("teams", "Created"),
        ("submissions", "Submitted"),
    ]:
        rows = read_csv((await client.get(f"{base}/{kind}.csv")).content)
        column = rows[0].index(header)
        for row in rows[1:]:
            when = dt.datetime.fromisoformat(row[column])
            assert when.utcoffset() == dt.timedelta(hours=3), (kind, row[column])
    rows = read_csv((await client.get(f"{base}/submissions.csv")).content)
    assert rows[1][rows[0].index("Submitted")] == "2026-12-01T22:41:00+03:00"
