"""judging.services.conflicts against the database."""

from __future__ import annotations

import pytest

from core.audit import AuditEntry
from core.errors import Conflict, Invalid
from judging.enums import (
    ConflictKind,
    ConflictOrigin,
)
from judging.models import Assignment
from judging.models import Conflict as ConflictRow
from judging.services import (
    conflicts,
    entries,
)
from tests.judging.factories import judge, make_round, ready_round
from tests.judging.services.helpers import admin
from tests.judging.sources import SCOPE_ID, candidate, member, standard_source


async def test_conflicts_are_detected_from_organization_and_mail_domain(db):
    source = standard_source(0)
    source.add(SCOPE_ID, candidate(1, members=(member("a@spa.gov.sa", "A"),)))
    source.add(
        SCOPE_ID, candidate(2, members=(member("b@gmail.com", "B", organization=" Gulf  News "),))
    )
    source.add(SCOPE_ID, candidate(3, members=(member("c@gmail.com", "C"),)))
    round_ = await make_round()
    by_domain = await judge(email="judge@spa.gov.sa")
    by_org = await judge(email="other@outlook.com", organization="gulf news")
    public = await judge(email="someone@gmail.com")
    await entries.refresh_entries(await admin(), round_, source)
    found = {(c.judge_id, c.kind, c.value, c.origin) for c in await ConflictRow.all()}
    assert found == {
        (by_domain.id, ConflictKind.ORGANIZATION, "spa.gov.sa", ConflictOrigin.DETECTED),
        (by_org.id, ConflictKind.ORGANIZATION, "gulf news", ConflictOrigin.DETECTED),
    }
    assert not await ConflictRow.filter(judge=public).exists()


async def test_a_lifted_conflict_stays_lifted_when_detection_runs_again(db):
    source = standard_source(0)
    source.add(SCOPE_ID, candidate(1, members=(member("a@spa.gov.sa", "A"),)))
    round_ = await make_round()
    seat = await judge(email="judge@spa.gov.sa")
    actor = await admin()
    await entries.refresh_entries(actor, round_, source)
    conflict = await ConflictRow.get(judge=seat)
    await conflicts.lift_conflict(actor, conflict)
    assert await conflicts.detect_conflicts(actor, "event", SCOPE_ID) == 0
    assert (await ConflictRow.get(judge=seat)).active is False
    lifted = await AuditEntry.get(action="judging.conflict_lifted")
    assert (lifted.before, lifted.after, lifted.actor_id) == (
        {"active": True},
        {"active": False},
        actor.id,
    )
    with pytest.raises(Conflict):
        await conflicts.lift_conflict(actor, await ConflictRow.get(judge=seat))


async def test_declaring_a_team_conflict_names_the_team_and_drops_the_assignment(db, source):
    round_, seats = await ready_round(source)
    seat = seats[0]
    row = await Assignment.filter(judge=seat).select_related("entry").first()
    user = await seat.user
    conflict = await conflicts.declare_conflict(
        user,
        seat,
        kind=ConflictKind.TEAM,
        value=" team  " + row.entry.team_label[5:],
        reason="My cousin",
        origin=ConflictOrigin.DECLARED,
    )
    assert (conflict.value, conflict.label) == (row.entry.team_key, row.entry.team_label)
    assert not await Assignment.filter(id=row.id).exists()
    with pytest.raises(Invalid) as caught:
        await conflicts.declare_conflict(
            user,
            seat,
            kind=ConflictKind.TEAM,
            value="Nobody",
            reason="x",
            origin=ConflictOrigin.DECLARED,
        )
    assert caught.value.errors == {"value": "No team by this name takes part here."}
