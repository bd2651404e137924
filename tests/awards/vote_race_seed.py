"""Run by the public vote's live tests (tests/awards/test_vote_races.py) in a child process on
the live server's database: a published cycle in VOTING with `categories` public-vote
categories of three finalists each. Prints the cycle's slug, then one line per category: its
id and its finalists' nomination ids.

    python -m tests.awards.vote_race_seed <slug> <categories>
"""

from __future__ import annotations

import asyncio
import sys

from core.db import connected
from core.settings import load_settings
from tests.awards.factories import make_category, make_voting_cycle, shortlisted


async def seed(slug: str, categories: int) -> None:
    async with connected(load_settings()):
        cycle, category, finalists = await make_voting_cycle(slug=slug)
        print(cycle.slug)
        print(category.id, *(n.id for n in finalists))
        for _ in range(categories - 1):
            more = await make_category(cycle, public_vote=True)
            print(more.id, *(n.id for n in await shortlisted(cycle, more, 3)))


if __name__ == "__main__":
    asyncio.run(seed(sys.argv[1], int(sys.argv[2])))
