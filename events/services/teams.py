"""Team use cases: create, invite, join (by link or code), leave, remove, hand over, withdraw.

The size limit holds under concurrency: a seat is taken by a conditional UPDATE of the team's
member counter (`member_count < team_max`), which one writer at a time can pass; the unique
(event, user) constraint on TeamMember keeps one team per person per event.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from accounts import tokens
from accounts.models import Someone, User
from core.clock import now
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.i18n import gettext as _
from core.i18n import ngettext
from core.links import Links
from core.mail import outbox
from events import phases
from events.enums import InvitationState, SubmissionState, TeamState
from events.models import Event, Submission, Team, TeamInvitation, TeamMember, Track, of_event
from events.rules import TeamAccess
from events.services.editions import PhaseClosed, event_title
from events.services.registration import ensure_registered

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread
CODE_LENGTH = 8
INVITATION_DAYS = 7
INVITATION_MAX_AGE = INVITATION_DAYS * 24 * 3600
LINK_PURPOSE = "events.invitation"


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def require_teams_open(event: Event, when: dt.datetime) -> None:
    t = event.timeline
    if when < t.registration_opens:
        raise PhaseClosed(_("Teams can be formed once registration opens."))
    if not phases.teams_open(t, when):
        raise PhaseClosed(_("Teams can no longer change: submissions have closed."))


async def access(event: Event, team: Team) -> TeamAccess:
    """The team with its member ids, for the permission rules."""
    ids = await TeamMember.filter(team_id=team.id).values_list("user_id", flat=True)
    return TeamAccess(event=event, team=team, member_ids=frozenset(ids))


async def team_of(event: Event, user: Someone | None) -> Team | None:
    if user is None:
        return None
    member = await of_event(TeamMember, event).get_or_none(user_id=user.id).select_related("team")
    return member.team if member else None


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _name_taken() -> Invalid:
    return Invalid({"name": _("Another team in this event already has this name.")})


async def create_team(user: Someone, event: Event, *, name: str, track: Track | None) -> Team:
    """A new team with `user` as its captain and only member."""
    require_teams_open(event, now())
    key = _name_key(name)
    if await of_event(TeamMember, event).filter(user_id=user.id).exists():
        raise Conflict(_("You are already in a team in this event."))
    if await of_event(Team, event).filter(name_key=key).exists():
        raise _name_taken()
    try:
        async with in_transaction():
            await ensure_registered(user, event)
            team = await Team.create(
                event=event,
                name=name,
                name_key=key,
                track=track,
                captain_id=user.id,
                join_code=new_join_code(),
                member_count=1,
            )
            await TeamMember.create(event=event, team=team, user_id=user.id)
    except IntegrityError as exc:
        if await of_event(TeamMember, event).filter(user_id=user.id).exists():
            raise Conflict(_("You are already in a team in this event.")) from exc
        raise _name_taken() from exc
    return team


async def _take_seat(event: Event, team: Team, user: Someone) -> None:
    """Inside a transaction: one more member, if a seat is free and the person has no team."""
    taken = await Team.filter(
        id=team.id, state=TeamState.ACTIVE, member_count__lt=event.team_max
    ).update(member_count=F("member_count") + 1)
    if not taken:
        raise Conflict(
            ngettext(
                "This team is full (%(num)s member).",
                "This team is full (%(num)s members).",
                event.team_max,
            )
        )
    try:
        await TeamMember.create(event=event, team=team, user_id=user.id)
    except IntegrityError as exc:
        raise Conflict(_("You are already in a team in this event.")) from exc


async def _join(user: Someone, event: Event, team: Team) -> None:
    require_teams_open(event, now())
    if not team.active:
        raise Conflict(_("This team has withdrawn from the event."))
    if await of_event(TeamMember, event).filter(user_id=user.id).exists():
        raise Conflict(_("You are already in a team in this event."))
    await ensure_registered(user, event)
    await _take_seat(event, team, user)


async def join_by_code(user: Someone, event: Event, code: str) -> Team:
    team = await of_event(Team, event).get_or_none(join_code=code)
    if team is None:
        raise Invalid({"code": _("No team in this event has this join code.")})
    async with in_transaction():
        await _join(user, event, team)
    return team


# --- invitations ---------------------------------------------------------------------------


def invitation_link(secret: str, links: Links, event: Event, invitation: TeamInvitation) -> str:
    return invitation_url(secret, links, event.slug, invitation.id, invitation.token)


def invitation_url(secret: str, links: Links, slug: str, invitation_id: int, nonce: str) -> str:
    """The signed link to an invitation of the event with this slug (its id and nonce)."""
    token = tokens.make(secret, LINK_PURPOSE, {"i": invitation_id, "n": nonce})
    return links.url("events:invitation", slug=slug, token=token)


async def invite(
    secret: str, links: Links, captain: Someone, team_access: TeamAccess, email: str
) -> TeamInvitation:
    """Mail a signed, expiring link that lets its holder join the team."""
    event, team = team_access.event, team_access.team
    require_teams_open(event, now())
    if team.member_count >= event.team_max:
        raise Invalid({"email": _("The team is full: nobody else can join.")})
    members = await User.filter(id__in=list(team_access.member_ids)).values_list("email", flat=True)
    if email in members:
        raise Invalid({"email": _("This person is already in your team.")})
    invitee = await User.get_or_none(email=email)
    language = invitee.language if invitee else captain.language
    async with in_transaction():
        await (
            of_event(TeamInvitation, event)
            .filter(team_id=team.id, email=email, state=InvitationState.PENDING)
            .update(state=InvitationState.REVOKED, answered_at=now())
        )
        invitation = await TeamInvitation.create(
            event=event,
            team=team,
            email=email,
            token=secrets.token_hex(16),
            invited_by_id=captain.id,
            expires_at=now() + dt.timedelta(days=INVITATION_DAYS),
        )
        await outbox.queue(
            email,
            "events/team_invitation",
            language,
            inviter=captain.display_name,
            team_name=team.name,
            event_title=event_title(event, invitee or captain),
            url=invitation_link(secret, links, event, invitation),
            days=INVITATION_DAYS,
            code=team.join_code,
        )
    outbox.wake()
    return invitation


async def invitation_for(secret: str, event: Event, token: str) -> TeamInvitation | None:
    """The invitation a link stands for, or None if forged, expired or for another event."""
    data = tokens.read(secret, LINK_PURPOSE, token, INVITATION_MAX_AGE)
    if not data:
        return None
    invitation = (
        await of_event(TeamInvitation, event)
        .get_or_none(id=data.get("i"), token=str(data.get("n", "")))
        .select_related("team", "invited_by")
    )
    return invitation


def _require_usable(invitation: TeamInvitation) -> None:
    if invitation.state == InvitationState.ACCEPTED:
        raise Conflict(_("This invitation has already been used."))
    if invitation.state != InvitationState.PENDING:
        raise Conflict(_("This invitation was withdrawn or declined."))
    if not invitation.usable(now()):
        raise Conflict(_("This invitation has expired. Ask the team captain for a new one."))


def _require_invitee(user: Someone, invitation: TeamInvitation) -> None:
    """A link is bound to the address it was sent to; the join code is the open way in."""
    if user.email.lower() != invitation.email.lower():
        raise Forbidden(
            _(
                "This invitation was sent to another e-mail address. Sign in with that address "
                "to answer it, or ask the captain for the team's join code."
            )
        )


async def accept(user: Someone, event: Event, invitation: TeamInvitation) -> Team:
    _require_invitee(user, invitation)
    _require_usable(invitation)
    async with in_transaction():
        await _join(user, event, invitation.team)
        answered = await TeamInvitation.filter(
            id=invitation.id, state=InvitationState.PENDING
        ).update(state=InvitationState.ACCEPTED, answered_at=now())
        if not answered:
            raise Conflict(_("This invitation has already been used."))
    return invitation.team


async def decline(user: Someone, event: Event, invitation: TeamInvitation) -> None:
    _require_invitee(user, invitation)
    _require_usable(invitation)
    await TeamInvitation.filter(id=invitation.id, state=InvitationState.PENDING).update(
        state=InvitationState.DECLINED, answered_at=now()
    )


async def revoke(captain: Someone, team_access: TeamAccess, invitation_id: int) -> None:
    updated = (
        await of_event(TeamInvitation, team_access.event)
        .filter(id=invitation_id, team_id=team_access.team.id, state=InvitationState.PENDING)
        .update(state=InvitationState.REVOKED, answered_at=now())
    )
    if not updated:
        raise NotFound(_("This invitation does not exist or was already answered."))


async def pending_for(event: Event, email: str) -> list[TeamInvitation]:
    return list(
        await of_event(TeamInvitation, event)
        .filter(email=email, state=InvitationState.PENDING, expires_at__gt=now())
        .select_related("team")
    )


async def pending_of_team(event: Event, team: Team) -> list[TeamInvitation]:
    return list(
        await of_event(TeamInvitation, event)
        .filter(team_id=team.id, state=InvitationState.PENDING, expires_at__gt=now())
        .order_by("-created_at")
    )


# --- membership changes --------------------------------------------------------------------


async def _release(event: Event, team: Team, user_id: int) -> None:
    """Inside a transaction: one member out, the counter down."""
    deleted = await of_event(TeamMember, event).filter(team_id=team.id, user_id=user_id).delete()
    if not deleted:
        raise NotFound(_("This person is not in the team."))
    await Team.filter(id=team.id).update(member_count=F("member_count") - 1)


async def remove_member(captain: Someone, team_access: TeamAccess, user_id: int) -> None:
    require_teams_open(team_access.event, now())
    if user_id == captain.id:
        raise Conflict(_("You cannot remove yourself: hand over captaincy, then leave."))
    if user_id not in team_access.member_ids:
        raise NotFound(_("This person is not in the team."))
    async with in_transaction():
        await _release(team_access.event, team_access.team, user_id)


async def leave(user: Someone, team_access: TeamAccess) -> None:
    require_teams_open(team_access.event, now())
    team = team_access.team
    if team.captain_id == user.id:
        if len(team_access.member_ids) > 1:
            raise Conflict(_("Hand over captaincy to another member before you leave."))
        raise Conflict(_("You are the only member: withdraw the team instead."))
    async with in_transaction():
        await _release(team_access.event, team, user.id)


async def hand_over(captain: Someone, team_access: TeamAccess, user_id: int) -> None:
    require_teams_open(team_access.event, now())
    if user_id == captain.id or user_id not in team_access.member_ids:
        raise Invalid({"captain": _("Choose another member of the team.")})
    await Team.filter(id=team_access.team.id, captain_id=captain.id, state=TeamState.ACTIVE).update(
        captain_id=user_id
    )


async def new_code(captain: Someone, team_access: TeamAccess) -> str:
    require_teams_open(team_access.event, now())
    code = new_join_code()
    await Team.filter(id=team_access.team.id).update(join_code=code)
    return code


async def withdraw(captain: Someone, team_access: TeamAccess) -> None:
    """The team leaves the event: its submission is withdrawn, pending invitations lapse and
    its members are free to join or form another team."""
    event, team = team_access.event, team_access.team
    require_teams_open(event, now())
    former = [{"email": m.user.email, "name": m.user.display_name} for m in await members(team)]
    async with in_transaction():
        changed = await Team.filter(id=team.id, state=TeamState.ACTIVE).update(
            state=TeamState.WITHDRAWN, withdrawn_at=now(), member_count=0, former_members=former
        )
        if not changed:
            raise Conflict(_("This team has already withdrawn."))
        await of_event(TeamMember, event).filter(team_id=team.id).delete()
        await (
            of_event(TeamInvitation, event)
            .filter(team_id=team.id, state=InvitationState.PENDING)
            .update(state=InvitationState.REVOKED, answered_at=now())
        )
        await (
            of_event(Submission, event)
            .filter(team_id=team.id)
            .update(state=SubmissionState.WITHDRAWN)
        )


async def members(team: Team) -> list[Any]:
    """The members with their accounts, in joining order."""
    return list(
        await TeamMember.filter(team_id=team.id).select_related("user").order_by("joined_at", "id")
    )
