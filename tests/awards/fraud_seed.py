"""Public votes with their log for the fraud review's tests: a category with a public vote,
its finalists, honest voters and a flagged burst."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from awards.enums import NominationState
from awards.models import Category, Cycle, Nomination, PublicVote, VoteLog, Voter
from awards.voters import voter_key
from core.clock import now
from tests.awards.factories import make_category
from tests.factories import make_user

SECRET = b"test-secret"
_seq = itertools.count(1)


@dataclass
class Seeded:
    category: Category
    finalists: list[Nomination]
    honest: list[PublicVote]
    burst: list[PublicVote]


async def vote(
    cycle: Cycle,
    category: Category,
    finalist: Nomination,
    *,
    at: dt.datetime,
    flags: tuple[str, ...] = (),
    subnet: str = "",
    seconds: int = 45,
) -> PublicVote:
    n = next(_seq)
    voter = await Voter.create(
        cycle=cycle, key=voter_key(SECRET, f"voter{n}@example.org"), verified_at=at
    )
    cast = await PublicVote.create(category=category, voter=voter, nomination=finalist, cast_at=at)
    await VoteLog.create(
        category=category,
        voter=voter,
        nomination=finalist,
        at=at,
        address_hash=f"addr-{subnet or n}",
        subnet_hash=subnet or f"net-{n}",
        agent_hash="agent",
        shape_hash=f"shape-{n}",
        seconds_from_code=seconds,
        flags=list(flags),
    )
    return cast


async def seed(cycle: Cycle, *, honest: int = 6, burst: int = 4) -> Seeded:
    """A public-vote category with three finalists: `honest` unflagged votes spread over them
    and a burst of `burst` votes from one subnet for the second finalist."""
    category = await make_category(cycle, public_vote=True)
    nominator = await make_user()
    finalists = [
        await Nomination.create(
            cycle=cycle,
            category=category,
            created_by=nominator,
            state=NominationState.ELIGIBLE,
            nominee_name_ar=f"المرشح {i}",
            nominee_name_en=f"Finalist {i}",
            work_title=f"Work {i}",
        )
        for i in range(3)
    ]
    start = min(now(), cycle.voting_closes or now()) - dt.timedelta(hours=3)
    good = [
        await vote(cycle, category, finalists[i % 3], at=start + dt.timedelta(minutes=10 * i))
        for i in range(honest)
    ]
    bad = [
        await vote(
            cycle,
            category,
            finalists[1],
            at=start + dt.timedelta(hours=1, seconds=i),
            flags=("burst", "fast"),
            subnet="net-burst",
            seconds=1,
        )
        for i in range(burst)
    ]
    return Seeded(category, finalists, good, bad)
