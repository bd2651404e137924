"""Organizer pages for rounds and their rubric."""

from __future__ import annotations

import datetime as dt

from core.audit import AuditEntry
from judging.enums import EntryRule, RoundState
from judging.models import Assignment, Criterion, Round
from judging.services import sheets
from tests.factories import sign_in
from tests.judging.factories import (
    follow,
    make_round,
    organizer,
    page_text,
    post,
    ready_round,
)

ROUND_FORM = {
    "name_ar": "الفرز الأولي",
    "name_en": "Screening",
    "starts_at": "2026-12-01T09:00",
    "ends_at": "2026-12-10T18:00",
    "judges_per_entry": "3",
    "entry_rule": "all_submitted",
    "previous_id": "",
    "min_scores_for_zscore": "3",
    "spread_threshold": "20",
    "tiebreak_criteria": "on",
    "tiebreak_top_scores": "on",
    "tiebreak_decision": "on",
}
CRITERION_FORM = {
    "name_ar": "الأثر",
    "name_en": "Impact",
    "guidance_ar": "",
    "guidance_en": "Who benefits?",
    "levels_ar": "٥: أثر واسع\n1: لا أثر",
    "levels_en": "5: Wide impact\n1: No impact",
    "min_score": "1",
    "max_score": "5",
    "step": "1",
    "weight": "2",
    "priority": "1",
}


async def test_an_organizer_creates_a_round_in_the_scopes_time_zone(client):
    await sign_in(client, await organizer(language="en"))
    response = await post(client, "/judging/event/1/rounds/new", {**ROUND_FORM, "blind": "on"})
    page = await follow(client, response)
    assert "The round has been created. Now write its rubric." in page_text(page.text)
    created = await Round.get(name_en="Screening")
    assert (created.scope_type, created.scope_id, created.judges_per_entry, created.blind) == (
        "event",
        1,
        3,
        True,
    )
    # 09:00 in Riyadh (UTC+3) is 06:00 UTC
    assert created.starts_at == dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
    assert created.tiebreak == ["criteria", "top_scores", "decision"]
    assert await AuditEntry.filter(
        action="judging.round_created", object_id=str(created.id)
    ).exists()
    edit = await client.get(f"/judging/event/1/rounds/{created.id}/edit")
    assert 'value="2026-12-01T09:00"' in edit.text


async def test_a_bad_round_form_keeps_what_was_typed(client):
    await sign_in(client, await organizer(language="en"))
    response = await post(
        client,
        "/judging/event/1/rounds/new",
        {
            **ROUND_FORM,
            "name_en": "Final",
            "ends_at": "2026-11-30T10:00",
            "entry_rule": "shortlist_of_previous",
            "judges_per_entry": "0",
        },
    )
    assert response.status_code == 422
    text = page_text(response.text)
    assert "Please correct 1 field below." in text
    assert "Enter a number from 1 to 20." in text
    assert 'value="Final"' in response.text
    assert not await Round.exists()


async def test_service_checks_reach_the_form(client):
    await sign_in(client, await organizer(language="en"))
    response = await post(
        client,
        "/judging/event/1/rounds/new",
        {**ROUND_FORM, "ends_at": "2026-11-30T10:00", "entry_rule": "shortlist_of_previous"},
    )
    assert response.status_code == 422
    text = page_text(response.text)
    assert "The end must come after the start." in text
    assert "Choose the round whose shortlist enters this one." in text


async def test_a_criterion_with_levels_in_both_languages(client):
    round_ = await make_round(criteria=False)
    await sign_in(client, await organizer(language="en"))
    url = f"/judging/event/1/rounds/{round_.id}/rubric"
    page = await follow(client, await post(client, url, CRITERION_FORM))
    criterion = await Criterion.get(round=round_)
    assert (criterion.key, criterion.weight, criterion.priority) == ("c1", 2, 1)
    assert criterion.levels == [
        {"score": 5.0, "ar": "أثر واسع", "en": "Wide impact"},
        {"score": 1.0, "ar": "لا أثر", "en": "No impact"},
    ]
    english = page_text(page.text)
    assert "Impact" in english and "5 Wide impact" in english and "1–5 (step 1)" in english
    arabic = page_text((await client.get(url + "?lang=ar")).text)
    assert "الأثر" in arabic and "5 أثر واسع" in arabic


async def test_a_criterion_off_its_scale_is_refused(client):
    round_ = await make_round(criteria=False)
    await sign_in(client, await organizer(language="en"))
    response = await post(
        client,
        f"/judging/event/1/rounds/{round_.id}/rubric",
        {**CRITERION_FORM, "step": "0.3", "levels_en": "7: Too high", "weight": "0"},
    )
    assert response.status_code == 422
    text = page_text(response.text)
    assert "The step must divide the scale evenly (from 1 to 5)." in text
    assert "A counted criterion needs a weight above zero (or mark it independent)." in text
    assert "with a score on the scale" in text
    assert not await Criterion.exists()


async def test_the_rubric_is_locked_once_a_score_is_saved(client, source):
    round_, seats = await ready_round(source)
    row = await Assignment.filter(judge=seats[0]).first()
    user = await seats[0].user
    seen = await sheets.scoring_for(user, row.entry_id)
    await sheets.save_sheet(
        user, seen, scores={"c1": 3}, comment="", note="", version=0, submit=False
    )
    await sign_in(client, await organizer(language="en"))
    url = f"/judging/event/1/rounds/{round_.id}/rubric"
    page = await client.get(url)
    assert "The rubric is locked because scoring has started" in page_text(page.text)
    assert "Add a criterion" not in page_text(page.text)
    criterion = await Criterion.get(round=round_, key="c1")
    response = await post(client, f"{url}/{criterion.id}", {**CRITERION_FORM, "weight": "9"})
    assert response.status_code == 409
    assert (
        "The rubric is locked because scoring has started: its criteria can no longer be changed."
    ) in page_text(response.text)
    response = await post(client, f"{url}/{criterion.id}/delete")
    assert response.status_code == 409
    assert (await Criterion.get(id=criterion.id)).weight == 2


async def test_opening_a_round_needs_a_rubric_and_assignments(client, source):
    await sign_in(client, await organizer(language="en"))
    bare = await make_round(criteria=False)
    response = await post(client, f"/judging/event/1/rounds/{bare.id}/state", {"action": "open"})
    assert response.status_code == 409
    assert (
        "Add at least one weighted criterion to the rubric before opening the round."
        in page_text(response.text)
    )
    unassigned = await make_round()
    response = await post(
        client, f"/judging/event/1/rounds/{unassigned.id}/state", {"action": "open"}
    )
    assert "Assign judges to the entries before opening the round." in page_text(response.text)
    ready, _seats = await ready_round(source, state=RoundState.DRAFT)
    page = await follow(
        client, await post(client, f"/judging/event/1/rounds/{ready.id}/state", {"action": "open"})
    )
    assert "The round is open: judges can score now." in page_text(page.text)
    assert (await Round.get(id=ready.id)).state == RoundState.OPEN
    page = await follow(
        client, await post(client, f"/judging/event/1/rounds/{ready.id}/state", {"action": "close"})
    )
    assert "The round is closed: scores can no longer change." in page_text(page.text)
    assert [
        e.action
        for e in await AuditEntry.filter(object_type="Round").order_by("id")
        if e.object_id == str(ready.id) and e.action.startswith("judging.round_")
    ][-2:] == ["judging.round_open", "judging.round_close"]


async def test_refreshing_entries_reports_what_changed(client, source):
    round_ = await make_round()
    await sign_in(client, await organizer(language="en"))
    response = await post(client, f"/judging/event/1/rounds/{round_.id}/entries/refresh")
    page = await follow(client, response)
    assert (
        "Entries updated: 6 added, 0 changed, 0 removed, 0 kept because they already have scores."
    ) in page_text(page.text)
    assert "Initiative 101" in page_text((await client.get(page.url.path + "?lang=en")).text)


async def test_a_round_can_take_the_previous_rounds_shortlist(client):
    first = await make_round()
    await sign_in(client, await organizer(language="en"))
    response = await post(
        client,
        "/judging/event/1/rounds/new",
        {
            **ROUND_FORM,
            "name_en": "Final",
            "entry_rule": "shortlist_of_previous",
            "previous_id": str(first.id),
        },
    )
    assert response.status_code == 303
    final = await Round.get(name_en="Final")
    assert (final.entry_rule, final.previous_id) == (EntryRule.SHORTLIST_OF_PREVIOUS, first.id)


async def test_only_a_round_in_preparation_can_be_deleted(client, source):
    await sign_in(client, await organizer(language="en"))
    draft = await make_round()
    page = await follow(client, await post(client, f"/judging/event/1/rounds/{draft.id}/delete"))
    assert "The round has been deleted." in page_text(page.text)
    running, _seats = await ready_round(source)
    response = await post(client, f"/judging/event/1/rounds/{running.id}/delete")
    assert response.status_code == 409
    assert "Only a round in preparation can be deleted." in page_text(response.text)
    assert await Round.filter(id=running.id).exists()
