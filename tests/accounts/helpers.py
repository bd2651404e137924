"""Shared steps for the accounts tests: what a person types and what the site says."""

from __future__ import annotations

import re
from typing import Any

import httpx

from accounts.models import User
from core.i18n import gettext as _
from core.i18n import use_locale
from core.mail.models import OutboxMessage
from core.ratelimit import RateLimit
from tests.conftest import post_form

GOOD_PASSWORD = "tall palms by the sea 42"  # noqa: S105
NEW_PASSWORD = "quiet dunes at sunrise 7"  # noqa: S105
FIELD_ERROR = re.compile(r'<p class="error" id="e-(?P<field>[\w]+)">(?P<message>[^<]*)</p>')
NOTICE = re.compile(r'<p class="notice notice-(?P<kind>\w+)" role="status">(?P<text>[^<]*)</p>')
H1 = re.compile(r"<h1>(?P<text>[^<]*)</h1>")
INPUT_VALUE = r'<input id="f-{name}" name="{name}"[^>]*? value="(?P<value>[^"]*)"'


def text(lang: str, message: str, **variables: Any) -> str:
    """What the site says in `lang`, HTML-escaped the way Jinja shows it."""
    with use_locale(lang):
        return escape(_(message, **variables))


def escape(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def field_errors(page: str) -> dict[str, str]:
    return {m["field"]: m["message"] for m in FIELD_ERROR.finditer(page)}


def notices(page: str) -> list[str]:
    return [m["text"] for m in NOTICE.finditer(page)]


def heading(page: str) -> str:
    match = H1.search(page)
    assert match, "no <h1> on the page"
    return match["text"]


def input_value(page: str, name: str) -> str | None:
    match = re.search(INPUT_VALUE.format(name=name), page)
    return match["value"] if match else None


def html_lang(page: str) -> tuple[str, str]:
    match = re.search(r'<html lang="(\w+)" dir="(\w+)">', page)
    assert match, "no <html lang dir>"
    return match[1], match[2]


def nav_name(page: str) -> str | None:
    match = re.search(r'data-testid="nav-profile">([^<]*)</a>', page)
    return match[1] if match else None


async def sign_up(
    client: httpx.AsyncClient,
    email: str,
    *,
    name: str = "ريم الزهراني",
    password: str = GOOD_PASSWORD,
    confirm: str | None = None,
    language: str = "ar",
    **extra: str,
) -> httpx.Response:
    data = {
        "name": name,
        "email": email,
        "password": password,
        "password_confirm": password if confirm is None else confirm,
        "language": language,
        **extra,
    }
    return await post_form(client, "/signup", data, page="/signup")


async def log_in(
    client: httpx.AsyncClient, email: str, password: str = GOOD_PASSWORD, **extra: str
) -> httpx.Response:
    return await post_form(client, "/login", {"email": email, "password": password, **extra})


async def snapshot() -> dict[str, Any]:
    """Row counts and every user's stored fields, to show that a refused form changed nothing."""
    users = await User.all().order_by("id").values()
    return {
        "users": users,
        "mails": await OutboxMessage.all().count(),
        "hits": await RateLimit.all().order_by("id").values_list("bucket", "key", "count"),
    }


def local_path(url: str) -> str:
    """The path of an absolute link from a mail, to follow it with the test client."""
    return httpx.URL(url).raw_path.decode()
