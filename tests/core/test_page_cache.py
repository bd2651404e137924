"""core.page_cache: a copy is kept for its TTL, never past its milestone nor a change, and
requests arriving together for an expired copy make it once."""

from __future__ import annotations

import asyncio
import datetime as dt

from starlette.applications import Starlette
from starlette.requests import Request

from core import clock
from core.page_cache import AppCaches, PageCache, anonymous_key, cacheable, public_key

TTL = dt.timedelta(seconds=5)


def request(
    method: str = "GET",
    query: bytes = b"",
    host: bytes = b"example.org",
    session: dict[str, str] | None = None,
) -> Request:
    scope = {
        "type": "http",
        "method": method,
        "path": "/",
        "query_string": query,
        "scheme": "https",
        "root_path": "",
        "headers": [(b"host", host)],
        "session": session or {},
    }
    return Request(scope)


def test_a_copy_is_kept_for_its_ttl_then_expires():
    cache: PageCache[bytes] = PageCache(TTL, kept=8)
    cache.put(("home",), b"<p>one</p>")
    clock.travel(dt.timedelta(seconds=4, milliseconds=999))
    assert cache.get(("home",)) == b"<p>one</p>"
    clock.travel(dt.timedelta(milliseconds=1))
    assert cache.get(("home",)) is None


def test_a_copy_never_outlives_its_next_milestone():
    cache: PageCache[bytes] = PageCache(TTL, kept=8)
    past = clock.now() - dt.timedelta(days=1)
    cache.put(
        ("event",), b"registration", milestones=[None, past, clock.now() + dt.timedelta(seconds=2)]
    )
    clock.travel(dt.timedelta(seconds=1))
    assert cache.get(("event",)) == b"registration"  # a milestone already past is ignored
    clock.travel(dt.timedelta(seconds=1))
    assert cache.get(("event",)) is None


def test_a_clock_moved_back_does_not_revive_a_copy():
    cache: PageCache[bytes] = PageCache(TTL, kept=8)
    cache.put(("home",), b"today")
    clock.travel(-dt.timedelta(seconds=1))
    assert cache.get(("home",)) is None


def test_changed_drops_copies_and_those_made_from_older_data():
    cache: PageCache[bytes] = PageCache(TTL, kept=8)
    cache.put(("a",), b"A")
    seen = cache.generation
    cache.changed()
    assert cache.get(("a",)) is None
    cache.put(("b",), b"B", seen=seen)  # loaded before the change: not kept
    assert cache.get(("b",)) is None
    cache.put(("b",), b"B", seen=cache.generation)
    assert cache.get(("b",)) == b"B"
    cache.clear()
    assert cache.get(("b",)) is None and len(cache) == 0


def test_the_cache_is_emptied_rather_than_growing_past_its_size():
    cache: PageCache[int] = PageCache(TTL, kept=3)
    for n in range(3):
        cache.put((n,), n)
    assert [cache.get((n,)) for n in range(3)] == [0, 1, 2]
    cache.put((3,), 3)
    assert len(cache) == 1 and cache.get((0,)) is None and cache.get((3,)) == 3


async def test_requests_arriving_together_make_the_copy_once():
    cache: PageCache[bytes] = PageCache(TTL, kept=8)
    made: list[str] = []

    async def make() -> str:
        made.append("page")
        await asyncio.sleep(0.01)  # the others arrive while it is being made
        cache.put(("page",), b"made")
        return "made"

    served = await asyncio.gather(*(cache.serve(("page",), make, bytes.decode) for _ in range(8)))
    assert served == ["made"] * 8 and made == ["page"]


async def test_a_copy_that_is_not_kept_is_made_by_each_waiting_request():
    cache: PageCache[bytes] = PageCache(TTL, kept=8)
    made: list[int] = []

    async def make() -> str:
        made.append(len(made))
        await asyncio.sleep(0.01)
        return "personal"

    served = await asyncio.gather(*(cache.serve(("page",), make, bytes.decode) for _ in range(4)))
    assert served == ["personal"] * 4 and made == [0, 1, 2, 3]
    assert await cache.serve(None, make, bytes.decode) == "personal"  # no key: just made


def test_only_anonymous_get_pages_in_a_known_language_are_cacheable():
    assert cacheable(request()) and cacheable(request("HEAD", b"lang=en"))
    assert not cacheable(request("POST"))
    assert not cacheable(request(query=b"lang=fr"))
    assert not cacheable(request(query=b"page=2"))
    assert not cacheable(request(session={"user_id": "7"}))
    assert anonymous_key(request(session={"flash": "hi"}), "core:home") is None


def test_keys_follow_the_language_scheme_and_host():
    english = anonymous_key(request(query=b"lang=en"), "core:home")
    assert english is not None and english[0] == "core:home" and b"lang=en" in english
    assert english != anonymous_key(request(), "core:home")
    assert public_key(request(), "api") == ("api", "https", b"example.org", "")
    assert public_key(request(host=b"localhost"), "api") != public_key(request(), "api")


def test_a_domains_caches_are_one_per_app_and_a_change_drops_the_copies_of_every_app():
    pages = AppCaches("test_pages", TTL, kept=8)
    first, second = request(), request()
    first.scope["app"], second.scope["app"] = Starlette(), Starlette()
    assert pages.of(first) is pages.of(first)
    assert pages.of(first) is not pages.of(second)
    pages.of(first).put(("results",), b"<p>first</p>")
    pages.of(second).put(("results",), b"<p>second</p>")
    assert pages.of(second).get(("results",)) == b"<p>second</p>"

    pages.changed()
    assert pages.of(first).get(("results",)) is None
    assert pages.of(second).get(("results",)) is None
