"""Results and team feedback honour the visibility of their event: once it goes back to
draft they answer 404 to the public and to its teams, as the event page does (issue 13,
item 5), even when an anonymous visitor's copy of the results page was kept a moment before
(judging.services.public_pages). Its organizers still see them."""

from __future__ import annotations

from events.enums import Visibility
from events.services import editions
from events.services.entry_source import SubmissionSource
from judging.services import publication
from tests.events.judged import JUDGING_LINKS, judged_event
from tests.factories import sign_in


async def test_a_draft_event_hides_its_results_and_feedback(client):
    judged = await judged_event(publish=False)
    scope = await SubmissionSource().scope(judged.event.id)
    await publication.publish(judged.organizer, judged.round, scope, JUDGING_LINKS)
    results = f"/judging/event/{judged.event.id}/results"
    ayn = judged.submissions["Verify first"]
    feedback = f"/judging/event/{judged.event.id}/feedback/{ayn.id}"
    assert (await client.get(results)).status_code == 200  # public, and now cached

    await editions.set_visibility(judged.organizer, judged.event, Visibility.DRAFT)
    assert (await client.get(f"/events/{judged.event.slug}")).status_code == 404
    hidden = await client.get(results)
    assert hidden.status_code == 404
    assert "الصفحة غير موجودة" in hidden.text or "غير متاح" in hidden.text
    await sign_in(client, judged.member)
    assert (await client.get(results)).status_code == 404
    assert (await client.get(feedback)).status_code == 404

    client.cookies.clear()
    await sign_in(client, judged.organizer)
    assert (await client.get(results)).status_code == 200
    assert (await client.get(feedback)).status_code == 200


async def test_a_renamed_event_shows_its_new_title_on_its_kept_results_page(client):
    """The organizer renames the event a moment after an anonymous visitor's results page was
    kept: the next visitor reads the new title, not the kept copy."""
    judged = await judged_event(publish=False)
    scope = await SubmissionSource().scope(judged.event.id)
    await publication.publish(judged.organizer, judged.round, scope, JUDGING_LINKS)
    results = f"/judging/event/{judged.event.id}/results"
    assert "ميدياثون" in (await client.get(results)).text  # public, and now cached

    await editions.update_event(
        judged.organizer,
        judged.event,
        {"slug": judged.event.slug, "title_ar": "ميدياثون الخليج", "title_en": "Gulf Mediathon"},
    )
    renamed = await client.get(results)
    assert renamed.status_code == 200
    assert "ميدياثون الخليج" in renamed.text
