"""The judging demo: one edition judged and published, another with a round ready to run."""

from __future__ import annotations

from accounts import demo as accounts_demo
from accounts.enums import Role, ScopeType
from accounts.models import User
from judging import demo
from judging.enums import RoundState, SheetState
from judging.models import Assignment, Conflict, Round, ScoreSheet
from judging.services import published as published_service
from tests.factories import grant
from tests.judging.sources import OTHER_SCOPE_ID, SCOPE_ID, candidate, member


async def test_the_demo_judges_and_publishes_one_edition(db, settings, source):
    await accounts_demo.load(settings)
    organizer = await User.get(email="organizer@manassa.local")
    for scope_id in (SCOPE_ID, OTHER_SCOPE_ID):
        await grant(organizer, Role.ORGANIZER, ScopeType.EVENT, scope_id)
    source.add(
        OTHER_SCOPE_ID, candidate(301, members=(member("participant@manassa.local", "Reem"),))
    )
    lines = await demo.load(settings, source)
    assert lines[1] == "Judging demo:"
    published, ready = await Round.all().order_by("id")
    assert (published.scope_id, published.state) == (SCOPE_ID, RoundState.PUBLISHED)
    assert await ScoreSheet.filter(state=SheetState.SUBMITTED).count() == 12
    results = await published_service.published_results("event", SCOPE_ID)
    assert results is not None and len(results.rounds[0].overall) == 2
    assert (ready.scope_id, ready.state, ready.blind) == (OTHER_SCOPE_ID, RoundState.DRAFT, True)
    assert await Assignment.filter(round=ready).count() == 2
    # the shared demo domain is detected, then lifted by the organizer
    assert await Conflict.filter(value="manassa.local", active=False).exists()
    assert await demo.load(settings, source) == ["Judging demo data is already there."]
