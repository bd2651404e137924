"""A judge's queue: the assigned entries of started rounds, conflicted ones left out, in an
order of the judge's own."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from accounts.models import User
from judging.enums import RoundState, SheetState
from judging.models import Assignment, Entry, Judge, Round, ScoreSheet
from judging.services.judges import judge_seats
from judging.services.markers import Markers, active_conflicts, meets_conflict


def queue_order(judge_id: int, round_id: int, entry_id: int) -> str:
    """A judge's own random order of a round's entries, the same on every visit."""
    return hashlib.blake2b(f"{judge_id}:{round_id}:{entry_id}".encode(), digest_size=8).hexdigest()


@dataclass
class QueueItem:
    entry: Entry
    sheet: ScoreSheet | None


@dataclass
class QueueRound:
    round: Round
    judge: Judge
    items: list[QueueItem]

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.sheet and i.sheet.state == SheetState.SUBMITTED)

    def sort(self) -> None:
        self.items.sort(key=lambda i: queue_order(self.judge.id, self.round.id, i.entry.id))


async def judge_queue(user: User, accepted: list[Judge] | None = None) -> list[QueueRound]:
    """The user's assigned entries per round (started rounds only), conflicted ones left out,
    each round in the judge's own random order. `accepted`: the user's judge seats, when the
    caller has them already (judge_seats)."""
    seats = {j.id: j for j in (await judge_seats(user) if accepted is None else accepted)}
    if not seats:
        return []
    rows = await Assignment.filter(
        judge_id__in=list(seats), round__state__not=RoundState.DRAFT
    ).select_related("entry", "round", "sheet")
    conflicts: dict[tuple[str, int], dict[int, Markers]] = {}
    rounds: dict[int, QueueRound] = {}
    for row in rows:
        scope = (row.round.scope_type, row.round.scope_id)
        if scope not in conflicts:
            conflicts[scope] = await active_conflicts(*scope)
        if meets_conflict(conflicts[scope], row.judge_id, row.entry):
            continue
        item = rounds.setdefault(row.round_id, QueueRound(row.round, seats[row.judge_id], []))
        item.items.append(QueueItem(row.entry, row.sheet))
    for queue in rounds.values():
        queue.sort()
    return sorted(
        rounds.values(), key=lambda q: (q.round.ends_at is None, q.round.ends_at, q.round.id)
    )
