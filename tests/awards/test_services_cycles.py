"""Cycles: creation (the creator organizes it), the timeline kept in order, deadlines extended
and audited, the phase from the clock, categories and the list of reasons."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Membership
from awards.enums import CyclePhase, Milestone, NomineeType, Visibility
from awards.services import cycles
from awards.services.common import DeadlinePassed
from awards.services.nominations import save_nomination
from core.audit import AuditEntry
from core.clock import now
from core.errors import Conflict, Invalid
from tests.awards.factories import POSITION, colleague, make_category, make_cycle, timeline
from tests.factories import make_user


def cycle_values(**fields):
    return {
        "slug": "award-2026",
        "year": 2026,
        "name_ar": "جائزة التميز الإعلامي 2026",
        "name_en": "Media Excellence Award 2026",
        **timeline("nominations"),
        **fields,
    }


async def test_the_creator_organizes_a_new_draft_cycle_and_it_is_audited(db):
    actor = await make_user(language="en")
    cycle = await cycles.create_cycle(actor, cycle_values())
    assert (cycle.visibility, cycle.time_zone) == (Visibility.DRAFT, "Asia/Riyadh")
    role = await Membership.get(user_id=actor.id)
    assert (role.scope_type, role.scope_id, role.role) == ("award_cycle", cycle.id, "organizer")
    entry = await AuditEntry.get(action="awards.cycle_create")
    assert entry.after["slug"] == "award-2026" and entry.scope_id == cycle.id
    with pytest.raises(Invalid) as refused:
        await cycles.create_cycle(actor, cycle_values())
    assert refused.value.errors == {"slug": "Another award cycle already uses this address."}


async def test_a_timeline_out_of_order_or_an_unknown_zone_is_refused(db):
    actor = await make_user(language="en")
    values = cycle_values(time_zone="Mars/Olympus")
    values["screening_ends"] = values["nominations_close"] - dt.timedelta(days=1)
    with pytest.raises(Invalid) as refused:
        await cycles.create_cycle(actor, values)
    assert refused.value.errors == {
        "time_zone": "This time zone is not known.",
        "screening_ends": "This date must come after the previous date of the timeline.",
    }
    assert await AuditEntry.all().count() == 0


async def test_a_deadline_extended_is_audited_and_nominations_open_again(settings, db):
    actor = await make_user(language="en")
    cycle = await make_cycle(nominations_close=now() - dt.timedelta(minutes=1))
    category = await make_category(cycle)
    with pytest.raises(DeadlinePassed):
        await save_nomination(settings, actor, category, colleague(), submit=True)
    before = cycle.nominations_close
    until = now() + dt.timedelta(days=2)
    await cycles.extend_deadline(actor, cycle, Milestone.NOMINATIONS_CLOSE, until)
    entry = await AuditEntry.get(action="awards.extend_deadline")
    assert entry.before == {"nominations_close": before.isoformat()}
    assert entry.after == {"nominations_close": until.isoformat()}
    saved = await save_nomination(settings, actor, category, colleague(), submit=True)
    assert saved.version.number == 1
    with pytest.raises(Invalid) as refused:
        await cycles.extend_deadline(actor, cycle, Milestone.NOMINATIONS_CLOSE, before)
    assert refused.value.errors == {"until": "Choose a moment later than the current deadline."}
    with pytest.raises(Invalid) as refused:
        later = cycle.appeals_close + dt.timedelta(days=1)
        await cycles.extend_deadline(actor, cycle, Milestone.SCREENING_ENDS, later)
    assert refused.value.errors == {
        "until": "This date would put the timeline out of order: move the later dates first."
    }


@pytest.mark.parametrize("position", list(POSITION))
async def test_the_phase_comes_from_the_clock(db, position):
    cycle = await make_cycle(phase=position)
    assert cycle.phase(now()) == CyclePhase(position)


async def test_publishing_is_audited(db):
    actor = await make_user()
    cycle = await make_cycle(published=False)
    await cycles.set_visibility(actor, cycle, Visibility.PUBLISHED)
    entry = await AuditEntry.get(action="awards.cycle_publish")
    assert (entry.before, entry.after) == ({"visibility": "draft"}, {"visibility": "published"})


async def test_categories_are_ordered_and_their_rules_checked(db):
    actor = await make_user(language="en")
    cycle = await make_cycle()
    values = {
        "name_ar": "التصوير",
        "name_en": "Photography",
        "nominee_type": NomineeType.INDIVIDUAL,
    }
    first = await cycles.add_category(actor, cycle, values)
    second = await cycles.add_category(actor, cycle, {**values, "name_en": "Podcast"})
    assert (first.position, second.position) == (1, 2)
    bad = {
        **values,
        "published_from": dt.date(2026, 6, 1),
        "published_until": dt.date(2026, 1, 1),
        "shortlist_size": 0,
    }
    with pytest.raises(Invalid) as refused:
        await cycles.add_category(actor, cycle, bad)
    assert refused.value.errors == {
        "published_until": "The window must end after it starts.",
        "shortlist_size": "Enter a whole number of at least 1.",
    }
    updated = await cycles.update_category(actor, cycle, first, {"shortlist_size": 3})
    assert updated.shortlist_size == 3
    entry = await AuditEntry.get(action="awards.category_update")
    assert (entry.before, entry.after) == ({"shortlist_size": 5}, {"shortlist_size": 3})


async def test_a_reason_code_is_unique_in_its_cycle(db):
    actor = await make_user(language="en")
    cycle = await make_cycle()
    reason = await cycles.add_screening_reason(
        actor, cycle, code="late", label_ar="وصل متأخرًا", label_en="Arrived late"
    )
    assert reason.code == "LATE"
    with pytest.raises(Conflict) as refused:
        await cycles.add_screening_reason(
            actor, cycle, code="LATE", label_ar="مكرر", label_en="Again"
        )
    assert refused.value.message == "This cycle already has a reason with the code LATE."
    with pytest.raises(Invalid):
        await cycles.add_screening_reason(actor, cycle, code="", label_ar="", label_en="x")
