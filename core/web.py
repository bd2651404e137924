"""Small helpers shared by handlers: redirects, flash messages, safe `next` targets."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.flash import flash as flash
from core.forms import Form
from core.templating import render, url_for


def redirect(request: Request, name: str, **params: Any) -> RedirectResponse:
    return RedirectResponse(str(url_for(request, name, **params)), status_code=303)


def safe_next(target: str) -> str:
    """Only a path on this site: no scheme, no host, no protocol-relative trick."""
    target = target.strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return ""
    if any(ord(c) < 32 for c in target):
        return ""
    return target[:1000]


def form_page(
    request: Request, template: str, form: Form | None, status: int = 200, **extra: Any
) -> Response:
    """Render a form page with what was typed and the per-field messages (422 when invalid)."""
    values = form.values if form else {}
    errors = form.errors if form else {}
    return render(
        request, template, {"values": values, "errors": errors, **extra}, status_code=status
    )
