"""The short-lived copies of the award's public pages (core.page_cache): a cycle's page and its
published shortlist read the same for every anonymous visitor in one language.

A copy is used only until a few seconds after it was made (a cycle's page never past its next
milestone, where its phase changes), and only if no cycle or category changed in this process
since (services call `changed()`: a cycle edited, published or hidden, a deadline extended, a
category added, edited or moved, a shortlist published); another worker process may show a
change up to TTL late.
"""

from __future__ import annotations

import datetime as dt
import weakref

from starlette.requests import Request

from core.page_cache import PageCache, on_app
from judging.services import public_pages

TTL = dt.timedelta(seconds=5)
KEPT = 64  # entries per process; the cache is emptied when it grows past this
_caches: weakref.WeakSet[PageCache[bytes]] = weakref.WeakSet()  # one per app in this process


def of(request: Request) -> PageCache[bytes]:
    """The shortlist pages' cache of the app serving `request`."""
    cache = on_app(request, "awards_shortlist_cache", TTL, KEPT)
    _caches.add(cache)
    return cache


def changed() -> None:
    """A cycle or a category changed: copies made before this are no longer used, nor are
    judging's copies of the cycle's results pages (which show the cycle's name, and only while
    it is published)."""
    for cache in list(_caches):
        cache.changed()
    public_pages.changed()
