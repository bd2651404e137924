"""The final vote's pages: the organizer's declared rules (locked once voting opens, with the
jurors' turnout and no standings) and the juror's ranked ballot (a form without script)."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from accounts.enums import ScopeType
from awards.models import Category, JuryBallot
from core import clock
from core.audit import AuditEntry
from judging.enums import ConflictKind, ConflictOrigin
from judging.models import Conflict
from tests.awards.factories import make_category, make_cycle
from tests.awards.jury import finalists, jury_judges
from tests.conftest import post_form
from tests.factories import make_user, sign_in
from tests.judging.factories import page_text

RULES = {
    "method": "modified-borda",
    "partial": "on",
    "weight": "70",
    "quorum": "4",
    "fallback": "no-award",
    "public_vote": "on",
}


async def _cycle(phase: str, count: int = 3, jurors: int = 2):  # noqa: ANN202
    organizer = await make_user(language="en")
    cycle = await make_cycle(phase=phase, organizer=organizer)
    category = await make_category(cycle, name_en="Investigative report")
    rows = await finalists(cycle, category, count)
    seats = await jury_judges(cycle, category, jurors)
    for seat in seats:
        await seat.fetch_related("user")
    return organizer, cycle, category, rows, seats


def _ballot_url(cycle, category) -> str:  # noqa: ANN001
    return f"/awards/{cycle.slug}/ballot/{category.id}"


# --- the organizer ---------------------------------------------------------------------------


async def test_the_organizer_declares_the_rules_before_voting_opens(client):
    organizer, cycle, category, _rows, _seats = await _cycle("jury")
    await sign_in(client, organizer)
    url = f"/awards/{cycle.slug}/manage/voting"
    text = page_text((await client.get(url)).text)
    assert "Instant runoff (IRV)" in text and "Modified Borda" in text and "Dowdall" in text
    assert "ranking a favourite alone does not help it" in text
    assert "Earlier rounds" in text and "calibrated jury score" in text and "lot drawn" in text
    assert "2 jurors" in text
    response = await post_form(client, f"{url}/categories/{category.id}", RULES, page=url)
    assert response.status_code == 303
    saved = await Category.get(id=category.id)
    assert (saved.jury_method, saved.jury_weight_percent, saved.quorum) == ("modified-borda", 70, 4)
    assert (saved.quorum_fallback, saved.partial_ballots, saved.public_vote) == (
        "no-award",
        True,
        True,
    )
    assert await AuditEntry.filter(action="awards.vote_rules").exists()
    page = (await client.get(url)).text
    assert re.search(r'<option value="70" selected>70 % \(w = 0.70\)', page)


async def test_a_bad_rule_is_refused_on_the_form_and_changes_nothing(client):
    organizer, cycle, category, _rows, _seats = await _cycle("jury")
    await sign_in(client, organizer)
    url = f"/awards/{cycle.slug}/manage/voting"
    response = await post_form(
        client,
        f"{url}/categories/{category.id}",
        {**RULES, "weight": "33", "quorum": "0"},
        page=url,
    )
    assert response.status_code == 422
    text = page_text(response.text)
    assert "Please correct 2 fields below." in text
    assert (await Category.get(id=category.id)).jury_method == "irv"


async def test_the_rules_are_locked_once_voting_opens_and_turnout_shows_no_standings(client):
    organizer, cycle, category, rows, seats = await _cycle("voting", jurors=3)
    juror = seats[0].user
    from awards.services import voting

    await voting.cast_ballot(juror, cycle, category, [rows[2].id, rows[0].id])
    await sign_in(client, organizer)
    url = f"/awards/{cycle.slug}/manage/voting"
    page = (await client.get(url)).text
    text = page_text(page)
    assert "its declared rules are locked" in text
    assert "Ballots cast: 1 of 3 jurors" in text
    assert "<form" not in page.split("<main", 1)[1].split("vote-category", 1)[1]
    for row in rows:  # no finalist is named, no count per finalist
        assert row.nominee_name_en not in text
    response = await post_form(client, f"{url}/categories/{category.id}", RULES, page=url)
    assert response.status_code == 409
    assert "can no longer change" in page_text(response.text)
    assert (await Category.get(id=category.id)).jury_method == "irv"
    assert not await AuditEntry.filter(action="awards.vote_rules").exists()


async def test_the_rules_page_is_in_arabic(client):
    organizer, cycle, _category, _rows, _seats = await _cycle("jury")
    organizer.language = "ar"
    await organizer.save(update_fields=["language"])
    await sign_in(client, organizer)
    text = page_text((await client.get(f"/awards/{cycle.slug}/manage/voting?lang=ar")).text)
    assert "التصويت النهائي" in text
    assert "Instant runoff" not in text


# --- the juror -------------------------------------------------------------------------------


async def test_a_juror_ranks_then_changes_the_ranking(client):
    _organizer, cycle, category, rows, seats = await _cycle("voting")
    await sign_in(client, seats[0].user)
    url = _ballot_url(cycle, category)
    page = (await client.get(url)).text
    assert page.count('data-testid="ballot-rank"') == 3
    assert "<script" not in page.split("<main", 1)[1]
    first = {f"rank-{rows[1].id}": "1", f"rank-{rows[0].id}": "2", f"rank-{rows[2].id}": ""}
    response = await post_form(client, url, first, page=url)
    assert response.status_code == 303
    text = page_text((await client.get(url)).text)
    assert "Your ballot is saved (version 1)." in text
    assert "version 1" in text
    saved = await JuryBallot.get(category=category)
    assert saved.ranking == [rows[1].id, rows[0].id]
    second = {f"rank-{rows[2].id}": "1", f"rank-{rows[1].id}": "2", f"rank-{rows[0].id}": "3"}
    await post_form(client, url, second, page=url)
    page = (await client.get(url)).text
    ordered = re.search(r'data-testid="ballot-saved">(.*?)</ol>', page, re.S).group(1)
    names = [r.nominee_name_en for r in (rows[2], rows[1], rows[0])]
    assert [n for n in re.findall(r"Nominee \d+", ordered)] == names
    assert "version 2" in page_text(page)
    assert re.search(rf'name="rank-{rows[2].id}".*?<option value="1" selected>', page, re.S)
    assert await JuryBallot.filter(category=category).count() == 1


async def test_a_conflicted_finalist_is_absent_and_a_forged_ranking_of_it_is_refused(client):
    _organizer, cycle, category, rows, seats = await _cycle("voting")
    await Conflict.create(
        judge=seats[0],
        scope_type=ScopeType.AWARD_CYCLE.value,
        scope_id=cycle.id,
        kind=ConflictKind.ENTRY,
        value=str(rows[0].id),
        origin=ConflictOrigin.DECLARED,
    )
    await sign_in(client, seats[0].user)
    url = _ballot_url(cycle, category)
    page = (await client.get(url)).text
    assert f"rank-{rows[0].id}" not in page
    assert rows[0].nominee_name_en not in page_text(page)
    assert "1 finalist is left out of your ballot" in page_text(page)
    forged = {f"rank-{rows[0].id}": "1", f"rank-{rows[1].id}": "2"}
    response = await post_form(client, url, forged, page=url)
    assert response.status_code == 422
    assert "conflict of interest" in page_text(response.text)
    assert not await JuryBallot.exists()


async def test_duplicate_unknown_or_gapped_rankings_are_refused_and_change_nothing(client):
    _organizer, cycle, category, rows, seats = await _cycle("voting")
    other = await make_category(cycle)
    stranger = (await finalists(cycle, other, 1))[0]
    await sign_in(client, seats[0].user)
    url = _ballot_url(cycle, category)
    await post_form(client, url, {f"rank-{rows[0].id}": "1"}, page=url)
    for data, message in (
        ([(f"rank-{rows[1].id}", "1"), (f"rank-{rows[1].id}", "2")], "more than once"),
        ([(f"rank-{stranger.id}", "1")], "not a finalist"),
        ([(f"rank-{rows[1].id}", "1"), (f"rank-{rows[2].id}", "1")], "same rank"),
        ([(f"rank-{rows[1].id}", "1"), (f"rank-{rows[2].id}", "3")], "without a gap"),
        ([(f"rank-{rows[1].id}", "")], "Rank at least one"),
    ):
        token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get(url)).text)
        response = await client.post(
            url,
            content="&".join(
                f"{k}={v}" for k, v in [("csrf_token", token.group(1)), *data]
            ).encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 422, data
        assert message in page_text(response.text), data
    saved = await JuryBallot.get(category=category)
    assert (saved.version, saved.ranking) == (1, [rows[0].id])


async def test_a_forged_or_replayed_form_without_its_token_is_refused(client, app):
    _organizer, cycle, category, rows, seats = await _cycle("voting")
    await sign_in(client, seats[0].user)
    url = _ballot_url(cycle, category)
    response = await client.post(url, data={f"rank-{rows[0].id}": "1"})
    assert response.status_code == 403
    assert "Reload the page and try again" in page_text(response.text)
    response = await client.post(url, data={"csrf_token": "forged", f"rank-{rows[0].id}": "1"})
    assert response.status_code == 403
    # a form taken from another session (the other juror's) is refused here too
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        await sign_in(other, seats[1].user)
        token = re.search(r'name="csrf_token" value="([^"]+)"', (await other.get(url)).text)
    data = {"csrf_token": token.group(1), f"rank-{rows[0].id}": "1"}
    assert (await client.post(url, data=data)).status_code == 403
    assert not await JuryBallot.exists()


async def test_outside_the_window_the_ballot_is_read_only_and_a_post_is_refused_in_arabic(client):
    _organizer, cycle, category, rows, seats = await _cycle("voting")
    juror = seats[0].user
    juror.language = "ar"
    await juror.save(update_fields=["language"])
    await sign_in(client, juror)
    url = _ballot_url(cycle, category)
    token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get(url)).text)
    clock.travel(dt.timedelta(days=6))
    response = await client.post(
        url + "?lang=ar", data={"csrf_token": token.group(1), f"rank-{rows[0].id}": "1"}
    )
    assert response.status_code == 409
    assert "أُغلق التصويت النهائي" in page_text(response.text)
    assert not await JuryBallot.exists()
    page = (await client.get(url + "?lang=ar")).text
    assert 'data-testid="ballot-form"' not in page


async def test_only_the_jurors_of_the_category_reach_the_ballot(client):
    _organizer, cycle, category, _rows, _seats = await _cycle("voting")
    other = await make_category(cycle)
    elsewhere = (await jury_judges(cycle, other, 1))[0]
    await elsewhere.fetch_related("user")
    await sign_in(client, elsewhere.user)
    assert (await client.get(_ballot_url(cycle, category))).status_code == 404


async def test_a_juror_finds_the_ballot_from_the_cycle_page_and_my_page(client):
    _organizer, cycle, category, _rows, seats = await _cycle("voting")
    await sign_in(client, seats[0].user)
    page = (await client.get(f"/awards/{cycle.slug}")).text
    assert f'/awards/{cycle.slug}/ballot"' in page
    mine = (await client.get("/me/awards")).text
    assert f'/awards/{cycle.slug}/ballot"' in mine
    listing = page_text((await client.get(f"/awards/{cycle.slug}/ballot")).text)
    assert "Investigative report" in listing and "No ballot yet" in listing
