"""What the award's services share: the cycle's audit scope, links for mails, typed errors and
the phase checks every use case makes on the server."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from accounts.enums import ScopeType
from accounts.models import Someone
from awards.models import Cycle
from core.errors import DomainError
from core.i18n import format_datetime, localized, use_locale
from core.i18n import gettext as _


class PhaseClosed(DomainError):
    """The cycle's timeline does not allow this now; the message says when it does."""

    status_code = 409


class DeadlinePassed(DomainError):
    status_code = 409


class LinkInvalid(DomainError):
    """An acceptance link that was altered, has expired or was already used."""

    status_code = 400


@dataclass(frozen=True)
class Links:
    """Absolute links for mails; the routes (built later) own these patterns."""

    base_url: str
    cycle: str = "/awards/{slug}"
    nomination: str = "/me/nominations/{id}"
    acceptance: str = "/awards/{slug}/accept/{token}"

    def build(self, pattern: str, **parts: Any) -> str:
        path = pattern
        for key, value in parts.items():
            path = path.replace("{" + key + "}", str(value))
        return self.base_url.rstrip("/") + path


def scope(cycle: Cycle | int) -> tuple[str, int]:
    return (ScopeType.AWARD_CYCLE.value, cycle if isinstance(cycle, int) else cycle.id)


def when(cycle: Cycle, moment: dt.datetime) -> str:
    """A moment as the cycle's people read it: its time zone, with the Hijri date."""
    return format_datetime(moment, cycle.time_zone)


def cycle_name(cycle: Cycle, language: str) -> str:
    return localized(cycle, "name", language)


def mail_name(user: Someone) -> str:
    with use_locale(user.language):
        return user.display_name


def require_nominations_open(cycle: Cycle, moment: dt.datetime) -> None:
    if moment < cycle.nominations_open:
        raise PhaseClosed(
            _("Nominations open on %(when)s.", when=when(cycle, cycle.nominations_open))
        )
    if moment >= cycle.nominations_close:
        raise DeadlinePassed(
            _(
                "Nominations closed on %(when)s. Nothing was changed.",
                when=when(cycle, cycle.nominations_close),
            )
        )


def require_screening(cycle: Cycle, moment: dt.datetime) -> None:
    if not cycle.nominations_close <= moment < cycle.screening_ends:
        raise PhaseClosed(
            _(
                "Nominations can be ruled on only during screening, from %(start)s to %(end)s. "
                "Nothing was changed.",
                start=when(cycle, cycle.nominations_close),
                end=when(cycle, cycle.screening_ends),
            )
        )
