"""What the screening journey finds ready on the live server, written through the services
against its database (run as `python -m tests.e2e.award_screening_seed ...` with the server's
environment, so the browser's event loop and the ORM's never meet):

- `setup <lang> <tag>`: a draft cycle in screening, organized by the demo organizer, with one
  self-nomination waiting on a ruling and two nominations of the same journalist under two
  addresses (likely duplicates, not merged automatically); prints what the journey needs as
  JSON;
- `appeal <nomination id>`: its nominator appeals the ineligible ruling.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from typing import Any

from accounts.models import User
from accounts.passwords import hash_password
from awards.enums import NomineeType, Relation
from awards.models import Nomination
from awards.services import cycles, nominations, screening
from awards.services.nominations import NominationInput
from core import clock
from core.clock import now
from core.db import connected
from core.settings import load_settings

DAY = dt.timedelta(days=1)
STATEMENT = {
    "ar": "الروابط المرفقة تُظهر السلسلة كاملة بحلقاتها الست.",
    "en": "The attached links show the whole series, all six episodes.",
}


async def _person(email: str, lang: str, name_ar: str, name_en: str) -> User:
    settings = load_settings()
    return await User.create(
        email=email,
        password_hash=hash_password("not-used-by-the-journey", settings.security_argon2_profile),
        email_verified_at=now(),
        language=lang,
        name_ar=name_ar,
        name_en=name_en,
    )


def _work(**values: Any) -> NominationInput:
    return NominationInput(
        relation=values.pop("relation", Relation.COLLEAGUE),
        nominee_organization="صحيفة الرياض",
        work_outlet="صحيفة الرياض",
        work_published_on=dt.date(2026, 3, 1),
        statement="عمل أثّر في جمهوره.",
        **values,
    )


async def setup(lang: str, tag: str) -> dict[str, Any]:
    settings = load_settings()
    organizer = await User.get(email="organizer@manassa.local")
    start = now() - 40 * DAY
    cycle = await cycles.create_cycle(
        organizer,
        {
            "slug": f"screening-{tag}",
            "year": 2026,
            "name_ar": f"جائزة الفرز {tag}",
            "name_en": f"Screening award {tag}",
            "nominations_open": start,
            "nominations_close": start + 35 * DAY,
            "screening_ends": start + 50 * DAY,
            "appeals_close": start + 57 * DAY,
            "jury_starts": start + 60 * DAY,
        },
    )
    category = await cycles.add_category(
        organizer,
        cycle,
        {
            "name_ar": "التحقيق الاستقصائي",
            "name_en": "Investigative report",
            "nominee_type": NomineeType.INDIVIDUAL,
            "max_per_nominator": 3,
        },
    )
    for code, ar, en in (
        ("WINDOW", "نُشر العمل خارج فترة الأهلية", "The work was published outside the window"),
        ("EVIDENCE", "الأدلة المقدَّمة غير كافية", "The evidence given is not sufficient"),
    ):
        await cycles.add_screening_reason(organizer, cycle, code=code, label_ar=ar, label_en=en)
    self_nominator = await _person(
        f"screen-self-{tag}@example.org", lang, "هند السبيعي", "Hind Alsubaie"
    )
    first = await _person(f"screen-a-{tag}@example.org", lang, "ريم الزهراني", "Reem Alzahrani")
    second = await _person(f"screen-b-{tag}@example.org", lang, "عمر حداد", "Omar Haddad")
    clock.travel(-20 * DAY)  # back to when nominations were open
    try:
        ruled = await nominations.save_nomination(
            settings,
            self_nominator,
            category,
            _work(
                relation=Relation.SELF,
                self_nomination=True,
                nominee_name_ar="هند السبيعي",
                nominee_name_en="Hind Alsubaie",
                work_title="عقود الظل",
                work_links=(f"https://news.example.sa/{tag}/shadow-contracts",),
            ),
            submit=True,
        )
        kept = await nominations.save_nomination(
            settings,
            first,
            category,
            _work(
                nominee_name_ar="سارة المطيري",
                nominee_name_en="Sara Almutairi",
                nominee_email=f"sara-{tag}@news.example.sa",
                work_title="من يشرب الماء؟",
                work_links=(f"https://news.example.sa/{tag}/water",),
            ),
            submit=True,
        )
        twin = await nominations.save_nomination(
            settings,
            second,
            category,
            _work(
                nominee_name_ar="ساره المطيري",
                nominee_name_en="Sara Al-Mutairi",
                nominee_email=f"sara.mutairi-{tag}@mail.example.org",
                work_title="من يشرب الماء",
                work_links=(f"https://riyadh.example.sa/{tag}/water-tankers",),
            ),
            submit=True,
        )
    finally:
        clock.reset()
    return {
        "slug": cycle.slug,
        "ruled": ruled.nomination.id,
        "kept": kept.nomination.id,
        "twin": twin.nomination.id,
        "nominator": self_nominator.email,
        "statement": STATEMENT[lang],
    }


async def appeal(nomination_id: int, lang: str) -> dict[str, Any]:
    row = await Nomination.get(id=nomination_id)
    nominator = await User.get(id=row.created_by_id)
    made = await screening.file_appeal(load_settings(), nominator, row, statement=STATEMENT[lang])
    return {"appeal": made.id}


async def main(argv: list[str]) -> None:
    async with connected(load_settings()):
        if argv[0] == "setup":
            found = await setup(argv[1], argv[2])
        else:
            found = await appeal(int(argv[1]), argv[2])
    print(json.dumps(found))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
