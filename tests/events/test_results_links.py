"""Where people find judging from the Mediathon's pages: the public event page shows the
winners once the results are published, the organizer's dashboard leads to the event's judging,
and the participant's dashboard to the team's feedback. Nothing shows before publication."""

from __future__ import annotations

import datetime as dt

from core import clock
from events.services.entry_source import SubmissionSource
from judging.services import decisions, publication
from tests.events.factories import make_event, make_team, text_of
from tests.events.judged import JUDGING_LINKS, Judged, judged_event, later
from tests.factories import make_user, sign_in

SITE = "http://testserver"
AT = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
WINNERS_EN = (
    "Results Online judging · Published on 22 November 2026 (12 Jumada al-Akhirah "
    "1448 AH) First place · overall Verify first Ayn First place · Track 2 Local "
    "copilot Bots See all the results"
)
WINNERS_AR = (
    "النتائج التحكيم · نُشرت في 22 نوفمبر 2026 (12 جمادى الآخرة 1448 هـ) "
    "المركز الأول · على المستوى العام Verify first Ayn "
    "المركز الأول · مسار 2 Local copilot Bots اطّلع على النتائج كاملة"
)


async def publish(judged: Judged, at: dt.datetime | None = None) -> None:
    scope = await SubmissionSource().scope(judged.event.id)
    await publication.publish(judged.organizer, judged.round, scope, JUDGING_LINKS, at=at)


def section(html: str, testid: str) -> str:
    """The text of the element marked data-testid=... (up to its section's end)."""
    start = html.find(f'data-testid="{testid}"')
    if start < 0:
        return ""
    return text_of(html[html.rfind("<", 0, start) : html.find("</section>", start)])


async def test_the_event_page_shows_the_winners_once_published(client):
    clock.travel(AT - clock.now())
    judged = await judged_event(publish=False)
    url = f"/events/{judged.event.slug}?lang=en"
    results = f'href="{SITE}/judging/event/{judged.event.id}/results"'
    for moment in ("decided", "scheduled"):
        page = (await client.get(url)).text
        assert section(page, "event-results") == "", moment
        assert results not in page and "Verify first" not in page, moment
        if moment == "decided":
            await publish(judged, at=later(2))
    clock.travel(dt.timedelta(days=2))
    page = (await client.get(url)).text
    assert section(page, "event-results") == WINNERS_EN
    assert f'{results} data-testid="results-link"' in page
    arabic = (await client.get(f"/events/{judged.event.slug}?lang=ar")).text
    assert section(arabic, "event-results") == WINNERS_AR
    assert (await client.get(f"/judging/event/{judged.event.id}/results")).status_code == 200


async def test_a_round_without_winners_still_links_to_its_results(client):
    judged = await judged_event(publish=False)
    for mark in await judged.round.marks.all():
        await decisions.remove_mark(judged.organizer, judged.round, mark.id)
    await publish(judged)
    page = (await client.get(f"/events/{judged.event.slug}?lang=en")).text
    assert section(page, "event-results").endswith("The results are published. See all the results")


async def test_the_organizers_dashboard_leads_to_judging(client):
    judged = await judged_event(publish=False)
    await sign_in(client, judged.organizer)
    dashboard = f"/events/{judged.event.slug}/manage?lang=en"
    page = (await client.get(dashboard)).text
    judging = f'{SITE}/judging/event/{judged.event.id}"'
    assert f'href="{judging} data-testid="judging-link">Judging</a>' in page
    assert section(page, "dashboard-judging") == (
        "Judging Rounds, rubrics, judges and conflicts, scores, winners and the publication of "
        "the results. Open the judging of this event The results are not published yet: the "
        "public and the teams see nothing of the judging."
    )
    scope = await client.get(f"/judging/event/{judged.event.id}?lang=en")
    assert scope.status_code == 200
    assert "Judging of Mediathon" in text_of(scope.text)
    tracks = (await client.get(f"/events/{judged.event.slug}/manage/tracks?lang=en")).text
    assert 'data-testid="judging-link">Judging</a>' in tracks  # on every management page
    await publish(judged)
    page = (await client.get(dashboard)).text
    assert section(page, "dashboard-judging").endswith(
        "Open the judging of this event The results are published. See the public results page"
    )
    assert (
        f'href="{SITE}/judging/event/{judged.event.id}/results">See the public results page'
    ) in page


async def test_the_participants_dashboard_links_to_the_teams_feedback(client):
    judged = await judged_event(publish=False)
    ayn = judged.submissions["Verify first"]
    feedback = f'href="{SITE}/judging/event/{judged.event.id}/feedback/{ayn.id}"'
    await sign_in(client, judged.member)
    page = (await client.get("/me/events?lang=en")).text
    assert "feedback-link" not in page and "Read the judges' feedback" not in text_of(page)
    await publish(judged, at=later(1))
    assert "feedback-link" not in (await client.get("/me/events?lang=en")).text
    clock.travel(dt.timedelta(days=1))
    page = (await client.get("/me/events?lang=en")).text
    assert f'{feedback} data-testid="feedback-link">Read the judges&#39; feedback</a>' in page
    reading = await client.get(f"/judging/event/{judged.event.id}/feedback/{ayn.id}?lang=en")
    assert reading.status_code == 200
    assert "Judge 1 on Verify first" in text_of(reading.text)
    client.cookies.clear()
    await sign_in(client, judged.other_captain)  # another team reads its own feedback only
    page = (await client.get("/me/events?lang=en")).text
    bots = judged.submissions["Local copilot"].id
    assert page.count('data-testid="feedback-link"') == 1
    assert f'/feedback/{bots}" data-testid="feedback-link"' in page


async def test_no_feedback_link_for_a_team_that_was_not_judged(client):
    judged = await judged_event()
    other = await make_event()
    newcomer = await make_user(language="en")
    await make_team(other, newcomer, name="Late")
    await make_team(judged.event, await make_user(), name="Drafters")
    await sign_in(client, newcomer)
    page = (await client.get("/me/events?lang=en")).text
    assert "event-card" in page and "feedback-link" not in page


async def test_the_first_feedback_round_answers_for_many_ideas_in_one_statement(db):
    """judging's subquery, as the dashboard's statement holds it: the scope of each judged
    idea's feedback page once its round is published, NULL for the others and before."""
    from core import sql
    from judging.models import Entry
    from judging.services import feedback
    from tests.events.factories import QueryCounter

    statement = sql.Statement(
        "SELECT s.id, f.scope_type, f.scope_id FROM events_submission s"
        f" LEFT JOIN judging_round f ON f.id = {feedback.first_feedback_round('s.id')}"
        " WHERE s.event_id = ?"
    )

    async def scopes() -> dict[int, tuple[str, int]]:
        params = [*feedback.feedback_round_params("events.submission"), judged.event.id]
        rows = await sql.rows(statement, params)
        return {r["id"]: (r["scope_type"], r["scope_id"]) for r in rows if r["scope_type"]}

    judged = await judged_event(publish=False)
    assert len(judged.submissions) > 1
    assert await scopes() == {}  # nothing before publication
    await publish(judged, at=later(1))
    assert await scopes() == {}  # nor before the publication time
    clock.travel(dt.timedelta(days=1))
    with QueryCounter() as counter:
        found = await scopes()
    assert counter.count == 1
    judged_ids = {e.source_id for e in await Entry.filter(round=judged.round)}
    assert found == {i: ("event", judged.event.id) for i in judged_ids}
