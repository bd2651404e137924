"""Queue mails inside the caller's transaction; the worker sends them after commit."""

from __future__ import annotations

import asyncio
from typing import Any

from core import i18n
from core.clock import now
from core.mail.models import OutboxMessage
from core.templating import environment

_wakeups: set[asyncio.Event] = set()


def render(template: str, locale: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML of `templates/mail/<template>/` in `locale`."""
    with i18n.use_locale(locale):
        base = {"lang": i18n.get_locale(), "dir": i18n.direction(), **context}
        # One line: a line break in a context value must never start a new mail header.
        subject = " ".join(_part(template, "subject.txt", base).split())
        base["subject"] = subject  # the HTML layout uses it as the document title
        text = _part(template, "body.txt", base).strip() + "\n"
        html = _part(template, "body.html", base)
    return subject, text, html


def _part(template: str, name: str, context: dict[str, Any]) -> str:
    return environment.get_template(f"mail/{template}/{name}").render(context)


async def queue(recipient: str, template: str, locale: str, **context: Any) -> OutboxMessage:
    """Add a mail to the outbox. Call inside the service's transaction, then `wake()` after."""
    subject, text, html = render(template, locale, context)
    return await OutboxMessage.create(
        recipient=recipient,
        locale=locale,
        template=template,
        subject=subject,
        body_text=text,
        body_html=html,
        next_attempt_at=now(),
    )


def subscribe() -> asyncio.Event:
    event = asyncio.Event()
    _wakeups.add(event)
    return event


def unsubscribe(event: asyncio.Event) -> None:
    _wakeups.discard(event)


def wake() -> None:
    """Tell in-process workers that committed mail is waiting (they also poll)."""
    for event in _wakeups:
        event.set()
