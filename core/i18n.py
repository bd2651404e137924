"""Locale choice, gettext for Python and Jinja, text direction, Gregorian + Hijri dates.

Catalogs are read straight from the .po files under locale/<lang>/LC_MESSAGES/ (one file per
domain package: core.po, accounts.po, events.po ...), so a fresh clone needs no compile step.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_timezone_location
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from hijridate import Gregorian

from core.settings import ROOT

LOCALE_DIR = ROOT / "locale"
LANGUAGES: dict[str, dict[str, str]] = {
    "ar": {"name": "العربية", "dir": "rtl"},
    "en": {"name": "English", "dir": "ltr"},
}
DEFAULT_LANGUAGE = "ar"
_current: ContextVar[str] = ContextVar("manassa_locale", default=DEFAULT_LANGUAGE)


@cache
def translations(lang: str) -> Translations:
    """All catalogs of one language merged into one Translations (fuzzy entries left out)."""
    merged: Translations | None = None
    for po_path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        loaded = Translations(fp=buffer)
        # The first catalog is the base: it carries the language's plural rule, which
        # merge() does not copy onto an empty Translations.
        merged = loaded if merged is None else merged.merge(loaded)
    return merged if merged is not None else Translations()


def get_locale() -> str:
    return _current.get()


def set_locale(lang: str) -> None:
    _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


@contextlib.contextmanager
def use_locale(lang: str) -> Iterator[None]:
    """Render something (a mail, an export) in another language, then restore."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, **variables: Any) -> str:
    text = translations(get_locale()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations(get_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later, where it is shown."""
    return message


def direction(lang: str | None = None) -> str:
    return LANGUAGES.get(lang or get_locale(), LANGUAGES[DEFAULT_LANGUAGE])["dir"]


def localized(obj: Any, field: str, lang: str | None = None) -> str:
    """Organizer content stored as `<field>_ar` and `<field>_en` (on a model or in a dict, as
    home page items are), falling back to the other language."""
    return localized_in(obj, field, lang)[0]


def localized_in(obj: Any, field: str, lang: str | None = None) -> tuple[str, str]:
    """`localized`, with the language the value is written in ("" when there is none)."""
    lang = lang or get_locale()
    other = "en" if lang == "ar" else "ar"
    for code in (lang, other):
        name = f"{field}_{code}"
        value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
        if value:
            return str(value), code
    return "", ""


def zone(name: str | None, default: str = "Asia/Riyadh") -> ZoneInfo:
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


# Babel takes tens of microseconds per date, and a page shows the same few dates (an event's
# timeline, a cycle's deadlines) to every visitor: each text is made once per process.
FORMATTED_KEPT = 8192


def zone_name(name: str, lang: str | None = None) -> str:
    """A time zone as people name it, in their language (Babel's names): "Asia/Riyadh" →
    "توقيت المملكة العربية السعودية" / "Saudi Arabia Time"; the name itself when Babel
    knows no such zone."""
    if name in {"UTC", "Etc/UTC"}:
        return gettext("Coordinated Universal Time (UTC)")
    return _zone_name(name, lang or get_locale())


@lru_cache(maxsize=1024)
def _zone_name(name: str, lang: str) -> str:
    try:
        return get_timezone_location(name, locale=lang)
    except (LookupError, ValueError):
        return name


def hijri_date(value: dt.date, lang: str | None = None) -> str:
    """The Umm al-Qura date, e.g. '12 جمادى الآخرة 1448 هـ' or '12 Jumada al-Akhirah 1448 AH'."""
    return _hijri_date(value, lang or get_locale())


@lru_cache(maxsize=FORMATTED_KEPT)
def _hijri_date(value: dt.date, lang: str) -> str:
    try:
        h = Gregorian(value.year, value.month, value.day).to_hijri()
    except OverflowError:  # outside the Umm al-Qura table (1343-1500 AH)
        return ""
    code: Any = lang  # one of hijridate's languages: ours are among them
    return f"{h.day} {h.month_name(code)} {h.year} {h.notation(code)}"


# Day month year in both languages; Arabic takes the Arabic comma.
DATETIME_PATTERNS = {"ar": "d MMMM y، HH:mm", "en": "d MMMM y, HH:mm"}
DATE_PATTERN = "d MMMM y"


def _aware(value: dt.datetime) -> dt.datetime:
    """Stored datetimes are UTC; a naive one is taken as UTC, never as the server's zone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _with_hijri(text: str, day: dt.date, lang: str) -> str:
    hijri = _hijri_date(day, lang)
    return f"{text} ({hijri})" if hijri else text


def format_datetime(value: dt.datetime | None, tz: str | None = None, hijri: bool = True) -> str:
    """A UTC datetime shown in the scope's time zone, with the Hijri date beside it."""
    if value is None:
        return ""
    return _format_datetime(_aware(value), tz, hijri, get_locale())


@lru_cache(maxsize=FORMATTED_KEPT)
def _format_datetime(value: dt.datetime, tz: str | None, hijri: bool, lang: str) -> str:
    local = value.astimezone(zone(tz))
    text = babel_format_datetime(local, DATETIME_PATTERNS[lang], tzinfo=local.tzinfo, locale=lang)
    return _with_hijri(text, local.date(), lang) if hijri else text


def format_date(value: dt.date | dt.datetime | None, tz: str | None = None) -> str:
    """A day (a datetime is first moved into the scope's time zone), with its Hijri date."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _aware(value).astimezone(zone(tz)).date()
    return _format_date(value, get_locale())


@lru_cache(maxsize=FORMATTED_KEPT)
def _format_date(value: dt.date, lang: str) -> str:
    return _with_hijri(babel_format_date(value, DATE_PATTERN, locale=lang), value, lang)


def format_number(value: float | int) -> str:
    return format_decimal(value, locale=get_locale())


def choose_language(
    query: str | None, cookie: str | None, profile: str | None, default: str
) -> str:
    """?lang= first, then the cookie, then the signed-in user's profile, then the default."""
    for candidate in (query, cookie, profile, default):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE
