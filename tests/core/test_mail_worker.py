"""The outbox worker against a real SMTP server (aiosmtpd): retries with backoff, permanent
failures, stale rows, two workers at once, a sender bug, the CLI and the development sink."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import sqlite3
import sys
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from core import clock
from core.clock import now
from core.mail import outbox
from core.mail.models import MailState, OutboxMessage
from core.mail.senders import SMTPSender
from core.mail.sink import CollectingHandler, bound_port, start_sink
from core.mail.worker import MailWorker, backoff
from core.settings import ROOT, Settings
from tests.conftest import Sink, body

MANASSA = str(Path(sys.executable).with_name("manassa"))  # the installed console script
MAIL = "accounts/password_changed"  # a real product mail with only a name in its context


async def queue(recipient: str = "amal@example.org", locale: str = "ar") -> OutboxMessage:
    row = await outbox.queue(recipient, MAIL, locale, name="أمل")
    outbox.wake()
    return row


def closed_port() -> int:
    """A loopback port nothing listens on, so connecting is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def worker(settings: Settings, name: str = "w1", **changes: object) -> MailWorker:
    settings = settings.replace(**changes) if changes else settings
    return MailWorker(settings, SMTPSender(settings), name=name)


# --- temporary failures: retried with backoff -------------------------------------------------


async def test_451_leaves_the_mail_queued_until_the_backoff_has_passed(
    db, settings, smtp_sink: Sink
):
    smtp_sink.handler.refuse_next = ["451 4.3.0 Mailbox busy, try later"]
    row = await queue()
    w = worker(settings)

    await w.run_once()

    await row.refresh_from_db()
    assert smtp_sink.messages == []
    assert row.state == MailState.QUEUED
    assert row.attempts == 1
    assert "451" in row.last_error and "try later" in row.last_error
    assert row.next_attempt_at > now()
    assert row.next_attempt_at - now() <= backoff(1) == dt.timedelta(seconds=30)
    assert row.locked_by == "" and row.locked_at is None

    assert await w.run_once() == 0  # too early: nothing is tried
    assert smtp_sink.messages == []
    await row.refresh_from_db()
    assert row.attempts == 1

    clock.travel(dt.timedelta(seconds=31))
    assert await w.run_once() == 1

    [mail] = smtp_sink.messages
    assert mail["To"] == "amal@example.org"
    await row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (MailState.SENT, 2, "")
    assert row.sent_at is not None
    clock.travel(dt.timedelta(hours=2))
    assert await w.run_once() == 0
    assert len(smtp_sink.messages) == 1  # exactly once


async def test_connection_refused_is_temporary(db, settings, smtp_sink: Sink):
    row = await queue()

    await worker(settings, smtp_port=closed_port()).run_once()

    await row.refresh_from_db()
    assert row.state == MailState.QUEUED
    assert row.attempts == 1
    assert "SMTPConnectError" in row.last_error
    assert row.next_attempt_at > now()

    clock.travel(dt.timedelta(seconds=31))
    await worker(settings).run_once()  # the server is reachable again

    await row.refresh_from_db()
    assert row.state == MailState.SENT
    assert [m["To"] for m in smtp_sink.messages] == ["amal@example.org"]


async def test_a_server_that_never_answers_times_out_and_is_retried(db, settings):
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # accepts the connection, never greets
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    row = await queue()
    try:
        await worker(settings, smtp_port=port, smtp_timeout=0.3).run_once()
    finally:
        server.close()
        await server.wait_closed()

    await row.refresh_from_db()
    assert row.state == MailState.QUEUED
    assert row.attempts == 1
    assert "Timeout" in row.last_error or "timed out" in row.last_error


def test_backoff_doubles_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


# --- permanent failures -----------------------------------------------------------------------


async def test_550_fails_at_once_with_the_error(db, settings, smtp_sink: Sink):
    smtp_sink.handler.refuse_next = ["550 5.1.1 No such user here"]
    row = await queue()
    w = worker(settings)

    await w.run_once()

    await row.refresh_from_db()
    assert row.state == MailState.FAILED
    assert row.attempts == 1
    assert row.last_error == "550 5.1.1 No such user here"
    clock.travel(dt.timedelta(days=1))
    assert await w.run_once() == 0
    assert smtp_sink.messages == []


async def test_a_mail_that_cannot_be_built_fails_at_once(db, settings, smtp_sink: Sink):
    row = await queue("amal@example.org\r\nBcc: evil@example.org")

    await worker(settings).run_once()

    await row.refresh_from_db()
    assert row.state == MailState.FAILED
    assert row.attempts == 1
    assert row.last_error.startswith("cannot build the mail: ")
    assert "linefeed" in row.last_error
    assert smtp_sink.messages == []


async def test_mail_fails_when_the_last_attempt_fails(db, settings, smtp_sink: Sink):
    smtp_sink.handler.refuse_next = ["451 4.3.0 busy", "452 4.3.1 still busy"]
    row = await queue()
    w = worker(settings, mail_max_attempts=2)

    await w.run_once()
    await row.refresh_from_db()
    assert (row.state, row.attempts) == (MailState.QUEUED, 1)

    clock.travel(dt.timedelta(seconds=31))
    await w.run_once()

    await row.refresh_from_db()
    assert (row.state, row.attempts) == (MailState.FAILED, 2)
    assert "452" in row.last_error and "still busy" in row.last_error
    clock.travel(dt.timedelta(days=1))
    assert await w.run_once() == 0
    assert smtp_sink.messages == []


# --- never twice ------------------------------------------------------------------------------


async def test_two_workers_at_once_send_every_mail_exactly_once(db, settings, smtp_sink: Sink):
    recipients = [f"person{n}@example.org" for n in range(30)]
    for address in recipients:
        await queue(address, "en" if len(address) % 2 else "ar")

    handled = await asyncio.gather(
        worker(settings, "w1").run_once(), worker(settings, "w2").run_once()
    )

    assert sum(handled) == 30
    assert min(handled) > 0  # both workers really claimed rows, side by side
    assert Counter(m["To"] for m in smtp_sink.messages) == Counter(recipients)
    rows = await OutboxMessage.all()
    assert {(r.state, r.attempts) for r in rows} == {(MailState.SENT, 1)}
    assert await worker(settings, "w3").run_once() == 0
    assert len(smtp_sink.messages) == 30


# --- a sender bug does not stop the worker ----------------------------------------------------


class BuggySender:
    """A sender with a bug for one recipient; every other mail really goes out over SMTP."""

    def __init__(self, settings: Settings, broken_for: str) -> None:
        self.smtp = SMTPSender(settings)
        self.broken_for = broken_for
        self.delivered: asyncio.Queue[str] = asyncio.Queue()

    async def send(self, message: EmailMessage) -> None:
        if message["To"] == self.broken_for:
            raise KeyError("template variable")
        await self.smtp.send(message)
        self.delivered.put_nowait(message["To"])


async def test_the_worker_keeps_running_after_a_sender_raises(db, settings, smtp_sink: Sink):
    broken = await queue("broken@example.org")
    await queue("first@example.org")
    sender = BuggySender(settings, "broken@example.org")
    w = MailWorker(settings.replace(mail_poll_seconds=30), sender, name="w1")
    stop = asyncio.Event()
    task = asyncio.create_task(w.run_forever(stop))
    try:
        assert await asyncio.wait_for(sender.delivered.get(), 5) == "first@example.org"
        await queue("later@example.org")  # wake() makes the running worker pass again
        assert await asyncio.wait_for(sender.delivered.get(), 5) == "later@example.org"
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)

    assert [m["To"] for m in smtp_sink.messages] == ["first@example.org", "later@example.org"]
    await broken.refresh_from_db()
    assert broken.state == MailState.QUEUED
    assert broken.attempts == 1
    assert broken.last_error == "KeyError: 'template variable'"


# --- the command line -------------------------------------------------------------------------


async def manassa(*args: str, env: dict[str, str]) -> str:
    process = await asyncio.create_subprocess_exec(
        MANASSA,
        *args,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, output.decode()
    return output.decode()


async def test_mail_worker_once_command_sends_what_is_queued(tmp_path: Path, smtp_sink: Sink):
    database = tmp_path / "manassa.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite://{database}",
        "SMTP_PORT": str(smtp_sink.port),
        "MAIL_BACKEND": "smtp",
        "MAIL_DEV_SINK": "false",
        "LOG_LEVEL": "WARNING",
    }
    assert "database is up to date" in await manassa("migrate", env=env)
    queued_at = now().isoformat(" ")  # how Tortoise writes datetimes into SQLite
    with sqlite3.connect(database) as conn:
        conn.execute(
            "INSERT INTO core_outbox_message (created_at, recipient, locale, template, subject,"
            " body_text, body_html, state, attempts, next_attempt_at, locked_by, last_error)"
            " VALUES (?, ?, 'en', 'tests/cli', 'Hello from the CLI', 'Body text\n', '',"
            " 'queued', 0, ?, '', '')",
            (queued_at, "cli@example.org", queued_at),
        )

    output = await manassa("mail-worker", "--once", env=env)

    assert output.strip().splitlines()[-1] == "sent or retried 1 mails"
    [mail] = smtp_sink.messages
    assert (mail["To"], mail["Subject"]) == ("cli@example.org", "Hello from the CLI")
    assert body(mail) == "Body text\r\n"  # SMTP line endings
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT state, attempts FROM core_outbox_message").fetchall() == [
            ("sent", 1)
        ]


# --- the development sink ---------------------------------------------------------------------


async def test_development_sink_writes_each_mail_as_an_eml_file(db, settings, tmp_path: Path):
    handler = CollectingHandler(tmp_path / "mail")
    server = await start_sink(handler)
    try:
        await queue("amal@example.org", "ar")
        await queue("john@example.org", "en")
        await worker(settings, smtp_port=bound_port(server)).run_once()
    finally:
        server.close()
        await server.wait_closed()

    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    parsed = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    rows = {r.recipient: r.subject for r in await OutboxMessage.all()}
    assert {m["To"]: m["Subject"] for m in parsed} == rows
    assert [m["Subject"] for m in handler.messages] == [rows[m["To"]] for m in handler.messages]


@pytest.fixture(autouse=True)
def _fresh_clock():
    yield
    clock.reset()
