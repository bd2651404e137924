"""One Form for every domain, and the parsers it uses: what was typed stays in `form.values`
(shown again when a form is refused), parsed values go to `form.clean`, and messages per field
to `form.errors`. Texts are normalized; numbers accept Arabic-Indic digits and the Arabic
decimal separator; date-times are read in a scope's own time zone; bilingual fields come in
`<name>_ar` and `<name>_en` pairs."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from core import dates
from core.i18n import gettext as _
from core.i18n import zone

EMAIL_RE = re.compile(
    r"^[^@\s<>\"']{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$"
)
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
NUMBER_RE = re.compile(r"-?\d{1,9}(?:\.\d{1,6})?")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # a datetime-local input's value

# A page address (an event's, an award cycle's): lowercase Latin letters, digits and hyphens.
SLUG_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])")
# The time zones an organizer chooses from (the region's first).
TIME_ZONES = (
    "Asia/Riyadh",
    "Asia/Dubai",
    "Asia/Qatar",
    "Asia/Kuwait",
    "Asia/Bahrain",
    "Asia/Muscat",
    "Asia/Amman",
    "Asia/Baghdad",
    "Asia/Beirut",
    "Africa/Cairo",
    "Africa/Casablanca",
    "Africa/Tunis",
    "Europe/London",
    "UTC",
)


class Form:
    """Collects what was typed (`values`), parsed values (`clean`) and per-field error
    messages (`errors`) from a submitted form."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.values: dict[str, Any] = {}
        self.clean: dict[str, Any] = {}
        self.errors: dict[str, str] = {}

    @classmethod
    def prefilled(cls, values: Mapping[str, Any] | None = None) -> Form:
        """A form not yet submitted, showing `values` (a page's first GET)."""
        form = cls({})
        form.values.update(values or {})
        return form

    def raw(self, name: str) -> str:
        value = self.data.get(name, "")
        return value if isinstance(value, str) else ""

    def text(
        self,
        name: str,
        *,
        required: bool = True,
        max_length: int = 200,
        min_length: int = 0,
        multiline: bool = False,
    ) -> str:
        value = normalize_text(self.raw(name), multiline=multiline)
        self.values[name] = self.clean[name] = value
        if not value:
            if required:
                self.errors[name] = _("This field is required.")
        elif len(value) > max_length:
            self.errors[name] = _(
                "Use at most %(n)s characters (you used %(used)s).", n=max_length, used=len(value)
            )
        elif len(value) < min_length:
            self.errors[name] = _("Use at least %(n)s characters.", n=min_length)
        return value

    def email(self, name: str = "email", *, required: bool = True) -> str:
        value = normalize_text(self.raw(name)).lower()
        self.values[name] = self.clean[name] = value
        if not value:
            if required:
                self.errors[name] = _("This field is required.")
        elif len(value) > 254 or not EMAIL_RE.match(value):
            self.errors[name] = _("Enter a valid e-mail address, like name@example.com.")
        return value

    def url(self, name: str, *, required: bool = False) -> str:
        value = normalize_text(self.raw(name))
        self.values[name] = self.clean[name] = value
        if not value:
            if required:
                self.errors[name] = _("This field is required.")
        elif len(value) > 2000 or not URL_RE.match(value):
            self.errors[name] = _("Enter a full web address starting with https://.")
        return value

    def choice(
        self,
        name: str,
        choices: Mapping[str, Any] | set[str] | list[str],
        *,
        required: bool = True,
        default: str = "",
    ) -> str:
        value = self.raw(name).strip() or default
        self.values[name] = self.clean[name] = value
        if not value:
            if required:
                self.errors[name] = _("Choose one of the options.")
        elif value not in choices:
            self.errors[name] = _("Choose one of the options.")
        return value

    def integer(
        self,
        name: str,
        *,
        required: bool = True,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        raw = to_western_digits(self.raw(name).strip())
        self.values[name] = raw
        if not raw:
            if required:
                self.errors[name] = _("This field is required.")
            return None
        if not re.fullmatch(r"-?\d{1,12}", raw):
            self.errors[name] = _("Enter a whole number.")
            return None
        number = int(raw)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.errors[name] = _(
                "Enter a number from %(lo)s to %(hi)s.",
                lo=minimum if minimum is not None else "…",
                hi=maximum if maximum is not None else "…",
            )
            return None
        self.values[name] = self.clean[name] = number
        return number

    def checkbox(self, name: str) -> bool:
        value = self.raw(name) in {"on", "1", "true", "yes"}
        self.values[name] = self.clean[name] = value
        return value

    def number(
        self,
        name: str,
        *,
        invalid: str,
        required: bool = True,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float | None:
        """A decimal number typed with Western or Arabic digits and either separator;
        `invalid` is the domain's message for what is not a number."""
        raw = number_text(self.raw(name))
        self.values[name] = raw
        if not raw:
            if required:
                self.errors[name] = _("This field is required.")
            return None
        if not NUMBER_RE.fullmatch(raw):
            self.errors[name] = invalid
            return None
        value = float(raw)
        too_low = minimum is not None and value < minimum
        if too_low or (maximum is not None and value > maximum):
            self.errors[name] = _(
                "Enter a number from %(lo)s to %(hi)s.", lo=_bound(minimum), hi=_bound(maximum)
            )
            return None
        self.clean[name] = value
        return value

    def moment(
        self, name: str, time_zone: str, *, invalid: str, required: bool = False
    ) -> dt.datetime | None:
        """A `datetime-local` value read in the scope's time zone, returned in UTC; `invalid`
        is the domain's message (with its example) for what is not a date and time."""
        raw = normalize_text(self.raw(name))
        self.values[name] = raw[:16]
        if not raw:
            if required:
                self.errors[name] = _("This field is required.")
            return None
        local = parse_naive(raw)
        value = None
        if local is None:
            self.errors[name] = invalid
        elif not dates.in_range(local):
            self.errors[name] = dates.out_of_range_message()
        else:
            value = local.replace(tzinfo=zone(time_zone)).astimezone(dt.UTC)
        self.clean[name] = value
        return value

    def bilingual(
        self, base: str, *, max_length: int, multiline: bool = False, missing: str = ""
    ) -> dict[str, str]:
        """`<base>_ar` and `<base>_en`, both optional; with a `missing` message, one of them
        must be written."""
        texts = {
            f"{base}_{lang}": self.text(
                f"{base}_{lang}", required=False, max_length=max_length, multiline=multiline
            )
            for lang in ("ar", "en")
        }
        self.clean.update(texts)
        if missing and not any(texts.values()):
            self.error(f"{base}_ar", missing)
        return texts

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _bound(value: float | None) -> str:
    return "…" if value is None else f"{value:g}"


_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_INVISIBLE = {
    "\u200b",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufeff",
}


def to_western_digits(value: str) -> str:
    """Arabic-Indic and Persian digits typed on an Arabic keyboard become 0-9."""
    return value.translate(_ARABIC_DIGITS)


def normalize_text(value: str, *, multiline: bool = False) -> str:
    """NFC, no control or bidi-override characters, trimmed; newlines kept only if multiline."""
    value = unicodedata.normalize("NFC", value)
    kept = []
    for ch in value:
        if ch in _INVISIBLE:
            continue
        if ch in "\r\n\t" and multiline:
            kept.append("\n" if ch == "\n" else ("" if ch == "\r" else ch))
        elif unicodedata.category(ch) == "Cc":
            kept.append(" " if ch in "\n\t\r" else "")
        else:
            kept.append(ch)
    text = "".join(kept)
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def number_text(raw: str) -> str:
    """A typed number with Western digits and "." as its decimal separator (Arabic-Indic
    digits, the Arabic decimal separator "٫" and a decimal comma are accepted)."""
    return to_western_digits(normalize_text(raw)).replace("٫", ".").replace(",", ".")


def parse_naive(raw: str) -> dt.datetime | None:
    """ "2026-12-01T09:00" (or with a space) as a naive date and time; None if it is not one.
    Seconds, if any, are dropped."""
    text = to_western_digits(normalize_text(raw)).replace(" ", "T", 1)[:16]
    try:
        return dt.datetime.strptime(text, LOCAL_FORMAT)
    except ValueError:
        return None


def parse_local(raw: str, time_zone: str) -> dt.datetime | None:
    """ "2026-12-01T09:00" (or with a space) read in `time_zone`, in UTC; None if it is not a
    date and time, or not within the years forms accept (core.dates)."""
    local = parse_naive(raw)
    if local is None or not dates.in_range(local):
        return None
    return local.replace(tzinfo=zone(time_zone)).astimezone(dt.UTC)


def local_input(value: dt.datetime | None, time_zone: str) -> str:
    """A stored UTC datetime as a `datetime-local` input's value in `time_zone`."""
    return value.astimezone(zone(time_zone)).strftime(LOCAL_FORMAT) if value else ""
