"""The outbox worker: claims rows one by one with a conditional update, so several workers
(also on PostgreSQL, in several processes) never send the same row twice."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import secrets
from typing import Any

from tortoise.expressions import F

from core.clock import now
from core.mail import outbox
from core.mail.models import MailState, OutboxMessage
from core.mail.senders import PermanentFailure, Sender, TemporaryFailure, build_message
from core.settings import Settings

log = logging.getLogger("manassa.mail")
STALE_AFTER = dt.timedelta(minutes=15)


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min ... capped at one hour."""
    return dt.timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


class MailWorker:
    def __init__(self, settings: Settings, sender: Sender, name: str | None = None) -> None:
        self.settings = settings
        self.sender = sender
        self.name = name or f"{os.getpid()}-{secrets.token_hex(3)}"

    async def run_once(self, limit: int = 50) -> int:
        """Send what is due; returns how many rows this worker handled."""
        await self._recover_stale()
        due: list[Any] = (
            await OutboxMessage.filter(state=MailState.QUEUED, next_attempt_at__lte=now())
            .order_by("id")
            .limit(limit)
            .values_list("id", flat=True)
        )
        handled = 0
        for row_id in due:
            if await self._claim(row_id):
                await self._deliver(await OutboxMessage.get(id=row_id))
                handled += 1
        return handled

    async def _claim(self, row_id: int) -> bool:
        claimed = await OutboxMessage.filter(id=row_id, state=MailState.QUEUED).update(
            state=MailState.SENDING,
            locked_by=self.name,
            locked_at=now(),
            attempts=F("attempts") + 1,
        )
        return claimed == 1

    async def _deliver(self, row: OutboxMessage) -> None:
        try:
            message = build_message(row, self.settings.mail_sender)
        except (ValueError, TypeError) as exc:  # e.g. a line break in the address: no retry helps
            await self._finish(row, MailState.FAILED, error=f"cannot build the mail: {exc}")
            return
        try:
            await self.sender.send(message)
        except TemporaryFailure as exc:
            await self._retry_or_fail(row, str(exc))
        except PermanentFailure as exc:
            await self._finish(row, MailState.FAILED, error=str(exc))
        except Exception as exc:  # a bug in a sender must not stop the worker
            log.exception("mail %s: unexpected error", row.id)
            await self._retry_or_fail(row, f"{type(exc).__name__}: {exc}")
        else:
            await self._finish(row, MailState.SENT, sent_at=now())

    async def _retry_or_fail(self, row: OutboxMessage, error: str) -> None:
        if row.attempts >= self.settings.mail_max_attempts:
            await self._finish(row, MailState.FAILED, error=error)
        else:
            await self._finish(
                row, MailState.QUEUED, error=error, next_attempt_at=now() + backoff(row.attempts)
            )

    async def _finish(
        self, row: OutboxMessage, state: MailState, error: str = "", **values: object
    ) -> None:
        await OutboxMessage.filter(id=row.id, locked_by=self.name).update(
            state=state, last_error=error[:2000], locked_by="", locked_at=None, **values
        )

    async def _recover_stale(self) -> None:
        """A row left 'sending' when its lease ran out belongs to a worker that died. It may
        or may not have gone out: it is queued again with its Message-ID unchanged (a server
        that got it already can tell), unless it has no attempts left."""
        expired = now() - STALE_AFTER
        stale = OutboxMessage.filter(state=MailState.SENDING, locked_at__lt=expired)
        await stale.filter(attempts__gte=self.settings.mail_max_attempts).update(
            state=MailState.FAILED,
            last_error="worker stopped while sending; no attempts left",
            locked_by="",
            locked_at=None,
        )
        await stale.filter(attempts__lt=self.settings.mail_max_attempts).update(
            state=MailState.QUEUED,
            last_error="worker stopped while sending; sent again with the same Message-ID",
            locked_by="",
            locked_at=None,
            next_attempt_at=now(),
            recovered_at=now(),
        )

    async def run_forever(self, stop: asyncio.Event) -> None:
        wakeup = outbox.subscribe()
        try:
            while not stop.is_set():
                try:
                    while await self.run_once():
                        pass
                except Exception:
                    log.exception("mail worker pass failed")
                wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        _first(stop, wakeup), timeout=self.settings.mail_poll_seconds
                    )
        finally:
            outbox.unsubscribe(wakeup)


async def _first(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waiters:
            w.cancel()
