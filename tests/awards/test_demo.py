"""The award's demo data loads through the services, with every state the issue asks for."""

from __future__ import annotations

from accounts import demo as accounts_demo
from awards import demo
from awards.enums import AppealState, NominationState
from awards.models import Appeal, Category, Cycle, Nomination
from awards.services import duplicates
from core.clock import now


async def test_the_demo_has_last_years_cycle_screened_and_this_years_open(settings, db):
    await accounts_demo.load(settings)
    started = now()
    lines = await demo.load(settings)
    assert abs((now() - started).total_seconds()) < 60  # the clock is back where it was
    assert "Media Excellence Award:" in lines
    last, current = await Cycle.all().order_by("year", "id")
    assert last.phase(now()).value == "results" and current.phase(now()).value == "nominations"
    names = await Category.filter(cycle_id=current.id).values_list("name_en", flat=True)
    assert names == [
        "Investigative report",
        "Documentary",
        "Photography",
        "Creative video",
        "Podcast",
        "AI-generated content",
        "Media personality of the year",
    ]
    old = await Nomination.filter(cycle_id=last.id).values_list("state", flat=True)
    assert sorted(old) == sorted(["eligible"] * 6 + ["ineligible"])
    states = await Nomination.filter(cycle_id=current.id).values_list("state", flat=True)
    assert states.count(NominationState.AWAITING_NOMINEE) == 3  # two of them likely twins
    assert NominationState.INELIGIBLE in states and NominationState.SUBMITTED in states
    appeal = await Appeal.get(nomination__cycle_id=current.id)
    assert appeal.state == AppealState.PENDING
    twins = await Nomination.filter(cycle_id=current.id, work_title="طرق بلا نهاية")
    assert len(twins) == 2 and twins[0].nominee_email != twins[1].nominee_email
    pairs = await duplicates.likely_duplicates(current)
    if duplicates.matching is not None:  # the similarity matcher is installed
        assert (twins[0].id, twins[1].id) in [(p.first, p.second) for p in pairs]
