"""Screening: rulings with a coded reason, only during screening, in bulk (all or none); one
appeal before the deadline; the appeal's decision is final. All audited and mailed."""

from __future__ import annotations

import datetime as dt

import pytest

from awards.enums import AppealState, NominationState, Ruling
from awards.models import Appeal, Nomination, ScreeningRuling
from awards.services import screening
from awards.services.common import DeadlinePassed, PhaseClosed
from awards.services.nominations import save_nomination
from core import clock
from core.audit import AuditEntry
from core.errors import Conflict, Forbidden, Invalid
from core.mail.models import OutboxMessage
from tests.awards.factories import DAY, colleague, mails_to, make_category, make_cycle
from tests.factories import make_user

TO_SCREENING = 25 * DAY  # from day 10 (nominations) to day 35 (screening)


async def self_nominations(settings, n=1, language="en"):
    organizer = await make_user("organizer@example.org", language="en")
    cycle = await make_cycle(organizer=organizer)
    category = await make_category(cycle, name_en="Podcast", name_ar="البودكاست")
    rows = []
    for i in range(n):
        user = await make_user(f"n{i}@example.org", language=language)
        values = colleague(i, self_nomination=True, nominee_email="")
        rows.append(
            (await save_nomination(settings, user, category, values, submit=True)).nomination
        )
    return organizer, cycle, rows


async def test_ruling_outside_screening_is_refused_and_changes_nothing(settings, db):
    organizer, cycle, [row] = await self_nominations(settings)
    with pytest.raises(PhaseClosed) as refused:
        await screening.rule(settings, organizer, cycle, [row.id], ruling=Ruling.ELIGIBLE)
    assert refused.value.message.startswith("Nominations can be ruled on only during screening")
    clock.travel(TO_SCREENING + 11 * DAY)  # screening ended on day 45
    with pytest.raises(PhaseClosed):
        await screening.rule(settings, organizer, cycle, [row.id], ruling=Ruling.ELIGIBLE)
    assert await ScreeningRuling.all().count() == 0
    assert (await Nomination.get(id=row.id)).state == NominationState.SUBMITTED


async def test_an_ineligible_ruling_needs_a_reason_of_the_cycle(settings, db):
    organizer, cycle, [row] = await self_nominations(settings)
    clock.travel(TO_SCREENING)
    with pytest.raises(Invalid) as refused:
        await screening.rule(settings, organizer, cycle, [row.id], ruling=Ruling.INELIGIBLE)
    assert refused.value.errors == {"reason": "Choose the reason the nomination is ineligible."}
    with pytest.raises(Invalid) as refused:
        await screening.rule(
            settings, organizer, cycle, [row.id], ruling=Ruling.INELIGIBLE, reason_code="NOPE"
        )
    assert refused.value.errors == {"reason": "Choose one of the cycle's reasons."}
    assert await ScreeningRuling.all().count() == 0


async def test_the_nominator_reads_the_ruling_and_its_reason_in_their_language(settings, db):
    organizer, cycle, [row] = await self_nominations(settings, language="ar")
    clock.travel(TO_SCREENING)
    [made] = await screening.rule(
        settings,
        organizer,
        cycle,
        [row.id],
        ruling=Ruling.INELIGIBLE,
        reason_code="window",
        note="نُشر في 2024.",
    )
    assert made.reason_id is not None and made.ruling == Ruling.INELIGIBLE
    assert (await Nomination.get(id=row.id)).state == NominationState.INELIGIBLE
    mail = (await mails_to("n0@example.org"))[-1]
    assert mail.subject == "تقرر أن ترشيحك لـسارة المطيري 0 غير مؤهل"
    assert "السبب: نُشر العمل خارج فترة الأهلية" in mail.body_text
    assert "نُشر في 2024." in mail.body_text
    entry = await AuditEntry.get(action="awards.rule")
    assert entry.before == {"state": "submitted"}
    assert entry.after == {"state": "ineligible", "reason": "WINDOW", "note": "نُشر في 2024."}


async def test_bulk_rulings_are_all_or_none(settings, db):
    organizer, cycle, rows = await self_nominations(settings, n=3)
    waiting_user = await make_user()
    category = await rows[0].category
    waiting = await save_nomination(settings, waiting_user, category, colleague(9), submit=True)
    clock.travel(TO_SCREENING)
    mails = await OutboxMessage.all().count()
    ids = [r.id for r in rows] + [waiting.nomination.id]
    with pytest.raises(Conflict) as refused:
        await screening.rule(settings, organizer, cycle, ids, ruling=Ruling.ELIGIBLE)
    assert refused.value.message == (
        f"Nomination {waiting.nomination.id}: This nomination waits on its nominee's acceptance "
        "and cannot be ruled on."
    )
    assert await ScreeningRuling.all().count() == 0
    assert await OutboxMessage.all().count() == mails
    made = await screening.rule(
        settings, organizer, cycle, [r.id for r in rows], ruling=Ruling.ELIGIBLE
    )
    assert len(made) == 3
    assert await Nomination.filter(state=NominationState.ELIGIBLE).count() == 3
    assert await AuditEntry.filter(action="awards.rule").count() == 3
    counts = await screening.counts(cycle)
    assert counts.by_category_state[(category.id, "eligible")] == 3
    assert counts.awaiting_ruling == 0


async def ruled_ineligible(settings):
    organizer, cycle, [row] = await self_nominations(settings)
    clock.travel(TO_SCREENING)
    await screening.rule(
        settings, organizer, cycle, [row.id], ruling=Ruling.INELIGIBLE, reason_code="EVIDENCE"
    )
    nominator = await make_user_of(row)
    return organizer, cycle, row, nominator


async def make_user_of(row):
    from accounts.models import User

    return await User.get(id=row.created_by_id)


async def test_one_appeal_then_its_decision_is_final(settings, db):
    organizer, cycle, row, nominator = await ruled_ineligible(settings)
    appeal = await screening.file_appeal(settings, nominator, row, statement="Here is the proof.")
    with pytest.raises(Conflict) as refused:
        await screening.file_appeal(settings, nominator, row, statement="Again.")
    assert refused.value.message == (
        "This ruling was already appealed: a nomination can be appealed once."
    )
    assert await Appeal.all().count() == 1
    decided = await screening.decide_appeal(
        settings, organizer, appeal, upheld=True, note="The link proves the date."
    )
    assert decided.state == AppealState.UPHELD
    row = await Nomination.get(id=row.id)
    assert (row.state, row.final) == (NominationState.ELIGIBLE, True)
    mail = (await mails_to(nominator.email))[-1]
    assert mail.subject == "Your appeal for Sara Almutairi 0 was decided"
    assert (
        "Your appeal was upheld" in mail.body_text and "This decision is final." in mail.body_text
    )
    entry = await AuditEntry.get(action="awards.appeal_decide")
    assert entry.after == {
        "state": "upheld",
        "nomination": row.id,
        "note": "The link proves the date.",
    }
    with pytest.raises(Conflict) as refused:
        await screening.decide_appeal(settings, organizer, appeal, upheld=False)
    assert refused.value.message == "This appeal was already decided; the decision is final."
    with pytest.raises(Conflict) as refused:
        await screening.rule(
            settings, organizer, cycle, [row.id], ruling=Ruling.INELIGIBLE, reason_code="EVIDENCE"
        )
    assert "its ruling is final" in refused.value.message
    assert (await Nomination.get(id=row.id)).state == NominationState.ELIGIBLE


async def test_an_appeal_after_the_appeal_deadline_is_refused(settings, db):
    _organizer, cycle, row, nominator = await ruled_ineligible(settings)
    clock.travel(17 * DAY + dt.timedelta(seconds=1))  # appeals closed on day 52
    with pytest.raises(DeadlinePassed) as refused:
        await screening.file_appeal(settings, nominator, row, statement="Late.")
    assert refused.value.message.startswith("Appeals closed on ")
    assert await Appeal.all().count() == 0


async def test_only_a_nominator_appeals_and_only_an_ineligible_ruling(settings, db):
    organizer, cycle, [row] = await self_nominations(settings)
    nominator = await make_user_of(row)
    stranger = await make_user()
    with pytest.raises(Forbidden):
        await screening.file_appeal(settings, stranger, row, statement="Mine?")
    with pytest.raises(Conflict) as refused:
        await screening.file_appeal(settings, nominator, row, statement="Not ruled yet.")
    assert refused.value.message == "Only an ineligible ruling can be appealed."
    with pytest.raises(Invalid):
        await screening.file_appeal(settings, nominator, row, statement="  ")
    assert await Appeal.all().count() == 0
