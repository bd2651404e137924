"""The short-lived copies of the public results pages (core.page_cache): a scope's published
results read the same for every anonymous visitor in one language.

A copy is used only until a few seconds after it was made or the scope's next scheduled
publication (that round must show from its first second), and only if nothing it shows changed
in this process since: a round published here, or its scope (an event, an award cycle) edited,
hidden or shown again, whose domain calls `changed()`. Another worker process may show such a
change up to TTL late, as the event page and the award's pages do.
"""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request

from core.page_cache import AppCaches, PageCache

TTL = dt.timedelta(seconds=5)
KEPT = 64  # pages per process; the cache is emptied when it would grow past this
_PAGES = AppCaches("judging_results_pages", TTL, KEPT)


def of(request: Request) -> PageCache[bytes]:
    """The results pages' cache of the app serving `request`."""
    return _PAGES.of(request)


def changed() -> None:
    """A round was published, or a scope changed (its visibility, its titles): copies made
    before this are no longer used."""
    _PAGES.changed()
