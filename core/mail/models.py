from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class MailState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Model):
    """One mail: rendered when queued (in the recipient's language), sent by the worker."""

    id = fields.BigIntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    recipient = fields.CharField(max_length=320, db_index=True)
    locale = fields.CharField(max_length=5)
    template = fields.CharField(max_length=100, db_index=True)
    subject = fields.CharField(max_length=300)
    body_text = fields.TextField()
    body_html = fields.TextField(default="")
    state = fields.CharEnumField(MailState, default=MailState.QUEUED, db_index=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    locked_by = fields.CharField(max_length=64, default="")
    locked_at = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")
    # set when a worker died while sending it and the row was queued again (same Message-ID)
    recovered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "core_outbox_message"
        ordering = ["-id"]
