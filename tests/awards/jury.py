"""Builders for the award's jury tests: eligible nominations, and a category's jury round
scored and closed through judging's services."""

from __future__ import annotations

import itertools
from typing import Any

from accounts.enums import Role, ScopeType
from accounts.models import User
from awards.enums import NominationState, Relation
from awards.models import Category, Cycle, Nomination, NominationCredit, ShortlistedNomination
from awards.services.entry_source import NominationSource, group_key
from core.clock import now
from judging.enums import RoundState
from judging.models import Assignment, Criterion, Judge, Round
from judging.services import assignments, entries, sheets
from judging.services import rounds as rounds_service
from tests.factories import grant, make_user

_seq = itertools.count(1)


async def eligible(
    cycle: Cycle,
    category: Category,
    nominator: User,
    *,
    state: NominationState = NominationState.ELIGIBLE,
    **fields: Any,
) -> Nomination:
    n = next(_seq)
    values = {
        "nominee_name_ar": f"مرشح {n}",
        "nominee_name_en": f"Nominee {n}",
        "nominee_email": f"nominee{n}@outlet{n}.example",
        "nominee_language": "ar",
        "nominee_organization": f"Outlet {n}",
        "work_title": f"Story {n}",
        "work_outlet": f"Outlet {n}",
        "work_links": [f"https://outlet{n}.example/story"],
        "statement": f"Statement {n}: a year of reporting.\nMore detail follows.",
        "relation": Relation.COLLEAGUE,
        **fields,
    }
    nomination = await Nomination.create(
        cycle=cycle, category=category, created_by=nominator, state=state, **values
    )
    await NominationCredit.create(nomination=nomination, user=nominator)
    return nomination


async def jury_judges(cycle: Cycle, category: Category | None, count: int) -> list[Judge]:
    """Accepted judges of the cycle, for one category (or for all with None)."""
    seats = []
    for _ in range(count):
        n = next(_seq)
        user = await make_user(f"judge{n}@jury{n}.example", language="en")
        seats.append(
            await Judge.create(
                scope_type=ScopeType.AWARD_CYCLE.value,
                scope_id=cycle.id,
                email=user.email,
                name=user.name_en,
                language="en",
                user=user,
                state="accepted",
                token_hash=f"{cycle.id}-{user.id}-token",
                group_key=group_key(category) if category else "",
            )
        )
        await grant(user, Role.JUDGE, ScopeType.AWARD_CYCLE, cycle.id)
    return seats


async def category_round(actor: User, cycle: Cycle, category: Category, **fields: Any) -> Round:
    created = await rounds_service.create_round(
        actor,
        ScopeType.AWARD_CYCLE.value,
        cycle.id,
        {"name_en": f"Jury: {category.name_en}", "group_key": group_key(category), **fields},
    )
    await Criterion.create(
        round=created, key="c1", name_en="Impact", name_ar="الأثر", min_score=1, max_score=10
    )
    return created


async def scored(actor: User, round_: Round, scores: dict[int, int], *, close: bool = True) -> None:
    """Entries in, judges assigned, the round opened, every judge scoring each nomination as
    ``scores`` says (by nomination id), then closed."""
    await entries.refresh_entries(actor, round_, NominationSource())
    await assignments.auto_assign(actor, round_)
    round_.state = RoundState.OPEN
    await round_.save()
    for row in await Assignment.filter(round=round_).select_related("entry", "judge__user"):
        user = row.judge.user
        seen = await sheets.scoring_for(user, row.entry_id)
        await sheets.save_sheet(
            user,
            seen,
            scores={"c1": scores[row.entry.source_id]},
            comment="",
            note="",
            version=0,
            submit=True,
        )
    if close:
        round_.state = RoundState.CLOSED
        await round_.save()


async def finalists(
    cycle: Cycle, category: Category, count: int, nominator: User | None = None, **fields: Any
) -> list[Nomination]:
    """`count` eligible nominations on the category's approved shortlist (ranks 1..count), the
    cycle's shortlist published."""
    nominator = nominator or await make_user()
    rows = [await eligible(cycle, category, nominator, **fields) for _ in range(count)]
    for rank, nomination in enumerate(rows, 1):
        await ShortlistedNomination.create(
            category=category, nomination=nomination, rank=rank, score=10 - rank
        )
    category.shortlist_approved_at = now()
    await category.save(update_fields=["shortlist_approved_at"])
    if cycle.shortlist_published_at is None:
        cycle.shortlist_published_at = now()
        await cycle.save(update_fields=["shortlist_published_at"])
    return rows
