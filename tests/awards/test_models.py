"""What the database itself guarantees, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from tortoise.exceptions import IntegrityError

from awards import timeline
from awards.enums import CyclePhase, NominationState, Ruling
from awards.models import (
    Appeal,
    Cycle,
    Nomination,
    NominationCredit,
    NominationVersion,
    NominatorTally,
    NomineeClaim,
    ScreeningRuling,
)
from core.clock import now
from tests.awards.factories import make_category, make_cycle
from tests.factories import make_user


async def nomination(cycle, category, user, **fields):
    return await Nomination.create(
        cycle=cycle, category=category, created_by=user, nominee_email="a@b.org", **fields
    )


async def test_one_claim_per_nominee_key_and_category(db):
    cycle = await make_cycle()
    category, other = await make_category(cycle), await make_category(cycle)
    user = await make_user()
    a, b = await nomination(cycle, category, user), await nomination(cycle, category, user)
    await NomineeClaim.create(category=category, key="email:a@b.org", nomination=a)
    await NomineeClaim.create(category=other, key="email:a@b.org", nomination=a)
    with pytest.raises(IntegrityError):
        await NomineeClaim.create(category=category, key="email:a@b.org", nomination=b)
    assert await NomineeClaim.all().count() == 2


async def test_one_credit_per_nominator_one_tally_one_version_number(db):
    cycle = await make_cycle()
    category = await make_category(cycle)
    user = await make_user()
    row = await nomination(cycle, category, user)
    await NominationCredit.create(nomination=row, user=user)
    with pytest.raises(IntegrityError):
        await NominationCredit.create(nomination=row, user=user)
    await NominatorTally.create(category=category, user=user, count=1)
    with pytest.raises(IntegrityError):
        await NominatorTally.create(category=category, user=user, count=1)
    await NominationVersion.create(
        nomination=row, number=1, snapshot={}, fingerprint="f", author=user, created_at=now()
    )
    with pytest.raises(IntegrityError):
        await NominationVersion.create(
            nomination=row, number=1, snapshot={}, fingerprint="g", author=user, created_at=now()
        )


async def test_one_appeal_per_ruling_and_one_draft_per_form_key(db):
    cycle = await make_cycle()
    category = await make_category(cycle)
    user = await make_user()
    row = await nomination(cycle, category, user, form_key="k", state=NominationState.INELIGIBLE)
    ruling = await ScreeningRuling.create(
        nomination=row, ruling=Ruling.INELIGIBLE, ruled_by=user, ruled_at=now()
    )
    await Appeal.create(nomination=row, ruling=ruling, statement="s", filed_by=user, filed_at=now())
    with pytest.raises(IntegrityError):
        await Appeal.create(
            nomination=row, ruling=ruling, statement="t", filed_by=user, filed_at=now()
        )
    with pytest.raises(IntegrityError):
        await nomination(cycle, category, user, form_key="k")
    await nomination(cycle, category, user)  # no key: any number of rows
    await nomination(cycle, category, user)


async def test_a_cycle_address_is_unique_and_its_defaults_are_the_house_ones(db):
    cycle = await make_cycle()
    assert cycle.time_zone == "Asia/Riyadh" and cycle.acceptance_grace_hours == 72
    assert cycle.acceptance_deadline == cycle.nominations_close + dt.timedelta(hours=72)
    with pytest.raises(IntegrityError):
        await Cycle.create(
            slug=cycle.slug,
            year=2027,
            **{k: getattr(cycle, k) for k in timeline.Timeline.__dataclass_fields__},
        )


def test_the_phase_at_each_boundary():
    day = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    t = timeline.Timeline(
        nominations_open=day,
        nominations_close=day + dt.timedelta(days=30),
        screening_ends=day + dt.timedelta(days=40),
        appeals_close=day + dt.timedelta(days=45),
        shortlist_at=day + dt.timedelta(days=60),
        voting_opens=day + dt.timedelta(days=70),
        voting_closes=day + dt.timedelta(days=80),
        results_at=day + dt.timedelta(days=90),
    )
    second = dt.timedelta(seconds=1)
    assert timeline.phase(t, day - second) == CyclePhase.UPCOMING
    assert timeline.phase(t, day) == CyclePhase.NOMINATIONS
    assert timeline.phase(t, t.nominations_close - second) == CyclePhase.NOMINATIONS
    assert timeline.phase(t, t.nominations_close) == CyclePhase.SCREENING
    assert timeline.phase(t, t.screening_ends) == CyclePhase.APPEALS
    assert timeline.phase(t, t.appeals_close) == CyclePhase.JURY
    assert timeline.phase(t, t.shortlist_at) == CyclePhase.SHORTLIST
    assert timeline.phase(t, t.voting_opens) == CyclePhase.VOTING
    assert timeline.phase(t, t.voting_closes) == CyclePhase.COUNTING
    assert timeline.phase(t, t.results_at) == CyclePhase.RESULTS


def test_timeline_problems_name_the_date_out_of_order():
    day = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    values = {
        "nominations_open": day,
        "nominations_close": day,
        "screening_ends": day + dt.timedelta(days=3),
        "appeals_close": day + dt.timedelta(days=2),
    }
    assert timeline.timeline_problems(values) == [
        ("nominations_close", "nominations_open"),
        ("appeals_close", "screening_ends"),
    ]
