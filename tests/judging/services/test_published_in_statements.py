"""The SQL that judging offers the judged domains' own statements (an event's page, the
participant's dashboard) says what judging's services say."""

from __future__ import annotations

import datetime as dt

from core import clock, sql
from judging.enums import RoundState
from judging.services import published
from tests.judging.factories import make_round

SCOPES = sql.Statement(
    lambda: (
        f"SELECT {published.any_published_round('s.id')} AS found"
        " FROM (SELECT CAST(? AS INTEGER) AS id) s"
    )
)
"""The EXISTS for one scope id (a parameter, after the EXISTS's own)."""


async def test_any_published_round_is_true_when_published_rounds_finds_one(db):
    """Published, its publication time come or not: the page then reads the rounds (and
    published_results decides what is public); a draft, an open or a closed round is not."""
    later = clock.now() + dt.timedelta(days=1)
    cases = {
        101: [RoundState.DRAFT],
        102: [RoundState.OPEN, RoundState.CLOSED],
        103: [RoundState.PUBLISHED],
        104: [RoundState.CLOSED, RoundState.PUBLISHED],
        105: [],
    }
    for scope_id, states in cases.items():
        for state in states:
            publish_at = later if scope_id == 104 else None
            await make_round(scope_id, criteria=False, state=state, publish_at=publish_at)
    for scope_id in cases:
        params = [*published.any_published_round_params("event"), scope_id]
        found = bool((await sql.rows(SCOPES, params))[0]["found"])
        assert found == bool(await published.published_rounds("event", scope_id)), scope_id
        assert found == (RoundState.PUBLISHED in cases[scope_id]), scope_id
    params = [*published.any_published_round_params("award_cycle"), 103]
    assert not (await sql.rows(SCOPES, params))[0]["found"]  # another kind of scope
