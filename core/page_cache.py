"""A short-lived, per-process copy of pages that read the same for every anonymous visitor.

The most visited pages (the home page, an event page, published results) are the same for
everyone without a session in one language, scheme and host. A `PageCache` keeps such a copy
for a few seconds, never past the next milestone of what it shows (a phase change, a scheduled
publication: the page must change at that very second), and lets one request make an expired
copy again while the others that arrive meanwhile wait for it. Another worker process keeps its
own copies, so it may show a change up to the TTL late; `changed()` drops this process's copies
at once.

The cache is per application (`on_app`): every app (and every test's app) starts empty.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from starlette.requests import Request

from core.clock import now
from core.i18n import LANGUAGES, get_locale

V = TypeVar("V")
R = TypeVar("R")
Key = tuple[Any, ...]

# an anonymous page may only differ by its language: any other query makes it personal
CACHEABLE_QUERIES = frozenset({b"", *(f"lang={lang}".encode() for lang in LANGUAGES)})
CACHEABLE_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class _Entry(Generic[V]):
    value: V
    made: dt.datetime
    until: dt.datetime
    generation: int


class PageCache(Generic[V]):
    """Values (usually a page's bytes) by key, each kept from the moment it is made until
    `ttl` later or its first milestone still ahead, whichever is sooner."""

    def __init__(self, ttl: dt.timedelta, kept: int) -> None:
        self.ttl = ttl
        self.kept = kept  # entries at most; the cache is emptied when it would grow past this
        self._entries: dict[Key, _Entry[V]] = {}
        self._making: dict[Key, asyncio.Event] = {}
        self._generation = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def generation(self) -> int:
        """Read before loading what a value is made of, and give it to `put` as `seen`."""
        return self._generation

    def changed(self) -> None:
        """What the pages show changed: drop every copy, and any being made from older data."""
        self._generation += 1
        self._entries.clear()

    clear = changed

    def get(self, key: Key | None) -> V | None:
        """The value kept under `key` while it is fresh; None if there is none (or no key)."""
        entry = self._entries.get(key) if key is not None else None
        if entry is None or entry.generation != self._generation:
            return None
        # a clock moved back (tests) must not revive an entry either
        return entry.value if entry.made <= now() < entry.until else None

    def put(
        self,
        key: Key | None,
        value: V,
        *,
        seen: int | None = None,
        milestones: Iterable[dt.datetime | None] = (),
    ) -> None:
        """Keep `value` until `ttl` from now or the first of `milestones` still ahead (the
        ones already past are ignored: the value was made after them). `seen` is the
        generation read before its data was loaded: if anything changed since, it is not kept."""
        if key is None or (seen is not None and seen != self._generation):
            return
        made = now()
        until = min([made + self.ttl, *(m for m in milestones if m is not None and m > made)])
        if len(self._entries) >= self.kept:
            self._entries.clear()
        self._entries[key] = _Entry(value, made, until, self._generation)

    @contextlib.asynccontextmanager
    async def single_flight(self, key: Key) -> AsyncIterator[bool]:
        """Yield True to the one request that makes `key`'s value; requests that arrive while
        it does wait until it is done and get False (they then `get` it, or make it themselves
        if it was not kept: a page that is never kept delays them by one making at most, which
        a lock held by each in turn would not)."""
        pending = self._making.get(key)
        if pending is not None:
            await pending.wait()
            yield False
            return
        self._making[key] = asyncio.Event()
        try:
            yield True
        finally:
            self._making.pop(key).set()

    async def serve(
        self, key: Key | None, make: Callable[[], Awaitable[R]], reply: Callable[[V], R]
    ) -> R:
        """`reply(value)` for a fresh copy; otherwise `make()` (which `put`s what may be kept),
        one request per key at a time. Without a key the page is simply made."""
        if key is None:
            return await make()
        if (value := self.get(key)) is not None:
            return reply(value)
        async with self.single_flight(key):
            if (value := self.get(key)) is not None:  # made while this one waited
                return reply(value)
            return await make()


def on_app(request: Request, name: str, ttl: dt.timedelta, kept: int) -> PageCache[Any]:
    """The app's cache called `name` (one per process and app), made on first use."""
    state = request.app.state
    found: PageCache[Any] | None = getattr(state, name, None)
    if found is None:
        found = PageCache(ttl, kept)
        setattr(state, name, found)
    return found


class AppCaches:
    """The page cache called `name` on each app of this process (every test's app has its
    own), as a domain's services know it: `of(request)` is the serving app's, and `changed()`
    drops the copies of every one of them when what their pages show changes."""

    def __init__(self, name: str, ttl: dt.timedelta, kept: int) -> None:
        self.name, self.ttl, self.kept = name, ttl, kept
        self._caches: weakref.WeakSet[PageCache[bytes]] = weakref.WeakSet()

    def of(self, request: Request) -> PageCache[bytes]:
        cache: PageCache[bytes] = on_app(request, self.name, self.ttl, self.kept)
        self._caches.add(cache)
        return cache

    def changed(self) -> None:
        for cache in list(self._caches):
            cache.changed()


def session_free(request: Request) -> bool:
    """No user, flash or form token: checked again after rendering, which may start one."""
    return not request.scope.get("session")


def cacheable(request: Request) -> bool:
    """Whether the response to `request` reads the same for every anonymous visitor in its
    language: a GET or HEAD, without a session, and with no query but `lang`."""
    scope = request.scope
    return (
        scope.get("method") in CACHEABLE_METHODS
        and session_free(request)
        and scope.get("query_string", b"") in CACHEABLE_QUERIES
    )


def public_key(request: Request, *parts: Any) -> Key:
    """The key of a response that is the same for everyone (links in it are absolute: they
    depend on the scheme, host and root path)."""
    scope = request.scope
    host = next((value for name, value in scope["headers"] if name == b"host"), b"")
    return (*parts, scope["scheme"], host, scope.get("root_path", ""))


def anonymous_key(request: Request, *parts: Any) -> Key | None:
    """The key of a page kept for anonymous visitors, per language; None when `request`
    is not `cacheable`."""
    if not cacheable(request):
        return None
    return public_key(request, *parts, get_locale(), request.scope.get("query_string", b""))
