"""The short-lived copies of the public results pages (core.page_cache): once published, a
cycle's results read the same for every anonymous visitor in one language.

A copy is kept a few seconds at most and never past the moment of publication still ahead
(the embargo), and `changed()` drops this process's copies at once (publication, a cycle that
goes back to draft); another worker process may show a change up to TTL late.
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request

from core.page_cache import AppCaches, PageCache

TTL = dt.timedelta(seconds=5)
KEPT = 64  # entries per process; the cache is emptied when it grows past this
_PAGES = AppCaches("awards_results_cache", TTL, KEPT)


def of(request: Request) -> PageCache[bytes]:
    """The results pages' cache of the app serving `request`."""
    return _PAGES.of(request)


def changed() -> None:
    """Results were published or a cycle changed: copies made before this are not used."""
    _PAGES.changed()
