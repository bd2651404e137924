"""Every page renders for the people it is for (details are tested per module)."""

from __future__ import annotations

from tests.events.factories import make_event, make_team
from tests.factories import make_user, sign_in


async def test_pages_render(client):
    organizer = await make_user(name_en="Noura")
    event = await make_event(organizer=organizer)
    member = await make_user(language="en")
    team = await make_team(event, member)
    await sign_in(client, member)
    base = f"/events/{event.slug}"
    for url in [
        "/events",
        base,
        f"{base}/register",
        f"{base}/join",
        f"{base}/teams/{team.id}",
        f"{base}/teams/{team.id}/submission",
        "/me/events",
        "/",
    ]:
        response = await client.get(url)
        assert response.status_code == 200, (url, response.text[-3000:])
    client.cookies.clear()
    await sign_in(client, organizer)
    for url in [
        f"{base}/manage",
        f"{base}/manage/edit",
        f"{base}/manage/tracks",
        f"{base}/manage/questions",
        f"{base}/manage/registrants",
        f"{base}/manage/teams",
        f"{base}/manage/submissions",
        f"{base}/manage/teams/{team.id}",
        f"{base}/manage/mail",
        f"{base}/manage/export/teams.csv",
    ]:
        response = await client.get(url)
        assert response.status_code == 200, (url, response.text[-3000:])
