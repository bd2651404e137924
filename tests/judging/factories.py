"""Builders for judging test data (on top of tests/factories.py)."""

from __future__ import annotations

import secrets
from typing import Any

from accounts.enums import Role, ScopeType
from accounts.models import User
from judging.enums import ConflictKind, ConflictOrigin, JudgeState, RoundState
from judging.models import Assignment, Conflict, Criterion, Judge, Round
from judging.services import assignments, entries, sheets
from tests.factories import grant, make_user
from tests.judging.sources import SCOPE_ID, MemorySource


async def organizer(scope_id: int = SCOPE_ID, **fields: Any) -> User:
    user = await make_user(**fields)
    await grant(user, Role.ORGANIZER, ScopeType.EVENT, scope_id)
    return user


async def judge(
    user: User | None = None,
    scope_id: int = SCOPE_ID,
    state: JudgeState = JudgeState.ACCEPTED,
    **fields: Any,
) -> Judge:
    """A judge seat (accepted by default, with the judge role)."""
    user = user or await make_user(**fields)
    seat = await Judge.create(
        scope_type="event",
        scope_id=scope_id,
        email=user.email,
        name=user.name_en,
        language=user.language,
        user=user,
        state=state,
        token_hash=secrets.token_hex(32),
    )
    if state == JudgeState.ACCEPTED:
        await grant(user, Role.JUDGE, ScopeType.EVENT, scope_id)
    return seat


async def conflict(
    seat: Judge | int,
    kind: ConflictKind,
    value: str,
    origin: ConflictOrigin = ConflictOrigin.DECLARED,
    scope_id: int = SCOPE_ID,
) -> Conflict:
    """An active conflict of the judge's seat (or the seat's id) in the test scope: an entry
    (`value` its source id), a team key, or an organization or e-mail domain."""
    judge_id = seat if isinstance(seat, int) else seat.id
    return await Conflict.create(
        judge_id=judge_id,
        scope_type="event",
        scope_id=scope_id,
        kind=kind,
        value=value,
        origin=origin,
    )


async def make_round(
    scope_id: int = SCOPE_ID, *, k: int = 2, criteria: bool = True, **fields: Any
) -> Round:
    fields.setdefault("name_ar", "التحكيم الأول")
    fields.setdefault("name_en", "First round")
    created = await Round.create(
        scope_type="event", scope_id=scope_id, judges_per_entry=k, **fields
    )
    if criteria:
        await rubric(created)
    return created


async def rubric(round_: Round) -> list[Criterion]:
    """Story (weight 2, 1..5 step 1, priority 1), craft (weight 1, 0..10 step 0.5) and an
    independent "originality" (1..5)."""
    return [
        await Criterion.create(
            round=round_,
            key="c1",
            position=1,
            name_ar="القصة",
            name_en="Story",
            guidance_ar="وضوح الفكرة",
            guidance_en="How clear the idea is",
            weight=2,
            min_score=1,
            max_score=5,
            step=1,
            priority=1,
            levels=[
                {"score": 5, "ar": "ممتاز", "en": "Excellent"},
                {"score": 1, "ar": "ضعيف", "en": "Weak"},
            ],
        ),
        await Criterion.create(
            round=round_,
            key="c2",
            position=2,
            name_ar="الإتقان",
            name_en="Craft",
            weight=1,
            min_score=0,
            max_score=10,
            step=0.5,
        ),
        await Criterion.create(
            round=round_,
            key="c3",
            position=3,
            name_ar="الأصالة",
            name_en="Originality",
            weight=1,
            min_score=1,
            max_score=5,
            step=1,
            independent=True,
        ),
    ]


async def ready_round(
    source: MemorySource,
    *,
    judges: int = 4,
    k: int = 2,
    state: RoundState = RoundState.OPEN,
    scope_id: int = SCOPE_ID,
    **fields: Any,
) -> tuple[Round, list[Judge]]:
    """A round with the source's entries, accepted judges and an assignment."""
    created = await make_round(scope_id, k=k, **fields)
    seats = [await judge(scope_id=scope_id, language="en") for _ in range(judges)]
    admin = await make_user(admin=True)
    await entries.refresh_entries(admin, created, source)
    await assignments.auto_assign(admin, created)
    created.state = state
    await created.save()
    return created, seats


def page_text(html: str) -> str:
    """What a reader sees in the main part of a page: tags dropped, spaces collapsed."""
    import html as html_lib
    import re

    main = re.search(r"(?s)<main[^>]*>(.*)</main>", html)
    main_html = re.sub(r"</?bdi\b[^>]*>", "", main.group(1) if main else html)  # inline
    body = re.sub(r"(?s)<script.*?</script>|<[^>]+>", " ", main_html)
    return " ".join(html_lib.unescape(body).split())


async def post(client: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    """POST a form as the signed-in user, with the session's CSRF token."""
    from tests.conftest import csrf

    token = await csrf(client, "/login")
    return await client.post(url, data={"csrf_token": token, **(data or {})})


async def follow(client: Any, response: Any) -> Any:
    """Follow a 303 as a browser would."""
    assert response.status_code == 303, response.text[:2000]
    return await client.get(response.headers["location"])


async def score_everything(round_: Round, seats: list[Judge], *, lenient: int = 0) -> None:
    """Every judge submits: entry n (source id 100 + n) gets story n % 5 + 1, craft n."""
    for number, seat in enumerate(seats, 1):
        user = await seat.user
        for row in await Assignment.filter(round=round_, judge=seat).select_related("entry"):
            n = row.entry.source_id - 100
            seen = await sheets.scoring_for(user, row.entry_id)
            bonus = lenient if seat is seats[0] else 0
            await sheets.save_sheet(
                user,
                seen,
                scores={"c1": min(5, n % 5 + 1), "c2": min(10, n + bonus), "c3": 3},
                comment=f"Comment on {n} from judge number {number}",
                note="private",
                version=0,
                submit=True,
            )
