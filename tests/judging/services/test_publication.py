"""judging.services.publication against the database."""

from __future__ import annotations

import datetime as dt

import pytest

from core import clock
from core.audit import AuditEntry
from core.errors import Conflict
from judging.enums import (
    MarkKind,
    RoundState,
)
from judging.models import Entry, Round
from judging.services import (
    decisions,
    publication,
    rounds,
)
from judging.services import feedback as feedback_service
from judging.services import published as published_service
from tests.judging.factories import ready_round, score_everything
from tests.judging.services.helpers import LINKS, admin
from tests.judging.sources import SCOPE_ID


async def test_publishing_twice_is_refused_and_nothing_is_public_before(db, source):
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    actor = await admin()
    scope = source.scopes[SCOPE_ID]
    with pytest.raises(Conflict) as caught:
        await publication.publish(actor, round_, scope, LINKS)
    assert caught.value.message == (
        "Close the round first: results are decided once scoring is over."
    )
    await rounds.change_state(actor, round_, "close")
    winner = await Entry.get(round=round_, source_id=104)
    await decisions.set_mark(
        actor, round_, winner.id, kind=MarkKind.WINNER, place=1, per_group=False
    )
    assert await published_service.published_results("event", SCOPE_ID) is None
    assert await feedback_service.feedback_for("test.submission", 104) is None
    await publication.publish(actor, round_, scope, LINKS)
    with pytest.raises(Conflict) as caught:
        await publication.publish(actor, round_, scope, LINKS)
    assert caught.value.message == (
        "The results of this round are already published: they can no longer change."
    )
    published = await published_service.published_results("event", SCOPE_ID)
    assert [p.entry.source_id for p in published.rounds[0].overall] == [104]
    assert await AuditEntry.filter(action="judging.results_published").count() == 1


async def test_a_scheduled_publication_shows_nothing_until_its_time(db, source):
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    actor = await admin()
    await rounds.change_state(actor, round_, "close")
    at = clock.now() + dt.timedelta(days=1)
    await publication.publish(actor, round_, source.scopes[SCOPE_ID], LINKS, at=at)
    assert (await Round.get(id=round_.id)).state == RoundState.PUBLISHED
    assert await published_service.published_results("event", SCOPE_ID) is None
    clock.travel(dt.timedelta(days=1, minutes=1))
    assert await published_service.published_results("event", SCOPE_ID) is not None
