"""A national-scale round built in bulk: thousands of entries, a hundred judges, every sheet
submitted. Used by the results page's scale tests and the benchmark (bench/bench_results.py)."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from judging.enums import JudgeState, RoundState, SheetState
from judging.models import Assignment, Criterion, Entry, Judge, Round, ScoreSheet

BATCH = 500
SOURCE = "test.submission"


@dataclass
class BigRound:
    round: Round
    judges: list[Judge]
    entries: list[Entry]


async def big_round(
    scope_id: int,
    *,
    entries: int = 2000,
    judges: int = 100,
    k: int = 3,
    state: RoundState = RoundState.CLOSED,
    seed: int = 12,
) -> BigRound:
    """A round of ``entries`` entries in two groups, each scored by ``k`` judges drawn at
    random from a panel of ``judges``, every sheet submitted."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    round_ = await Round.create(
        scope_type="event",
        scope_id=scope_id,
        name_ar="الجولة الوطنية",
        name_en="National round",
        judges_per_entry=k,
        state=state,
    )
    await Criterion.create(
        round=round_, key="c1", position=1, name_en="Story", weight=2, min_score=1, max_score=5
    )
    await Criterion.create(
        round=round_, key="c2", position=2, name_en="Craft", weight=1, min_score=0, max_score=10
    )
    seats = await _judges(round_, judges)
    rows = await _entries(round_, entries)
    await Assignment.bulk_create(
        [
            Assignment(round=round_, entry_id=entry.id, judge_id=seat.id)
            for entry in rows
            for seat in rng.sample(seats, k)
        ],
        batch_size=BATCH,
    )
    assigned = await Assignment.filter(round=round_).order_by("id").values_list("id", flat=True)
    await ScoreSheet.bulk_create(
        [_sheet(int(a), rng) for a in assigned],
        batch_size=BATCH,
    )
    return BigRound(round_, seats, rows)


async def _judges(round_: Round, count: int) -> list[Judge]:
    """The round's own panel (several rounds of a scope do not share judges here)."""
    await Judge.bulk_create(
        [
            Judge(
                scope_type="event",
                scope_id=round_.scope_id,
                email=f"judge{n}.round{round_.id}@national.example",
                name=f"Judge {n}",
                language="en",
                state=JudgeState.ACCEPTED,
                token_hash=secrets.token_hex(32),
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    return list(
        await Judge.filter(email__endswith=f".round{round_.id}@national.example").order_by("id")
    )


async def _entries(round_: Round, count: int) -> list[Entry]:
    await Entry.bulk_create(
        [
            Entry(
                round=round_,
                source=SOURCE,
                source_id=10_000 + n,
                title_ar=f"مبادرة {n}",
                title_en=f"Initiative {n}",
                group_key="a" if n % 2 else "b",
                group_label_ar="الإعلام الرقمي" if n % 2 else "الصحافة",
                group_label_en="Digital media" if n % 2 else "Journalism",
                team_key=f"team-{n}",
                team_label=f"Team {n}",
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    return list(await Entry.filter(round=round_).order_by("id"))


def _sheet(assignment_id: int, rng: random.Random) -> ScoreSheet:
    story, craft = rng.randint(1, 5), rng.randint(0, 10)
    total = round((2 * (story - 1) / 4 + craft / 10) / 3 * 100, 2)
    return ScoreSheet(
        assignment_id=assignment_id,
        scores={"c1": story, "c2": craft},
        total=total,
        comment_for_team="A clear pitch.",
        note_for_organizers="",
        state=SheetState.SUBMITTED,
        version=2,
    )
