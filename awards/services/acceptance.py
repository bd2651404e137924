"""The nominee's answer: a signed, expiring link in a mail, used once, to accept or decline.

A declined nomination leaves the race and its nominators are told. A nomination its nominee
has not accepted by the nominations deadline plus the cycle's grace period is not screened
(the screening queue takes only accepted nominations, and accepting is refused from then on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from tortoise.transactions import in_transaction

from accounts.models import Someone
from awards.enums import NominationState
from awards.models import Category, Cycle, Nomination, NominationCredit
from awards.services.common import (
    DeadlinePassed,
    LinkInvalid,
    Links,
    cycle_name,
    mail_name,
    scope,
    when,
)
from core import audit, clock
from core.clock import now
from core.i18n import gettext as _
from core.i18n import localized, use_locale
from core.mail import outbox
from core.settings import Settings

PURPOSE = "manassa.awards.acceptance"
LINK_MAX_AGE = 30 * 24 * 3600  # a link is never good for longer than this


class _ClockSigner(TimestampSigner):
    """Stamps and checks the age against core.clock, so tests can move time forward."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


class _Serializer(URLSafeTimedSerializer):
    default_signer = _ClockSigner


def make_token(settings: Settings, nomination: Nomination) -> str:
    return _Serializer(settings.secret_key, salt=PURPOSE).dumps(
        {"n": nomination.id, "k": nomination.acceptance_nonce}
    )


def _payload(settings: Settings, token: str) -> dict[str, Any]:
    try:
        data = _Serializer(settings.secret_key, salt=PURPOSE).loads(token, max_age=LINK_MAX_AGE)
    except SignatureExpired as exc:
        raise LinkInvalid(_("This link has expired.")) from exc
    except BadSignature as exc:
        raise LinkInvalid(
            _("This link is not valid. Use the link exactly as it came in the mail.")
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("n"), int):
        raise LinkInvalid(_("This link is not valid. Use the link exactly as it came in the mail."))
    return data


async def nomination_for_link(settings: Settings, token: str) -> Nomination:
    """The nomination a link is for, while its link is still unused and in time."""
    data = _payload(settings, token)
    nomination = await Nomination.get_or_none(id=data["n"]).select_related("cycle", "category")
    if nomination is None:
        raise LinkInvalid(_("This link is not valid. Use the link exactly as it came in the mail."))
    _check_usable(nomination, str(data.get("k", "")))
    return nomination


def _check_usable(nomination: Nomination, nonce: str) -> None:
    if not nomination.acceptance_nonce or nomination.acceptance_nonce != nonce:
        raise LinkInvalid(_("This link was already used."))
    if nomination.state != NominationState.AWAITING_NOMINEE:
        raise LinkInvalid(_("This link was already used."))
    cycle = nomination.cycle
    if now() >= cycle.acceptance_deadline:
        raise DeadlinePassed(
            _(
                "The time to answer this nomination ended on %(when)s.",
                when=when(cycle, cycle.acceptance_deadline),
            )
        )


@dataclass(frozen=True)
class Answer:
    nomination: Nomination
    accepted: bool


async def answer(
    settings: Settings, token: str, *, accept: bool, user: Someone | None = None
) -> Answer:
    """Accept or decline through the link. `user` is the nominee's account when they are
    signed in (one is created on the way by the pages that call this)."""
    data = _payload(settings, token)
    async with in_transaction():
        nomination = await Nomination.select_for_update().get_or_none(id=data["n"])
        if nomination is None:
            raise LinkInvalid(
                _("This link is not valid. Use the link exactly as it came in the mail.")
            )
        nomination.cycle = await Cycle.get(id=nomination.cycle_id)
        _check_usable(nomination, str(data.get("k", "")))
        nomination.acceptance_nonce = ""
        if accept:
            nomination.state, nomination.accepted_at = NominationState.SUBMITTED, now()
            nomination.nominee_user_id = user.id if user is not None else None
        else:
            nomination.state, nomination.declined_at = NominationState.DECLINED, now()
        await nomination.save()
        await audit.record(
            user,
            "awards.nominee_accept" if accept else "awards.nominee_decline",
            nomination,
            after={"state": nomination.state.value, "nominee": nomination.nominee_email},
            scope=scope(nomination.cycle_id),
        )
        if not accept:
            await _tell_nominators(settings, nomination)
    outbox.wake()
    return Answer(nomination, accept)


async def _tell_nominators(settings: Settings, nomination: Nomination) -> None:
    category = await Category.get(id=nomination.category_id)
    cycle = nomination.cycle
    links = Links(settings.base_url)
    credits = await NominationCredit.filter(nomination_id=nomination.id).select_related("user")
    for row in credits:
        person = row.user
        lang = person.language
        with use_locale(lang):
            await outbox.queue(
                person.email,
                "awards/nomination_declined",
                lang,
                name=mail_name(person),
                nominee=localized(nomination, "nominee_name", lang),
                category_name=localized(category, "name", lang),
                cycle_name=cycle_name(cycle, lang),
                url=links.build(links.nomination, id=nomination.id),
            )


async def queue_invitation(
    settings: Settings,
    links: Links,
    nominator: Someone,
    cycle: Cycle,
    category: Category,
    nomination: Nomination,
) -> None:
    """Inside the submit's transaction: ask the nominee, in their language, to answer."""
    lang = nomination.nominee_language
    with use_locale(lang):
        nominator_name = nominator.display_name
    await outbox.queue(
        nomination.nominee_email,
        "awards/nominee_invitation",
        lang,
        nominee=localized(nomination, "nominee_name", lang),
        nominator=nominator_name,
        cycle_name=cycle_name(cycle, lang),
        category_name=localized(category, "name", lang),
        work_title=nomination.work_title,
        deadline=cycle.acceptance_deadline,
        time_zone=cycle.time_zone,
        url=links.build(links.acceptance, slug=cycle.slug, token=make_token(settings, nomination)),
    )
