"""A mail left 'sending' by a worker that died is sent again once its lease expires, with the
same Message-ID, and the admin outbox shows it (issue 13, item 10)."""

from __future__ import annotations

import datetime as dt

from core import clock
from core.clock import now
from core.mail.models import MailState, OutboxMessage
from core.mail.senders import build_message
from core.mail.worker import STALE_AFTER
from tests.conftest import Sink
from tests.core.test_mail_worker import queue, worker
from tests.factories import make_user, sign_in


async def die_while_sending(row: OutboxMessage, attempts: int = 1, ago=STALE_AFTER) -> str:  # noqa: ANN001
    """What a worker killed during delivery leaves: the row 'sending' under its name. Returns
    the Message-ID its attempt used."""
    await OutboxMessage.filter(id=row.id).update(
        state=MailState.SENDING,
        attempts=attempts,
        locked_by="dead-worker",
        locked_at=now() - ago,
    )
    await row.refresh_from_db()
    return build_message(row, "x@example.org")["Message-ID"]


async def test_a_stale_sending_row_is_sent_again_with_the_same_message_id(
    db, settings, smtp_sink: Sink
):
    stale, busy = await queue("stale@example.org"), await queue("busy@example.org")
    first_id = await die_while_sending(stale, ago=STALE_AFTER + dt.timedelta(seconds=1))
    await die_while_sending(busy, ago=dt.timedelta(minutes=1))  # its worker may be sending it

    assert await worker(settings).run_once() == 1
    [mail] = smtp_sink.messages
    assert mail["To"] == "stale@example.org"
    assert mail["Message-ID"] == first_id
    await stale.refresh_from_db()
    await busy.refresh_from_db()
    assert (stale.state, stale.attempts, stale.recovered_at is not None) == (
        MailState.SENT,
        2,
        True,
    )
    assert busy.state == MailState.SENDING and busy.recovered_at is None

    clock.travel(STALE_AFTER)  # the busy row's lease runs out in its turn
    assert await worker(settings).run_once() == 1
    assert [m["To"] for m in smtp_sink.messages] == ["stale@example.org", "busy@example.org"]


async def test_a_stale_row_without_attempts_left_fails(db, settings, smtp_sink: Sink):
    row = await queue()
    await die_while_sending(row, attempts=settings.mail_max_attempts, ago=STALE_AFTER * 2)
    assert await worker(settings).run_once() == 0
    await row.refresh_from_db()
    assert row.state == MailState.FAILED
    assert row.last_error == "worker stopped while sending; no attempts left"
    assert smtp_sink.messages == []


async def test_the_outbox_shows_which_mails_were_retried_after_a_crash(
    client, settings, smtp_sink: Sink
):
    calm, crashed = await queue("calm@example.org"), await queue("crashed@example.org")
    await die_while_sending(crashed, ago=STALE_AFTER * 2)
    await worker(settings).run_once()
    await sign_in(client, await make_user(admin=True, language="en"))

    page = (await client.get("/admin/outbox")).text
    row_of = {
        m.id: page.split(f'<tr data-id="{m.id}">')[1].split("</tr>")[0] for m in (calm, crashed)
    }
    assert "Retried after a crash" in row_of[crashed.id]
    assert "Retried after a crash" not in row_of[calm.id]
    detail = (await client.get(f"/admin/outbox/{crashed.id}")).text
    assert "<dt>Retried after a crash</dt>" in detail
