"""Builders for the final vote's results: a cycle whose voting has closed, a category with its
published shortlist (finalists), jury ballots, public votes and fraud decisions, written
straight into the tables (bulk inserts for the votes)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accounts.enums import ScopeType
from accounts.models import User
from awards.models import (
    Category,
    Cycle,
    FraudDecision,
    JuryBallot,
    Nomination,
    PublicVote,
    ShortlistedNomination,
    Voter,
)
from core.clock import now
from judging.enums import JudgeState
from judging.models import Judge
from tests.awards.factories import make_category, make_cycle
from tests.awards.jury import eligible
from tests.factories import make_user

_seq = itertools.count(1)


@dataclass
class FinalVote:
    organizer: User
    cycle: Cycle
    category: Category
    finalists: list[Nomination]
    nominator: User


async def final_vote(
    *,
    finalists: int = 3,
    cycle: Cycle | None = None,
    organizer: User | None = None,
    phase: str = "results",
    **category_fields: Any,
) -> FinalVote:
    """A category of a cycle past voting with `finalists` on its published shortlist (ranked
    by calibrated score 90, 80, 70 ...); the fraud review signed off."""
    if cycle is None:
        organizer = organizer or await make_user(language="en")
        cycle = await make_cycle(phase=phase, organizer=organizer)
        cycle.shortlist_published_at = cycle.shortlist_at
        await cycle.save(update_fields=["shortlist_published_at"])
    assert organizer is not None
    values = {
        "public_vote": True,
        "quorum": 1,
        "fraud_review_signed_at": now(),
        "shortlist_approved_at": cycle.shortlist_at,
        **category_fields,
    }
    category = await make_category(cycle, **values)
    nominator = await make_user(language="en")
    made = []
    for rank in range(1, finalists + 1):
        nomination = await eligible(cycle, category, nominator)
        await ShortlistedNomination.create(
            category=category, nomination=nomination, rank=rank, score=100 - 10 * rank
        )
        made.append(nomination)
    return FinalVote(organizer, cycle, category, made, nominator)


async def ballots(category: Category, rankings: Sequence[Sequence[Nomination]]) -> list[User]:
    """One juror per ranking, seated on the cycle's jury for the category, each with a ballot
    ranking those finalists."""
    jurors = []
    for ranking in rankings:
        n = next(_seq)
        juror = await make_user(f"juror{n}@jury.example", language="en")
        await Judge.create(
            scope_type=ScopeType.AWARD_CYCLE.value,
            scope_id=category.cycle_id,  # type: ignore[attr-defined]
            email=juror.email,
            user=juror,
            state=JudgeState.ACCEPTED,
            token_hash=f"results-juror-{n}",
            group_key=str(category.id),
        )
        await JuryBallot.create(
            category=category,
            juror=juror,
            ranking=[n.id for n in ranking],
            cast_at=now(),
            updated_at=now(),
        )
        jurors.append(juror)
    return jurors


async def votes(
    category: Category,
    counts: dict[Nomination, int],
    *,
    voided: int = 0,
    at: dt.datetime | None = None,
) -> None:
    """Public votes: `counts` per finalist, plus `voided` voided votes for the first one."""
    cycle_id = category.cycle_id  # type: ignore[attr-defined]
    when = at or (now() - dt.timedelta(days=12))
    plan = [(n, False) for n, k in counts.items() for _ in range(k)]
    plan += [(next(iter(counts)), True)] * voided
    voters = [
        Voter(cycle_id=cycle_id, key=f"key-{category.id}-{next(_seq)}", verified_at=when)
        for _ in plan
    ]
    await Voter.bulk_create(voters)
    keys = [v.key for v in voters]
    ids = dict(await Voter.filter(key__in=keys).values_list("key", "id"))
    await PublicVote.bulk_create(
        [
            PublicVote(
                category_id=category.id,
                voter_id=ids[key],
                nomination_id=nomination.id,
                cast_at=when,
                voided=void,
            )
            for key, (nomination, void) in zip(keys, plan, strict=True)
        ]
    )


async def void_decision(category: Category, votes_: int, reason: str = "burst") -> None:
    """The fraud review's decision that voided `votes_` of the category's voided votes."""
    voided = await PublicVote.filter(category_id=category.id, voided=True).values_list(
        "id", flat=True
    )
    await FraudDecision.create(
        category=category,
        cluster="subnet:x",
        action="void",
        reason=reason,
        votes=votes_,
        vote_ids=sorted(voided)[:votes_],
        decided_at=now(),
    )
