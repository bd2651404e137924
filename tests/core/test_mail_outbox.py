"""The outbox: mails rendered in the recipient's language, queued with the caller's transaction,
sent through a real SMTP server (aiosmtpd) only after that transaction commits."""

from __future__ import annotations

import asyncio
import contextvars
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from tortoise.transactions import in_transaction

from core.mail import outbox
from core.mail.models import MailState, OutboxMessage
from core.mail.senders import MemorySender, SMTPSender, build_message
from core.mail.worker import MailWorker
from core.templating import environment
from tests.conftest import body, html_body

EVENT = SimpleNamespace(title_ar="ميدياثون الرياض", title_en="Riyadh Mediathon")
URL = "http://testserver/events/1"

# A mail written like the product's own: a folder with subject, text and HTML (on the shared
# layout and button), using gettext, localized() and context values.
GREETING = {
    "subject.txt": '{{ _("Manassa") }}: {{ localized(event, "title") }} ({{ name }})\n',
    "body.txt": '{{ localized(event, "title") }}\n\n{{ name }}\n\n{{ url }}\n',
    "body.html": (
        '{% extends "mail/_layout.html" %}\n'
        "{% block body %}\n<p>{{ name }}</p>\n"
        '{% with label=localized(event, "title") %}{% include "mail/_button.html" %}{% endwith %}\n'
        "{% endblock %}\n"
    ),
}


@pytest.fixture
def greeting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    folder = tmp_path / "templates" / "mail" / "tests" / "greeting"
    folder.mkdir(parents=True)
    for name, text in GREETING.items():
        (folder / name).write_text(text, encoding="utf-8")
    loader = ChoiceLoader([FileSystemLoader(tmp_path / "templates"), environment.loader])
    monkeypatch.setattr(environment, "loader", loader)
    return "tests/greeting"


async def queue_greeting(template: str, recipient: str, locale: str, name: str = "Sara") -> None:
    async with in_transaction():
        await outbox.queue(recipient, template, locale, event=EVENT, name=name, url=URL)
    outbox.wake()


async def test_same_mail_arrives_in_each_recipients_language(db, greeting, smtp_sink, deliver):
    await queue_greeting(greeting, "amal@example.org", "ar", name="أمل")
    await queue_greeting(greeting, "john@example.org", "en", name="John")

    await deliver()

    [arabic] = smtp_sink.to("amal@example.org")
    [english] = smtp_sink.to("john@example.org")
    assert arabic["Subject"] == "منصّة: ميدياثون الرياض (أمل)"
    assert english["Subject"] == "Manassa: Riyadh Mediathon (John)"
    assert arabic["Content-Language"] == "ar"
    assert english["Content-Language"] == "en"
    assert body(arabic).splitlines()[:3] == ["ميدياثون الرياض", "", "أمل"]
    assert body(english).splitlines()[:3] == ["Riyadh Mediathon", "", "John"]
    assert '<html lang="ar" dir="rtl">' in html_body(arabic)
    assert '<html lang="en" dir="ltr">' in html_body(english)
    assert "<title>منصّة: ميدياثون الرياض (أمل)</title>" in html_body(arabic)
    assert f'<a href="{URL}"' in html_body(arabic)
    assert ">ميدياثون الرياض</a>" in html_body(arabic)
    assert ">Riyadh Mediathon</a>" in html_body(english)
    # the shared layout and button speak the recipient's language too
    assert "وصلتك هذه الرسالة بسبب حسابك على منصّة." in html_body(arabic)
    assert "إن لم يعمل الزر، انسخ هذا الرابط والصقه في متصفحك:" in html_body(arabic)
    assert "You received this e-mail because of your account on Manassa." in html_body(english)
    assert "If the button does not work, copy this link into your browser:" in html_body(english)


async def test_arabic_subject_is_rfc2047_encoded_and_decodes_back_exactly(
    db, greeting, smtp_sink, deliver
):
    await queue_greeting(greeting, "amal@example.org", "ar", name="أمل")

    await deliver()

    [raw] = smtp_sink.handler.raw
    raw_subject = message_from_bytes(raw, policy=policy.compat32)["Subject"]
    assert "=?utf-8?" in raw_subject.lower()
    assert "ميدياثون" not in raw_subject  # 7-bit on the wire, not raw UTF-8
    decoded = str(make_header(decode_header(raw_subject)))
    assert decoded == "منصّة: ميدياثون الرياض (أمل)"


async def test_html_part_escapes_context_values_and_text_part_keeps_them(
    db, greeting, smtp_sink, deliver
):
    await queue_greeting(greeting, "x@example.org", "en", name="<b>x</b> & Q")

    [mail] = await deliver()

    assert "<p>&lt;b&gt;x&lt;/b&gt; &amp; Q</p>" in html_body(mail)
    assert "<b>x</b>" not in html_body(mail)
    assert body(mail).splitlines()[2] == "<b>x</b> & Q"
    assert mail["Subject"] == "Manassa: Riyadh Mediathon (<b>x</b> & Q)"


async def test_line_breaks_in_context_cannot_add_headers(db, greeting, smtp_sink, deliver):
    await queue_greeting(
        greeting, "john@example.org", "en", name="John\r\nBcc: evil@example.org\nX-Evil: 1"
    )

    [mail] = await deliver()

    assert mail["Subject"] == "Manassa: Riyadh Mediathon (John Bcc: evil@example.org X-Evil: 1)"
    assert mail["Bcc"] is None and mail["X-Evil"] is None
    assert [m["To"] for m in smtp_sink.messages] == ["john@example.org"]


async def test_queue_stores_one_row_with_the_rendered_parts(db, greeting):
    row = await outbox.queue("amal@example.org", greeting, "ar", event=EVENT, name="أمل", url=URL)

    stored = await OutboxMessage.get(id=row.id)
    assert (stored.recipient, stored.locale, stored.template) == (
        "amal@example.org",
        "ar",
        "tests/greeting",
    )
    assert stored.state == MailState.QUEUED
    assert (stored.attempts, stored.last_error, stored.sent_at) == (0, "", None)
    assert stored.subject == "منصّة: ميدياثون الرياض (أمل)"
    assert stored.body_text == f"ميدياثون الرياض\n\nأمل\n\n{URL}\n"
    assert 'dir="rtl"' in stored.body_html


class Boom(Exception):
    pass


async def test_mail_queued_in_a_rolled_back_transaction_never_exists(
    db, greeting, smtp_sink, deliver
):
    with pytest.raises(Boom):
        async with in_transaction():
            await outbox.queue("amal@example.org", greeting, "ar", event=EVENT, name="أمل", url=URL)
            raise Boom

    assert await OutboxMessage.all().count() == 0
    assert await deliver() == []


async def test_mail_is_not_sent_before_its_transaction_commits(
    db, greeting, settings, smtp_sink, deliver
):
    worker = MailWorker(settings, SMTPSender(settings), name="eager")
    outside = contextvars.copy_context()  # the worker runs in its own task, not in ours
    async with in_transaction():
        await outbox.queue("amal@example.org", greeting, "ar", event=EVENT, name="أمل", url=URL)
        # A worker passing while the transaction is open must not see the row (PostgreSQL)
        # or must wait for the transaction to end (SQLite serializes on its one connection).
        early = asyncio.create_task(worker.run_once(), context=outside)
        await asyncio.sleep(0.2)
        assert smtp_sink.messages == []
    outbox.wake()
    await early

    await deliver()

    assert [m["To"] for m in smtp_sink.messages] == ["amal@example.org"]
    assert (await OutboxMessage.get()).state == MailState.SENT


async def test_mail_queued_in_a_committed_transaction_arrives(db, greeting, smtp_sink, deliver):
    await queue_greeting(greeting, "john@example.org", "en", name="John")

    [mail] = await deliver()

    assert mail["To"] == "john@example.org"
    assert mail["From"] == "Manassa <no-reply@manassa.local>"
    row = await OutboxMessage.get()
    assert row.state == MailState.SENT
    assert row.attempts == 1
    assert row.sent_at is not None


async def test_memory_sender_receives_the_built_message(db, greeting, settings):
    row = await outbox.queue("john@example.org", greeting, "en", event=EVENT, name="John", url=URL)
    sender = MemorySender()

    handled = await MailWorker(settings, sender, name="memory").run_once()

    assert handled == 1
    [message] = sender.sent
    assert message["To"] == "john@example.org"
    assert message["Subject"] == "Manassa: Riyadh Mediathon (John)"
    assert message["Message-ID"].endswith(f".outbox-{row.id}@manassa.local>")
    assert message.get_body(("plain",)).get_content().startswith("Riyadh Mediathon\n")
    assert (await OutboxMessage.get(id=row.id)).state == MailState.SENT


async def test_build_message_leaves_out_the_html_part_when_there_is_none(db, greeting):
    row = await outbox.queue("john@example.org", greeting, "en", event=EVENT, name="John", url=URL)
    row.body_html = ""

    message = build_message(row, "Manassa <no-reply@manassa.local>")

    assert message.get_content_type() == "text/plain"
    assert message.get_content() == row.body_text
