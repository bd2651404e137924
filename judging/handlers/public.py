"""What the public and the teams read once results are published."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from core import permissions
from core.clock import now
from core.i18n import LANGUAGES, get_locale
from judging import services
from judging.handlers.common import page, path_scope

RESULTS_CACHE = dt.timedelta(seconds=5)
RESULTS_PAGES_KEPT = 64
CACHEABLE_QUERIES = frozenset({b"", *(f"lang={lang}".encode() for lang in LANGUAGES)})


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    stored_at: dt.datetime
    until: dt.datetime

    def fresh(self, at: dt.datetime) -> bool:
        return self.stored_at <= at < self.until


async def public_results(request: Request) -> Response:
    key = _anonymous_page_key(request)
    if key is None:
        return await _results_page(request, None)
    kept = _kept_page(request, key)
    if kept is not None:
        return kept
    async with _one_maker(request, key) as making:
        kept = None if making else _kept_page(request, key)
        return kept or await _results_page(request, key)


async def _results_page(request: Request, key: tuple[Any, ...] | None) -> Response:
    _source, scope = await path_scope(request)
    published = await services.published_results(scope.scope_type, scope.scope_id)
    permissions.require(request.state.user, "judging.results", published,
                        visible="judging.results")
    assert published is not None
    response = page(request, "judging/public_results.html", scope=scope,
                    rounds=published.rounds, preview=False)
    if key and not request.scope.get("session"):  # the page used nobody's session
        _keep(_page_cache(request), key, response.body, published.upcoming)
    return response


def _kept_page(request: Request, key: tuple[Any, ...]) -> Response | None:
    hit = _page_cache(request).get(key)
    return HTMLResponse(hit.body) if hit is not None and hit.fresh(now()) else None


@contextlib.asynccontextmanager
async def _one_maker(request: Request, key: tuple[Any, ...]) -> AsyncIterator[bool]:
    """When a kept page expires, one request makes it again (True) while the others that
    arrive meanwhile wait for it (False) instead of all querying and rendering at once."""
    making: dict[tuple[Any, ...], asyncio.Event] = _state_dict(request, "judging_results_making")
    pending = making.get(key)
    if pending is not None:
        await pending.wait()
        yield False
        return
    making[key] = asyncio.Event()
    try:
        yield True
    finally:
        making.pop(key).set()


def _anonymous_page_key(request: Request) -> tuple[Any, ...] | None:
    """Published results read the same for every visitor without a session (no user, no
    flash, no form token) in one language, and they no longer change once published: the page
    is kept as bytes for a few seconds, as the home page is."""
    scope = request.scope
    query = scope.get("query_string", b"")
    if scope.get("session") or query not in CACHEABLE_QUERIES:
        return None
    # links in the page are absolute: they depend on the scheme, host and root path
    return (get_locale(), scope["scheme"], request.headers.get("host", ""),
            scope.get("root_path", ""), scope["path"], query)


def _page_cache(request: Request) -> dict[tuple[Any, ...], CachedPage]:
    return _state_dict(request, "judging_results_pages")


def _state_dict(request: Request, name: str) -> dict[Any, Any]:
    """A dict kept on the app (per process), made on first use."""
    found = getattr(request.app.state, name, None)
    if found is None:
        found = {}
        setattr(request.app.state, name, found)
    return found


def _keep(cache: dict[tuple[Any, ...], CachedPage], key: tuple[Any, ...], body: bytes,
          upcoming: dt.datetime | None) -> None:
    """Keep the page briefly, and never past the scope's next scheduled publication (the page
    must show that round from its first second)."""
    if len(cache) >= RESULTS_PAGES_KEPT:
        cache.clear()
    stored_at = now()
    until = stored_at + RESULTS_CACHE
    cache[key] = CachedPage(body, stored_at, min(until, upcoming) if upcoming else until)


async def feedback(request: Request) -> Response:
    source, scope = await path_scope(request)
    found = await services.feedback_for(source.source, request.path_params["source_id"])
    if found is not None and (found.scope_type, found.scope_id) != (scope.scope_type,
                                                                   scope.scope_id):
        found = None
    if request.state.user is None and found is not None:
        permissions.require(None, "core.signed_in")
    permissions.require(request.state.user, "judging.feedback", found, visible="judging.feedback")
    assert found is not None
    return page(request, "judging/feedback.html", scope=scope, feedback=found)
