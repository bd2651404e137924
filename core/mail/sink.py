"""A local SMTP server (aiosmtpd) for development and tests: every mail becomes a file."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP

log = logging.getLogger("manassa.mail")


class CollectingHandler:
    """Keeps each received mail as a parsed EmailMessage (and optionally writes .eml files)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # the bytes as received, e.g. to see how headers were encoded
        self.refuse_next: list[str] = []  # e.g. ["451 try later"]: answers for the next DATAs

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_next:
            return self.refuse_next.pop(0)
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        self.messages.append(message)
        self.raw.append(raw)
        if self.directory is not None:
            self._write(raw, message)
        return "250 Message accepted for delivery"

    def _write(self, raw: bytes, message: Any) -> None:
        assert self.directory is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        path = self.directory / f"{stamp}-{secrets.token_hex(3)}.eml"
        path.write_bytes(raw)
        log.info("mail to %s: %s (saved as %s)", message["To"], message["Subject"], path)


async def start_sink(
    handler: CollectingHandler, host: str = "127.0.0.1", port: int = 0
) -> asyncio.base_events.Server:
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: SMTP(handler, hostname="localhost", enable_SMTPUTF8=True), host=host, port=port
    )


def bound_port(server: asyncio.base_events.Server) -> int:
    return int(server.sockets[0].getsockname()[1])
