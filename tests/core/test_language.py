"""?lang= on a GET switches the session and the cookie only; a signed-in person's profile
language changes by the switch's POST (issue 13, item 7)."""

from __future__ import annotations

import html
import re

import httpx

from accounts.models import User
from tests.factories import make_user, sign_in

SWITCH_FORM = re.compile(
    r'<form method="post" action="([^"]+)" class="inline-form">\s*'
    r'<input type="hidden" name="csrf_token" value="([^"]+)">\s*'
    r'<input type="hidden" name="next" value="([^"]*)">\s*'
    r'<button type="submit" class="link-button lang-switch" lang="(\w+)" '
    r'data-testid="lang-switch">([^<]+)</button>'
)


def switch_form(page: str) -> tuple[str, str, str, str, str]:
    match = SWITCH_FORM.search(page)
    assert match, "no language switch form on the page"
    action, token, next_url, lang, label = (html.unescape(g) for g in match.groups())
    return action, token, next_url, lang, label


async def switch_language(client: httpx.AsyncClient, page: str) -> httpx.Response:
    """Press the language switch of a page, as a signed-in person does."""
    action, token, next_url, _lang, _label = switch_form((await client.get(page)).text)
    response = await client.post(action, data={"csrf_token": token, "next": next_url})
    assert response.status_code == 303
    return response


async def test_a_get_with_lang_does_not_change_the_profile(client):
    user = await make_user(language="ar")
    await sign_in(client, user)
    page = await client.get("/?lang=en")
    assert '<html lang="en" dir="ltr">' in page.text
    assert any(h.startswith("lang=en;") for h in page.headers.get_list("set-cookie"))
    assert (await User.get(id=user.id)).language == "ar"  # mails stay in Arabic


async def test_the_switch_of_a_signed_in_page_is_a_form_that_keeps_path_and_query(client):
    user = await make_user(language="ar")
    await sign_in(client, user)
    page = await client.get("/account/profile?x=1&lang=ar")
    assert switch_form(page.text)[0] == "http://testserver/language?lang=en"
    assert switch_form(page.text)[2:] == ("/account/profile?x=1", "en", "English")

    switched = await switch_language(client, "/account/profile?x=1")
    assert switched.headers["location"] == "/account/profile?x=1"
    assert (await User.get(id=user.id)).language == "en"
    assert '<html lang="en" dir="ltr">' in (await client.get("/account/profile")).text


async def test_a_switch_post_without_the_token_or_to_another_site_changes_nothing(client):
    user = await make_user(language="ar")
    await sign_in(client, user)
    refused = await client.post("/language?lang=en", data={"next": "/"})
    assert refused.status_code == 403
    assert (await User.get(id=user.id)).language == "ar"

    action, token, _next, _lang, _label = switch_form((await client.get("/")).text)
    away = await client.post(action, data={"csrf_token": token, "next": "//evil.example/"})
    assert away.headers["location"] == "http://testserver/"


async def test_the_kept_header_shows_each_page_its_own_switch_and_the_person_as_they_are(client):
    """The header is rendered once per person and language (core.templating.site_header):
    each page still gets its own language switch, a changed name shows at once, and a name
    that looks like the header's switch markers is shown as typed."""
    user = await make_user(language="ar")
    await User.filter(id=user.id).update(name_ar="<manassa-switch-next> & Co")
    await sign_in(client, user)
    first = (await client.get("/account/profile")).text
    second = (await client.get("/?x=<1>")).text
    assert switch_form(first)[2] == "/account/profile"
    assert switch_form(second)[2] == "/?x=%3C1%3E"
    assert switch_form(first)[1] == switch_form(second)[1]  # the same form token
    for page in (first, second):
        assert "&lt;manassa-switch-next&gt; &amp; Co</a>" in page
        assert "<manassa-switch" not in page
    await User.filter(id=user.id).update(name_ar="Huda")
    assert ">Huda</a>" in (await client.get("/?x=<1>")).text
    english = (await client.get("/?lang=en")).text
    assert '<html lang="en" dir="ltr">' in english and "Sign out" in english
    assert switch_form(english)[2] == "/"
