"""Rate limits kept in the database, so several workers share one count."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise import fields
from tortoise.models import Model

from core.clock import now


class RateLimitHit(Model):
    id = fields.BigIntField(primary_key=True)
    bucket = fields.CharField(max_length=40)
    key = fields.CharField(max_length=320)
    at = fields.DatetimeField()

    class Meta:
        table = "core_rate_limit_hit"
        indexes = (("bucket", "key", "at"),)


async def retry_after(bucket: str, key: str, limit: int, window: int) -> int:
    """Seconds until another attempt is allowed; 0 when under the limit."""
    since = now() - dt.timedelta(seconds=window)
    hits: list[Any] = (
        await RateLimitHit.filter(bucket=bucket, key=key, at__gte=since)
        .order_by("at")
        .values_list("at", flat=True)
    )
    if len(hits) < limit:
        return 0
    oldest_counted = hits[len(hits) - limit]
    return max(1, int((oldest_counted - since).total_seconds()) + 1)


async def hit(bucket: str, key: str) -> None:
    await RateLimitHit.create(bucket=bucket, key=key, at=now())


async def clear(bucket: str, key: str) -> None:
    await RateLimitHit.filter(bucket=bucket, key=key).delete()


async def prune(older_than: int = 86400) -> int:
    return await RateLimitHit.filter(at__lt=now() - dt.timedelta(seconds=older_than)).delete()
