"""What a person typed or chose survives the detours the site sends them on: the join code
through sign-up, verification and sign-in, an invitation through sign-in and registration
(issue 11, item 6), and a file chosen on a form that came back with errors is named so it
is chosen again."""

from __future__ import annotations

import html
import re

import httpx
import pytest

from core.storage import StoredFile
from events.enums import QuestionKind, QuestionScope
from events.models import Submission, TeamMember
from tests.accounts.helpers import GOOD_PASSWORD, input_value, local_path
from tests.conftest import csrf, first_link, post_form
from tests.events.factories import make_event, make_question, make_team, text_of
from tests.events.samples import PDF, PNG
from tests.factories import PASSWORD, make_user, sign_in


def location(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    return response.headers["location"].removeprefix("http://testserver")


def hidden_next(page: str) -> str:
    """The intent a page's own form carries on (the header's language switch has its own)."""
    found = re.findall(r'<input type="hidden" name="next" value="([^"]*)">', page)
    assert found, "no next on the form"
    return html.unescape(found[-1])


def link_to(page: str, path: str) -> str:
    """The href of the page's first link that starts with `path`."""
    match = re.search(rf'<a [^>]*?href="(?:http://testserver)?({re.escape(path)}[^"]*)"', page)
    assert match, f"no link to {path}"
    return html.unescape(match[1])


async def test_a_newcomer_keeps_the_join_code_through_sign_up_and_sign_in(client, deliver):
    event = await make_event(phase="registration")
    team = await make_team(event, await make_user(language="en"), name="Ayn")
    join = f"/events/{event.slug}/join"

    # the captain's link with the code, opened signed out: sent to sign in
    sign_in_page = await client.get(location(await client.get(f"{join}?code={team.join_code}")))
    assert hidden_next(sign_in_page.text) == f"{join}?code={team.join_code}"
    # new here: "Create account" carries the intent on
    signup_page = await client.get(link_to(sign_in_page.text, "/signup?next="))
    assert hidden_next(signup_page.text) == f"{join}?code={team.join_code}"
    created = await post_form(
        client,
        "/signup",
        {
            "name": "Omar Haddad",
            "email": "omar@example.org",
            "password": GOOD_PASSWORD,
            "password_confirm": GOOD_PASSWORD,
            "language": "en",
            "next": hidden_next(signup_page.text),
        },
        page="/signup",
    )
    assert created.status_code == 200
    (mail,) = await deliver()
    verified = await client.get(local_path(first_link(mail)))
    login_page = await client.get(location(verified))
    assert input_value(login_page.text, "email") == "omar@example.org"
    signed_in = await post_form(
        client,
        "/login",
        {
            "email": "omar@example.org",
            "password": GOOD_PASSWORD,
            "next": hidden_next(login_page.text),
        },
    )
    form = await client.get(location(signed_in))
    assert input_value(form.text, "code") == team.join_code
    joined = await post_form(client, join, {"code": input_value(form.text, "code")})
    assert location(joined) == f"/events/{event.slug}/teams/{team.id}"
    assert await TeamMember.filter(team=team, user__email="omar@example.org").exists()


async def test_a_code_typed_while_signed_out_comes_back_after_sign_in(client):
    event = await make_event(phase="registration")
    team = await make_team(event, await make_user(language="en"), name="Ayn")
    someone = await make_user("reem@example.org", language="ar")
    join = f"/events/{event.slug}/join"

    # the session ended while the form was open; the code typed is not thrown away
    typed = await post_form(client, join, {"code": team.join_code.lower()})
    login_page = await client.get(location(typed))
    assert hidden_next(login_page.text) == f"{join}?code={team.join_code}"
    signed_in = await post_form(
        client,
        "/login",
        {"email": someone.email, "password": PASSWORD, "next": hidden_next(login_page.text)},
    )
    form = await client.get(location(signed_in))
    assert input_value(form.text, "code") == team.join_code


async def test_the_join_code_survives_the_register_first_detour(client):
    event = await make_event(phase="registration")
    question = await make_question(event, QuestionKind.SHORT_TEXT, required=True, label_en="City")
    team = await make_team(event, await make_user(language="en"), name="Ayn")
    someone = await make_user("reem@example.org", language="en")
    await sign_in(client, someone)
    join = f"/events/{event.slug}/join"

    refused = await post_form(client, join, {"code": team.join_code})
    register_page = await client.get(location(refused))
    assert "Register for the event first, then come back to join." in text_of(register_page.text)
    assert hidden_next(register_page.text) == f"{join}?code={team.join_code}"
    registered = await post_form(
        client,
        f"/events/{event.slug}/register",
        {question.field_name: "Jeddah", "next": hidden_next(register_page.text)},
    )
    form = await client.get(location(registered))
    assert input_value(form.text, "code") == team.join_code


async def test_an_invitation_is_accepted_once_through_sign_up_and_registration(client, deliver):
    event = await make_event(phase="registration")
    question = await make_question(event, QuestionKind.SHORT_TEXT, required=True, label_en="City")
    captain = await make_user(language="en")
    team = await make_team(event, captain, name="Ayn")
    await sign_in(client, captain)
    await post_form(
        client, f"/events/{event.slug}/teams/{team.id}/invite", {"email": "omar@example.org"}
    )
    (invitation_mail,) = await deliver()
    invitation = local_path(first_link(invitation_mail))
    client.cookies.clear()

    # new to the site: create an account from the invitation, confirm it, sign in
    page = await client.get(invitation)
    signup_page = await client.get(link_to(page.text, "/signup?next="))
    await post_form(
        client,
        "/signup",
        {
            "name": "Omar Haddad",
            "email": "omar@example.org",
            "password": GOOD_PASSWORD,
            "password_confirm": GOOD_PASSWORD,
            "language": "en",
            "next": hidden_next(signup_page.text),
        },
        page="/signup",
    )
    verification = (await deliver())[-1]
    login_page = await client.get(location(await client.get(local_path(first_link(verification)))))
    signed_in = await post_form(
        client,
        "/login",
        {
            "email": "omar@example.org",
            "password": GOOD_PASSWORD,
            "next": hidden_next(login_page.text),
        },
    )
    assert location(signed_in) == invitation  # back on the invitation, one click from joining
    page = await client.get(invitation)
    assert "Accept and join the team" in text_of(page.text)

    # one "accept": the register-first detour finishes it
    accepted = await post_form(client, f"{invitation}/accept", {})
    register_page = await client.get(location(accepted))
    assert "Register for the event first, then come back to join." in text_of(register_page.text)
    assert "Once you are registered, you join the team that invited you." in text_of(
        register_page.text
    )
    registered = await post_form(
        client,
        f"/events/{event.slug}/register",
        {question.field_name: "Jeddah", "next": hidden_next(register_page.text)},
    )
    assert location(registered) == f"/events/{event.slug}/teams/{team.id}"
    team_page = await client.get(location(registered))
    assert "Welcome to team Ayn." in text_of(team_page.text)
    assert await TeamMember.filter(team=team, user__email="omar@example.org").exists()


async def test_accepting_after_the_session_ended_comes_back_to_the_invitation(client, deliver):
    event = await make_event(phase="registration")
    captain = await make_user(language="en")
    team = await make_team(event, captain, name="Ayn")
    invitee = await make_user("omar@example.org", language="en")
    await sign_in(client, captain)
    await post_form(
        client, f"/events/{event.slug}/teams/{team.id}/invite", {"email": invitee.email}
    )
    (mail,) = await deliver()
    invitation = local_path(first_link(mail))
    client.cookies.clear()

    pressed = await post_form(client, f"{invitation}/accept", {})  # signed out meanwhile
    login_page = await client.get(location(pressed))
    assert hidden_next(login_page.text) == invitation
    signed_in = await post_form(
        client,
        "/login",
        {"email": invitee.email, "password": PASSWORD, "next": hidden_next(login_page.text)},
    )
    page = await client.get(location(signed_in))
    assert page.status_code == 200
    assert "Accept and join the team" in text_of(page.text)


async def test_a_registration_detour_from_another_persons_invitation_joins_nobody(client, deliver):
    event = await make_event(phase="registration")
    question = await make_question(event, QuestionKind.SHORT_TEXT, required=True, label_en="City")
    captain = await make_user(language="en")
    team = await make_team(event, captain, name="Ayn")
    await sign_in(client, captain)
    await post_form(
        client, f"/events/{event.slug}/teams/{team.id}/invite", {"email": "omar@example.org"}
    )
    (mail,) = await deliver()
    invitation = local_path(first_link(mail))
    client.cookies.clear()
    other = await make_user("mallory@example.org", language="en")
    await sign_in(client, other)

    registered = await post_form(
        client,
        f"/events/{event.slug}/register",
        {question.field_name: "Jeddah", "next": f"{invitation}/accept"},
    )
    assert location(registered) == invitation
    page = await client.get(invitation)
    assert "This invitation was sent to another e-mail address." in text_of(page.text)
    assert not await TeamMember.filter(team=team, user=other).exists()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "The form has errors, so this file was not kept: choose it again before you save."),
        ("ar", "في النموذج أخطاء، فلم يُحفظ هذا الملف: اختره مرة أخرى قبل الحفظ."),
    ],
)
async def test_a_file_chosen_on_a_form_with_errors_is_named_to_choose_again(client, lang, said):
    event = await make_event(phase="submission")
    question = await make_question(
        event, QuestionKind.FILE, scope=QuestionScope.SUBMISSION, label_en="Poster"
    )
    captain = await make_user(language=lang)
    team = await make_team(event, captain, name="Ayn")
    await sign_in(client, captain)
    target = f"/events/{event.slug}/teams/{team.id}/submission"

    token = await csrf(client)
    response = await client.post(
        target,
        data={"csrf_token": token, "title": "", "summary": "kept", "action": "save"},
        files=[
            ("attachments", ("خطة المشروع.pdf", PDF, "application/pdf")),
            (question.field_name, ("poster.png", PNG, "image/png")),
        ],
    )
    assert response.status_code == 422
    page = response.text
    for field, name in (("attachments", "خطة المشروع.pdf"), (question.field_name, "poster.png")):
        match = re.search(rf'data-testid="choose-again-{field}">(.*?)</p>', page, re.S)
        assert match, field
        assert text_of(match[1]) == f"{said} {name}"
    assert await StoredFile.all().count() == 0
    assert await Submission.all().count() == 0

    # a form with no file chosen says nothing about files
    response = await client.post(
        target,
        data={"csrf_token": token, "title": "", "action": "save"},
        files={"attachments": ("", b"", "")},
    )
    assert response.status_code == 422
    assert "choose-again" not in response.text


async def test_a_file_chosen_on_a_registration_with_errors_is_named_to_choose_again(client):
    event = await make_event(phase="registration")
    city = await make_question(event, QuestionKind.SHORT_TEXT, required=True, label_en="City")
    cv = await make_question(event, QuestionKind.FILE, label_en="CV")
    person = await make_user(language="en")
    await sign_in(client, person)

    token = await csrf(client)
    response = await client.post(
        f"/events/{event.slug}/register",
        data={"csrf_token": token, city.field_name: ""},
        files={cv.field_name: ("cv.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 422
    match = re.search(rf'data-testid="choose-again-{cv.field_name}">(.*?)</p>', response.text, re.S)
    assert match
    assert text_of(match[1]) == (
        "The form has errors, so this file was not kept: choose it again before you save. cv.pdf"
    )
    assert await StoredFile.all().count() == 0
