"""Screening: rule nominations eligible or ineligible with a coded reason (one at a time or in
bulk, only while screening is open), one appeal per ineligible ruling before the appeal deadline,
and the appeal's ruling, which is final. Every step is audited and its nominators are told, each
in their language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from accounts.models import Someone
from awards.enums import AppealState, NominationState, Ruling
from awards.models import (
    Appeal,
    Category,
    Cycle,
    Nomination,
    NominationCredit,
    ScreeningReason,
    ScreeningRuling,
    of_cycle,
)
from awards.services.common import (
    DeadlinePassed,
    Links,
    PhaseClosed,
    cycle_name,
    mail_name,
    require_screening,
    scope,
    when,
)
from core import audit
from core.clock import now
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.i18n import gettext as _
from core.i18n import localized
from core.mail import outbox
from core.settings import Settings

RULABLE = (NominationState.SUBMITTED, NominationState.ELIGIBLE, NominationState.INELIGIBLE)


async def _reason(cycle: Cycle, ruling: Ruling, code: str) -> ScreeningReason | None:
    if not code:
        if ruling == Ruling.INELIGIBLE:
            raise Invalid({"reason": _("Choose the reason the nomination is ineligible.")})
        return None
    reason = await of_cycle(ScreeningReason, cycle).get_or_none(code=code, active=True)
    if reason is None:
        raise Invalid({"reason": _("Choose one of the cycle's reasons.")})
    return reason


def _refusal(nomination: Nomination) -> str | None:
    if nomination.final:
        return _("The appeal on this nomination was decided: its ruling is final.")
    if nomination.state == NominationState.AWAITING_NOMINEE:
        return _("This nomination waits on its nominee's acceptance and cannot be ruled on.")
    if nomination.state not in RULABLE:
        return _("This nomination is not in the race and cannot be ruled on.")
    return None


async def rule(
    settings: Settings,
    actor: Someone,
    cycle: Cycle,
    nomination_ids: Sequence[int],
    *,
    ruling: Ruling,
    reason_code: str = "",
    note: str = "",
) -> list[ScreeningRuling]:
    """Rule on one or many nominations of the cycle at once: all of them or none."""
    require_screening(cycle, now())
    reason = await _reason(cycle, ruling, reason_code.strip().upper())
    if not nomination_ids:
        raise Invalid({"nominations": _("Choose at least one nomination.")})
    async with in_transaction():
        fresh = await Cycle.get(id=cycle.id)
        require_screening(fresh, now())
        rows = list(
            await of_cycle(Nomination, cycle)
            .select_for_update()
            .filter(id__in=list(nomination_ids))
            .order_by("id")
        )
        if len(rows) != len(set(nomination_ids)):
            raise NotFound(
                _("A chosen nomination does not exist in this cycle. Nothing was changed.")
            )
        for row in rows:
            problem = _refusal(row)
            if problem:
                raise Conflict(_("Nomination %(id)s: %(problem)s", id=row.id, problem=problem))
        made = [await _rule_one(settings, actor, fresh, row, ruling, reason, note) for row in rows]
    outbox.wake()
    return made


async def _rule_one(
    settings: Settings,
    actor: Someone,
    cycle: Cycle,
    row: Nomination,
    ruling: Ruling,
    reason: ScreeningReason | None,
    note: str,
) -> ScreeningRuling:
    before = row.state
    made = await ScreeningRuling.create(
        nomination=row,
        ruling=ruling,
        reason=reason,
        note=note.strip(),
        ruled_by_id=actor.id,
        ruled_at=now(),
    )
    row.state = NominationState(ruling.value)
    await row.save(update_fields=["state", "updated_at"])
    await audit.record(
        actor,
        "awards.rule",
        row,
        before={"state": before.value},
        after={
            "state": row.state.value,
            "reason": reason.code if reason else "",
            "note": made.note,
        },
        scope=scope(cycle),
    )
    await _tell(
        settings, cycle, row, "awards/ruling", ruling=ruling.value, reason=reason, note=made.note
    )
    return made


async def _tell(
    settings: Settings, cycle: Cycle, row: Nomination, template: str, **context: object
) -> None:
    category = await Category.get(id=row.category_id)
    links = Links(settings.base_url)
    for credit in await NominationCredit.filter(nomination_id=row.id).select_related("user"):
        person, lang = credit.user, credit.user.language
        reason = context.get("reason")
        await outbox.queue(
            person.email,
            template,
            lang,
            **{**context, "reason": localized(reason, "label", lang) if reason else ""},
            name=mail_name(person),
            nominee=localized(row, "nominee_name", lang),
            category_name=localized(category, "name", lang),
            cycle_name=cycle_name(cycle, lang),
            appeals_close=cycle.appeals_close,
            time_zone=cycle.time_zone,
            url=links.build(links.nomination, id=row.id),
        )


# --- appeals -------------------------------------------------------------------------------


async def file_appeal(
    settings: Settings, user: Someone, nomination: Nomination, *, statement: str
) -> Appeal:
    """One appeal, by a credited nominator, against the nomination's ineligible ruling, before
    the appeal deadline."""
    statement = statement.strip()
    if not statement:
        raise Invalid({"statement": _("Say why the ruling should change.")})
    if not await NominationCredit.filter(nomination_id=nomination.id, user_id=user.id).exists():
        raise Forbidden(_("Only a nominator of this nomination can appeal its ruling."))
    try:
        async with in_transaction():
            cycle = await Cycle.get(id=nomination.cycle_id)
            _require_appeal_window(cycle)
            row = await Nomination.select_for_update().get(id=nomination.id)
            if await Appeal.filter(nomination_id=row.id).exists():
                raise Conflict(
                    _("This ruling was already appealed: a nomination can be appealed once.")
                )
            ruling = (
                await ScreeningRuling.filter(nomination_id=row.id)
                .order_by("-ruled_at", "-id")
                .first()
            )
            if (
                row.state != NominationState.INELIGIBLE
                or ruling is None
                or ruling.ruling != Ruling.INELIGIBLE
            ):
                raise Conflict(_("Only an ineligible ruling can be appealed."))
            appeal = await Appeal.create(
                nomination=row,
                ruling=ruling,
                statement=statement,
                filed_by_id=user.id,
                filed_at=now(),
            )
            await audit.record(
                user, "awards.appeal", appeal, after={"nomination": row.id}, scope=scope(cycle)
            )
    except IntegrityError as exc:  # the same appeal sent twice at the same moment
        raise Conflict(
            _("This ruling was already appealed: a nomination can be appealed once.")
        ) from exc
    return appeal


def _require_appeal_window(cycle: Cycle) -> None:
    if now() >= cycle.appeals_close:
        raise DeadlinePassed(
            _(
                "Appeals closed on %(when)s. Nothing was changed.",
                when=when(cycle, cycle.appeals_close),
            )
        )


def require_appeal_decisions(cycle: Cycle) -> None:
    """Appeals are decided until the jury starts."""
    if cycle.jury_starts is not None and now() >= cycle.jury_starts:
        raise PhaseClosed(
            _(
                "Appeals can be decided until the jury starts (%(when)s).",
                when=when(cycle, cycle.jury_starts),
            )
        )


async def decide_appeal(
    settings: Settings, actor: Someone, appeal: Appeal, *, upheld: bool, note: str = ""
) -> Appeal:
    """Uphold (the nomination becomes eligible) or dismiss (the ruling stands); final."""
    async with in_transaction():
        fresh = await Appeal.select_for_update().get(id=appeal.id)
        if fresh.state != AppealState.PENDING:
            raise Conflict(_("This appeal was already decided; the decision is final."))
        row = await Nomination.select_for_update().get(id=fresh.nomination_id)
        cycle = await Cycle.get(id=row.cycle_id)
        require_appeal_decisions(cycle)
        fresh.state = AppealState.UPHELD if upheld else AppealState.DISMISSED
        fresh.decision_note, fresh.decided_by_id, fresh.decided_at = note.strip(), actor.id, now()
        await fresh.save()
        row.state = NominationState.ELIGIBLE if upheld else NominationState.INELIGIBLE
        row.final = True
        await row.save(update_fields=["state", "final", "updated_at"])
        await audit.record(
            actor,
            "awards.appeal_decide",
            fresh,
            before={"state": AppealState.PENDING.value},
            after={"state": fresh.state.value, "nomination": row.id, "note": fresh.decision_note},
            scope=scope(cycle),
        )
        await _tell(
            settings, cycle, row, "awards/appeal_decided", upheld=upheld, note=fresh.decision_note
        )
    outbox.wake()
    return fresh


# --- the dashboard -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningCounts:
    by_category_state: dict[tuple[int, str], int]
    awaiting_nominee: int  # still in time to accept
    lapsed: int  # not accepted by the deadline plus grace: not screened
    awaiting_ruling: int


@dataclass(frozen=True)
class AppealsOverview:
    """A cycle's appeals for the organizer, pending first in filing order, then the decided
    ones, each with its nomination, ruling and reason, filer and decider."""

    pending: list[Appeal]
    decided: list[Appeal]


async def appeals(cycle: Cycle) -> AppealsOverview:
    rows = list(
        await Appeal.filter(nomination__cycle_id=cycle.id)
        .select_related("nomination", "ruling__reason", "filed_by", "decided_by")
        .order_by("filed_at", "id")
    )
    return AppealsOverview(
        [a for a in rows if a.state == AppealState.PENDING],
        [a for a in rows if a.state != AppealState.PENDING],
    )


async def counts(cycle: Cycle) -> ScreeningCounts:
    """Counts per category and state, in one query."""
    rows = await of_cycle(Nomination, cycle).values_list("category_id", "state")
    tally = Counter((category, str(state)) for category, state in rows)
    waiting = sum(n for (_c, s), n in tally.items() if s == NominationState.AWAITING_NOMINEE)
    lapsed = waiting if now() >= cycle.acceptance_deadline else 0
    return ScreeningCounts(
        by_category_state=dict(tally),
        awaiting_nominee=waiting - lapsed,
        lapsed=lapsed,
        awaiting_ruling=sum(n for (_c, s), n in tally.items() if s == NominationState.SUBMITTED),
    )


def queue_query(cycle: Cycle, category_id: int | None = None) -> QuerySet[Nomination]:
    """Accepted nominations waiting on a ruling (a nomination its nominee never accepted is
    not among them), by category, oldest first: the screening queue pages through it."""
    query = of_cycle(Nomination, cycle).filter(state=NominationState.SUBMITTED)
    if category_id is not None:
        query = query.filter(category_id=category_id)
    return query.order_by("category_id", "id")


async def queue(cycle: Cycle, category: Category | None = None) -> list[Nomination]:
    return list(await queue_query(cycle, category.id if category is not None else None))
