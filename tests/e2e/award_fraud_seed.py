"""What the fraud-review journey finds ready on the live server, written against its database
(run as `python -m tests.e2e.award_fraud_seed <lang> <tag>` with the server's environment, so
the browser's event loop and the ORM's never meet): a cycle organized by the demo organizer
whose public vote closed yesterday, one public-vote category with three finalists, twelve
honest votes over the voting days and a burst of five from one network within seconds (flagged
"burst" and "fast"). Prints what the journey needs as JSON."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from typing import Any

from accounts.models import User
from awards.enums import NominationState, NomineeType
from awards.models import Nomination, PublicVote, VoteLog, Voter
from awards.services import cycles
from awards.voters import keyed_hash, voter_key
from core.clock import now
from core.db import connected
from core.settings import load_settings

DAY = dt.timedelta(days=1)
FINALISTS = (
    ("سارة المطيري", "Sara Almutairi"),
    ("عمر حداد", "Omar Haddad"),
    ("ريم الزهراني", "Reem Alzahrani"),
)
HONEST, BURST = 12, 5


async def setup(lang: str, tag: str) -> dict[str, Any]:
    settings = load_settings()
    secret = settings.secret_key.encode()
    organizer = await User.get(email="organizer@manassa.local")
    start = now() - 100 * DAY
    cycle = await cycles.create_cycle(
        organizer,
        {
            "slug": f"fraud-{tag}",
            "year": 2026,
            "name_ar": f"جائزة المراجعة {tag}",
            "name_en": f"Review award {tag}",
            "nominations_open": start,
            "nominations_close": start + 30 * DAY,
            "screening_ends": start + 45 * DAY,
            "appeals_close": start + 52 * DAY,
            "jury_starts": start + 55 * DAY,
            "jury_ends": start + 75 * DAY,
            "shortlist_at": start + 80 * DAY,
            "voting_opens": start + 89 * DAY,
            "voting_closes": start + 99 * DAY,
            "results_at": start + 105 * DAY,
        },
    )
    category = await cycles.add_category(
        organizer,
        cycle,
        {
            "name_ar": "شخصية العام",
            "name_en": "Personality of the year",
            "nominee_type": NomineeType.INDIVIDUAL,
            "public_vote": True,
        },
    )
    finalists = [
        await Nomination.create(
            cycle=cycle,
            category=category,
            created_by=organizer,
            state=NominationState.ELIGIBLE,
            nominee_name_ar=ar,
            nominee_name_en=en,
            work_title=en,
        )
        for ar, en in FINALISTS
    ]
    opens = cycle.voting_opens
    assert opens is not None
    for n in range(HONEST + BURST):
        burst = n >= HONEST
        at = opens + (dt.timedelta(days=3, seconds=n) if burst else dt.timedelta(hours=13 * n + 5))
        voter = await Voter.create(
            cycle=cycle, key=voter_key(secret, f"v{n}-{tag}@example.org"), verified_at=at
        )
        finalist = finalists[1] if burst else finalists[n % 3]
        await PublicVote.create(category=category, voter=voter, nomination=finalist, cast_at=at)
        await VoteLog.create(
            category=category,
            voter=voter,
            nomination=finalist,
            at=at,
            address_hash=keyed_hash(secret, "address", "burst" if burst else str(n)),
            subnet_hash=keyed_hash(secret, "subnet", "burst" if burst else str(n)),
            agent_hash=keyed_hash(secret, "agent", "x"),
            shape_hash=keyed_hash(secret, "shape", str(n)),
            seconds_from_code=1 if burst else 60 + n,
            flags=["burst", "fast"] if burst else [],
        )
    return {"slug": cycle.slug, "category": category.id, "burst": BURST, "votes": HONEST + BURST}


async def main(argv: list[str]) -> None:
    async with connected(load_settings()):
        found = await setup(argv[0], argv[1])
    print(json.dumps(found))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
