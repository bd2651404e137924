"""The short-lived copies of the public shortlist pages (core.page_cache): once published a
shortlist reads the same for every anonymous visitor in one language and no longer changes.

A copy is used only until a few seconds after it was made, and only if no cycle or category
changed in this process since (services call `changed()`: a cycle going back to draft, a
renamed category); another worker process may show a change up to TTL late.
"""

from __future__ import annotations

import datetime as dt
import weakref

from starlette.requests import Request

from core.page_cache import PageCache, on_app

TTL = dt.timedelta(seconds=5)
KEPT = 64  # entries per process; the cache is emptied when it grows past this
_caches: weakref.WeakSet[PageCache[bytes]] = weakref.WeakSet()  # one per app in this process


def of(request: Request) -> PageCache[bytes]:
    """The shortlist pages' cache of the app serving `request`."""
    cache = on_app(request, "awards_shortlist_cache", TTL, KEPT)
    _caches.add(cache)
    return cache


def changed() -> None:
    """A cycle or a category changed: copies made before this are no longer used."""
    for cache in list(_caches):
        cache.changed()
