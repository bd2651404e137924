"""Issue 11, item 8, in judging: a refused conflict keeps what was typed at the action's
address, and a GET of that address leads back to the judges' page (not 405)."""

from __future__ import annotations

from judging.models import Conflict
from tests.events.factories import value_of
from tests.factories import sign_in
from tests.judging.factories import organizer, page_text, post, ready_round


async def test_a_refused_conflict_keeps_the_input_and_a_reload_shows_the_form(client, source):
    _round, seats = await ready_round(source)
    await sign_in(client, await organizer(language="en"))
    address = "/judging/event/1/conflicts"
    typed = {"judge_id": str(seats[0].id), "kind": "team", "value": "Fact Finders", "reason": ""}
    refused = await post(client, address, typed)
    assert refused.status_code == 422
    assert "This field is required." in page_text(refused.text)
    assert value_of(refused.text, "value") == "Fact Finders"
    assert not await Conflict.exists()
    again = await client.get(address)
    assert again.status_code == 303
    assert again.headers["location"] == "http://testserver/judging/event/1/judges"
    shown = await client.get(again.headers["location"])
    assert shown.status_code == 200
    assert "Add the conflict" in page_text(shown.text)
