"""Signed, expiring links for e-mail verification and password reset."""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_MAX_AGE = 3 * 24 * 3600
RESET_MAX_AGE = 3600


def _serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"manassa.{purpose}")


def make(secret: str, purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(secret, purpose).dumps(payload)


def read(secret: str, purpose: str, token: str, max_age: int) -> dict[str, Any] | None:
    """The payload, or None when the token is forged, altered or expired."""
    try:
        data = _serializer(secret, purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    return data if isinstance(data, dict) else None


def password_fingerprint(password_hash: str) -> str:
    """Changes when the password changes, so a reset link works once."""
    return password_hash[-12:]
