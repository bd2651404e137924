"""Demo judging for `make run`: last year's Mediathon judged and published, this year's with a
round ready to run. Entries come through the registered entry sources, like in production."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from accounts import services as accounts_services
from accounts.enums import Role, ScopeType
from accounts.models import Membership, User
from core.clock import now
from core.links import Links, site_links
from core.settings import Settings
from judging.enums import JudgeState, MarkKind, RoundState
from judging.models import Assignment, Conflict, Criterion, Judge, Round
from judging.services import (
    assignments,
    conflicts,
    decisions,
    entries,
    publication,
    rounds,
    sheets,
)
from judging.services import ranking as ranking_service
from judging.sources import EntrySource, ScopeInfo, sources

ORGANIZER = "organizer@manassa.local"
JUDGES = ("judge@manassa.local", "judge2@manassa.local")
DAY = dt.timedelta(days=1)

RUBRIC: tuple[dict[str, Any], ...] = (
    {
        "name_ar": "وضوح المشكلة",
        "name_en": "Clarity of the problem",
        "weight": 3,
        "guidance_ar": "هل تصف المبادرة مشكلة إعلامية حقيقية بوضوح وبأدلة؟",
        "guidance_en": "Does the initiative describe a real media problem clearly, with evidence?",
        "levels": [
            {"score": 5, "ar": "مشكلة محددة ومدعومة بأدلة", "en": "Precise and evidenced"},
            {"score": 3, "ar": "واضحة لكن عامة", "en": "Clear but broad"},
            {"score": 1, "ar": "غير واضحة", "en": "Unclear"},
        ],
        "min_score": 1,
        "max_score": 5,
        "step": 1,
        "priority": 1,
    },
    {
        "name_ar": "الأثر المتوقع",
        "name_en": "Expected impact",
        "weight": 2,
        "guidance_ar": "كم شخصًا تخدم المبادرة وما مقدار التغيير؟",
        "guidance_en": "How many people does it serve, and how much does it change?",
        "levels": [],
        "min_score": 0,
        "max_score": 10,
        "step": 0.5,
        "priority": 2,
    },
    {
        "name_ar": "قابلية التنفيذ",
        "name_en": "Feasibility",
        "weight": 1,
        "guidance_ar": "هل يمكن للفريق تنفيذها بالموارد المتاحة؟",
        "guidance_en": "Can the team build it with the resources at hand?",
        "levels": [],
        "min_score": 1,
        "max_score": 5,
        "step": 1,
        "priority": None,
    },
    {
        "name_ar": "جودة العرض",
        "name_en": "Pitch quality",
        "weight": 0,
        "independent": True,
        "guidance_ar": "تُسجَّل للملاحظات ولا تدخل في المجموع.",
        "guidance_en": "Recorded for feedback, not counted in the total.",
        "levels": [],
        "min_score": 1,
        "max_score": 5,
        "step": 1,
        "priority": None,
    },
)
COMMENTS = (
    "فكرة قوية ومشكلة واضحة؛ نقترح اختبارها مع جمهور صغير أولًا.",
    "A clear pitch. The impact estimate needs numbers behind it.",
    "العرض ممتاز، وخطة التنفيذ تحتاج إلى جدول زمني أوضح.",
)


async def load(settings: Settings, source: EntrySource | None = None) -> list[str]:
    if await Round.exists():
        return ["Judging demo data is already there."]
    source = source or _event_source(settings)
    organizer = await User.get_or_none(email=ORGANIZER)
    judges = list(await User.filter(email__in=JUDGES).order_by("email"))
    if source is None or organizer is None or len(judges) < 2:
        return ["Judging demo skipped: load the accounts and Mediathon demos first."]
    scopes = await _organized(source, organizer)
    if not scopes:
        return ["Judging demo skipped: no Mediathon event to judge."]
    # The edition with the most submitted entries is last year's, judged and published.
    scopes.sort(key=lambda pair: len(pair[1]), reverse=True)
    lines = ["", "Judging demo:"]
    past = scopes[0][0]
    await _judged(settings, source, past, organizer, judges)
    lines.append(f"  {_path(past, 'results')}  published results of {past.title_en}")
    for scope, _candidates in scopes[1:2]:
        round_ = await _ready(source, scope, organizer, judges)
        lines.append(
            f"  {_path(scope, f'rounds/{round_.id}')}  a round of {scope.title_en} "
            "ready to open (organizer@)"
        )
    lines.append("  judge@ and judge2@ judge both; their queue is at /judging/queue")
    return lines


def _path(scope: ScopeInfo, rest: str) -> str:
    return f"/judging/{scope.scope_type}/{scope.scope_id}/{rest}"


def _event_source(settings: Settings) -> EntrySource | None:
    from core.hooks import collect  # the domains register their sources with their plugins

    collect(settings)
    return sources.get(ScopeType.EVENT.value)


async def _organized(source: EntrySource, organizer: User) -> list[tuple[ScopeInfo, list[Any]]]:
    ids = await Membership.filter(
        user=organizer, scope_type=ScopeType.EVENT.value, role=Role.ORGANIZER.value
    ).values_list("scope_id", flat=True)
    found = []
    for scope_id in sorted(ids):
        scope = await source.scope(scope_id)
        if scope is not None:
            found.append((scope, await source.candidates(scope_id)))
    return found


async def _round(scope: ScopeInfo, start: dt.datetime, **fields: Any) -> Round:
    round_ = await Round.create(
        scope_type=scope.scope_type,
        scope_id=scope.scope_id,
        name_ar="التحكيم عبر الإنترنت",
        name_en="Online judging",
        starts_at=start,
        ends_at=start + 8 * DAY,
        judges_per_entry=2,
        **fields,
    )
    for position, values in enumerate(RUBRIC, start=1):
        await Criterion.create(round=round_, key=f"c{position}", position=position, **values)
    return round_


async def _seat(scope: ScopeInfo, user: User, organizer: User) -> Judge:
    judge, _created = await Judge.get_or_create(
        scope_type=scope.scope_type,
        scope_id=scope.scope_id,
        email=user.email,
        defaults={
            "name": user.name_en,
            "language": user.language,
            "user": user,
            "state": JudgeState.ACCEPTED,
            "token_hash": secrets.token_hex(32),
            "responded_at": now(),
        },
    )
    await accounts_services.grant_role(
        organizer, user, ScopeType(scope.scope_type), scope.scope_id, Role.JUDGE
    )
    return judge


async def _prepare(
    source: EntrySource, scope: ScopeInfo, round_: Round, organizer: User, judges: list[User]
) -> None:
    for user in judges:
        await _seat(scope, user, organizer)
    await entries.refresh_entries(organizer, round_, source)
    # Every demo account shares the made-up domain manassa.local (and most the organization
    # "Manassa Demo"): that says nothing about real ties, so the organizer lifts it.
    for conflict in await Conflict.filter(
        scope_type=scope.scope_type,
        scope_id=scope.scope_id,
        value__in=["manassa.local", "manassa demo"],
    ):
        await conflicts.lift_conflict(organizer, conflict)
    await assignments.auto_assign(organizer, round_)


async def _ready(
    source: EntrySource, scope: ScopeInfo, organizer: User, judges: list[User]
) -> Round:
    start = now().replace(hour=9, minute=0, second=0, microsecond=0) + 22 * DAY
    round_ = await _round(scope, start, blind=True)
    await _prepare(source, scope, round_, organizer, judges)
    return round_


async def _judged(
    settings: Settings, source: EntrySource, scope: ScopeInfo, organizer: User, judges: list[User]
) -> Round:
    start = now().replace(hour=9, minute=0, second=0, microsecond=0) - 333 * DAY
    round_ = await _round(scope, start, gallery=True)
    await _prepare(source, scope, round_, organizer, judges)
    round_.state = RoundState.OPEN
    round_.ends_at = now() + DAY  # scores are saved while it runs, then it closes
    await round_.save()
    await _score(round_, judges)
    await rounds.change_state(organizer, round_, "close")
    await _decide(round_, organizer)
    await publication.publish(organizer, round_, scope, _links(settings))
    await Round.filter(id=round_.id).update(ends_at=start + 8 * DAY, publish_at=start + 13 * DAY)
    return round_


def _links(settings: Settings) -> Links:
    return site_links(settings)  # the URLs mails link to, without an app


async def _score(round_: Round, judges: list[User]) -> None:
    rows = await Assignment.filter(round=round_).select_related("judge").order_by("id")
    for index, row in enumerate(rows):
        user = next(u for u in judges if u.id == row.judge.user_id)
        seen = await sheets.scoring_for(user, row.entry_id)
        quality = (row.entry_id * 7 + index) % 4  # a spread of good and weaker entries
        await sheets.save_sheet(
            user,
            seen,
            version=0,
            submit=True,
            note="",
            scores={
                "c1": 2 + quality,
                "c2": 4 + 1.5 * quality,
                "c3": 3 + quality % 3,
                "c4": 3 + quality % 2,
            },
            comment=COMMENTS[index % len(COMMENTS)],
        )


async def _decide(round_: Round, organizer: User) -> None:
    data = await ranking_service.round_data(round_)
    ranking = ranking_service.ranked(data, {})
    if ranking:
        await decisions.set_mark(
            organizer, round_, ranking[0].entry_id, kind=MarkKind.WINNER, place=1, per_group=False
        )
    if len(ranking) > 1:
        await decisions.set_mark(
            organizer, round_, ranking[1].entry_id, kind=MarkKind.WINNER, place=2, per_group=False
        )
    if len(ranking) > 2:
        await decisions.set_mark(
            organizer,
            round_,
            ranking[2].entry_id,
            kind=MarkKind.HONOURABLE_MENTION,
            place=None,
            per_group=False,
        )
