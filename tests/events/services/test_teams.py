"""Teams: create, invite (also someone without an account), join by code, accept or decline,
remove, hand over, leave, withdraw; the size limit under concurrency."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from accounts.models import User
from core import clock
from core.errors import Conflict
from core.i18n import use_locale
from events.enums import InvitationState, QuestionKind, SubmissionState, TeamState
from events.models import Registration, Submission, Team, TeamInvitation, TeamMember
from events.services import teams
from tests.conftest import body, first_link, post_form
from tests.events.factories import (
    error_of,
    make_event,
    make_question,
    make_team,
    register,
    text_of,
    value_of,
)
from tests.factories import mail_links, make_user, sign_in


def local(url: str) -> str:
    return url.removeprefix("http://testserver")


async def test_a_registered_participant_creates_a_team_and_becomes_captain(client):
    event = await make_event(phase="registration")
    user = await make_user(language="en")
    await register(user, event)
    await sign_in(client, user)
    track = (await event.tracks.all().order_by("position"))[1]
    response = await post_form(
        client,
        f"/events/{event.slug}/teams/new",
        {"name": "  Fact   Finders ", "track": str(track.id)},
    )
    assert response.status_code == 303
    team = await Team.get(event=event)
    assert (team.name, team.name_key, team.track_id, team.captain_id, team.member_count) == (
        "Fact Finders",
        "fact finders",
        track.id,
        user.id,
        1,
    )
    assert len(team.join_code) == 8
    page = await client.get(local(response.headers["location"]))
    text = text_of(page.text)
    assert "Your team Fact Finders is ready. Invite your teammates." in text
    assert "Fact Finders" in text and "Captain" in text and team.join_code in text
    again = await client.get(f"/events/{event.slug}/teams/new")
    assert again.status_code == 303 and again.headers["location"].endswith(f"/teams/{team.id}")


async def test_team_names_are_unique_in_the_event_whatever_the_case(client):
    event = await make_event(phase="registration")
    await make_team(event, await make_user(), name="Fact Finders")
    other_event = await make_event(phase="registration")
    await make_team(other_event, await make_user(), name="Solo")
    user = await make_user(language="en")
    await register(user, event)
    await sign_in(client, user)
    track = await event.tracks.all().first()
    response = await post_form(
        client, f"/events/{event.slug}/teams/new", {"name": "FACT finders", "track": str(track.id)}
    )
    assert response.status_code == 422
    assert error_of(response.text, "name") == "Another team in this event already has this name."
    assert value_of(response.text, "name") == "FACT finders"
    response = await post_form(
        client, f"/events/{event.slug}/teams/new", {"name": "Solo", "track": ""}
    )
    assert error_of(response.text, "track") == "Choose one of the options."
    response = await post_form(
        client, f"/events/{event.slug}/teams/new", {"name": "Solo", "track": str(track.id)}
    )
    assert response.status_code == 303  # the same name in another event is fine


async def test_joining_by_code(client):
    event = await make_event(phase="registration", team_max=2)
    captain = await make_user()
    team = await make_team(event, captain, name="Ayn")
    joiner = await make_user(language="en")
    await sign_in(client, joiner)
    response = await post_form(client, f"/events/{event.slug}/join", {"code": "no!"})
    assert error_of(response.text, "code") == "A join code has 8 letters and digits, like K7M2QX9P."
    response = await post_form(client, f"/events/{event.slug}/join", {"code": "ABCDEFGH"})
    assert error_of(response.text, "code") == "No team in this event has this join code."
    code = team.join_code.lower()
    response = await post_form(
        client, f"/events/{event.slug}/join", {"code": f"{code[:4]}-{code[4:]}"}
    )
    assert response.status_code == 303
    # no required registration question: joining registers too
    assert await Registration.filter(event=event, user=joiner).exists()
    await team.refresh_from_db()
    assert team.member_count == 2
    late = await make_user(language="en")
    client.cookies.clear()
    await sign_in(client, late)
    response = await post_form(client, f"/events/{event.slug}/join", {"code": team.join_code})
    assert response.status_code == 409
    assert "This team is full (2 members)." in text_of(response.text)


async def test_an_invited_member_accepts_from_the_mail(client, deliver):
    event = await make_event(phase="registration")
    captain = await make_user(language="en", name_en="Reem")
    team = await make_team(event, captain, name="Ayn")
    invitee = await make_user("omar@example.org", language="en")
    await sign_in(client, captain)
    response = await post_form(
        client, f"/events/{event.slug}/teams/{team.id}/invite", {"email": "Omar@Example.org"}
    )
    assert response.status_code == 303
    page = await client.get(f"/events/{event.slug}/teams/{team.id}")
    assert "An invitation is on its way to omar@example.org." in text_of(page.text)
    (mail,) = await deliver()
    assert mail["To"] == "omar@example.org"
    assert mail["Subject"] == "Reem invites you to the team Ayn"
    assert f"You can also join with the team's code: {team.join_code}" in body(mail)
    link = local(first_link(mail))
    assert link.startswith(f"/events/{event.slug}/invitations/")
    client.cookies.clear()
    landing = await client.get(link)
    assert "سجّل الدخول لقبول الدعوة" in text_of(landing.text)  # Arabic by default
    await sign_in(client, invitee)
    landing = await client.get(link)
    assert "Reem invites you to join the team “Ayn”" in text_of(landing.text)
    response = await post_form(client, f"{link}/accept", {})
    assert response.status_code == 303 and response.headers["location"].endswith(
        f"/teams/{team.id}"
    )
    assert await TeamMember.filter(team=team, user=invitee).exists()
    assert (await TeamInvitation.get()).state == InvitationState.ACCEPTED
    again = await post_form(client, f"{link}/accept", {})
    assert again.status_code == 409
    assert "This invitation has already been used." in text_of(again.text)


async def test_a_newcomer_signs_up_and_lands_in_the_team(client, deliver):
    event = await make_event(phase="registration")
    captain = await make_user(language="en", name_en="Reem")
    team = await make_team(event, captain, name="Ayn")
    await sign_in(client, captain)
    await post_form(
        client, f"/events/{event.slug}/teams/{team.id}/invite", {"email": "newcomer@example.org"}
    )
    invitation = local(first_link((await deliver())[0]))
    client.cookies.clear()
    landing = await client.get(invitation)
    assert f'href="http://testserver/login?next={invitation}"' in landing.text
    await post_form(
        client,
        "/signup",
        {
            "name": "Newcomer",
            "email": "newcomer@example.org",
            "password": "a long pass phrase 42",
            "password_confirm": "a long pass phrase 42",
            "language": "en",
        },
        page="/signup",
    )
    verify = [m for m in await deliver() if m["To"] == "newcomer@example.org"][-1]
    await client.get(local(first_link(verify)))
    response = await post_form(
        client,
        "/login",
        {"email": "newcomer@example.org", "password": "a long pass phrase 42", "next": invitation},
    )
    assert response.headers["location"] == invitation
    response = await post_form(client, f"{invitation}/accept", {})
    assert response.status_code == 303
    newcomer = await User.get(email="newcomer@example.org")
    assert await TeamMember.filter(team=team, user=newcomer).exists()
    assert await Registration.filter(event=event, user=newcomer).exists()


async def test_required_registration_questions_come_first(client, deliver):
    event = await make_event(phase="registration")
    question = await make_question(event, QuestionKind.SHORT_TEXT, required=True)
    team = await make_team(event, await make_user(), name="Ayn")
    invitee = await make_user(language="en")
    invitation = await TeamInvitation.create(
        event=event,
        team=team,
        email=invitee.email,
        token="n" * 32,
        expires_at=clock.now() + dt.timedelta(days=7),
    )

    link = local(teams.invitation_link("test-secret-key", mail_links(), event, invitation))
    await sign_in(client, invitee)
    response = await post_form(client, f"{link}/accept", {})
    assert response.status_code == 303
    target = response.headers["location"]
    accepting = f"{link}/accept"
    assert target == (
        f"http://testserver/events/{event.slug}/register?next={accepting.replace('/', '%2F')}"
    )
    # registering finishes the "accept" already pressed: no second click (issue 11, item 6)
    response = await post_form(
        client, local(target).split("?")[0], {question.field_name: "Design", "next": accepting}
    )
    assert local(response.headers["location"]) == f"/events/{event.slug}/teams/{team.id}"
    assert await TeamMember.filter(team=team, user=invitee).exists()


async def test_declined_expired_revoked_and_forged_invitations(client, deliver):
    event = await make_event(phase="registration")
    captain = await make_user(language="en")
    team = await make_team(event, captain)
    await sign_in(client, captain)
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        await post_form(client, f"/events/{event.slug}/teams/{team.id}/invite", {"email": email})
    links = {m["To"]: local(first_link(m)) for m in await deliver()}
    revoked = await TeamInvitation.get(email="c@example.org")
    await post_form(
        client, f"/events/{event.slug}/teams/{team.id}/revoke", {"invitation": str(revoked.id)}
    )
    client.cookies.clear()
    await sign_in(client, await make_user("a@example.org", language="en"))
    await post_form(client, f"{links['a@example.org']}/decline", {})
    assert (await TeamInvitation.get(email="a@example.org")).state == InvitationState.DECLINED
    page = await client.get(links["c@example.org"])
    assert "This invitation can no longer be used." in text_of(page.text)
    forged = links["b@example.org"][:-3] + "xyz"
    assert (await client.get(forged)).status_code == 404
    clock.travel(dt.timedelta(days=8))
    response = await client.get(links["b@example.org"])
    assert response.status_code == 404  # the signature itself has expired
    assert "This invitation link is not valid or has expired." in text_of(response.text)
    assert await TeamMember.filter(team=team).count() == 1


async def test_invitation_refusals_keep_the_typed_address(client):
    event = await make_event(phase="registration", team_max=2)
    captain = await make_user(language="en")
    member = await make_user("member@example.org")
    team = await make_team(event, captain, member)
    await sign_in(client, captain)
    response = await post_form(
        client, f"/events/{event.slug}/teams/{team.id}/invite", {"email": "not-an-address"}
    )
    assert response.status_code == 422
    assert error_of(response.text, "email") == (
        "Enter a valid e-mail address, like name@example.com."
    )
    response = await post_form(
        client, f"/events/{event.slug}/teams/{team.id}/invite", {"email": "x@example.org"}
    )
    assert error_of(response.text, "email") == "The team is full: nobody else can join."
    assert value_of(response.text, "email") == "x@example.org"


async def test_the_captain_removes_a_member_and_hands_over(client):
    event = await make_event(phase="registration")
    captain = await make_user(language="en")
    a, b = await make_user(language="en"), await make_user(language="en")
    team = await make_team(event, captain, a, b)
    await sign_in(client, captain)
    base = f"/events/{event.slug}/teams/{team.id}"
    await post_form(client, f"{base}/remove", {"member": str(a.id)})
    await team.refresh_from_db()
    assert team.member_count == 2
    assert not await TeamMember.filter(user=a).exists()
    response = await post_form(client, f"{base}/remove", {"member": str(captain.id)})
    assert "You cannot remove yourself: hand over captaincy, then leave." in text_of(response.text)
    response = await post_form(client, f"{base}/leave", {})
    assert "Hand over captaincy to another member before you leave." in text_of(response.text)
    await post_form(client, f"{base}/captain", {"member": str(b.id)})
    await team.refresh_from_db()
    assert team.captain_id == b.id
    response = await post_form(client, f"{base}/leave", {})
    assert response.status_code == 303
    assert not await TeamMember.filter(user=captain).exists()
    client.cookies.clear()
    await sign_in(client, a)  # removed: the team is no longer theirs to see
    assert (await client.get(base)).status_code == 404


async def test_members_cannot_do_what_captains_do(client):
    event = await make_event(phase="registration")
    captain, member = await make_user(), await make_user(language="en")
    team = await make_team(event, captain, member)
    await sign_in(client, member)
    base = f"/events/{event.slug}/teams/{team.id}"
    for action, data in (
        ("remove", {"member": str(captain.id)}),
        ("withdraw", {}),
        ("captain", {"member": str(member.id)}),
        ("code", {}),
    ):
        response = await post_form(client, f"{base}/{action}", data)
        assert response.status_code == 403, action
    assert (await Team.get(id=team.id)).captain_id == captain.id


async def test_withdrawing_frees_the_members_and_withdraws_the_submission(client):
    event = await make_event(phase="submission")
    captain, member = await make_user(language="en"), await make_user(language="en")
    team = await make_team(event, captain, member, name="Gone")
    await Submission.create(event=event, team=team, title="Idea")
    await sign_in(client, captain)
    response = await post_form(client, f"/events/{event.slug}/teams/{team.id}/withdraw", {})
    assert response.status_code == 303
    await team.refresh_from_db()
    assert (team.state, team.member_count) == (TeamState.WITHDRAWN, 0)
    assert [m["email"] for m in team.former_members] == [captain.email, member.email]
    assert (await Submission.get(team=team)).state == SubmissionState.WITHDRAWN
    assert await TeamMember.filter(team=team).count() == 0
    response = await post_form(
        client, f"/events/{event.slug}/teams/new", {"name": "Again", "track": str(team.track_id)}
    )
    assert response.status_code == 303


async def test_teams_cannot_change_after_submissions_close(client):
    event = await make_event(phase="judging")
    captain, member = await make_user(language="en"), await make_user()
    team = await make_team(event, captain, member)
    await sign_in(client, captain)
    response = await post_form(
        client, f"/events/{event.slug}/teams/{team.id}/remove", {"member": str(member.id)}
    )
    assert response.status_code == 409
    assert "Teams can no longer change: submissions have closed." in text_of(response.text)
    assert await TeamMember.filter(team=team).count() == 2


async def test_the_last_seat_goes_to_exactly_one_of_two(db):
    event = await make_event(phase="registration", team_max=2)
    team = await make_team(event, await make_user())
    first, second = await make_user(), await make_user()

    async def attempt(user: User) -> str:
        try:
            await teams.join_by_code(user, event, team.join_code)
        except Conflict as exc:
            return exc.message
        return "joined"

    with use_locale("en"):
        results = await asyncio.gather(attempt(first), attempt(second))
    assert sorted(results) == ["This team is full (2 members).", "joined"]
    await team.refresh_from_db()
    assert team.member_count == 2 == await TeamMember.filter(team=team).count()


async def test_one_person_racing_into_two_teams_ends_in_one(db):
    event = await make_event(phase="registration")
    one = await make_team(event, await make_user())
    two = await make_team(event, await make_user())
    person = await make_user()
    await register(person, event)
    results = await asyncio.gather(
        teams.join_by_code(person, event, one.join_code),
        teams.join_by_code(person, event, two.join_code),
        return_exceptions=True,
    )
    assert sum(isinstance(r, Team) for r in results) == 1
    (refused,) = [r for r in results if not isinstance(r, Team)]
    assert isinstance(refused, Conflict)
    assert await TeamMember.filter(user=person).count() == 1
    counts = sorted(
        [(await Team.get(id=one.id)).member_count, (await Team.get(id=two.id)).member_count]
    )
    assert counts == [1, 2]


@pytest.mark.parametrize("seats", [3])
async def test_many_people_for_few_seats(db, seats):
    event = await make_event(phase="registration", team_max=seats)
    team = await make_team(event, await make_user())
    people = [await make_user() for _ in range(6)]
    results = await asyncio.gather(
        *(teams.join_by_code(p, event, team.join_code) for p in people), return_exceptions=True
    )
    assert sum(isinstance(r, Team) for r in results) == seats - 1
    await team.refresh_from_db()
    assert team.member_count == seats == await TeamMember.filter(team=team).count()
