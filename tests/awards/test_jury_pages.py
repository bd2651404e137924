"""An award cycle's organizer runs its jury on judging's own pages (scope "award_cycle"), and a
judge of a category scores a nomination there; other people are kept out."""

from __future__ import annotations

from awards.services.entry_source import NominationSource, group_key
from judging.enums import RoundState
from judging.models import Assignment, Judge, Round, ScoreSheet
from judging.services import assignments, entries
from tests.awards.factories import make_category, make_cycle
from tests.awards.jury import category_round, eligible, jury_judges
from tests.conftest import post_form
from tests.factories import make_user, sign_in
from tests.judging.factories import page_text


async def test_the_organizer_creates_a_round_for_a_category_and_invites_its_judges(client):
    organizer = await make_user(language="en")
    cycle = await make_cycle(phase="jury", organizer=organizer)
    category = await make_category(cycle, name_en="Podcast", name_ar="البودكاست")
    await sign_in(client, organizer)
    scope = f"/judging/award_cycle/{cycle.id}"
    form = await client.get(f"{scope}/rounds/new?group={category.id}&lang=en")
    assert form.status_code == 200
    assert f'<option value="{category.id}" selected>Podcast</option>' in form.text
    created = await post_form(
        client,
        f"{scope}/rounds/new",
        {
            "name_en": "Podcast jury",
            "judges_per_entry": "2",
            "min_scores_for_zscore": "3",
            "spread_threshold": "20",
            "entry_rule": "all_submitted",
            "group_key": str(category.id),
        },
        f"{scope}/rounds/new",
    )
    assert created.status_code == 303
    assert (await Round.get(name_en="Podcast jury")).group_key == group_key(category)
    invited = await post_form(
        client,
        f"{scope}/judges",
        {"email": "ear@jury.example", "language": "ar", "group_key": str(category.id)},
        f"{scope}/judges",
    )
    assert invited.status_code == 303
    assert (await Judge.get(email="ear@jury.example")).group_key == group_key(category)
    jury = page_text((await client.get(f"/awards/{cycle.slug}/manage/jury?lang=en")).text)
    assert "Podcast Podcast jury In preparation 0 · Invite" in jury


async def test_other_people_are_kept_out_of_the_cycles_judging_pages(client):
    cycle = await make_cycle(phase="jury", organizer=await make_user())
    await sign_in(client, await make_user())
    # judging answers 404 to whoever does not manage the scope (as for an event)
    assert (await client.get(f"/judging/award_cycle/{cycle.id}")).status_code == 404
    assert (await client.get(f"/judging/award_cycle/{cycle.id}/judges")).status_code == 404
    draft = await make_cycle(phase="jury", published=False)
    assert (await client.get(f"/judging/award_cycle/{draft.id}")).status_code == 404


async def test_a_judge_of_the_category_scores_a_nomination_blind(client):
    organizer = await make_user()
    cycle = await make_cycle(phase="jury", organizer=organizer)
    category = await make_category(cycle)
    nomination = await eligible(
        cycle, category, await make_user(), nominee_name_en="Sara Almutairi"
    )
    (seat,) = await jury_judges(cycle, category, 1)
    round_ = await category_round(organizer, cycle, category, judges_per_entry=1, blind=True)
    await entries.refresh_entries(organizer, round_, NominationSource())
    await assignments.auto_assign(organizer, round_)
    round_.state = RoundState.OPEN
    await round_.save()
    row = await Assignment.get(round=round_)
    await sign_in(client, await seat.user)
    queue = page_text((await client.get("/judging/queue?lang=en")).text)
    assert nomination.work_title in queue and cycle.name_en in queue
    url = f"/judging/entries/{row.entry_id}"
    page = await client.get(url + "?lang=en")
    assert page.status_code == 200
    text = page_text(page.text)
    assert nomination.work_title in text and "Sara" not in text
    saved = await post_form(client, url, {"score_c1": "8", "version": "0", "action": "submit"}, url)
    assert saved.status_code == 303
    sheet = await ScoreSheet.get(assignment=row)
    assert (sheet.state, sheet.scores) == ("submitted", {"c1": 8.0})
