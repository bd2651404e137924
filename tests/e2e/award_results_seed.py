"""Run by the results journey in a child process on the live server's database: a published
cycle of the demo organizer whose voting closed yesterday, with one category whose shortlist
(three finalists) was ranked by three demo jurors and voted on by the public (some votes voided
by the fraud review, which is signed off). Prints the cycle's slug and category id as JSON.

    python -m tests.e2e.award_results_seed <language>
    python -m tests.e2e.award_results_seed --hide <slug>   (back to draft when the journey ends:
                                                       the other journeys count the demo's
                                                       published cycles)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys

from accounts.enums import Role, ScopeType
from accounts.models import Membership, User
from awards.enums import NominationState, NomineeType, Relation, Visibility
from awards.models import (
    Category,
    Cycle,
    FraudDecision,
    JuryBallot,
    Nomination,
    NominationCredit,
    PublicVote,
    ShortlistedNomination,
    Voter,
)
from core.clock import now
from core.db import connected
from core.settings import load_settings
from judging.enums import JudgeState
from judging.models import Judge

ORGANIZER = "organizer@manassa.local"
JURORS = ("judge@manassa.local", "judge2@manassa.local", "participant@manassa.local")
NOMINATOR = "participant2@manassa.local"
FINALISTS = (
    ("ليلى القحطاني", "Layla Alqahtani", "مياه المدينة", "laila@press.example"),
    ("خالد العتيبي", "Khalid Alotaibi", "طريق الحرير", "khalid@radio.example"),
    ("منى الزهراني", "Mona Alzahrani", "أصوات البحر", "mona@tv.example"),
)


async def seed(lang: str) -> dict[str, object]:
    settings = load_settings()
    async with connected(settings):
        moment = now()
        day = dt.timedelta(days=1)
        count = await Cycle.filter(slug__startswith="results-journey-").count()
        cycle = await Cycle.create(
            slug=f"results-journey-{lang}-{count + 1}",
            year=moment.year - 2,
            name_ar=f"جائزة الفرز {lang}",
            name_en=f"Counting award {lang}",
            visibility=Visibility.PUBLISHED,
            nominations_open=moment - 90 * day,
            nominations_close=moment - 80 * day,
            screening_ends=moment - 70 * day,
            appeals_close=moment - 60 * day,
            shortlist_at=moment - 20 * day,
            shortlist_published_at=moment - 20 * day,
            voting_opens=moment - 10 * day,
            voting_closes=moment - day,
        )
        organizer = await User.get(email=ORGANIZER)
        await Membership.create(
            user=organizer,
            scope_type=ScopeType.AWARD_CYCLE.value,
            scope_id=cycle.id,
            role=Role.ORGANIZER.value,
        )
        category = await Category.create(
            cycle=cycle,
            name_ar="التحقيق الاستقصائي",
            name_en="Investigative report",
            nominee_type=NomineeType.INDIVIDUAL,
            public_vote=True,
            jury_weight_percent=60,
            quorum=2,
            shortlist_approved_at=moment - 20 * day,
            fraud_review_signed_at=moment - day / 2,
        )
        nominator = await User.get(email=NOMINATOR)
        finalists = []
        for rank, (ar, en, title, email) in enumerate(FINALISTS, start=1):
            nomination = await Nomination.create(
                cycle=cycle,
                category=category,
                created_by=nominator,
                state=NominationState.ELIGIBLE,
                relation=Relation.COLLEAGUE,
                nominee_name_ar=ar,
                nominee_name_en=en,
                nominee_email=email,
                nominee_language=lang,
                work_title=title,
            )
            await NominationCredit.create(nomination=nomination, user=nominator)
            await ShortlistedNomination.create(
                category=category, nomination=nomination, rank=rank, score=90 - rank
            )
            finalists.append(nomination)
        a, b, c = finalists
        for email, ranking in zip(JURORS, ([a, b, c], [a, c, b], [b, a, c]), strict=True):
            juror = await User.get(email=email)
            await Judge.create(  # seated on the cycle's jury: only seated jurors' ballots count
                scope_type=ScopeType.AWARD_CYCLE.value,
                scope_id=cycle.id,
                email=email,
                user=juror,
                state=JudgeState.ACCEPTED,
                token_hash=f"{cycle.slug}-{email}",
            )
            await JuryBallot.create(
                category=category,
                juror=juror,
                ranking=[n.id for n in ranking],
                cast_at=moment - 2 * day,
                updated_at=moment - 2 * day,
            )
        plan = [a] * 20 + [b] * 35 + [c] * 10
        voided = 6
        voided_ids = []
        for i in range(len(plan) + voided):
            voter = await Voter.create(
                cycle=cycle, key=f"{cycle.slug}-voter-{i}", verified_at=moment - 5 * day
            )
            vote = await PublicVote.create(
                category=category,
                voter=voter,
                nomination=plan[i] if i < len(plan) else a,
                cast_at=moment - 5 * day + dt.timedelta(minutes=i),
                voided=i >= len(plan),
            )
            if vote.voided:
                voided_ids.append(vote.id)
        await FraudDecision.create(
            category=category,
            cluster="subnet:journey",
            action="void",
            reason="burst",
            votes=voided,
            vote_ids=voided_ids,
            decided_by=organizer,
            decided_at=moment - day / 2,
        )
        return {
            "slug": cycle.slug,
            "category": category.id,
            "winner": [a.nominee_name_ar, a.nominee_name_en],
        }


async def hide(slug: str) -> dict[str, object]:
    async with connected(load_settings()):
        hidden = await Cycle.filter(slug=slug).update(visibility=Visibility.DRAFT)
    return {"hidden": hidden}


if __name__ == "__main__":
    done = hide(sys.argv[2]) if sys.argv[1] == "--hide" else seed(sys.argv[1])
    print(json.dumps(asyncio.run(done), ensure_ascii=False))
