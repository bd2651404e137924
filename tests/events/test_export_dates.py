"""The events exports write dates in ISO 8601 with the edition's offset (core.spreadsheet)."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from events.models import Registration
from tests.events.factories import make_event, make_team
from tests.factories import make_user, sign_in


async def test_registrants_and_teams_carry_iso_dates_with_the_event_offset(client):
    organizer = await make_user(language="en")
    event = await make_event(organizer=organizer, time_zone="Asia/Riyadh")
    await sign_in(client, organizer)
    reem = await make_user("reem@example.org", name_en="Reem")
    await make_team(event, reem, name="-1 team")
    registered = (await Registration.get(user=reem)).created_at

    response = await client.get(f"/events/{event.slug}/manage/export/registrants.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][6] == "Registered"
    riyadh = registered.astimezone(ZoneInfo("Asia/Riyadh"))
    assert rows[1][6] == riyadh.isoformat(timespec="seconds")
    assert rows[1][6].endswith("+03:00")
    assert rows[1][7] == "'-1 team"
