"""The nominee's answer: a signed, expiring link used once; a decline tells every nominator;
a nomination not accepted by the deadline plus grace is not screened."""

from __future__ import annotations

import datetime as dt

import pytest

from awards.enums import NominationState
from awards.models import Nomination
from awards.services import acceptance, screening
from awards.services.common import DeadlinePassed, LinkInvalid
from awards.services.nominations import save_nomination
from core import clock
from core.audit import AuditEntry
from tests.awards.factories import DAY, colleague, mails_to, make_category, make_cycle
from tests.factories import make_user


async def nominated(settings, **category_fields):
    cycle = await make_cycle()
    category = await make_category(cycle, **category_fields)
    nominator = await make_user("nominator@example.org", language="en")
    saved = await save_nomination(settings, nominator, category, colleague(), submit=True)
    invitation = (await mails_to("sara1@news.example.sa"))[0]
    link = next(w for w in invitation.body_text.split() if "/accept/" in w)
    return cycle, saved.nomination, link.rsplit("/", 1)[1]


async def test_the_nominee_accepts_from_the_mail_and_the_nomination_is_screened(settings, db):
    cycle, nomination, token = await nominated(settings)
    nominee = await make_user("sara1@news.example.sa")
    answer = await acceptance.answer(settings, token, accept=True, user=nominee)
    row = await Nomination.get(id=nomination.id)
    assert answer.accepted and row.state == NominationState.SUBMITTED
    assert row.nominee_user_id == nominee.id and row.accepted_at is not None
    entry = await AuditEntry.get(action="awards.nominee_accept")
    assert (entry.actor_id, entry.scope_id) == (nominee.id, cycle.id)
    clock.travel(25 * DAY)  # screening
    assert [n.id for n in await screening.queue(cycle)] == [nomination.id]


async def test_an_acceptance_link_used_twice_is_refused(settings, db):
    _cycle, nomination, token = await nominated(settings)
    await acceptance.answer(settings, token, accept=True)
    for accept in (True, False):
        with pytest.raises(LinkInvalid) as refused:
            await acceptance.answer(settings, token, accept=accept)
        assert refused.value.message == "This link was already used."
    assert (await Nomination.get(id=nomination.id)).state == NominationState.SUBMITTED


async def test_an_altered_acceptance_link_is_refused(settings, db):
    _cycle, nomination, token = await nominated(settings)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (altered, "nonsense", token + "x"):
        with pytest.raises(LinkInvalid) as refused:
            await acceptance.answer(settings, bad, accept=True)
        assert refused.value.message == (
            "This link is not valid. Use the link exactly as it came in the mail."
        )
    assert (await Nomination.get(id=nomination.id)).state == NominationState.AWAITING_NOMINEE


async def test_an_expired_acceptance_link_is_refused(settings, db):
    _cycle, nomination, token = await nominated(settings)
    clock.travel(dt.timedelta(days=31))
    with pytest.raises(LinkInvalid) as refused:
        await acceptance.answer(settings, token, accept=True)
    assert refused.value.message == "This link has expired."
    assert (await Nomination.get(id=nomination.id)).state == NominationState.AWAITING_NOMINEE


async def test_after_the_deadline_and_grace_the_nominee_can_no_longer_accept(settings, db):
    cycle, nomination, token = await nominated(settings)
    clock.travel(23 * DAY + dt.timedelta(seconds=1))  # close (day 30) + 72 h grace, passed
    with pytest.raises(DeadlinePassed) as refused:
        await acceptance.answer(settings, token, accept=True)
    assert refused.value.message.startswith("The time to answer this nomination ended on ")
    assert await screening.queue(cycle) == []
    counts = await screening.counts(cycle)
    assert (counts.lapsed, counts.awaiting_nominee, counts.awaiting_ruling) == (1, 0, 0)


async def test_a_decline_takes_the_nomination_out_and_tells_every_nominator(settings, db):
    cycle, nomination, token = await nominated(settings)
    category = await nomination.category
    second = await make_user("second@example.org", language="ar")
    await save_nomination(settings, second, category, colleague(statement="x"), submit=True)
    await acceptance.answer(settings, token, accept=False)
    row = await Nomination.get(id=nomination.id)
    assert row.state == NominationState.DECLINED and row.declined_at is not None
    english = [m for m in await mails_to("nominator@example.org") if "declined" in m.subject]
    arabic = [m for m in await mails_to("second@example.org") if "اعتذر" in m.subject]
    assert [m.subject for m in english] == ["Sara Almutairi 1 declined the nomination"]
    assert [m.subject for m in arabic] == ["اعتذر سارة المطيري 1 عن قبول الترشيح"]
    assert "The nomination has left the race." in english[0].body_text
    clock.travel(25 * DAY)
    assert await screening.queue(cycle) == []
