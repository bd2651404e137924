"""The results pages: the organizer counts, reads each category's report with its sensitivity
heat map, records "no award", writes citations, approves and publishes (now or at a set time);
the public sees nothing before the moment of publication, then the winners, citations, the
fingerprint, the bundle (which recounts to MATCH), each report, the archive and the API."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from accounts.enums import Role, ScopeType
from awards.models import Cycle, ResultsBundle
from awards.recount import recount
from awards.services import results
from core import clock
from core.clock import now
from core.forms import local_input
from tests.awards.results_builders import ballots, final_vote, void_decision, votes
from tests.conftest import post_form
from tests.factories import grant, make_user, sign_in
from tests.judging.factories import page_text


async def _vote():  # noqa: ANN202
    vote = await final_vote(finalists=3, jury_weight_percent=50)
    a, b, c = vote.finalists
    await ballots(vote.category, [[a, b, c], [a, c, b], [b, a, c]])
    await votes(vote.category, {a: 30, b: 50, c: 20}, voided=7)
    await void_decision(vote.category, 7, "burst")
    return vote


def _public_urls(slug: str, category_id: int) -> list[str]:
    return [
        f"/awards/{slug}/results",
        f"/awards/{slug}/results/bundle.zip",
        f"/awards/{slug}/results/categories/{category_id}",
        f"/api/v1/awards/{slug}/results",
    ]


async def test_the_organizer_counts_writes_citations_approves_and_publishes(client, deliver):
    vote = await _vote()
    a, b, _c = vote.finalists
    slug, cid = vote.cycle.slug, vote.category.id
    manage = f"/awards/{slug}/manage/results"
    await sign_in(client, vote.organizer)
    page = await client.get(manage + "?lang=en")
    assert page.status_code == 200 and "Not counted yet." in page_text(page.text)
    counted = await post_form(client, manage + "/count", {}, manage)
    assert counted.status_code == 303
    fingerprint = (await ResultsBundle.get(cycle_id=vote.cycle.id)).fingerprint
    text = page_text((await client.get(manage)).text)
    assert fingerprint in text and "Missing" in text
    report = await client.get(f"{manage}/categories/{cid}")
    text = page_text(report.text)
    assert f"Winner: {a.nominee_name_en}" in text
    assert "Jury and public vote blended: jury weight 50%, public weight 50%." in text
    assert f"{a.nominee_name_en} is elected: more than half of the continuing ballots." in text
    assert "Voided by the fraud review: 7 votes (Burst from one address or network)" in text
    assert "The winner stays the same for every jury weight from" in text
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in report.text
    assert "<script" not in report.text.split("<main", 1)[1].split("</main>", 1)[0]
    # approving needs the citations; a half-written pair is refused with its message
    refused = await post_form(client, f"{manage}/approve", {}, manage)
    assert refused.status_code == 409
    assert "Write the citation of every winner" in page_text(refused.text)
    half = await post_form(
        client, f"{manage}/categories/{cid}/citations", {"citation_ar": "نص"}, manage
    )
    assert half.status_code == 422 and "Write the citation in both languages." in half.text
    saved = await post_form(
        client,
        f"{manage}/categories/{cid}/citations",
        {
            "citation_ar": "لتحقيق غيّر قانون المياه",
            "citation_en": "For a story that changed the law",
        },
        manage,
    )
    assert saved.status_code == 303
    assert (await post_form(client, f"{manage}/approve", {}, manage)).status_code == 303
    # nothing public yet, to anyone, the API included
    client.cookies.clear()
    assert "results-link" not in (await client.get(f"/awards/{slug}")).text
    for url in _public_urls(slug, cid):
        assert (await client.get(url)).status_code == 404, url
    await sign_in(client, vote.organizer)
    for url in _public_urls(slug, cid):
        assert (await client.get(url)).status_code == 404, url
    published = await post_form(client, f"{manage}/publish", {"when": "now"}, manage)
    assert published.status_code == 303
    assert len(await deliver()) == 4  # three nominees and their nominator
    client.cookies.clear()
    for lang, citation in (("ar", "لتحقيق غيّر قانون المياه"), ("en", "For a story")):
        public = await client.get(f"/awards/{slug}/results?lang={lang}")
        assert public.status_code == 200
        text = page_text(public.text)
        assert citation in text and fingerprint in text
    text = page_text((await client.get(f"/awards/{slug}/results?lang=en")).text)
    assert a.nominee_name_en in text and "Public votes voided by the fraud review: 7 votes" in text
    zipped = await client.get(f"/awards/{slug}/results/bundle.zip")
    assert zipped.headers["content-type"] == "application/zip"
    assert recount(zipped.content) == fingerprint
    public_report = await client.get(f"/awards/{slug}/results/categories/{cid}?lang=en")
    assert public_report.status_code == 200 and "Round by round" in public_report.text
    api = (await client.get(f"/api/v1/awards/{slug}/results")).json()
    assert api["fingerprint"] == fingerprint
    [category] = api["categories"]
    assert category["winner"]["nomination"] == a.id and category["voided_votes"] == {"burst": 7}
    assert category["citation"]["en"] == "For a story that changed the law"
    detail = await client.get(f"/awards/{slug}?lang=en")
    assert f'/awards/{slug}/results" data-testid="results-link">See the winners' in detail.text
    listing = await client.get("/awards?lang=en")
    assert '/awards/archive" data-testid="archive-link"' in listing.text
    archive = page_text((await client.get("/awards/archive?lang=en")).text)
    assert f"{vote.category.name_en}: {a.nominee_name_en}" in archive
    assert b.nominee_name_en not in archive


async def test_an_embargoed_publication_shows_nothing_until_its_moment(client):
    vote = await _vote()
    slug, cid = vote.cycle.slug, vote.category.id
    manage = f"/awards/{slug}/manage/results"
    await sign_in(client, vote.organizer)
    await post_form(client, manage + "/count", {}, manage)
    await post_form(
        client,
        f"{manage}/categories/{cid}/citations",
        {"citation_ar": "نص", "citation_en": "Text"},
        manage,
    )
    await post_form(client, f"{manage}/approve", {}, manage)
    past = local_input(now() - dt.timedelta(hours=1), vote.cycle.time_zone)
    refused = await post_form(
        client, f"{manage}/publish", {"when": "later", "publish_at": past}, manage
    )
    assert refused.status_code == 422
    assert "Choose a moment in the future" in page_text(refused.text)
    later = local_input(now() + dt.timedelta(hours=2), vote.cycle.time_zone)
    set_ = await post_form(
        client, f"{manage}/publish", {"when": "later", "publish_at": later}, manage
    )
    assert set_.status_code == 303
    text = page_text((await client.get(manage + "?lang=en")).text)
    assert "Nothing is public until then." in text
    client.cookies.clear()
    for url in _public_urls(slug, cid):
        assert (await client.get(url)).status_code == 404, url
    assert (await Cycle.get(id=vote.cycle.id)).results_publish_at is not None
    clock.travel(dt.timedelta(hours=3))
    try:
        for url in _public_urls(slug, cid):
            assert (await client.get(url)).status_code == 200, url
    finally:
        clock.travel(-dt.timedelta(hours=3))


async def test_recording_no_award_recounts_and_is_published_with_its_reason(client):
    vote = await _vote()
    slug, cid = vote.cycle.slug, vote.category.id
    manage = f"/awards/{slug}/manage/results"
    await sign_in(client, vote.organizer)
    await post_form(client, manage + "/count", {}, manage)
    empty = await post_form(
        client, f"{manage}/categories/{cid}/no-award", {"action": "record"}, manage
    )
    assert empty.status_code == 422 and "Say why the category has no award." in empty.text
    recorded = await post_form(
        client,
        f"{manage}/categories/{cid}/no-award",
        {"action": "record", "reason": "No work met the bar this year."},
        manage,
    )
    assert recorded.status_code == 303
    text = page_text((await client.get(f"{manage}/categories/{cid}?lang=en")).text)
    assert "No award: No work met the bar this year." in text
    assert (await post_form(client, f"{manage}/approve", {}, manage)).status_code == 303
    assert (
        await post_form(client, f"{manage}/publish", {"when": "now"}, manage)
    ).status_code == 303
    client.cookies.clear()
    page = await client.get(f"/awards/{slug}/results?lang=en")
    assert re.search(r"No award.*No award: No work met the bar this year\.", page_text(page.text))


async def test_once_published_everyone_reads_the_results_and_only_organizers_manage(app, settings):
    """The permission matrix's results rows after publication (its own cycles have none)."""
    vote = await _vote()
    await results.count(vote.organizer, vote.cycle, settings)
    await results.save_citations(vote.organizer, vote.cycle, vote.category, ar="نص", en="Text")
    await results.approve(vote.organizer, vote.cycle)
    await results.publish(vote.organizer, await Cycle.get(id=vote.cycle.id), settings)
    judge = await make_user()
    await grant(judge, Role.JUDGE, ScopeType.AWARD_CYCLE, vote.cycle.id)
    people = {
        "anonymous": None,
        "outsider": await make_user(),
        "nominator": vote.nominator,
        "judge": judge,
        "organizer": vote.organizer,
        "admin": await make_user(admin=True),
    }
    slug, cid = vote.cycle.slug, vote.category.id
    manage = [f"/awards/{slug}/manage/results", f"/awards/{slug}/manage/results/categories/{cid}"]
    for who, user in people.items():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            if user is not None:
                await sign_in(client, user)
            for url in [*_public_urls(slug, cid), "/awards/archive"]:
                assert (await client.get(url)).status_code == 200, (who, url)
            expected = 200 if who in ("organizer", "admin") else 303 if user is None else 404
            for url in manage:
                assert (await client.get(url)).status_code == expected, (who, url)


async def test_a_borda_report_shows_the_points_by_rank_position(client, settings):
    from awards.tabulation import Method

    vote = await final_vote(finalists=3, jury_method=Method.BORDA, public_vote=False)
    a, b, c = vote.finalists
    await ballots(vote.category, [[a, b, c], [b, a, c], [a, c, b]])
    await results.count(vote.organizer, vote.cycle, settings)
    await sign_in(client, vote.organizer)
    page = await client.get(
        f"/awards/{vote.cycle.slug}/manage/results/categories/{vote.category.id}?lang=en"
    )
    text = page_text(page.text)
    assert page.status_code == 200 and "Points by rank position" in text
    # standard Borda over three finalists: 2, 1, 0 points; A is ranked first twice, second once
    assert f"{a.nominee_name_en} 2 1 0 5 3 5" in text
    assert "Jury only: the category has no public vote." in text
    assert 'data-testid="heat-map"' not in page.text  # no public vote: no blend to sweep
