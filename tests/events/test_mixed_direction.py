"""What people typed keeps its own direction: on an English page an Arabic team name, title
or answer sits in a `dir="auto"` element, beside its label, and is still escaped."""

from __future__ import annotations

from events.models import Submission
from tests.events.factories import make_event, make_team
from tests.factories import make_user, sign_in

AYN = "فريق العين"
IDEA = "تحقق أولًا"
ARABIC_ONLY = "ميدياثون الرياض"


def isolated(text: str, lang: str = "") -> str:
    """A value in its own direction, as the `auto` filter writes it."""
    marked = f' lang="{lang}"' if lang else ""
    return f'<bdi dir="auto"{marked}>{text}</bdi>'


async def _world():
    organizer = await make_user(language="en")
    event = await make_event(
        phase="submission", organizer=organizer, title_ar=ARABIC_ONLY, title_en=""
    )
    captain = await make_user(language="en", name_en="", name_ar="ريم", organization="صحيفة")
    team = await make_team(event, captain, name=AYN)
    await Submission.create(event=event, team=team, title=IDEA)
    return event, organizer, captain, team


async def test_the_event_and_team_pages_isolate_arabic_values_on_english_pages(client):
    event, _organizer, captain, team = await _world()
    await sign_in(client, captain)
    detail = (await client.get(f"/events/{event.slug}?lang=en")).text
    # the title only exists in Arabic: it is isolated and says so
    assert f"<h1>{isolated(ARABIC_ONLY, 'ar')}</h1>" in detail
    assert f"Go to your team: {isolated(AYN)}" in detail
    page = (await client.get(f"/events/{event.slug}/teams/{team.id}?lang=en")).text
    assert f"<h1>Team {isolated(AYN)}</h1>" in page
    assert f"<dd>{isolated(IDEA)}</dd>" in page
    assert f"<span>{isolated('ريم')}</span>" in page


async def test_the_organizer_lists_isolate_arabic_values(client):
    event, organizer, _captain, _team = await _world()
    await sign_in(client, organizer)
    listed = (await client.get(f"/events/{event.slug}/manage/submissions?lang=en")).text
    assert isolated(IDEA) in listed and f"<td>{isolated(AYN)}</td>" in listed
    registrants = (await client.get(f"/events/{event.slug}/manage/registrants?lang=en")).text
    assert f"<td>{isolated('ريم')}</td>" in registrants
    assert f"<td>{isolated('صحيفة')}</td>" in registrants
    assert f">{isolated(AYN)}</a></td>" in registrants


async def test_isolated_values_stay_escaped(client):
    event = await make_event(phase="submission")
    captain = await make_user(language="en")
    team = await make_team(event, captain, name='<b onclick="x()">Ayn</b>')
    await sign_in(client, captain)
    page = (await client.get(f"/events/{event.slug}/teams/{team.id}?lang=en")).text
    assert "<b onclick" not in page
    assert isolated("&lt;b onclick=&#34;x()&#34;&gt;Ayn&lt;/b&gt;") in page
