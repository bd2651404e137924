"""judging.services.feedback against the database."""

from __future__ import annotations

from judging.enums import (
    ConflictKind,
    ConflictOrigin,
)
from judging.models import Assignment, Entry
from judging.services import (
    conflicts,
    publication,
    rounds,
)
from judging.services import feedback as feedback_service
from tests.judging.factories import conflict, ready_round, score_everything
from tests.judging.services.helpers import LINKS, admin
from tests.judging.sources import SCOPE_ID


async def test_feedback_gives_averages_and_anonymous_comments(db, source):
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    actor = await admin()
    await rounds.change_state(actor, round_, "close")
    await publication.publish(actor, round_, source.scopes[SCOPE_ID], LINKS)
    feedback = await feedback_service.feedback_for("test.submission", 103)
    assert feedback is not None and feedback.member_emails == {"captain103@team103.org"}
    (only,) = feedback.rounds
    assert [(c.criterion.key, c.average) for c in only.criteria] == [
        ("c1", 4.0),
        ("c2", 3.0),
        ("c3", 3.0),
    ]
    panel = set(await Assignment.filter(entry=only.entry).values_list("judge_id", flat=True))
    assert sorted(only.comments) == sorted(
        f"Comment on 3 from judge number {i}" for i, s in enumerate(seats, 1) if s.id in panel
    )


async def test_feedback_stays_as_published_when_conflicts_change_later(db, source):
    """A team's feedback leaves out what the published ranking left out: a conflict lifted
    or added after publication changes neither."""
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    actor = await admin()
    entry = await Entry.get(round=round_, source_id=103)
    panel = sorted(await Assignment.filter(entry=entry).values_list("judge_id", flat=True))
    excluded, kept = panel[0], panel[1]
    ruled = await conflict(excluded, ConflictKind.ENTRY, "103", ConflictOrigin.ORGANIZER)
    await rounds.change_state(actor, round_, "close")
    await publication.publish(actor, round_, source.scopes[SCOPE_ID], LINKS)

    def comments_by(judge_ids: list[int]) -> list[str]:
        return sorted(
            f"Comment on 3 from judge number {i}"
            for i, s in enumerate(seats, 1)
            if s.id in judge_ids
        )

    published = (await feedback_service.feedback_for("test.submission", 103)).rounds[0].comments
    assert sorted(published) == comments_by([j for j in panel if j != excluded])
    await conflicts.lift_conflict(actor, ruled)
    await conflict(kept, ConflictKind.ENTRY, "103", ConflictOrigin.ORGANIZER)
    later = (await feedback_service.feedback_for("test.submission", 103)).rounds[0].comments
    assert sorted(later) == sorted(published)
