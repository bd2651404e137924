"""Run by the award journeys in a child process on the live server's database: a demo nominator
nominates someone else in this year's demo cycle, which queues the nominee's invitation in the
outbox (the live server's mail worker sends it to the development sink, where the journey reads
it). The nominator's own form is not what these journeys test.

    python -m tests.e2e.awards_seed <nominee e-mail> <language> <category position>
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

from accounts.models import User
from awards.enums import Relation
from awards.models import Category, Cycle
from awards.services.nominations import NominationInput, save_nomination
from core.db import connected
from core.settings import load_settings

NOMINATOR = "judge2@manassa.local"  # a demo account (awards/demo.py NOMINATORS)
NAMES = {
    "ar": ("ريم الشهري", "Reem Alshehri", "صوت المدينة", "المدينة التي لا تنام"),
    "en": ("نادر الخطيب", "Nader Alkhatib", "City Voices", "The city that never sleeps"),
}


async def nominate(email: str, lang: str, position: int) -> None:
    settings = load_settings()
    async with connected(settings):
        cycle = (
            await Cycle.filter(slug__startswith="media-excellence-")
            .exclude(slug__endswith="-spring")
            .order_by("-year")
            .first()
        )
        assert cycle is not None, "the demo's cycles are missing"
        category = await Category.filter(cycle=cycle).order_by("position", "id").offset(position)
        nominator = await User.get(email=NOMINATOR)
        name_ar, name_en, outlet, title = NAMES[lang]
        await save_nomination(
            settings,
            nominator,
            category[0],
            NominationInput(
                relation=Relation.COLLEAGUE,
                nominee_name_ar=name_ar,
                nominee_name_en=name_en,
                nominee_email=email,
                nominee_organization=outlet,
                nominee_language=lang,
                work_title=title,
                work_outlet=outlet,
                work_published_on=dt.date(cycle.year, 2, 1),
                work_links=(f"https://media.manassa.local/{email.split('@')[0]}",),
                statement="عمل صوتي عن المدينة." if lang == "ar" else "An audio work.",
            ),
            submit=True,
        )


if __name__ == "__main__":
    asyncio.run(nominate(sys.argv[1], sys.argv[2], int(sys.argv[3])))
