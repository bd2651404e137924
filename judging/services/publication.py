"""Publishing a round's results, now or at a set time, with the announcement to the teams."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import Someone
from core import audit
from core.clock import now
from core.errors import Conflict as ConflictError
from core.errors import Invalid
from core.i18n import format_datetime
from core.i18n import gettext as _
from core.links import Links
from core.mail import outbox
from core.mail.models import OutboxMessage
from judging import scoring
from judging.enums import RoundState
from judging.models import Entry, Round
from judging.services import public_pages
from judging.services.common import refuse_unless_closed, scope_of
from judging.services.mail import queue_to, recipients
from judging.services.ranking import current_ranking
from judging.sources import ScopeInfo


async def publish(
    actor: Someone, round_: Round, scope: ScopeInfo, links: Links, *, at: Any = None
) -> Round:
    """Publish the round's results now or at ``at``: the ranking is frozen, the public page
    appears from then on, and the announcement mail goes out at that moment. A time already
    past is refused: publishing at once is the organizer's explicit choice ("now")."""
    refuse_unless_closed(round_)
    moment = at or now()
    if at is not None and at <= now():
        raise Invalid(
            {
                "publish_at": _(
                    "%(when)s has already passed. Choose a later time, or choose “Now” to "
                    "publish at once.",
                    when=format_datetime(at, scope.time_zone),
                )
            }
        )
    data, ranking = await current_ranking(round_)
    async with in_transaction():
        await _freeze(round_, ranking, data.conflicted, moment)
        await _queue_announcement(data.entries, scope, links, moment)
        await audit.record(
            actor,
            "judging.results_published",
            round_,
            scope=scope_of(round_),
            after={"publish_at": moment.isoformat(), "method": round_.method},
        )
    outbox.wake()
    public_pages.changed()  # a round published now shows at once
    await round_.refresh_from_db()
    return round_


async def _freeze(
    round_: Round,
    ranking: Sequence[scoring.RankedEntry],
    conflicted: Collection[tuple[int, int]],
    moment: dt.datetime,
) -> None:
    """Mark the round published with its ranking as the public will read it, and the (judge,
    entry) pairs left out for a conflict, so the teams' feedback keeps matching it whatever
    conflicts change later; a conditional update, so publishing twice (two clicks, two
    organizers) is refused."""
    updated = (
        await Round.filter(id=round_.id)
        .exclude(state=RoundState.PUBLISHED)
        .update(
            state=RoundState.PUBLISHED,
            publish_at=moment,
            published_at=now(),
            snapshot={
                "method": round_.method,
                "ranking": [[r.entry_id, r.rank, r.value] for r in ranking],
                "conflicted": sorted([judge, entry] for judge, entry in conflicted),
            },
        )
    )
    if updated != 1:
        raise ConflictError(_("The results of this round are already published."))


async def _queue_announcement(
    entries: Sequence[Entry], scope: ScopeInfo, links: Links, moment: dt.datetime
) -> None:
    results_url = links.url(
        "judging:public_results", scope_type=scope.scope_type, scope_id=scope.scope_id
    )
    ids: list[int] = []
    for person in recipients(entries):
        feedback_url = links.url(
            "judging:feedback",
            scope_type=scope.scope_type,
            scope_id=scope.scope_id,
            source_id=person.entry.source_id,
        )
        message = await queue_to(
            person,
            "judging/results_published",
            scope=scope,
            results_url=results_url,
            feedback_url=feedback_url,
        )
        ids.append(message.id)
    # Mail for a scheduled publication waits in the outbox until the results are public.
    await OutboxMessage.filter(id__in=ids).update(next_attempt_at=moment)
