"""A short-lived, per-process cache of the public event page and the API's event list, as the
home page keeps its own (core.routes): they are the most visited events pages and the same for
every anonymous visitor.

An entry is used only while the clock is between the moment it was made and the earlier of a few
seconds later and the event's next milestone (so a phase never shows late), and only if no event
or track changed in this process since (services call `changed()`); another worker process may
show a change up to TTL seconds late. The event page is not kept at all while judging may publish
results on it (see events.routes). When an entry expires, one request makes it again while the
others wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from core.clock import now
from core.i18n import LANGUAGES, get_locale

TTL = dt.timedelta(seconds=5)
KEPT = 256  # entries per process; the cache is emptied when it grows past this
CACHEABLE_QUERIES = frozenset({b"", *(f"lang={lang}".encode() for lang in LANGUAGES)})
_generation = 0


@dataclass(frozen=True)
class Entry:
    body: bytes
    made: dt.datetime
    until: dt.datetime
    generation: int


def changed() -> None:
    """An event or its tracks changed: entries made before this are no longer used."""
    global _generation
    _generation += 1


def _store(request: Request) -> dict[tuple[Any, ...], Entry]:
    state = request.app.state
    store = getattr(state, "events_public_cache", None)
    if store is None:
        store = state.events_public_cache = {}
    return store


@contextlib.asynccontextmanager
async def refilling(request: Request, key: tuple[Any, ...] | None) -> AsyncIterator[None]:
    """While one request makes a missing entry, the others that arrive wait for it (then `get`
    it) rather than all making the page at once when an entry expires; a page that is not
    kept delays them by one making at most."""
    if key is None:
        yield
        return
    state = request.app.state
    pending: dict[tuple[Any, ...], asyncio.Event] | None = getattr(state, "events_refills", None)
    if pending is None:
        pending = state.events_refills = {}
    making = pending.get(key)
    if making is not None:
        await making.wait()
        yield
        return
    making = pending[key] = asyncio.Event()
    try:
        yield
    finally:
        making.set()
        del pending[key]


def anonymous_key(request: Request, *parts: Any) -> tuple[Any, ...] | None:
    """The key of a page that is the same for every visitor without a session in one language;
    None for a visitor with a session (a user, a flash, a form token) or another query."""
    scope = request.scope
    query = scope.get("query_string", b"")
    if scope.get("session") or query not in CACHEABLE_QUERIES:
        return None
    return public_key(request, *parts, get_locale(), query)


def public_key(request: Request, *parts: Any) -> tuple[Any, ...]:
    """The key of a response that is the same for everyone (links in it are absolute: they
    depend on the scheme, host and root path)."""
    scope = request.scope
    host = next((value for name, value in scope["headers"] if name == b"host"), b"")
    return (*parts, scope["scheme"], host, scope.get("root_path", ""))


def generation() -> int:
    """Read before loading what a cached body is made of, and give it to `put`."""
    return _generation


def get(request: Request, key: tuple[Any, ...] | None) -> bytes | None:
    if key is None:
        return None
    entry = _store(request).get(key)
    if entry is None or entry.generation != _generation or not entry.made <= now() < entry.until:
        return None
    return entry.body


def put(request: Request, key: tuple[Any, ...] | None, body: bytes, seen: int,
        milestones: Iterable[dt.datetime | None] = ()) -> None:
    """Keep `body`, made from data read at generation `seen`, until TTL from now or the first
    of `milestones` still ahead, if sooner."""
    if key is None or seen != _generation:  # something changed while it was being made
        return
    made = now()
    until = min([made + TTL, *(m for m in milestones if m is not None and m > made)])
    store = _store(request)
    if len(store) >= KEPT:
        store.clear()
    store[key] = Entry(body, made, until, seen)
