"""Parse and check the account forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accounts.enums import LANGUAGE_CHOICES
from accounts.passwords import weakness
from core.forms import Form, normalize_text, to_western_digits
from core.i18n import gettext as _


def _password(form: Form, name: str, email: str = "") -> str:
    value = form.raw(name)
    problem = weakness(value, email) if value else "missing"
    messages = {
        "missing": _("This field is required."),
        "short": _("Use at least 10 characters."),
        "long": _("Use at most 128 characters."),
        "guessable": _("This password is too easy to guess. Use a longer, less common phrase."),
    }
    if problem:
        form.error(name, messages[problem])
    return value


def _confirm(form: Form, password: str, name: str = "password_confirm") -> None:
    if form.raw(name) != password:
        form.error(name, _("The two passwords do not match."))


def signup(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.text("name", max_length=200, min_length=2)
    email = form.email()
    password = _password(form, "password", email)
    _confirm(form, password)
    form.choice("language", LANGUAGE_CHOICES)
    form.values["password"] = password
    return form


def login(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.email()
    form.values["password"] = form.raw("password")
    if not form.values["password"]:
        form.error("password", _("This field is required."))
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


def profile(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.text("name_ar", required=False, max_length=200)
    form.text("name_en", required=False, max_length=200)
    if not (form.values["name_ar"] or form.values["name_en"]):
        form.error("name_ar", _("Give your name in Arabic, in English, or both."))
    form.text("organization", required=False, max_length=200)
    form.text("job_title", required=False, max_length=200)
    phone = to_western_digits(normalize_text(form.raw("phone")))
    form.values["phone"] = phone
    if phone and (len(phone) > 20 or not all(c.isdigit() or c in "+-() " for c in phone)
                  or sum(c.isdigit() for c in phone) < 6):
        form.error("phone", _("Enter a phone number using digits, for example +966 5x xxx xxxx."))
    form.choice("language", LANGUAGE_CHOICES)
    return form
