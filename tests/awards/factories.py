"""Small async builders for award test data."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from accounts.enums import Role, ScopeType
from accounts.models import Membership, User
from awards.enums import NominationState, NomineeType, Relation, Visibility
from awards.models import Category, Cycle, Nomination, ScreeningReason, ShortlistedNomination
from awards.services.nominations import NominationInput
from core.clock import now
from core.mail.models import OutboxMessage
from tests.factories import make_user

DAY = dt.timedelta(days=1)
_seq = itertools.count(1)
# Days after nominations open for each date of the standard test timeline.
BASE = {
    "nominations_open": 0,
    "nominations_close": 30,
    "screening_ends": 45,
    "appeals_close": 52,
    "jury_starts": 55,
    "jury_ends": 70,
    "shortlist_at": 75,
    "voting_opens": 80,
    "voting_closes": 90,
    "results_at": 95,
}
# Where "now" sits on that timeline for each phase.
POSITION = {
    "upcoming": -1,
    "nominations": 10,
    "screening": 35,
    "appeals": 48,
    "jury": 60,
    "voting": 85,
    "counting": 92,
    "results": 100,
}


def timeline(phase: str = "nominations") -> dict[str, Any]:
    start = now() - POSITION[phase] * DAY
    return {name: start + days * DAY for name, days in BASE.items()}


async def make_cycle(
    *, phase: str = "nominations", published: bool = True, organizer: User | None = None, **fields
) -> Cycle:
    n = next(_seq)
    values = {
        "slug": f"award-{n}",
        "year": 2026,
        "name_ar": f"جائزة التميز الإعلامي {n}",
        "name_en": f"Media Excellence Award {n}",
        **timeline(phase),
        **fields,
    }
    cycle = await Cycle.create(
        visibility=Visibility.PUBLISHED if published else Visibility.DRAFT, **values
    )
    if organizer is not None:
        await Membership.create(
            user=organizer,
            scope_type=ScopeType.AWARD_CYCLE.value,
            scope_id=cycle.id,
            role=Role.ORGANIZER.value,
        )
    for code, ar, en in REASONS:
        await ScreeningReason.create(cycle=cycle, code=code, label_ar=ar, label_en=en)
    return cycle


REASONS = (
    ("WINDOW", "نُشر العمل خارج فترة الأهلية", "The work was published outside the window"),
    ("EVIDENCE", "الأدلة غير كافية", "The evidence is insufficient"),
)


async def make_category(cycle: Cycle, **fields: Any) -> Category:
    n = next(_seq)
    values = {
        "name_ar": f"التحقيق الاستقصائي {n}",
        "name_en": f"Investigative report {n}",
        "nominee_type": NomineeType.INDIVIDUAL,
        "position": n,
        "max_per_nominator": 3,
        **fields,
    }
    return await Category.create(cycle=cycle, **values)


def colleague(n: int = 1, **fields: Any) -> NominationInput:
    """A nomination of someone else, complete enough to submit in a plain category."""
    values = {
        "relation": Relation.COLLEAGUE,
        "nominee_name_ar": f"سارة المطيري {n}",
        "nominee_name_en": f"Sara Almutairi {n}",
        "nominee_email": f"sara{n}@news.example.sa",
        "nominee_organization": "Al-Riyadh Daily",
        "nominee_language": "ar",
        "work_title": f"Who drinks the water? {n}",
        "work_outlet": "Al-Riyadh Daily",
        "work_published_on": dt.date(2026, 3, 1),
        "work_links": (f"https://news.example.sa/water-{n}",),
        "statement": "A year-long investigation into water tankers.",
        **fields,
    }
    return NominationInput(**values)


async def mails_to(address: str) -> list[OutboxMessage]:
    return list(await OutboxMessage.filter(recipient=address).order_by("id"))


async def make_voting_cycle(
    finalists: int = 3, *, phase: str = "voting", public_vote: bool = True, **fields: Any
) -> tuple[Cycle, Category, list[Nomination]]:
    """A published cycle (in VOTING by default) with one category whose shortlist of
    `finalists` nominations is approved and published, with a public vote when asked."""
    cycle = await make_cycle(phase=phase, **fields)
    category = await make_category(cycle, public_vote=public_vote)
    nominations = await shortlisted(cycle, category, finalists)
    cycle.shortlist_published_at = now()
    await cycle.save(update_fields=["shortlist_published_at"])
    return cycle, category, nominations


async def shortlisted(cycle: Cycle, category: Category, count: int) -> list[Nomination]:
    """`count` eligible nominations on the category's approved shortlist."""
    nominator = await make_user(f"nominator-{cycle.slug}-{category.id}@example.org")
    found = []
    for rank in range(1, count + 1):
        n = next(_seq)
        nomination = await Nomination.create(
            cycle=cycle,
            category=category,
            created_by=nominator,
            state=NominationState.ELIGIBLE,
            nominee_name_ar=f"المرشحة {n}",
            nominee_name_en=f"Finalist {n}",
            nominee_email=f"finalist{n}@outlet.example",
            work_title=f"Story {n}",
            work_outlet="Outlet",
        )
        await ShortlistedNomination.create(
            category=category, nomination=nomination, rank=rank, citation=f"Citation {n}"
        )
        found.append(nomination)
    category.shortlist_approved_at = now()
    await category.save(update_fields=["shortlist_approved_at"])
    return found
