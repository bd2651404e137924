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

from starlette.requests import Request

from core.page_cache import AppCaches, PageCache
from judging.services import public_pages

TTL = dt.timedelta(seconds=5)
KEPT = 64  # entries per process; the cache is emptied when it grows past this
_PAGES = AppCaches("awards_shortlist_cache", TTL, KEPT)


def of(request: Request) -> PageCache[bytes]:
    """The shortlist pages' cache of the app serving `request`."""
    return _PAGES.of(request)


def changed() -> None:
    """A cycle or a category changed: copies made before this are no longer used, nor are
    judging's copies of the cycle's results pages (which show the cycle's name, and only while
    it is published)."""
    _PAGES.changed()
    public_pages.changed()
