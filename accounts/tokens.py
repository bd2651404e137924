"""Signed, expiring links for e-mail verification and password reset."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer

from core import clock

VERIFY_MAX_AGE = 3 * 24 * 3600
RESET_MAX_AGE = 3600


class ClockSigner(TimestampSigner):
    """Stamps and checks the age against core.clock, so tests can move time forward."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


class ClockSerializer(URLSafeTimedSerializer):
    default_signer = ClockSigner


def _serializer(secret: str, purpose: str) -> ClockSerializer:
    return ClockSerializer(secret, salt=f"manassa.{purpose}")


def make(secret: str, purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(secret, purpose).dumps(payload)


def read(secret: str, purpose: str, token: str, max_age: int) -> dict[str, Any] | None:
    """The payload, or None when the token is forged, altered or expired."""
    try:
        data = _serializer(secret, purpose).loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return data if isinstance(data, dict) else None


def password_fingerprint(secret: str, password_hash: str) -> str:
    """Changes when the password changes, so a reset link works once. Keyed, so the link (which
    is only signed, not encrypted) reveals nothing of the stored hash."""
    key = hashlib.sha256(f"manassa.reset-fingerprint:{secret}".encode()).digest()
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:16]
