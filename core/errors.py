"""Typed business errors, mapped to status codes in one place (core.app)."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A business rule refused the request; `message` is already translated."""

    status_code = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class TooManyRequests(DomainError):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Invalid(DomainError):
    """Input failed validation: per-field messages, already translated."""

    status_code = 422

    def __init__(self, errors: Mapping[str, str], message: str = "") -> None:
        super().__init__(message)
        self.errors = dict(errors)
