"""A judge's queue: the assigned entries of started rounds, conflicted ones left out, in an
order of the judge's own."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from accounts.models import User
from core import sql
from judging.enums import JudgeState, RoundState, SheetState
from judging.models import Entry, Judge, Round, ScoreSheet
from judging.services.markers import Markers, meets_conflict


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


# A judge's queue is every judge's page: its reads are written once here (core/sql.py) instead
# of built by the ORM on each visit, into the same model instances.
SEATS = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(Judge, "j")} FROM judging_judge j
    WHERE j.user_id = ? AND j.state = ? ORDER BY j.id"""  # noqa: S608
    )
)
ASSIGNED = sql.Statement(
    lambda: (
        f"""
    SELECT a.judge_id AS judge_id, {sql.columns(Entry, "e")}, {sql.columns(Round, "r")},
           {sql.columns(ScoreSheet, "s")}
    FROM judging_assignment a JOIN judging_judge j ON j.id = a.judge_id
      JOIN judging_round r ON r.id = a.round_id
      JOIN judging_entry e ON e.id = a.entry_id
      LEFT JOIN judging_score_sheet s ON s.assignment_id = a.id
    WHERE j.user_id = ? AND j.state = ? AND r.state <> ?
    ORDER BY a.id"""  # noqa: S608
    )
)
CONFLICTS = sql.Statement(
    """
    SELECT c.judge_id AS judge_id, c.scope_type AS scope_type, c.scope_id AS scope_id,
           c.kind AS kind, c.value AS value
    FROM judging_conflict c JOIN judging_judge j ON j.id = c.judge_id
    WHERE j.user_id = ? AND j.state = ? AND c.active"""
)


async def accepted_seats(user: User) -> list[Judge]:
    """The user's accepted judge seats (judges.judge_seats), in one hand-written statement."""
    found = await sql.rows(SEATS, [user.id, JudgeState.ACCEPTED.value])
    return [j for j in (sql.hydrate(Judge, row, "j") for row in found) if j is not None]


async def judge_queue(user: User, accepted: list[Judge] | None = None) -> list[QueueRound]:
    """The user's assigned entries per round (started rounds only), conflicted ones left out,
    each round in the judge's own random order. `accepted`: the user's judge seats, when the
    caller has them already (judge_seats). Three statements whatever the queue's length."""
    seats = {j.id: j for j in (await accepted_seats(user) if accepted is None else accepted)}
    if not seats:
        return []
    state = JudgeState.ACCEPTED.value
    found = await sql.rows(ASSIGNED, [user.id, state, RoundState.DRAFT.value])
    # each of the user's judges' active conflicts in each scope (markers.active_conflicts)
    conflicts: dict[tuple[str, int], dict[int, Markers]] = defaultdict(lambda: defaultdict(set))
    for row in await sql.rows(CONFLICTS, [user.id, state]) if found else []:
        scope = (row["scope_type"], row["scope_id"])
        conflicts[scope][row["judge_id"]].add((str(row["kind"]), row["value"]))
    rounds: dict[int, QueueRound] = {}
    kept: dict[int, Round] = {}
    for row in found:
        judge_id = row["judge_id"]
        if judge_id not in seats:
            continue
        entry = sql.hydrate(Entry, row, "e")
        round_id = row["r__id"]
        round_ = kept.get(round_id) or kept.setdefault(round_id, sql.hydrate(Round, row, "r"))
        assert entry is not None and round_ is not None
        scope = (round_.scope_type, round_.scope_id)
        if meets_conflict(conflicts.get(scope, {}), judge_id, entry):
            continue
        item = rounds.setdefault(round_id, QueueRound(round_, seats[judge_id], []))
        item.items.append(QueueItem(entry, sql.hydrate(ScoreSheet, row, "s")))
    for queue in rounds.values():
        queue.sort()
    return sorted(
        rounds.values(), key=lambda q: (q.round.ends_at is None, q.round.ends_at, q.round.id)
    )
