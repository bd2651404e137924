"""Parse and check the account forms."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from accounts.enums import LANGUAGE_CHOICES
from accounts.passwords import MAX_LENGTH, weakness
from core.forms import Form, normalize_text, to_western_digits
from core.i18n import gettext as _

NAME_MAX = 200
NAME_PUNCTUATION = frozenset(" .'-\u2019\u2010\u200c")  # O'Brien, Jean-Luc, Dr. ...; ZWNJ
PHONE_CHARACTERS = frozenset("0123456789+-() ")


def _password(form: Form, name: str, email: str = "") -> str:
    value = form.raw(name)
    problem = weakness(value, email) if value else "missing"
    messages = {
        "missing": _("This field is required."),
        "short": _("Use at least 10 characters."),
        "long": _("Use at most 128 characters."),
        "email": _("Do not use your e-mail address in your password."),
        "guessable": _("This password is too easy to guess. Use a longer, less common phrase."),
    }
    if problem:
        form.error(name, messages[problem])
    return value


def _confirm(form: Form, password: str, name: str = "password_confirm") -> None:
    if form.raw(name) != password:
        form.error(name, _("The two passwords do not match."))


def _is_name_character(ch: str) -> bool:
    return ch in NAME_PUNCTUATION or unicodedata.category(ch)[0] in "LM"


def _person_name(form: Form, name: str, *, required: bool, min_length: int = 0) -> str:
    """A person's name in any script (Arabic, Latin, mixed), without markup or digits."""
    value = form.text(name, required=required, max_length=NAME_MAX, min_length=min_length)
    if value and not all(_is_name_character(ch) for ch in value):
        form.error(name, _("Use letters, spaces, dots, apostrophes and hyphens only."))
    return value


def _plain(form: Form, name: str, *, max_length: int = 200) -> str:
    """Optional free text shown on pages and in exports: no markup characters."""
    value = form.text(name, required=False, max_length=max_length)
    if "<" in value or ">" in value:
        form.error(name, _("Remove the characters < and >."))
    return value


def signup(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    _person_name(form, "name", required=True, min_length=2)
    email = form.email()
    password = _password(form, "password", email)
    _confirm(form, password)
    form.choice("language", LANGUAGE_CHOICES)
    form.values["password"] = password
    return form


def login(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.email()
    password = form.values["password"] = form.raw("password")
    if not password:
        form.error("password", _("This field is required."))
    elif len(password) > MAX_LENGTH:
        form.error("password", _("Use at most 128 characters."))
    return form


def email_only(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.email()
    return form


def new_password(data: Mapping[str, Any], email: str = "") -> Form:
    form = Form(data)
    password = _password(form, "password", email)
    _confirm(form, password)
    form.values["password"] = password
    return form


def change_password(data: Mapping[str, Any], email: str) -> Form:
    form = new_password(data, email)
    form.values["current_password"] = form.raw("current_password")
    if not form.values["current_password"]:
        form.error("current_password", _("This field is required."))
    return form


def _phone(form: Form) -> str:
    phone = to_western_digits(normalize_text(form.raw("phone")))
    form.values["phone"] = phone
    digits = sum(c.isdigit() for c in phone)
    if phone and (len(phone) > 20 or not set(phone) <= PHONE_CHARACTERS or digits < 6):
        form.error("phone", _("Enter a phone number using digits, for example +966 5x xxx xxxx."))
    return phone


def profile(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    _person_name(form, "name_ar", required=False)
    _person_name(form, "name_en", required=False)
    if not (form.values["name_ar"] or form.values["name_en"]):
        form.error("name_ar", _("Give your name in Arabic, in English, or both."))
    _plain(form, "organization")
    _plain(form, "job_title")
    _phone(form)
    form.choice("language", LANGUAGE_CHOICES)
    return form
