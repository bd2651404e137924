"""The organizer's pages offer the scope's groups: a round for one group, a judge for one."""

from __future__ import annotations

from judging.models import Judge, Round
from tests.factories import sign_in
from tests.judging.factories import follow, organizer, page_text, post


async def test_a_round_for_one_track_from_the_round_form(client):
    await sign_in(client, await organizer(language="en"))
    form = await client.get("/judging/event/1/rounds/new?group=b&lang=en")
    assert 'name="group_key"' in form.text
    assert '<option value="b" selected>Journalism</option>' in form.text
    saved = await post(
        client,
        "/judging/event/1/rounds/new",
        {
            "name_en": "Journalism round",
            "judges_per_entry": "2",
            "min_scores_for_zscore": "3",
            "spread_threshold": "20",
            "entry_rule": "all_submitted",
            "group_key": "b",
        },
    )
    assert saved.status_code == 303, saved.text
    assert (await Round.get(name_en="Journalism round")).group_key == "b"
    scope = await client.get("/judging/event/1")
    assert "Journalism round Journalism" in page_text(scope.text)
    round_ = await Round.get(name_en="Journalism round")
    shown = await client.get(f"/judging/event/1/rounds/{round_.id}")
    assert "Entries of (a track or a category) Journalism" in page_text(shown.text)


async def test_an_unknown_group_is_refused_with_a_message(client):
    await sign_in(client, await organizer(language="en"))
    refused = await post(
        client,
        "/judging/event/1/rounds/new",
        {
            "name_en": "Nowhere",
            "judges_per_entry": "2",
            "min_scores_for_zscore": "3",
            "spread_threshold": "20",
            "entry_rule": "all_submitted",
            "group_key": "zz",
        },
    )
    assert refused.status_code == 422
    assert "Choose one of the options." in page_text(refused.text)
    assert not await Round.filter(name_en="Nowhere").exists()


async def test_a_judge_invited_for_one_track(client):
    await sign_in(client, await organizer(language="en"))
    page = await follow(
        client,
        await post(
            client,
            "/judging/event/1/judges",
            {"email": "track@judge.example", "language": "en", "group_key": "a"},
        ),
    )
    assert "track@judge.example Invited Digital media" in page_text(page.text)
    assert (await Judge.get(email="track@judge.example")).group_key == "a"
