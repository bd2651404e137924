"""A team invitation link works only for the address it was sent to; the join code stays the
open way in (issue 13, item 6)."""

from __future__ import annotations

from events.enums import InvitationState
from events.models import TeamInvitation, TeamMember
from tests.conftest import first_link, post_form
from tests.events.factories import make_event, make_team, text_of
from tests.factories import make_user, sign_in


def local(url: str) -> str:
    return url.removeprefix("http://testserver")


async def test_another_signed_in_user_cannot_use_someone_elses_invitation(client, deliver):
    event = await make_event(phase="registration")
    captain = await make_user(language="en")
    team = await make_team(event, captain, name="Ayn")
    invitee = await make_user("omar@example.org", language="en")
    holder = await make_user("mallory@example.org", language="en")
    await sign_in(client, captain)
    await post_form(
        client, f"/events/{event.slug}/teams/{team.id}/invite", {"email": invitee.email}
    )
    (mail,) = await deliver()
    link = local(first_link(mail))

    client.cookies.clear()
    await sign_in(client, holder)
    for answer in ("accept", "decline"):
        response = await post_form(client, f"{link}/{answer}", {})
        assert response.status_code == 403
        assert (
            "This invitation was sent to another e-mail address. Sign in with that address to "
            "answer it, or ask the captain for the team's join code."
        ) in text_of(response.text)
    assert not await TeamMember.filter(team=team, user=holder).exists()
    assert (await TeamInvitation.get()).state == InvitationState.PENDING

    # the join code is still open to them
    joined = await post_form(client, f"/events/{event.slug}/join", {"code": team.join_code})
    assert joined.status_code == 303
    assert await TeamMember.filter(team=team, user=holder).exists()

    client.cookies.clear()
    await sign_in(client, invitee)  # the invitee, whatever the case of the address typed
    assert (await post_form(client, f"{link}/accept", {})).status_code == 303
    assert await TeamMember.filter(team=team, user=invitee).exists()
