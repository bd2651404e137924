"""Run by tests/awards/test_nomination_races.py in a child process on the live server's
database: a published cycle open for nominations with one category, and verified nominators.
Prints the cycle's slug and the category's id.

    python -m tests.awards.race_seed <password> <e-mail>...
"""

from __future__ import annotations

import asyncio
import sys

from core.db import connected
from core.settings import load_settings
from tests.awards.factories import make_category, make_cycle
from tests.factories import make_user


async def seed(password: str, emails: list[str]) -> None:
    async with connected(load_settings()):
        cycle = await make_cycle(phase="nominations")
        category = await make_category(cycle, max_per_nominator=20)
        for email in emails:
            await make_user(email, password=password, language="en")
        print(cycle.slug, category.id)


if __name__ == "__main__":
    asyncio.run(seed(sys.argv[1], sys.argv[2:]))
