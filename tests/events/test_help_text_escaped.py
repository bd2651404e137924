"""The slug's help text `/events/<address>.` shows literally on the event forms in both
languages: a translation is text, never HTML (issue 11, item 11)."""

from __future__ import annotations

import re

import pytest

from tests.events.factories import make_event
from tests.factories import make_user, sign_in

HELP = re.compile(r'<p class="help" id="h-slug">(.*?)</p>', re.S)
EXPECTED = {
    "en": "Lowercase Latin letters, digits and hyphens; the page will be /events/&lt;address&gt;.",
    "ar": "حروف لاتينية صغيرة وأرقام وشرطات؛ وسيكون رابط الصفحة ‎/events/&lt;الاسم&gt;.",
}


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_the_slug_help_shows_literally_on_new_and_settings_pages(client, lang):
    organizer = await make_user(admin=True, language=lang)
    event = await make_event(organizer=organizer)
    await sign_in(client, organizer)
    for page in ("/events/new", f"/events/{event.slug}/manage/edit"):
        response = await client.get(page)
        assert response.status_code == 200
        assert HELP.findall(response.text) == [EXPECTED[lang]], page
        assert "<address>" not in response.text
