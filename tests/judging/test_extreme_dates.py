"""A round form with a date outside 2000-2100 gets a field message, not a 500."""

from __future__ import annotations

from judging.models import Round
from tests.factories import sign_in
from tests.judging.factories import organizer, page_text, post
from tests.judging.routes.test_rounds import ROUND_FORM


async def test_a_round_starting_in_year_one_is_refused_by_field(client):
    await sign_in(client, await organizer(language="en"))
    form = {**ROUND_FORM, "starts_at": "0001-01-01T00:00", "ends_at": "9999-12-31T23:59"}
    response = await post(client, "/judging/event/1/rounds/new", form)
    assert response.status_code == 422
    assert page_text(response.text).count("Enter a date between 2000 and 2100.") == 2
    assert not await Round.exists()
