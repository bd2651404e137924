"""Demo award data for `make run`, written through the services as people would: last year's
cycle screened, judged by a jury round per category (through judging) and its shortlist
published; this year's open for nominations with nominations in several states. The clock
is moved to each moment of last year's timeline and back (core.clock.travel).

This year's ruling and appeal are made by moving the clock to this year's screening and back,
so their dates lie a few weeks ahead: the demo shows every state at once.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from accounts.models import User
from awards.enums import EvidenceField, Milestone, NomineeType, Relation, Ruling, Visibility
from awards.models import (
    Category,
    Cycle,
    Nomination,
    PublicVote,
    ResultsBundle,
    Voter,
)
from awards.services import (
    acceptance,
    cycles,
    entry_source,
    nominations,
    public_vote,
    questions,
    results,
    screening,
    shortlist,
    voting,
)
from awards.services.nominations import NominationInput
from awards.tabulation import Fallback, Method
from awards.voters import voter_key
from core import clock
from core.clock import now
from core.links import site_links
from core.settings import Settings
from judging.enums import ConflictKind, ConflictOrigin
from judging.services import (
    assignments,
    conflicts,
    entries,
    judges,
    queues,
    rounds,
    rubric,
    sheets,
)

DAY = dt.timedelta(days=1)
ORGANIZER = "organizer@manassa.local"
NOMINATORS = ("participant@manassa.local", "participant2@manassa.local", "judge2@manassa.local")
JURY = ("judge@manassa.local", "judge2@manassa.local")  # last year's jury, every category
JURY_RUBRIC: tuple[dict[str, Any], ...] = (
    {
        "name_ar": "الأثر",
        "name_en": "Impact",
        "guidance_ar": "ما الذي تغيّر بسبب العمل؟",
        "guidance_en": "What changed because of the work?",
        "weight": 3,
        "max_score": 10,
        "priority": 1,
    },
    {
        "name_ar": "الإتقان",
        "name_en": "Craft",
        "guidance_ar": "جودة البحث والكتابة أو الصورة أو الصوت.",
        "guidance_en": "The quality of the research and of the writing, image or sound.",
        "weight": 2,
        "max_score": 10,
        "priority": 2,
    },
    {
        "name_ar": "الأصالة",
        "name_en": "Originality",
        "guidance_ar": "هل قدّم العمل جديدًا؟",
        "guidance_en": "Did the work bring something new?",
        "weight": 1,
        "max_score": 5,
        "priority": None,
    },
)

CATEGORIES: tuple[dict[str, Any], ...] = (
    {
        "name_ar": "التحقيق الاستقصائي",
        "name_en": "Investigative report",
        "nominee_type": NomineeType.INDIVIDUAL,
        "citation_guidance_ar": "ما الذي كشفه التحقيق، وما أثره؟",
        "citation_guidance_en": (
            "What did the investigation reveal, and what changed because of it?"
        ),
        "required_fields": [EvidenceField.WORK_TITLE.value, EvidenceField.WORK_OUTLET.value],
        "min_links": 1,
    },
    {
        "name_ar": "الفيلم الوثائقي",
        "name_en": "Documentary",
        "nominee_type": NomineeType.GROUP,
        "min_links": 1,
    },
    {"name_ar": "التصوير الصحفي", "name_en": "Photography", "nominee_type": NomineeType.INDIVIDUAL},
    {"name_ar": "الفيديو الإبداعي", "name_en": "Creative video", "nominee_type": NomineeType.GROUP},
    {"name_ar": "البودكاست", "name_en": "Podcast", "nominee_type": NomineeType.GROUP},
    {
        "name_ar": "المحتوى المولَّد بالذكاء الاصطناعي",
        "name_en": "AI-generated content",
        "nominee_type": NomineeType.INDIVIDUAL,
        "public_vote": True,
    },
    {
        "name_ar": "الشخصية الإعلامية للعام",
        "name_en": "Media personality of the year",
        "nominee_type": NomineeType.INDIVIDUAL,
        "self_nomination": False,
        "public_vote": True,
    },
)
# A category's own questions (category index, values), asked before nominations open.
QUESTIONS: tuple[tuple[int, dict[str, Any]], ...] = (
    (
        0,
        {
            "kind": "yes_no",
            "label_ar": "هل استند التحقيق إلى وثائق لم تُنشر من قبل؟",
            "label_en": "Did the investigation rest on documents never published before?",
            "help_ar": "",
            "help_en": "",
            "required": True,
            "option_list": [],
        },
    ),
    (
        0,
        {
            "kind": "long_text",
            "label_ar": "ما الأثر الذي تركه التحقيق بعد نشره؟",
            "label_en": "What changed after the investigation was published?",
            "help_ar": "قرار، أو محاسبة، أو نقاش عام.",
            "help_en": "A decision, accountability, or a public debate.",
            "required": False,
            "option_list": [],
        },
    ),
    (
        1,
        {
            "kind": "number",
            "label_ar": "كم مدة الفيلم بالدقائق؟",
            "label_en": "How long is the film, in minutes?",
            "help_ar": "",
            "help_en": "",
            "required": False,
            "option_list": [],
        },
    ),
    (
        4,
        {
            "kind": "single_choice",
            "label_ar": "شكل البودكاست",
            "label_en": "The podcast's format",
            "help_ar": "",
            "help_en": "",
            "required": False,
            "option_list": [
                {"key": "o1", "ar": "حواري", "en": "Interviews"},
                {"key": "o2", "ar": "سردي", "en": "Narrative"},
                {"key": "o3", "ar": "إخباري", "en": "News"},
            ],
        },
    ),
)
# The demo nominations' answers, by the question's position in QUESTIONS.
ANSWERS = ("yes", "أوقفت البلدية المورّد وفتحت تحقيقًا داخليًا.", 52, "o2")
REASONS = (
    (
        "WINDOW",
        "نُشر العمل خارج فترة الأهلية",
        "The work was published outside the eligibility window",
    ),
    ("EVIDENCE", "الأدلة المقدَّمة غير كافية", "The evidence given is not sufficient"),
    ("TYPE", "المرشَّح لا يطابق نوع المرشَّحين في الفئة", "The nominee is not of the category's type"),
)
# (category index, nominator index, nominee names ar/en, e-mail, outlet, work title, self?)
NOMINEES = (
    (
        0,
        0,
        "سارة المطيري",
        "Sara Almutairi",
        "sara@press.manassa.local",
        "صحيفة الرياض",
        "من يشرب الماء؟",
    ),
    (
        0,
        1,
        "Yousef Karim",
        "Yousef Karim",
        "yousef@press.manassa.local",
        "Gulf Reporter",
        "The ghost payroll",
    ),
    (
        1,
        0,
        "فريق وثائقيات الشرق",
        "East Documentaries",
        "east@film.manassa.local",
        "قناة الشرق",
        "ذاكرة الحجر",
    ),
    (
        2,
        1,
        "ليلى حداد",
        "Layla Haddad",
        "layla@photo.manassa.local",
        "Arab Lens",
        "Floods of Jazan",
    ),
    (4, 2, "فريق بودكاست سين", "Seen Podcast", "seen@audio.manassa.local", "سين", "أصوات الحي"),
    (
        5,
        0,
        "محمد العلي",
        "Mohammed Alali",
        "mohammed@ai.manassa.local",
        "مختبر الإعلام",
        "حكايات مولَّدة",
    ),
    (6, 1, "هند السبيعي", "Hind Alsubaie", "hind@tv.manassa.local", "التلفزيون السعودي", ""),
)


def _timeline(opens: dt.datetime) -> dict[str, dt.datetime]:
    days = {
        Milestone.NOMINATIONS_OPEN: 0,
        Milestone.NOMINATIONS_CLOSE: 30,
        Milestone.SCREENING_ENDS: 45,
        Milestone.APPEALS_CLOSE: 52,
        Milestone.JURY_STARTS: 55,
        Milestone.JURY_ENDS: 75,
        Milestone.SHORTLIST_AT: 80,
        Milestone.VOTING_OPENS: 85,
        Milestone.VOTING_CLOSES: 95,
        Milestone.RESULTS_AT: 100,
    }
    start = opens.replace(hour=9, minute=0, second=0, microsecond=0)
    return {m.value: start + n * DAY for m, n in days.items()}


async def _cycle(organizer: User, year: int, opens: dt.datetime) -> tuple[Cycle, list[Category]]:
    cycle = await cycles.create_cycle(
        organizer,
        {
            "slug": f"media-excellence-{year}",
            "year": year,
            "name_ar": f"جائزة التميز الإعلامي {year}",
            "name_en": f"Media Excellence Award {year}",
            "description_ar": "جائزة سنوية تكرّم أفضل الأعمال والشخصيات الإعلامية في العالم العربي.",
            "description_en": (
                "An annual award for the best media work and people of the Arab world."
            ),
            "rules_ar": "يُقبل العمل المنشور خلال العام. لكل مرشِّح ثلاثة ترشيحات في الفئة.",
            "rules_en": (
                "Work published during the year is eligible. "
                "Three nominations per nominator and category."
            ),
            **_timeline(opens),
        },
    )
    made = []
    for values in CATEGORIES:
        made.append(
            await cycles.add_category(
                organizer,
                cycle,
                {
                    **values,
                    "published_from": dt.date(year - 1, 1, 1),
                    "published_until": dt.date(year, 12, 31),
                    "max_per_nominator": 3,
                },
            )
        )
    for code, ar, en in REASONS:
        await cycles.add_screening_reason(organizer, cycle, code=code, label_ar=ar, label_en=en)
    await _questions(organizer, cycle, made)
    await cycles.set_visibility(organizer, cycle, Visibility.PUBLISHED)
    return cycle, made


async def _questions(organizer: User, cycle: Cycle, made: list[Category]) -> None:
    """The organizer writes the categories' questions the day before nominations open."""
    moved = cycle.nominations_open - clock.now() - DAY
    clock.travel(moved)
    try:
        for index, values in QUESTIONS:
            await questions.add(organizer, cycle, made[index], values)
    finally:
        clock.travel(-moved)


async def _answers(category: Category) -> dict[str, Any]:
    """The demo's answer to each of the category's questions."""
    by_label = {values["label_en"]: ANSWERS[n] for n, (_c, values) in enumerate(QUESTIONS)}
    return {str(q.id): by_label[q.label_en] for q in await questions.of_category(category)}


def _values(row: tuple, year: int, **extra: Any) -> NominationInput:
    _c, _n, name_ar, name_en, email, outlet, title = row
    slug = email.split("@")[0]
    return NominationInput(
        relation=Relation.COLLEAGUE,
        nominee_name_ar=name_ar,
        nominee_name_en=name_en,
        nominee_email=email,
        nominee_organization=outlet,
        nominee_language="ar" if name_ar != name_en else "en",
        work_title=title or name_en,
        work_outlet=outlet,
        work_published_on=dt.date(year, 3, 15),
        work_links=(f"https://media.manassa.local/{year}/{slug}",),
        statement=extra.pop("statement", "عمل أثّر في جمهوره وفي صنّاع القرار."),
        **extra,
    )


async def _nominate(
    settings: Settings,
    people: list[User],
    cats: list[Category],
    row: tuple,
    year: int,
    **extra: Any,
) -> Nomination:
    category = cats[row[0]]
    values = _values(row, year, answers=await _answers(category), **extra)
    saved = await nominations.save_nomination(
        settings, people[row[1]], category, values, submit=True
    )
    return saved.nomination


async def _accept(settings: Settings, nomination: Nomination) -> None:
    fresh = await Nomination.get(id=nomination.id)
    await acceptance.answer(settings, acceptance.make_token(settings, fresh), accept=True)


async def _last_year(settings: Settings, organizer: User, people: list[User]) -> Cycle:
    opens = clock.now() - 400 * DAY
    moved = dt.timedelta(0)
    try:
        clock.travel(-390 * DAY)
        moved -= 390 * DAY
        year = clock.now().year
        cycle, cats = await _cycle(organizer, year, opens)
        made = [await _nominate(settings, people, cats, row, year) for row in NOMINEES]
        for nomination in made:
            await _accept(settings, nomination)
        clock.travel(30 * DAY)  # screening
        moved += 30 * DAY
        ineligible = made[3]
        await screening.rule(
            settings,
            organizer,
            cycle,
            [n.id for n in made if n is not ineligible],
            ruling=Ruling.ELIGIBLE,
        )
        await screening.rule(
            settings,
            organizer,
            cycle,
            [ineligible.id],
            ruling=Ruling.INELIGIBLE,
            reason_code="WINDOW",
            note="Published in the previous year.",
        )
        to_jury = cycle.jury_starts - clock.now() + DAY
        clock.travel(to_jury)
        moved += to_jury
        judged = await _jury(settings, organizer, cycle, cats, people)
        to_shortlist = cycle.shortlist_at - clock.now()
        clock.travel(to_shortlist)
        moved += to_shortlist
        for category in judged:
            await shortlist.approve(organizer, cycle, category)
        await shortlist.publish(organizer, cycle, settings)
    finally:
        clock.travel(-moved)
    return cycle


async def _jury(
    settings: Settings, organizer: User, cycle: Cycle, cats: list[Category], people: list[User]
) -> list[Category]:
    """Both demo judges judge every category (judge2 declares a conflict with the nomination
    they made); a round per category with eligible nominations, scored and closed. Returns
    the categories judged."""
    jury = [await User.get(email=e) for e in JURY]
    scope = await entry_source.NominationSource().scope(cycle.id)
    assert scope is not None
    links = site_links(settings)
    seats = []
    for user in jury:
        seat = await judges.invite_judge(organizer, scope, links, email=user.email)
        seats.append(await judges.answer_invitation(user, seat, accept=True))
    source = entry_source.NominationSource()
    judged = []
    for category in cats:
        round_ = await rounds.create_round(
            organizer,
            scope.scope_type,
            scope.scope_id,
            {
                "name_ar": f"تحكيم {category.name_ar}",
                "name_en": f"Jury: {category.name_en}",
                "group_key": entry_source.group_key(category),
                "judges_per_entry": 2,
                "ends_at": cycle.jury_ends,
            },
        )
        for values in JURY_RUBRIC:
            await rubric.save_criterion(
                organizer,
                round_,
                {"levels": [], "min_score": 1, "step": 1, "independent": False, **values},
            )
        if not (await entries.refresh_entries(organizer, round_, source)).added:
            await rounds.delete_round(organizer, round_)
            continue
        await _clear_demo_conflicts(organizer, cycle, seats[1], people)
        await assignments.auto_assign(organizer, round_)
        await rounds.change_state(organizer, round_, "open")
        await _scores(round_, jury)
        await rounds.change_state(organizer, round_, "close")
        judged.append(category)
    return judged


async def _clear_demo_conflicts(
    organizer: User, cycle: Cycle, judge2: Any, people: list[User]
) -> None:
    """Every demo account shares the made-up domain manassa.local: that says nothing about
    real ties, so the organizer lifts it; judge2 declares the one real tie, with the
    nomination judge2 made."""
    for conflict in await conflicts.conflicts_of(*_scope(cycle)):
        if conflict.active and conflict.value in ("manassa.local", "manassa demo"):
            await conflicts.lift_conflict(organizer, conflict)
    own = await Nomination.filter(cycle=cycle, created_by=people[2]).values_list("id", flat=True)
    for nomination_id in own:
        await conflicts.record_conflict(
            organizer,
            judge2,
            kind=ConflictKind.ENTRY,
            value=str(nomination_id),
            label=str(nomination_id),
            reason="I nominated this work.",
            origin=ConflictOrigin.DECLARED,
        )


def _scope(cycle: Cycle) -> tuple[str, int]:
    return ("award_cycle", cycle.id)


async def _scores(round_: Any, jury: list[User]) -> None:
    """Each judge scores what their queue in this round holds (a spread of stronger and
    weaker nominations)."""
    for user in jury:
        mine = [q for q in await queues.judge_queue(user) if q.round.id == round_.id]
        for item in mine[0].items if mine else []:
            seen = await sheets.scoring_for(user, item.entry.id)
            quality = (item.entry.source_id * 5 + len(user.email)) % 4
            await sheets.save_sheet(
                user,
                seen,
                scores={"c1": 6 + quality, "c2": 5 + quality, "c3": 2 + quality % 3},
                comment="",
                note="",
                version=0,
                submit=True,
            )


async def _this_year(settings: Settings, organizer: User, people: list[User]) -> Cycle:
    year = clock.now().year
    cycle, cats = await _cycle(organizer, year, clock.now() - 10 * DAY)
    await _nominate(settings, people, cats, NOMINEES[0], year)  # awaits its nominee
    appealed = await _nominate(settings, people, cats, NOMINEES[3], year)
    accepted = await _nominate(settings, people, cats, NOMINEES[4], year)
    for nomination in (appealed, accepted):
        await _accept(settings, nomination)
    # Two likely duplicates: the same journalist, spelled two ways, by two nominators.
    twin = (
        0,
        1,
        "عبدالله الحربي",
        "Abdullah Alharbi",
        "a.harbi@press.manassa.local",
        "عكاظ",
        "طرق بلا نهاية",
    )
    other = (
        0,
        2,
        "عبد الله الحربي",
        "Abdallah Al-Harbi",
        "abdullah.h@press.manassa.local",
        "عكاظ",
        "طرق بلا نهاية",
    )
    for row in (twin, other):
        await _nominate(settings, people, cats, row, year)
    moved = cycle.nominations_close - clock.now() + DAY
    clock.travel(moved)
    try:
        await screening.rule(
            settings,
            organizer,
            cycle,
            [appealed.id],
            ruling=Ruling.INELIGIBLE,
            reason_code="EVIDENCE",
        )
        await screening.file_appeal(
            settings,
            people[NOMINEES[3][1]],
            appealed,
            statement="The photographs were published in print; the scans are attached.",
        )
    finally:
        clock.travel(-moved)
    return cycle


async def load(settings: Settings) -> list[str]:
    """Runs after the accounts demo (it uses its people) and does nothing if already loaded."""
    if await Cycle.filter(slug__startswith="media-excellence-").exists():
        return ["Award demo data is already there."]
    organizer = await User.get_or_none(email=ORGANIZER)
    people = [await User.get_or_none(email=e) for e in NOMINATORS]
    if organizer is None or None in people:
        return ["", "Award demo skipped: the demo accounts are missing."]
    last = await _last_year(settings, organizer, people)  # type: ignore[arg-type]
    await _last_year_public_vote(last)
    await demo_final_vote(organizer, last)
    await _last_year_votes(settings, organizer, last)
    # before this year's, so that this year's is the newest cycle of the archive
    spring = await demo_voting_cycle(settings, organizer, people)  # type: ignore[arg-type]
    current = await _this_year(settings, organizer, people)  # type: ignore[arg-type]
    vote_lines = await _public_vote(settings, organizer, people)  # type: ignore[arg-type]
    published = await _last_year_results(settings, organizer, last)
    return [
        "",
        "Media Excellence Award:",
        f"  /awards/{last.slug}    last year's cycle, judged, its shortlist published",
        f"  /awards/{current.slug}    this year's cycle, open for nominations",
        f"  organizer: {ORGANIZER}; nominators: {', '.join(NOMINATORS)}",
        f"  last year's jury: {', '.join(JURY)} (/awards/{last.slug}/manage/jury)",
        f"  /awards/{spring.slug}    a small cycle whose final vote is open: the jury's "
        f"ballots at /awards/{spring.slug}/ballot ({JURY[0]} has voted, {JURY[1]} not yet), "
        f"the rules and turnout at /awards/{spring.slug}/manage/voting",
        f"  /awards/{last.slug}/manage/votes    last year's public vote, reviewed and signed off",
        *published,
        *vote_lines,
    ]


# --- the jury's final vote (issue 10) --------------------------------------------------------

# The declared rules the demo gives a category, by its position in the cycle (method, partial
# ballots, jury weight in percent); the quorum is the number of the demo's judges who may rank a
# finalist of the category (a judge conflicted with its only finalist cannot).
VOTE_RULES = (
    (Method.IRV, True, 60),
    (Method.BORDA, False, 50),
    (Method.MODIFIED_BORDA, True, 70),
    (Method.DOWDALL, True, 60),
)
# This year's spring edition, whose final vote is open: (category index, nominator index,
# nominee names ar/en, e-mail, outlet, work title).
VOTING_NOMINEES = (
    (0, 0, "ريم العتيبي", "Reem Alotaibi", "reem@press.manassa.local", "الشرق", "مياه بلا رقيب"),
    (0, 1, "ماجد القحطاني", "Majed Alqahtani", "majed@press.manassa.local", "عكاظ", "سوق الدواء"),
    (0, 2, "لينا الزهراني", "Lina Alzahrani", "lina@press.manassa.local", "المدينة", "عقود الظل"),
    (0, 0, "فهد الدوسري", "Fahad Aldosari", "fahad@press.manassa.local", "الوطن", "الطريق الأخير"),
    (1, 1, "فريق وثائقيات نجد", "Najd Films", "najd@film.manassa.local", "نجد", "حراس النخيل"),
    (1, 0, "فريق عدسة", "Adasa Team", "adasa@film.manassa.local", "عدسة", "بحر الذاكرة"),
    (1, 2, "فريق أثر", "Athar Team", "athar@film.manassa.local", "أثر", "مدن الملح"),
)


def _vote_rules(position: int, category: Category, quorum: int) -> voting.Rules:
    method, partial, weight = VOTE_RULES[position % len(VOTE_RULES)]
    return voting.Rules(
        method=method,
        partial=partial,
        weight_percent=weight,
        quorum=quorum,
        fallback=Fallback.PUBLIC_ONLY if category.public_vote else Fallback.NO_AWARD,
        public_vote=category.public_vote,
    )


async def _declare_and_vote(organizer: User, cycle: Cycle, voters: list[User]) -> int:
    """The organizer declares each shortlisted category's rules the day before voting opens;
    then each of `voters` ranks every finalist they may see (the first in shortlist order, the
    second in reverse). Returns the number of ballots cast."""
    jury = [await User.get(email=e) for e in JURY]
    categories = [
        c
        for c in await Category.filter(cycle_id=cycle.id).order_by("position", "id")
        if await voting.finalist_ids(c)
    ]
    assert cycle.voting_opens is not None
    moved = cycle.voting_opens - clock.now() - DAY
    clock.travel(moved)
    cast = 0
    try:
        for position, category in enumerate(categories):
            able = [(await voting.ballot_view(u, cycle, category)).finalists for u in jury]
            quorum = max(1, sum(1 for seen in able if seen))
            await voting.set_rules(
                organizer, cycle, category, _vote_rules(position, category, quorum)
            )
        clock.travel(2 * DAY)
        moved += 2 * DAY
        for category in categories:
            category = await Category.get(id=category.id)
            for n, user in enumerate(voters):
                view = await voting.ballot_view(user, cycle, category)
                ranking = [row.nomination_id for row in view.finalists]  # type: ignore[attr-defined]
                if n % 2:
                    ranking.reverse()
                if ranking:
                    await voting.cast_ballot(user, cycle, category, ranking)
                    cast += 1
    finally:
        clock.travel(-moved)
    return cast


async def demo_final_vote(organizer: User, cycle: Cycle) -> int:
    """Last year's final vote: declared rules in every shortlisted category and a complete,
    valid ballot from every juror (the quorum is met); the results count and publish them."""
    return await _declare_and_vote(organizer, cycle, [await User.get(email=e) for e in JURY])


async def demo_voting_cycle(settings: Settings, organizer: User, people: list[User]) -> Cycle:
    """A small cycle of this year (two categories, the second with a public vote) whose final
    vote is open: nominated, screened, judged and shortlisted through the services with the
    clock moved back, its rules declared before voting opened; the first demo judge has cast
    ballots, the second not yet."""
    opens = clock.now() - 88 * DAY  # voting opened 3 days ago and closes in a week
    year = clock.now().year
    moved = opens + 10 * DAY - clock.now()
    clock.travel(moved)
    try:
        cycle = await cycles.create_cycle(
            organizer,
            {
                "slug": f"media-excellence-{year}-spring",
                "year": year,
                "name_ar": f"جائزة التميز الإعلامي {year}: دورة الربيع",
                "name_en": f"Media Excellence Award {year}: spring edition",
                "description_ar": "دورة قصيرة في فئتين، تصويتها النهائي مفتوح الآن.",
                "description_en": "A short edition in two categories, its final vote open now.",
                **_timeline(opens),
            },
        )
        cats = [
            await cycles.add_category(
                organizer,
                cycle,
                {**CATEGORIES[i], "max_per_nominator": 3, "public_vote": public_vote},
            )
            for i, public_vote in ((0, False), (1, True))
        ]
        await cycles.set_visibility(organizer, cycle, Visibility.PUBLISHED)
        await _to_shortlist(settings, organizer, people, cycle, cats, VOTING_NOMINEES)
    finally:
        clock.travel(-moved)
    first = await User.get(email=JURY[0])
    await _declare_and_vote(organizer, cycle, [first])
    return cycle


async def _to_shortlist(
    settings: Settings,
    organizer: User,
    people: list[User],
    cycle: Cycle,
    categories: list[Category],
    nominees: tuple[tuple[Any, ...], ...],
) -> None:
    """A cycle's way from nominations to its published shortlist through the services, the
    clock moved along its timeline and back: `nominees` nominated and accepted, ruled eligible
    once nominations close, judged by the demo jury, each category's shortlist approved and the
    shortlist published."""
    moved = dt.timedelta(0)
    try:
        made = [await _nominate(settings, people, categories, row, cycle.year) for row in nominees]
        for nomination in made:
            await _accept(settings, nomination)
        to_screening = cycle.nominations_close - clock.now() + DAY
        clock.travel(to_screening)
        moved += to_screening
        await screening.rule(
            settings, organizer, cycle, [n.id for n in made], ruling=Ruling.ELIGIBLE
        )
        assert cycle.jury_starts is not None and cycle.shortlist_at is not None
        to_jury = cycle.jury_starts - clock.now() + DAY
        clock.travel(to_jury)
        moved += to_jury
        judged = await _jury(settings, organizer, cycle, categories, people)
        to_shortlist = cycle.shortlist_at - clock.now()
        clock.travel(to_shortlist)
        moved += to_shortlist
        for category in judged:
            await shortlist.approve(organizer, cycle, category)
        await shortlist.publish(organizer, cycle, settings)
    finally:
        clock.travel(-moved)


# --- last year's final vote and published results (issue 10) -------------------------------


async def _last_year_public_vote(cycle: Cycle) -> None:
    """Last year's first two shortlisted categories had a public vote, as set before the final
    vote's rules were declared (so the rules declare it and fall back to it)."""
    shortlisted = await results.counted_categories(cycle)
    for category in shortlisted[:2]:
        if not category.public_vote:
            category.public_vote = True
            await category.save(update_fields=["public_vote"])


async def _last_year_results(settings: Settings, organizer: User, cycle: Cycle) -> list[str]:
    """Last year's final vote (the jury's ballots and the reviewed public vote are cast above),
    counted into the bundle, winners cited in Arabic and English, approved and published on
    last year's results day."""
    if await ResultsBundle.exists(cycle_id=cycle.id):
        return []
    categories = await results.counted_categories(cycle)
    if not categories:
        return []
    moved = (cycle.results_at or now()) - clock.now() + dt.timedelta(hours=1)
    clock.travel(moved)
    try:
        fresh = await Cycle.get(id=cycle.id)
        built = await results.count(organizer, fresh, settings)
        for item in await results.reports(fresh):
            winner = item.winner
            if winner is not None:
                await results.save_citations(
                    organizer,
                    fresh,
                    item.category,
                    ar=f"إلى {winner.nominee_name_ar} عن «{winner.work_title}»: عمل صحفي دقيق "
                    "غيّر النقاش العام وأعطى صوتًا لمن لا صوت لهم.",
                    en=f"To {winner.nominee_name_en} for “{winner.work_title}”: careful "
                    "journalism that changed the public debate and gave a voice to the unheard.",
                )
        await results.approve(organizer, fresh)
        await results.publish(organizer, fresh, settings)
    finally:
        clock.travel(-moved)
    return [
        f"  /awards/{cycle.slug}/results    last year's winners, published; bundle fingerprint "
        f"{built.fingerprint[:16]}… (manassa recount BUNDLE.zip prints MATCH)",
        "  /awards/archive    past cycles and their winners",
    ]


# --- last year's public vote, reviewed ----------------------------------------------------------

DEMO_VOTERS = 48  # honest voters of last year's public vote, each voting in every category
DEMO_BURST = 9  # votes from one network within seconds, in the first public-vote category


async def _last_year_votes(settings: Settings, organizer: User, cycle: Cycle) -> None:
    """Last year's public vote, closed and reviewed: verified voters voting for the shortlist of
    each public-vote category over the voting days, a flagged burst from one network in the
    first one, voided by the organizer (reason "burst") and every review signed off. The votes
    are written as rows (the voter's side has its own demo of an open vote); the review goes
    through awards.services.fraud, at a moment after voting closed."""
    import random

    from awards.models import ShortlistedNomination, VoteLog, Voter
    from awards.services import fraud
    from awards.voters import keyed_hash

    secret = settings.secret_key.encode()
    categories = list(await Category.filter(cycle_id=cycle.id, public_vote=True))
    opens, closes = cycle.voting_opens, cycle.voting_closes
    if not categories or opens is None or closes is None:
        return
    rnd = random.Random(cycle.year)  # noqa: S311 - demo data, not secrets
    span = int((closes - opens).total_seconds()) - 3600

    def logged(voter: Voter, category: Category, finalist: int, at: dt.datetime, **extra: Any):  # noqa: ANN202
        values = {
            "address_hash": keyed_hash(secret, "address", str(voter.id)),
            "subnet_hash": keyed_hash(secret, "subnet", str(voter.id % 20)),
            "agent_hash": keyed_hash(secret, "agent", str(voter.id % 5)),
            "shape_hash": keyed_hash(secret, "shape", str(voter.id)),
            "seconds_from_code": rnd.randrange(20, 400),
            **extra,
        }
        return VoteLog(category=category, voter=voter, nomination_id=finalist, at=at, **values)

    voters = [
        await Voter.create(
            cycle=cycle,
            key=voter_key(secret, f"voter{n}@demo.manassa.local"),
            verified_at=opens + dt.timedelta(seconds=rnd.randrange(span)),
        )
        for n in range(DEMO_VOTERS + DEMO_BURST)
    ]
    honest, burst = voters[:DEMO_VOTERS], voters[DEMO_VOTERS:]
    for index, category in enumerate(categories):
        finalists = await ShortlistedNomination.filter(category_id=category.id).values_list(
            "nomination_id", flat=True
        )
        if not finalists:
            continue
        votes, log = [], []
        for voter in honest:
            at = voter.verified_at + dt.timedelta(minutes=rnd.randrange(1, 90))
            finalist = rnd.choice(finalists)
            votes.append(
                PublicVote(category=category, voter=voter, nomination_id=finalist, cast_at=at)
            )
            log.append(logged(voter, category, finalist, at))
        if index == 0:
            start = opens + 2 * DAY
            for n, voter in enumerate(burst):
                at = start + dt.timedelta(seconds=2 * n)
                votes.append(
                    PublicVote(
                        category=category, voter=voter, nomination_id=finalists[-1], cast_at=at
                    )
                )
                log.append(
                    logged(
                        voter,
                        category,
                        finalists[-1],
                        at,
                        subnet_hash=keyed_hash(secret, "subnet", "burst"),
                        seconds_from_code=1,
                        flags=["burst", "fast"],
                    )
                )
        await PublicVote.bulk_create(votes)
        await VoteLog.bulk_create(log)
    moved = closes + DAY - clock.now()
    clock.travel(moved)
    try:
        first = categories[0]
        found, _flagged = await fraud.read_review(first)
        burst_cluster = next(c for c in found.clusters if c.signal == "burst")
        await fraud.decide_cluster(
            organizer,
            cycle,
            first,
            burst_cluster.key,
            fraud.Decision("void", "burst", "Nine votes from one network within seconds."),
        )
        for category in categories:
            await fraud.sign_off(organizer, cycle, category)
    finally:
        clock.travel(-moved)


# --- the public vote, open now ----------------------------------------------------------------

PUBLIC_VOTE_SLUG = "public-vote-{year}"
# (category: 0 investigative, 1 photography; nominator index, name_ar, name_en, e-mail, outlet,
# work)
VOTE_NOMINEES = (
    (0, 0, "لمى العتيبي", "Lama Alotaibi", "lama@vote.manassa.local", "الشرق الأوسط", "مدن الملح"),
    (0, 1, "فهد القحطاني", "Fahad Alqahtani", "fahad@vote.manassa.local", "عكاظ", "الدواء الغائب"),
    (0, 2, "Maya Haddad", "Maya Haddad", "maya@vote.manassa.local", "The National", "Dry wells"),
    (1, 0, "نورة الدوسري", "Noura Aldosari", "noura@vote.manassa.local", "سبق", "وجوه الحج"),
    (1, 1, "خالد الزهراني", "Khalid Alzahrani", "khalid@vote.manassa.local", "الوطن", "العاصفة"),
    (1, 2, "Omar Farouk", "Omar Farouk", "omar@vote.manassa.local", "Arab News", "Night shift"),
)
FIRST_NAMES = (
    "huda",
    "omar",
    "sara",
    "fahad",
    "reem",
    "nasser",
    "lama",
    "turki",
    "dana",
    "yousef",
    "maha",
    "saad",
    "rana",
    "majed",
    "hind",
    "bandar",
    "amal",
    "faisal",
    "noura",
    "khalid",
)
LAST_NAMES = (
    "alharbi",
    "alotaibi",
    "alqahtani",
    "alzahrani",
    "alghamdi",
    "aldosari",
    "alshehri",
    "almutairi",
    "alanazi",
    "alshammari",
    "alsubaie",
    "aljohani",
    "alyami",
    "almalki",
    "alsaud",
)
VOTER_DOMAINS = ("mail.example", "inbox.example", "post.example", "webmail.example")
AGENTS = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
)


async def _public_vote(settings: Settings, organizer: User, people: list[User]) -> list[str]:
    """A cycle whose public vote is open now (since two days, for eight more days): two
    categories with a public vote, judged and their shortlist published; a few hundred votes
    cast through the vote's service over those two days, with the clusters the fraud review
    shows: a burst from one subnet, sequential addresses at one domain, a disposable domain.
    A newcomer votes too, with a code from the local mail sink (README)."""
    year = clock.now().year
    slug = PUBLIC_VOTE_SLUG.format(year=year)
    if await Cycle.filter(slug=slug).exists():
        return []
    opens = clock.now() - 87 * DAY  # voting opened two days ago (VOTING_OPENS is day 85)
    moved = dt.timedelta(0)
    try:
        to_nominations = opens + 10 * DAY - clock.now()
        clock.travel(to_nominations)
        moved += to_nominations
        cycle, cats = await _vote_cycle(organizer, slug, year, opens)
        await _to_shortlist(settings, organizer, people, cycle, cats, VOTE_NOMINEES)
    finally:
        clock.travel(-moved)
    cycle = await Cycle.get(id=cycle.id)
    cast = await _votes(settings, cycle)
    return [
        f"  /awards/{slug}/vote    a cycle whose public vote is open ({cast} votes cast so "
        "far): vote with any e-mail address, the code arrives in var/mail/*.eml",
    ]


async def _vote_cycle(
    organizer: User, slug: str, year: int, opens: dt.datetime
) -> tuple[Cycle, list[Category]]:
    cycle = await cycles.create_cycle(
        organizer,
        {
            "slug": slug,
            "year": year,
            "name_ar": f"جائزة التميز الإعلامي {year}: اختيار الجمهور",
            "name_en": f"Media Excellence Award {year}: the public's choice",
            "description_ar": "دورة يصوّت فيها الجمهور على القائمة القصيرة في فئتين.",
            "description_en": "A cycle whose shortlist in two categories is open to a public vote.",
            **_timeline(opens),
        },
    )
    made = [
        await cycles.add_category(
            organizer,
            cycle,
            {
                **CATEGORIES[index],
                "published_from": dt.date(year - 1, 1, 1),
                "published_until": dt.date(year, 12, 31),
                "max_per_nominator": 3,
                "public_vote": True,
            },
        )
        for index in (0, 2)
    ]
    await cycles.set_visibility(organizer, cycle, Visibility.PUBLISHED)
    return cycle, made


async def _votes(settings: Settings, cycle: Cycle) -> int:
    """The votes of the last two days, through public_vote.cast at their moments: ordinary
    voters spread over the time, then the clusters. Returns how many were cast."""
    luck = random.Random(cycle.id)  # noqa: S311 - demo data, not a secret
    voting = await public_vote.voting_categories(cycle)
    start = cycle.voting_opens
    assert start is not None
    span = clock.now() - start - dt.timedelta(hours=1)
    people = [f"{f}.{last}" for f in FIRST_NAMES for last in LAST_NAMES][:150]
    luck.shuffle(people)
    plan: list[tuple[dt.timedelta, str, str, int, int]] = []  # when, e-mail, address, choice
    for n, name in enumerate(people):
        at = span * ((n + luck.random()) / len(people))
        email = f"{name}@{VOTER_DOMAINS[n % len(VOTER_DOMAINS)]}"
        address = (
            f"{luck.randint(11, 220)}.{luck.randint(0, 255)}.{luck.randint(0, 255)}.{n % 250 + 1}"
        )
        plan.append((at, email, address, luck.choice((0, 0, 1, 1, 2)), luck.randint(40, 900)))
    burst = span * 0.7  # 40 votes within a minute from one /24, all for the same finalist
    for n in range(40):
        at = burst + dt.timedelta(seconds=n * 1.5)
        plan.append(
            (at, f"supporter{FIRST_NAMES[n % 20]}{n}@inbox.example", f"198.18.7.{n + 2}", 2, 2)
        )
    for n in range(12):  # sequential addresses at one domain, a few minutes apart
        at = span * 0.4 + dt.timedelta(minutes=4 * n)
        plan.append((at, f"fan{n + 1}@club.example", f"100.{64 + n}.3.{n + 9}", 1, 25))
    for n, domain in enumerate(("mailinator.com", "guerrillamail.com", "yopmail.com") * 4):
        at = span * 0.55 + dt.timedelta(minutes=7 * n)
        name = FIRST_NAMES[(n * 7) % 20]
        plan.append((at, f"{name}{LAST_NAMES[n]}@{domain}", f"172.{n + 20}.9.4", 0, 30))
    plan.sort()
    moved = dt.timedelta(0)
    cast = 0
    try:
        for at, email, address, choice, seconds in plan:
            step = start + at - clock.now()
            clock.travel(step)
            moved += step
            sent = clock.now() - dt.timedelta(seconds=seconds)
            voter = await public_vote.verified_pass(cycle, email, settings.secret_key, sent)
            for category, finalists in voting:
                if luck.random() < 0.15 and seconds > 10:
                    continue  # some ordinary voters vote in one category only
                chosen = finalists[min(choice, len(finalists) - 1)].nomination
                await public_vote.cast(
                    cycle,
                    category.id,
                    chosen.id,
                    voter,
                    address,
                    AGENTS[(len(email) + choice) % len(AGENTS)],
                    settings.secret_key,
                )
                cast += 1
    finally:
        clock.travel(-moved)
    return cast
