"""Small helpers shared by handlers: the one page() helper, redirects, flash messages, safe
`next` targets."""

from __future__ import annotations

import asyncio
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


def page(
    request: Request, template: str, form: Form | None = None, status: int = 200, **extra: Any
) -> Response:
    """Every HTML page: what the template's domain offers all its pages (its page_context
    hook: label helpers ...), the form's typed values and per-field messages (422 when
    invalid), and the handler's context."""
    offered = request.app.state.hooks.page_context.get(template.split("/", 1)[0])
    context = {**(offered() if offered else {})}
    context.update(values=form.values if form else {}, errors=form.errors if form else {})
    return render(request, template, {**context, **extra}, status_code=status)


async def large_page(
    request: Request, template: str, form: Form | None = None, status: int = 200, **extra: Any
) -> Response:
    """page() for a page whose rendering takes many milliseconds (an organizer's table of
    results): rendered in a worker thread, so the event loop keeps answering other requests
    meanwhile (the interpreter passes between the two every few milliseconds) instead of
    waiting for the whole page. The context's language and request go with it."""
    return await asyncio.to_thread(page, request, template, form, status, **extra)
