"""The range of dates a form accepts: 2000 to 2100.

A date far outside it is a typing slip or a probe, and near the ends of the calendar
(0001-01-01, 9999-12-31) moving it between time zones overflows Python's datetime."""

from __future__ import annotations

import datetime as dt

from core.i18n import gettext as _

FIRST_YEAR = 2000
LAST_YEAR = 2100


def in_range(value: dt.date) -> bool:
    return FIRST_YEAR <= value.year <= LAST_YEAR


def out_of_range_message() -> str:
    return _("Enter a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
