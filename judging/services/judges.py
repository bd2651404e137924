"""Judges of a scope: invitations by e-mail, answers, and the seats of a user."""

from __future__ import annotations

import hashlib
import secrets

from tortoise.transactions import in_transaction

from accounts import services as accounts_services
from accounts.enums import Role, ScopeType
from accounts.models import Someone, User
from core import audit
from core.clock import now
from core.errors import Conflict as ConflictError
from core.errors import Forbidden, NotFound
from core.i18n import gettext as _
from core.links import Links
from core.mail import outbox
from judging.enums import JudgeState
from judging.models import Judge
from judging.services.common import in_scope, scope_of
from judging.services.conflicts import detect_conflicts
from judging.sources import ScopeInfo


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def judges_of(scope_type: str, scope_id: int) -> list[Judge]:
    """The scope's judges, each with their user (for `Judge.label`)."""
    return (
        await Judge.filter(scope_type=scope_type, scope_id=scope_id)
        .select_related("user")
        .order_by("id")
    )


async def accepted_judges(scope_type: str, scope_id: int) -> list[Judge]:
    return (
        await Judge.filter(scope_type=scope_type, scope_id=scope_id, state=JudgeState.ACCEPTED)
        .select_related("user")
        .order_by("id")
    )


async def judge_in_scope(scope_type: str, scope_id: int, judge_id: int) -> Judge:
    judge = await in_scope(Judge, scope_type, scope_id, judge_id, _("This judge does not exist."))
    await judge.fetch_related("user")
    return judge


async def invite_judge(
    actor: Someone,
    scope: ScopeInfo,
    links: Links,
    *,
    email: str,
    name: str = "",
    language: str = "ar",
    group_key: str = "",
) -> Judge:
    """Invite someone to judge in this scope (for one group's rounds, or for every round with
    ``group_key`` ""); inviting again sends a fresh link."""
    email = email.strip().lower()
    user = await User.get_or_none(email=email)
    language = user.language if user else language
    token = secrets.token_urlsafe(32)
    async with in_transaction():
        judge = await _invited_seat(scope, email, name, language, _token_hash(token), group_key)
        await outbox.queue(
            email,
            "judging/invitation",
            language,
            scope=scope,
            name=name or (user.display_name if user else ""),
            url=links.url("judging:invitation", token=token),
        )
        await audit.record(
            actor,
            "judging.judge_invited",
            judge,
            scope=scope_of(judge),
            after={"email": email, **({"group": group_key} if group_key else {})},
        )
    outbox.wake()
    return judge


async def _invited_seat(
    scope: ScopeInfo, email: str, name: str, language: str, token_hash: str, group_key: str = ""
) -> Judge:
    """A new seat, or the existing one invited again with a fresh token."""
    judge = await Judge.get_or_none(
        scope_type=scope.scope_type, scope_id=scope.scope_id, email=email
    )
    if judge is not None and judge.state == JudgeState.ACCEPTED:
        raise ConflictError(_("%(email)s is already a judge here.", email=email))
    if judge is None:
        return await Judge.create(
            scope_type=scope.scope_type,
            scope_id=scope.scope_id,
            email=email,
            name=name,
            language=language,
            token_hash=token_hash,
            group_key=group_key,
        )
    judge.state, judge.token_hash, judge.language = JudgeState.INVITED, token_hash, language
    judge.name = name or judge.name
    judge.group_key = group_key
    await judge.save()
    return judge


async def judge_for_token(token: str) -> Judge:
    judge = await Judge.get_or_none(token_hash=_token_hash(token))
    if judge is None:
        raise NotFound(_("This invitation link is not valid. Ask the organizer for a new one."))
    return judge


async def answer_invitation(user: Someone, judge: Judge, *, accept: bool) -> Judge:
    """Accept (which grants the judge role in the scope) or decline an invitation."""
    if user.email.lower() != judge.email.lower():
        raise Forbidden(
            _(
                "This invitation was sent to %(email)s. Sign in with that address to answer it.",
                email=judge.email,
            )
        )
    if judge.state != JudgeState.INVITED:
        raise ConflictError(_("This invitation has already been answered."))
    async with in_transaction():
        judge.state = JudgeState.ACCEPTED if accept else JudgeState.DECLINED
        judge.user_id = user.id
        judge.responded_at = now()
        await judge.save(update_fields=["state", "user_id", "responded_at"])
        if accept:
            await accounts_services.grant_role(
                user, user, ScopeType(judge.scope_type), judge.scope_id, Role.JUDGE
            )
        action = "judging.invitation_accepted" if accept else "judging.invitation_declined"
        await audit.record(user, action, judge, scope=scope_of(judge), after={"state": judge.state})
    if accept:
        await detect_conflicts(None, judge.scope_type, judge.scope_id)
    return judge


async def judge_seats(user: Someone) -> list[Judge]:
    return await Judge.filter(user_id=user.id, state=JudgeState.ACCEPTED).order_by("id")


async def seat_in_scope(user: Someone, scope_type: str, scope_id: int) -> Judge:
    judge = await Judge.get_or_none(
        user_id=user.id, scope_type=scope_type, scope_id=scope_id, state=JudgeState.ACCEPTED
    )
    if judge is None:
        raise NotFound(_("You are not a judge here."))
    return judge
