"""Small parsers that turn form values into clean values or per-field messages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from core.i18n import gettext as _

EMAIL_RE = re.compile(
    r"^[^@\s<>\"']{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$"
)
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class Form:
    """Collects clean values and per-field error messages from a submitted form."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.values: dict[str, Any] = {}
        self.errors: dict[str, str] = {}

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
        self.values[name] = value
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
        self.values[name] = value
        if not value:
            if required:
                self.errors[name] = _("This field is required.")
        elif len(value) > 254 or not EMAIL_RE.match(value):
            self.errors[name] = _("Enter a valid e-mail address, like name@example.com.")
        return value

    def url(self, name: str, *, required: bool = False) -> str:
        value = normalize_text(self.raw(name))
        self.values[name] = value
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
        self.values[name] = value
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
        self.values[name] = number
        return number

    def checkbox(self, name: str) -> bool:
        value = self.raw(name) in {"on", "1", "true", "yes"}
        self.values[name] = value
        return value

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    @property
    def ok(self) -> bool:
        return not self.errors


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
