"""Account use cases: each owns its transaction, queues its mail, and wakes the mail worker
only after commit."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts import passwords, throttle, tokens
from accounts.enums import Role, ScopeType
from accounts.models import EndedSession, Membership, Someone, User
from core import audit, ratelimit
from core.clock import now
from core.errors import DomainError, Invalid
from core.i18n import gettext as _
from core.i18n import use_locale
from core.links import Links as SiteLinks
from core.mail import outbox
from core.settings import Settings

PROFILE_FIELDS = ("name_ar", "name_en", "organization", "job_title", "phone", "language")


VERIFY_MAILS_PER_HOUR = 3  # per account: sign-up plus two more links
RESET_MAILS_PER_HOUR = 5  # per account, silently: nobody can flood someone's inbox


class SignInFailed(DomainError):
    status_code = 422


class NotVerified(DomainError):
    status_code = 403


@dataclass(frozen=True)
class Links(SiteLinks):
    """Links for account mails, built from the route names."""

    next: str = ""  # a local path to land on after verifying (an invitation, say)

    def verify_url(self, token: str) -> str:
        url = self.url("accounts:verify", token=token)
        return f"{url}?{urlencode({'next': self.next})}" if self.next else url

    def reset_url(self, token: str) -> str:
        return self.url("accounts:reset", token=token)

    def login_url(self) -> str:
        return self.url("accounts:login")


async def _limit(bucket: str, key: str, limit: int, window: int) -> None:
    await throttle.take(bucket, key, limit, window)


async def _quota_left(bucket: str, key: str, limit: int, window: int = 3600) -> bool:
    """Count one use of a silent quota; False (and nothing counted) when it is used up."""
    return await ratelimit.try_take(bucket, key, limit, window) is not None


def _mail_name(user: Someone) -> str:
    """The name to greet a user with, in the language their mail is written in."""
    with use_locale(user.language):
        return user.display_name


def _name_fields(name: str) -> dict[str, str]:
    """A name typed in Arabic letters is the Arabic name; otherwise the English one."""
    arabic = any(unicodedata.name(ch, "").startswith("ARABIC") for ch in name)
    return {"name_ar": name} if arabic else {"name_en": name}


async def sign_up(
    settings: Settings,
    links: Links,
    *,
    email: str,
    password: str,
    name: str,
    language: str,
    address: str,
) -> None:
    """Create an unverified account and mail a verification link. An e-mail already registered
    gets a different mail, and the caller sees the same answer either way."""
    await _limit("signup", address, settings.security_form_max_per_hour, 3600)
    hashed = await passwords.hashed(password, settings.security_argon2_profile)
    try:
        async with in_transaction():
            user = await User.create(
                email=email, password_hash=hashed, language=language, **_name_fields(name)
            )
            await _quota_left("verify-mail", email, VERIFY_MAILS_PER_HOUR)
            await _queue_verification(settings, links, user)
    except IntegrityError:
        existing = await User.get(email=email)
        if await _quota_left("signup-existing", email, VERIFY_MAILS_PER_HOUR):
            await outbox.queue(
                existing.email,
                "accounts/already_registered",
                existing.language,
                name=_mail_name(existing),
                login_url=links.login_url(),
            )
    outbox.wake()


async def _queue_verification(settings: Settings, links: Links, user: User) -> None:
    token = tokens.make(settings.secret_key, "verify", {"u": user.id, "e": user.email})
    await outbox.queue(
        user.email,
        "accounts/verify_email",
        user.language,
        name=_mail_name(user),
        url=links.verify_url(token),
        hours=tokens.VERIFY_MAX_AGE // 3600,
    )


async def _send_verification(settings: Settings, links: Links, user: User) -> bool:
    """Mail a new verification link unless this account had enough of them this hour."""
    if not await _quota_left("verify-mail", user.email, VERIFY_MAILS_PER_HOUR):
        return False
    await _queue_verification(settings, links, user)
    outbox.wake()
    return True


async def resend_verification(
    settings: Settings, links: Links, *, email: str, address: str
) -> None:
    """Mail a new link to an unverified account; the answer is the same for any address."""
    await _limit("resend", address, settings.security_form_max_per_hour, 3600)
    user = await User.get_or_none(email=email, is_active=True)
    if user is not None and not user.verified:
        await _send_verification(settings, links, user)


async def verify_email(settings: Settings, token: str) -> User:
    data = tokens.read(settings.secret_key, "verify", token, tokens.VERIFY_MAX_AGE)
    user = await User.get_or_none(id=data["u"], email=data["e"]) if data else None
    if user is None:
        raise Invalid(
            {}, _("This verification link is invalid or has expired. Sign in to get a new one.")
        )
    if not user.verified:
        user.email_verified_at = now()
        await user.save(update_fields=["email_verified_at"])
    return user


async def authenticate(
    settings: Settings, links: Links, *, email: str, password: str, address: str
) -> User:
    """The user for these credentials. Failures are counted as `throttle` says; an unknown
    e-mail and a wrong password fail alike (same message, same work)."""
    s = settings
    attempt = await throttle.sign_in_attempt(s, email=email, address=address)
    user = await User.get_or_none(email=email, is_active=True)
    stored = user.password_hash if user else passwords.dummy_hash(s.security_argon2_profile)
    if not await passwords.verified(stored, password, s.security_argon2_profile) or not user:
        raise SignInFailed(_("The e-mail address or password is not correct."))
    await attempt.succeeded()
    if not user.verified:
        await _refuse_unverified(settings, links, user)
    user.last_login_at = now()
    await user.save(update_fields=["last_login_at"])
    return user


async def _refuse_unverified(settings: Settings, links: Links, user: User) -> None:
    if await _send_verification(settings, links, user):
        raise NotVerified(
            _("Please confirm your e-mail address first. We have sent you a new confirmation link.")
        )
    raise NotVerified(
        _(
            "Please confirm your e-mail address first with the link we sent you "
            "a short while ago. Look for it in your inbox and your spam folder."
        )
    )


async def request_password_reset(
    settings: Settings, links: Links, *, email: str, address: str
) -> Callable[[], Awaitable[None]]:
    """Count the request against its address, and give the work to run after the answer is
    sent: mail a single-use reset link if the account exists. An existing and an unknown
    address get the same answer after the same work, so its timing tells nothing."""
    await _limit("reset", address, settings.security_form_max_per_hour, 3600)
    return functools.partial(_mail_reset_link, settings, links, email)


async def _mail_reset_link(settings: Settings, links: Links, email: str) -> None:
    user = await User.get_or_none(email=email, is_active=True)
    if user is None or not await _quota_left("reset-mail", email, RESET_MAILS_PER_HOUR):
        return
    fingerprint = tokens.password_fingerprint(settings.secret_key, user.password_hash)
    token = tokens.make(settings.secret_key, "reset", {"u": user.id, "h": fingerprint})
    await outbox.queue(
        user.email,
        "accounts/reset_password",
        user.language,
        name=_mail_name(user),
        url=links.reset_url(token),
        minutes=tokens.RESET_MAX_AGE // 60,
    )
    outbox.wake()


async def user_for_reset(settings: Settings, token: str) -> User | None:
    """The account a reset link is for, while the link is unexpired and unused."""
    data = tokens.read(settings.secret_key, "reset", token, tokens.RESET_MAX_AGE)
    user = await User.get_or_none(id=data["u"], is_active=True) if data else None
    if user is None or data is None:
        return None
    if tokens.password_fingerprint(settings.secret_key, user.password_hash) != data.get("h"):
        return None  # the password changed since: the link was used
    return user


async def reset_password(settings: Settings, token: str, password: str) -> User:
    user = await user_for_reset(settings, token)
    if user is None:
        raise Invalid(
            {}, _("This reset link is invalid, expired or already used. Ask for a new one.")
        )
    if not user.verified:  # the link came to this mailbox, which proves the address
        user.email_verified_at = now()
    await _set_password(settings, user, password, "accounts.reset_password")
    return user


async def change_password(settings: Settings, person: Someone, *, current: str, new: str) -> User:
    """Check the current password (counted like sign-in failures), then set the new one: the
    saved user (its new session_version keeps this session signed in)."""
    s = settings
    window = s.security_login_window_seconds
    limit = s.security_login_max_failures_account
    ticket = await throttle.take("password-check", person.email, limit, window)
    user = await User.get(id=person.id)
    if not await passwords.verified(user.password_hash, current, s.security_argon2_profile):
        raise Invalid({"current_password": _("Your current password is not correct.")})
    await ratelimit.refund(ticket)
    if await passwords.verified(user.password_hash, new, s.security_argon2_profile):
        raise Invalid({"password": _("Choose a password different from the current one.")})
    await _set_password(settings, user, new, "accounts.change_password")
    return user


async def _set_password(settings: Settings, user: User, password: str, action: str) -> None:
    """Store the new password, sign out every other session, record it and tell the owner."""
    hashed = await passwords.hashed(password, settings.security_argon2_profile)
    async with in_transaction():
        user.password_hash = hashed
        user.session_version += 1
        await user.save(update_fields=["password_hash", "session_version", "email_verified_at"])
        await audit.record(user, action, user)
        await outbox.queue(
            user.email, "accounts/password_changed", user.language, name=_mail_name(user)
        )
    outbox.wake()


async def update_profile(person: Someone, values: dict[str, Any]) -> User:
    """The saved user, with these values (the person given is not changed)."""
    user = await User.get(id=person.id)
    for name in PROFILE_FIELDS:
        setattr(user, name, values[name])
    await user.save(update_fields=list(PROFILE_FIELDS))
    return user


async def end_session(settings: Settings, user: Someone, sid: str) -> None:
    """Sign out for good: this session's cookie, and any copy of it, no longer signs anyone
    in. Ended sessions are forgotten once their cookies would have expired anyway."""
    await EndedSession.filter(
        ended_at__lt=now() - dt.timedelta(seconds=settings.security_session_max_age)
    ).delete()
    with contextlib.suppress(IntegrityError):  # ended twice (two tabs signing out)
        await EndedSession.create(sid=sid, user_id=user.id, ended_at=now())


async def save_language(user: Someone, language: str) -> None:
    """Keep the language chosen in the profile: the next request reads it."""
    await User.filter(id=user.id).update(language=language)


async def create_admin(settings: Settings, *, email: str, password: str, name: str = "") -> User:
    """Create (or promote) a verified site admin."""
    hashed = await passwords.hashed(password, settings.security_argon2_profile)
    async with in_transaction():
        user = await User.get_or_none(email=email)
        if user is None:
            user = await User.create(
                email=email,
                password_hash=hashed,
                name_en=name,
                name_ar=name,
                email_verified_at=now(),
                is_admin=True,
            )
        else:
            user.is_admin, user.password_hash = True, hashed
            user.email_verified_at = user.email_verified_at or now()
            await user.save()
        await audit.record(None, "accounts.create_admin", user, after={"email": email})
    return user


async def grant_role(
    actor: Someone | None, user: Someone, scope_type: ScopeType, scope_id: int, role: Role
) -> Membership:
    membership, created = await Membership.get_or_create(
        user_id=user.id, scope_type=scope_type.value, scope_id=scope_id, role=role.value
    )
    if created:
        await audit.record(
            actor,
            "accounts.grant_role",
            membership,
            scope=(scope_type.value, scope_id),
            after={"user": user.email, "role": role.value},
        )
    return membership


async def revoke_role(
    actor: Someone | None, user: Someone, scope_type: ScopeType, scope_id: int, role: Role
) -> None:
    deleted = await Membership.filter(
        user_id=user.id, scope_type=scope_type.value, scope_id=scope_id, role=role.value
    ).delete()
    if deleted:
        await audit.record(
            actor,
            "accounts.revoke_role",
            user,
            object_type="Membership",
            scope=(scope_type.value, scope_id),
            before={"user": user.email, "role": role.value},
        )
