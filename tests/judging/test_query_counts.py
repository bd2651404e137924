"""List pages run a fixed number of queries, however many entries and judges they show."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from tortoise import Tortoise

from judging import services
from judging.enums import RoundState
from tests.factories import make_user, sign_in
from tests.judging.builders import organizer, ready_round, score_everything
from tests.judging.sources import OTHER_SCOPE_ID, SCOPE_ID, candidate

LINKS = services.Links("http://testserver", lambda name, **params: "/")


@contextlib.contextmanager
def counted() -> Iterator[list[str]]:
    """Every SQL statement run on the default connection while the block runs."""
    connection = Tortoise.get_connection("default")
    seen: list[str] = []
    originals = {name: getattr(connection, name) for name in ("execute_query",
                                                              "execute_query_dict")}
    for name, original in originals.items():
        def wrapper(sql, values=None, _original=original):  # noqa: ANN001, ANN202
            seen.append(sql)
            return _original(sql, values)

        setattr(connection, name, wrapper)
    try:
        yield seen
    finally:
        for name in originals:
            delattr(connection, name)


async def page_queries(client, source, scope_id: int, judges: int) -> dict[str, int]:  # noqa: ANN001
    round_, seats = await ready_round(source, judges=judges, k=2, scope_id=scope_id)
    await score_everything(round_, seats)
    round_.state = RoundState.CLOSED
    await round_.save()
    client.cookies.clear()
    await sign_in(client, await organizer(scope_id))
    counts = {}
    base = f"/judging/event/{scope_id}/rounds/{round_.id}"
    for name, url in (("assignments", base + "/assignments"), ("results", base + "/results")):
        with counted() as seen:
            assert (await client.get(url)).status_code == 200
        counts[name] = len(seen)
    client.cookies.clear()
    await sign_in(client, await seats[0].user)
    with counted() as seen:
        assert (await client.get("/judging/queue")).status_code == 200
    counts["queue"] = len(seen)
    await services.publish(await make_user(admin=True), round_, source.scopes[scope_id], LINKS)
    with counted() as seen:
        assert (await client.get(f"/judging/event/{scope_id}/results")).status_code == 200
    counts["public"] = len(seen)
    return counts


async def test_page_queries_do_not_grow_with_the_round(client, source):
    for n in range(201, 219):
        source.add(OTHER_SCOPE_ID, candidate(n, track="a" if n % 2 else "b"))
    small = await page_queries(client, source, SCOPE_ID, judges=3)  # 6 entries, 3 judges
    large = await page_queries(client, source, OTHER_SCOPE_ID, judges=7)  # 18 entries, 7 judges
    assert small == large
    assert all(0 < count <= 12 for count in small.values()), small
