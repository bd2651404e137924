"""What the public and the teams read: nothing before publication, then results and feedback."""

from __future__ import annotations

import asyncio
import datetime as dt

from core import clock
from core.links import Links
from judging.enums import MarkKind, RoundState
from judging.models import Entry, Round
from judging.services import decisions, publication
from judging.services import published as published_service
from tests.factories import make_user, sign_in
from tests.judging.factories import organizer, page_text, ready_round, score_everything
from tests.judging.sources import SCOPE_ID
from tests.judging.test_query_counts import counted

LINKS = Links("http://testserver", lambda name, **params: "/")


async def decided(source, *, gallery: bool = False, publish: bool = True):  # noqa: ANN001, ANN201
    round_, seats = await ready_round(source, gallery=gallery)
    await score_everything(round_, seats)
    round_.state = RoundState.CLOSED
    await round_.save()
    actor = await make_user(admin=True)
    for source_id, kind, place, per_group in (
        (104, MarkKind.WINNER, 1, False),
        (103, MarkKind.WINNER, 1, True),
        (102, MarkKind.HONOURABLE_MENTION, None, False),
    ):
        entry = await Entry.get(round=round_, source_id=source_id)
        await decisions.set_mark(
            actor, round_, entry.id, kind=kind, place=place, per_group=per_group
        )
    if publish:
        await publication.publish(actor, round_, source.scopes[SCOPE_ID], LINKS)
    return round_, seats


async def test_nothing_is_public_before_publication(client, source):
    await decided(source, publish=False)
    for user in (
        None,
        await make_user(language="en"),
        await organizer(language="en"),
        await make_user("captain104@team104.org", language="en"),
        await make_user(admin=True, language="en"),
    ):
        client.cookies.clear()
        if user is not None:
            await sign_in(client, user)
        response = await client.get("/judging/event/1/results?lang=en")
        assert response.status_code == 404
        assert "This page does not exist or is not available to you." in page_text(response.text)
        feedback = await client.get("/judging/event/1/feedback/104?lang=en")
        assert feedback.status_code == 404
        assert "Initiative 104" not in feedback.text
    assert await published_service.published_results("event", SCOPE_ID) is None


async def test_the_published_results_in_both_languages(client, source):
    await decided(source)
    arabic = page_text((await client.get("/judging/event/1/results")).text)
    assert "ميدياثون 2026" in arabic and "مبادرة 104" in arabic
    english = page_text((await client.get("/judging/event/1/results?lang=en")).text)
    assert "Results of Mediathon 2026" in english
    assert "Winners First place Initiative 104 Team 104" in english
    assert "Winners: Digital media First place Initiative 103 Team 103" in english
    assert "Honourable mentions Initiative 102 Team 102" in english
    assert "Gallery of entries" not in english


async def test_the_gallery_shows_every_entry_when_allowed(client, source):
    await decided(source, gallery=True)
    english = page_text((await client.get("/judging/event/1/results?lang=en")).text)
    gallery = english.split("Gallery of entries", 1)[1]
    for n in range(101, 107):
        assert f"Initiative {n}" in gallery


async def test_anonymous_visitors_get_the_results_page_kept_for_a_few_seconds(client, source):
    """Published results no longer change: the page is kept as it was rendered, without a
    query, for a few seconds; a signed-in visitor always gets it afresh."""
    round_, _seats = await decided(source)
    url = "/judging/event/1/results?lang=en"
    first = await client.get(url)
    with counted() as queries:
        again = await client.get(url)
    assert queries == [] and again.status_code == 200 and again.text == first.text
    # no page can rename an entry after publication; the database can, to show the page's age
    await Entry.filter(round=round_, source_id=104).update(title_en="Initiative Renamed")
    assert "Initiative Renamed" not in (await client.get(url)).text
    await sign_in(client, await make_user(language="en"))
    assert "Winners First place Initiative Renamed" in page_text((await client.get(url)).text)
    client.cookies.clear()
    assert "Initiative Renamed" not in (await client.get(url)).text
    clock.travel(dt.timedelta(seconds=6))
    assert "Winners First place Initiative Renamed" in page_text((await client.get(url)).text)


async def test_visitors_arriving_together_make_the_results_page_once(client, source):
    await decided(source)
    url = "/judging/event/1/results?lang=en"
    with counted() as alone:
        await client.get(url)
    clock.travel(dt.timedelta(seconds=6))  # the kept page expires
    with counted() as together:
        pages = await asyncio.gather(*(client.get(url) for _ in range(5)))
    assert len(together) == len(alone) == 3  # the rounds, their entries, their marks
    assert {p.status_code for p in pages} == {200}
    assert len({p.text for p in pages}) == 1


async def test_a_kept_results_page_gives_way_to_a_scheduled_publication(client, source):
    await decided(source)
    await Round.create(
        scope_type="event",
        scope_id=SCOPE_ID,
        name_en="Final round",
        state=RoundState.PUBLISHED,
        snapshot={"method": "mean", "ranking": []},
        publish_at=clock.now() + dt.timedelta(seconds=2),
    )
    url = "/judging/event/1/results?lang=en"
    assert "Final round" not in page_text((await client.get(url)).text)
    clock.travel(dt.timedelta(seconds=3))  # the page was kept for 5 seconds, but not past this
    text = page_text((await client.get(url)).text)
    assert "Final round Published on" in text and "First round Published on" in text
    assert "No winner has been announced in this round." in text


async def test_published_results_for_the_events_domain(db, source):
    round_, _seats = await decided(source)
    published = await published_service.published_results("event", SCOPE_ID)
    (only,) = published.rounds
    assert only.round.id == round_.id
    assert [(p.entry.source_id, p.place, p.rank) for p in only.overall] == [(104, 1, 1)]
    assert [p.entry.source_id for p in only.ranking] == [104, 103, 102, 106, 101, 105]
    assert only.ranking[0].score > only.ranking[-1].score
    assert await published_service.published_results("event", 2) is None


async def test_a_team_member_reads_the_feedback_without_names(client, source):
    _round, seats = await decided(source)
    member = await make_user("captain103@team103.org", language="en")
    await sign_in(client, member)
    page = await client.get("/judging/event/1/feedback/103")
    assert page.status_code == 200
    text = page_text(page.text)
    assert "Feedback from the judges" in text
    assert "Story 4.00 1–5" in text and "Craft 3.00 0–10" in text
    assert "Comment on 3 from judge number" in text
    for seat in seats:
        user = await seat.user
        for shown in (user.name_ar, user.name_en, seat.name, seat.email):
            assert shown not in page.text
    assert "private" not in text


async def test_feedback_is_only_for_the_team(client, source):
    await decided(source)
    anonymous = await client.get("/judging/event/1/feedback/103")
    assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]
    await sign_in(client, await make_user(language="en"))
    response = await client.get("/judging/event/1/feedback/103")
    assert response.status_code == 404
    client.cookies.clear()
    await sign_in(client, await organizer(language="en"))
    assert (await client.get("/judging/event/1/feedback/103")).status_code == 200
    assert (await client.get("/judging/event/2/feedback/103")).status_code == 404
