"""The short-lived copies of the public event page and the API's event list (core.page_cache):
they are the most visited events pages and the same for every anonymous visitor.

A copy is used only until a few seconds after it was made or the event's next milestone (so a
phase never shows late), and only if no event or track changed in this process since (services
call `changed()`); another worker process may show a change up to TTL late. The event page is
not kept at all while judging may publish results on it (`keep_event_page`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request

from accounts.enums import ScopeType
from core.page_cache import AppCaches, PageCache
from events.models import Event
from judging.services import public_pages, published

TTL = dt.timedelta(seconds=5)
KEPT = 256  # entries per process; the cache is emptied when it grows past this
_PAGES = AppCaches("events_public_cache", TTL, KEPT)


def of(request: Request) -> PageCache[bytes]:
    """The events pages' cache of the app serving `request`."""
    return _PAGES.of(request)


def changed() -> None:
    """An event or its tracks changed: copies made before this are no longer used, nor are
    judging's copies of its results pages (which show the event's title, and only while it is
    published)."""
    _PAGES.changed()
    public_pages.changed()


async def keep_event_page(
    cache: PageCache[bytes],
    key: tuple[Any, ...] | None,
    body: bytes,
    event: Event,
    *,
    seen: int,
    moment: dt.datetime,
) -> None:
    """Keep an anonymous visitor's event page until its next milestone, or until judging may
    change what it shows (an open round's end, a scheduled publication); not at all while
    judging may publish results on it at any moment."""
    settled, changes = await published.results_outlook(ScopeType.EVENT.value, event.id, moment)
    if settled:
        milestones = [*(when for _name, when in event.timeline.milestones()), *changes]
        cache.put(key, body, seen=seen, milestones=milestones)
