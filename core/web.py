"""Small helpers shared by handlers: redirects, flash messages, safe `next` targets."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse


def redirect(request: Request, name: str, **params: Any) -> RedirectResponse:
    return RedirectResponse(str(request.url_for(name, **params)), status_code=303)


def flash(request: Request, message: str, kind: str = "success") -> None:
    request.session.setdefault("flash", []).append([kind, message])


def pop_flashes(request: Request) -> list[list[str]]:
    if "flash" not in request.scope.get("session", {}):
        return []
    return request.session.pop("flash")


def safe_next(target: str) -> str:
    """Only a path on this site: no scheme, no host, no protocol-relative trick."""
    target = target.strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return ""
    if any(ord(c) < 32 for c in target):
        return ""
    return target[:1000]
