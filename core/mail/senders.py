"""How a mail leaves: SMTP (aiosmtplib), the console, or memory (tests)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol

import aiosmtplib

from core.mail.models import OutboxMessage
from core.settings import Settings

log = logging.getLogger("manassa.mail")


class TemporaryFailure(Exception):
    """Try again later: the server was unreachable or answered 4xx."""


class PermanentFailure(Exception):
    """Do not try again: the server refused the mail (5xx) or it cannot be built."""


class Sender(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


def message_id(row: OutboxMessage) -> str:
    """The same for every attempt at one row, so a receiving server that got a mail already
    (its worker died before noting it sent) can tell the retry is the same mail."""
    return f"<{row.created_at:%Y%m%d%H%M%S}.outbox-{row.id}@manassa.local>"


def build_message(row: OutboxMessage, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(row)
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    # Set last: add_alternative() moves every Content-* header into the text part.
    message["Content-Language"] = row.locale
    return message


@dataclass
class SMTPSender:
    settings: Settings

    async def send(self, message: EmailMessage) -> None:
        s = self.settings
        try:
            await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_user or None,
                password=s.smtp_password or None,
                use_tls=s.smtp_tls == "ssl",
                start_tls=s.smtp_tls == "starttls",
                timeout=s.smtp_timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            err = TemporaryFailure if all(400 <= c < 500 for c in codes) else PermanentFailure
            raise err(str(exc)) from exc
        except aiosmtplib.SMTPResponseException as exc:
            err = TemporaryFailure if 400 <= exc.code < 500 else PermanentFailure
            raise err(f"{exc.code} {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc


@dataclass
class ConsoleSender:
    async def send(self, message: EmailMessage) -> None:
        log.info(
            "mail to %s: %s\n%s",
            message["To"],
            message["Subject"],
            message.get_body(("plain",)).get_content(),  # type: ignore[union-attr]
        )


@dataclass
class MemorySender:
    sent: list[EmailMessage] = field(default_factory=list)

    async def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


def make_sender(settings: Settings) -> Sender:
    if settings.mail_backend == "console":
        return ConsoleSender()
    if settings.mail_backend == "memory":
        return MemorySender()
    return SMTPSender(settings)
