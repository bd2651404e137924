"""Login throttling and the per-address limits of the account forms.

Every guarded attempt is taken from its limit before the work (`core.ratelimit.take`, atomic
under concurrency) and given back when it turns out not to count, so a burst of concurrent
requests gets exactly the limit through.

Sign-in failures are counted three ways:
- per (account, address): five wrong passwords lock this account *from this address* for
  the window; its owner signing in from another address is not locked out by them;
- per address (20 in the window, any accounts): one address cannot try many accounts;
- per account from every address (`security_login_max_failures_account_all`): a guess spread
  over many addresses. An address with no failure on this account in the window is let through
  even then (so an owner at a clean address still signs in), but only once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core import ratelimit
from core.errors import TooManyRequests
from core.i18n import ngettext
from core.settings import Settings

ACCOUNT_ADDRESS = "login-account"
ADDRESS = "login-address"
ACCOUNT_ALL = "login-account-all"


def too_many(wait: int) -> TooManyRequests:
    n = max(1, -(-wait // 60))
    return TooManyRequests(
        ngettext(
            "Too many attempts. Try again in %(num)s minute.",
            "Too many attempts. Try again in %(num)s minutes.",
            n,
        ),
        wait,
    )


async def take(bucket: str, key: str, limit: int, window: int) -> ratelimit.Ticket:
    """One attempt taken from the limit, or TooManyRequests (and nothing counted)."""
    try:
        return await ratelimit.take(bucket, key, limit, window)
    except ratelimit.Refused as refused:
        raise too_many(refused.retry_after) from None


@dataclass
class SignInAttempt:
    """The attempts a password check took; kept when it fails, given back when it succeeds."""

    email: str
    address: str
    tickets: list[ratelimit.Ticket] = field(default_factory=list)

    async def succeeded(self) -> None:
        for ticket in self.tickets:
            if ticket.bucket == ACCOUNT_ADDRESS:
                await ratelimit.clear(ticket.bucket, ticket.key)
            else:
                await ratelimit.refund(ticket)

    async def refund(self) -> None:
        for ticket in self.tickets:
            await ratelimit.refund(ticket)


def _pair(email: str, address: str) -> str:
    return f"{email} {address}"


async def sign_in_attempt(settings: Settings, *, email: str, address: str) -> SignInAttempt:
    """Take one sign-in attempt for (email, address), or raise TooManyRequests."""
    s, window = settings, settings.security_login_window_seconds
    attempt = SignInAttempt(email, address)
    try:
        attempt.tickets.append(
            await take(ADDRESS, address, s.security_login_max_failures_address, window)
        )
        pair = await take(
            ACCOUNT_ADDRESS, _pair(email, address), s.security_login_max_failures_account, window
        )
        attempt.tickets.append(pair)
        limit_all = s.security_login_max_failures_account_all
        if pair.count > 1:  # this address failed on this account before: the total counts
            attempt.tickets.append(await take(ACCOUNT_ALL, email, limit_all, window))
        elif taken := await ratelimit.try_take(ACCOUNT_ALL, email, limit_all, window):
            attempt.tickets.append(taken)
    except TooManyRequests:
        await attempt.refund()
        raise
    return attempt
