"""What the public and the teams read once results are published."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from core import page_cache, permissions
from core.web import page
from judging.routes.common import path_scope
from judging.services import feedback as feedback_service
from judging.services import public_pages
from judging.services import published as published_service
from judging.sources import EntrySource, ScopeInfo


async def public_results(request: Request) -> Response:
    """Published results read the same for every visitor without a session in one language,
    and they no longer change once published: the page is kept as bytes for a few seconds
    (judging.services.public_pages), never past the scope's next scheduled publication (the
    page must show that round from its first second), and no longer once the scope changes
    (an event or a cycle hidden again): such a visitor is answered without a query."""
    key = page_cache.anonymous_key(request, "judging:results", request.scope["path"])
    return await public_pages.of(request).serve(
        key, lambda: _results_page(request, key), HTMLResponse
    )


async def visible_scope(request: Request) -> tuple[EntrySource, ScopeInfo]:
    """The scope in the path, if its source says this visitor may see it (else 404)."""
    source, scope = await path_scope(request)
    user = request.state.user
    permissions.require(user, "judging.scope_visible", scope, visible="judging.scope_visible")
    return source, scope


async def _results_page(request: Request, key: tuple[Any, ...] | None) -> Response:
    cache = public_pages.of(request)
    seen = cache.generation  # before the scope is read: a change meanwhile is not kept
    _source, scope = await visible_scope(request)
    published = await published_service.published_results(scope.scope_type, scope.scope_id)
    permissions.require(request.state.user, "judging.results", published, visible="judging.results")
    assert published is not None
    response = page(
        request, "judging/public_results.html", scope=scope, rounds=published.rounds, preview=False
    )
    if page_cache.session_free(request):  # the page used nobody's session
        cache.put(key, bytes(response.body), seen=seen, milestones=[published.upcoming])
    return response


async def feedback(request: Request) -> Response:
    source, scope = await visible_scope(request)
    found = await feedback_service.feedback_for(source.source, request.path_params["source_id"])
    if found is not None and (found.scope_type, found.scope_id) != (
        scope.scope_type,
        scope.scope_id,
    ):
        found = None
    if request.state.user is None and found is not None:
        permissions.require(None, "core.signed_in")
    permissions.require(request.state.user, "judging.feedback", found, visible="judging.feedback")
    assert found is not None
    return page(request, "judging/feedback.html", scope=scope, feedback=found)
