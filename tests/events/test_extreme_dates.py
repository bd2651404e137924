"""Dates outside 2000-2100 get a field message, not a 500 (issue 13, item 4)."""

from __future__ import annotations

import pytest

from events.models import Event
from tests.conftest import post_form
from tests.events.factories import error_of, make_event
from tests.events.routes.test_manage import FORM
from tests.factories import make_user, sign_in

MESSAGE = "Enter a date between 2000 and 2100."


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59"])
async def test_creating_an_event_with_an_extreme_date_is_refused_by_field(client, value):
    await sign_in(client, await make_user(admin=True, language="en"))
    response = await post_form(client, "/events/new", {**FORM, "registration_opens": value})
    assert response.status_code == 422
    assert error_of(response.text, "registration_opens") == MESSAGE
    assert not await Event.filter(slug=FORM["slug"]).exists()


async def test_editing_and_extending_refuse_an_extreme_date(client):
    organizer = await make_user(language="ar")
    event = await make_event(organizer=organizer, phase="submission")
    await sign_in(client, organizer)
    edit = {**FORM, "slug": event.slug, "results_at": "0001-01-01T00:00"}
    response = await post_form(client, f"/events/{event.slug}/manage/edit", edit)
    assert response.status_code == 422
    assert error_of(response.text, "results_at") == "أدخل تاريخًا بين عام 2000 وعام 2100."

    before = event.submissions_close
    response = await post_form(
        client,
        f"/events/{event.slug}/manage/extend",
        {"deadline": "submissions_close", "until": "9999-12-31T23:59"},
    )
    assert response.status_code == 422
    assert error_of(response.text, "until") == "أدخل تاريخًا بين عام 2000 وعام 2100."
    await event.refresh_from_db()
    assert event.submissions_close == before
