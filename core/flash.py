"""Messages shown once on the next page (kept in the session)."""

from __future__ import annotations

from starlette.requests import Request


def flash(request: Request, message: str, kind: str = "success") -> None:
    request.session.setdefault("flash", []).append([kind, message])


def pop_flashes(request: Request) -> list[list[str]]:
    if "flash" not in request.scope.get("session", {}):
        return []
    return request.session.pop("flash")
