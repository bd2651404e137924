"""Set up a cycle: create and edit it, publish it, extend a deadline, keep its categories and
its list of screening reasons. Every change is audited in the cycle's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.enums import Role, ScopeType
from accounts.models import Someone
from accounts.services import grant_role
from awards import timeline
from awards.enums import Milestone, Visibility
from awards.models import Category, Cycle, ScreeningReason, of_cycle
from awards.services import results_cache, shortlist_cache
from awards.services.common import scope
from core import audit, sql
from core.errors import Conflict, Invalid
from core.i18n import gettext as _

CYCLE_BY_SLUG = sql.Statement(
    lambda: f"SELECT {sql.columns(Cycle, 'c')} FROM awards_cycle c WHERE c.slug = ?"  # noqa: S608
)
"""Every award page reads its cycle first: one hand-written statement (core/sql.py), which on
SQLite is answered on the event loop instead of a round trip to the database's thread (a
public vote under load queued there behind every other request's reads)."""


async def cycle_of_slug(slug: str) -> Cycle | None:
    """The cycle with this slug, whatever its visibility; None when there is none."""
    found = await sql.rows(CYCLE_BY_SLUG, [slug])
    return sql.hydrate(Cycle, found[0], "c") if found else None


CYCLE_FIELDS = (
    "slug",
    "year",
    "name_ar",
    "name_en",
    "description_ar",
    "description_en",
    "rules_ar",
    "rules_en",
    "time_zone",
    "acceptance_grace_hours",
    *(m.value for m in Milestone),
)
CATEGORY_FIELDS = (
    "name_ar",
    "name_en",
    "description_ar",
    "description_en",
    "citation_guidance_ar",
    "citation_guidance_en",
    "nominee_type",
    "published_from",
    "published_until",
    "self_nomination",
    "max_per_nominator",
    "required_fields",
    "min_links",
    "file_kinds",
    "min_files",
    "max_files",
    "shortlist_size",
    "public_vote",
)


def _snapshot(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _slug_taken() -> Invalid:
    return Invalid({"slug": _("Another award cycle already uses this address.")})


def _check_cycle(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (values.get("name_ar") or values.get("name_en")):
        errors["name_ar"] = _("Give the cycle a name in Arabic or in English.")
    try:
        ZoneInfo(values.get("time_zone") or "Asia/Riyadh")
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = _("This time zone is not known.")
    for later, _earlier in timeline.timeline_problems(values):
        errors.setdefault(later, _("This date must come after the previous date of the timeline."))
    if int(values.get("acceptance_grace_hours", 0)) < 0:
        errors["acceptance_grace_hours"] = _("The grace period cannot be negative.")
    if errors:
        raise Invalid(errors)


async def create_cycle(actor: Someone, values: dict[str, Any]) -> Cycle:
    """A new draft cycle; its creator becomes its organizer."""
    _check_cycle(values)
    if await Cycle.filter(slug=values["slug"]).exists():
        raise _slug_taken()
    try:
        async with in_transaction():
            cycle = await Cycle.create(**values, visibility=Visibility.DRAFT)
            await grant_role(actor, actor, ScopeType.AWARD_CYCLE, cycle.id, Role.ORGANIZER)
            await audit.record(
                actor,
                "awards.cycle_create",
                cycle,
                after=_snapshot(cycle, CYCLE_FIELDS),
                scope=scope(cycle),
            )
    except IntegrityError as exc:  # the same address chosen at the same moment
        raise _slug_taken() from exc
    return cycle


async def update_cycle(actor: Someone, cycle: Cycle, values: dict[str, Any]) -> Cycle:
    merged = {**_snapshot(cycle, CYCLE_FIELDS), **values}
    _check_cycle(merged)
    if merged["slug"] != cycle.slug and await Cycle.filter(slug=merged["slug"]).exists():
        raise _slug_taken()
    before = _snapshot(cycle, CYCLE_FIELDS)
    try:
        async with in_transaction():
            for name, value in values.items():
                setattr(cycle, name, value)
            await cycle.save()
            old, new = audit.changes(before, _snapshot(cycle, CYCLE_FIELDS))
            if new:
                await audit.record(
                    actor, "awards.cycle_update", cycle, before=old, after=new, scope=scope(cycle)
                )
    except IntegrityError as exc:
        raise _slug_taken() from exc
    shortlist_cache.changed()
    results_cache.changed()
    return cycle


async def set_visibility(actor: Someone, cycle: Cycle, visibility: Visibility) -> Cycle:
    if cycle.visibility == visibility:
        return cycle
    before = cycle.visibility.value
    async with in_transaction():
        cycle.visibility = visibility
        await cycle.save(update_fields=["visibility", "updated_at"])
        action = (
            "awards.cycle_publish" if visibility == Visibility.PUBLISHED else "awards.cycle_hide"
        )
        await audit.record(
            actor,
            action,
            cycle,
            before={"visibility": before},
            after={"visibility": visibility.value},
            scope=scope(cycle),
        )
    shortlist_cache.changed()
    results_cache.changed()
    return cycle


async def extend_deadline(
    actor: Someone, cycle: Cycle, milestone: Milestone, until: dt.datetime
) -> Cycle:
    """Move a date of the timeline later (never earlier), keeping the timeline in order."""
    current = getattr(cycle, milestone.value)
    if current is not None and until <= current:
        raise Invalid({"until": _("Choose a moment later than the current deadline.")})
    dates = _snapshot(cycle, tuple(m.value for m in Milestone))
    dates[milestone.value] = until
    if timeline.timeline_problems(dates):
        raise Invalid(
            {
                "until": _(
                    "This date would put the timeline out of order: move the later dates first."
                )
            }
        )
    async with in_transaction():
        setattr(cycle, milestone.value, until)
        await cycle.save(update_fields=[milestone.value, "updated_at"])
        await audit.record(
            actor,
            "awards.extend_deadline",
            cycle,
            before={milestone.value: current},
            after={milestone.value: until},
            scope=scope(cycle),
        )
    shortlist_cache.changed()  # the cycle's public page shows its dates
    return cycle


# --- categories ----------------------------------------------------------------------------


def _check_category(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (values.get("name_ar") or values.get("name_en")):
        errors["name_ar"] = _("Give the category a name in Arabic or in English.")
    start, end = values.get("published_from"), values.get("published_until")
    if start and end and end < start:
        errors["published_until"] = _("The window must end after it starts.")
    for name in ("max_per_nominator", "shortlist_size"):
        if name in values and int(values[name]) < 1:
            errors[name] = _("Enter a whole number of at least 1.")
    if int(values.get("min_files", 0)) > int(values.get("max_files", 5)):
        errors["min_files"] = _("The fewest files cannot be more than the most files.")
    if errors:
        raise Invalid(errors)


async def add_category(actor: Someone, cycle: Cycle, values: dict[str, Any]) -> Category:
    _check_category(values)
    async with in_transaction():
        last = await of_cycle(Category, cycle).order_by("-position").first()
        category = await Category.create(
            cycle=cycle, position=(last.position + 1 if last else 1), **values
        )
        await audit.record(
            actor,
            "awards.category_add",
            category,
            after=_snapshot(category, CATEGORY_FIELDS),
            scope=scope(cycle),
        )
    shortlist_cache.changed()  # the cycle's public page lists its categories
    return category


async def update_category(
    actor: Someone, cycle: Cycle, category: Category, values: dict[str, Any]
) -> Category:
    _check_category({**_snapshot(category, CATEGORY_FIELDS), **values})
    before = _snapshot(category, CATEGORY_FIELDS)
    async with in_transaction():
        for name, value in values.items():
            setattr(category, name, value)
        await category.save()
        old, new = audit.changes(before, _snapshot(category, CATEGORY_FIELDS))
        if new:
            await audit.record(
                actor, "awards.category_update", category, before=old, after=new, scope=scope(cycle)
            )
    shortlist_cache.changed()
    results_cache.changed()
    return category


# --- screening reasons ---------------------------------------------------------------------


async def add_screening_reason(
    actor: Someone, cycle: Cycle, *, code: str, label_ar: str, label_en: str
) -> ScreeningReason:
    """A coded reason, in both languages, that rulings can cite."""
    code = code.strip().upper()
    errors: dict[str, str] = {}
    if not code or len(code) > 30:
        errors["code"] = _("Give the reason a code of 1 to 30 characters.")
    if not (label_ar.strip() and label_en.strip()):
        errors["label_ar"] = _("Write the reason in Arabic and in English.")
    if errors:
        raise Invalid(errors)
    try:
        async with in_transaction():
            last = await of_cycle(ScreeningReason, cycle).order_by("-position").first()
            reason = await ScreeningReason.create(
                cycle=cycle,
                code=code,
                label_ar=label_ar.strip(),
                label_en=label_en.strip(),
                position=last.position + 1 if last else 1,
            )
            await audit.record(
                actor,
                "awards.reason_add",
                reason,
                after={"code": code, "label_ar": label_ar, "label_en": label_en},
                scope=scope(cycle),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This cycle already has a reason with the code %(code)s.", code=code)
        ) from exc
    return reason


async def move_category(actor: Someone, cycle: Cycle, category: Category, step: int) -> Category:
    """Swap a category with its neighbour above (step -1) or below (step 1); at either end
    nothing moves. The order is renumbered 1..n so equal positions never tie."""
    async with in_transaction():
        rows = list(await of_cycle(Category, cycle).order_by("position", "id"))
        index = next(i for i, row in enumerate(rows) if row.id == category.id)
        other = index + step
        if not 0 <= other < len(rows):
            return category
        rows[index], rows[other] = rows[other], rows[index]
        for position, row in enumerate(rows, start=1):
            if row.position != position:
                row.position = position
                await row.save(update_fields=["position"])
        await audit.record(
            actor,
            "awards.category_move",
            category,
            before={"position": index + 1},
            after={"position": other + 1},
            scope=scope(cycle),
        )
    shortlist_cache.changed()  # the cycle's public page lists its categories in order
    return category


async def update_screening_reason(
    actor: Someone,
    cycle: Cycle,
    reason: ScreeningReason,
    *,
    code: str,
    label_ar: str,
    label_en: str,
    active: bool = True,
) -> ScreeningReason:
    """Reword or recode a reason, or retire it (an inactive reason stays on past rulings but
    is no longer offered)."""
    code = code.strip().upper()
    errors: dict[str, str] = {}
    if not code or len(code) > 30:
        errors["code"] = _("Give the reason a code of 1 to 30 characters.")
    if not (label_ar.strip() and label_en.strip()):
        errors["label_ar"] = _("Write the reason in Arabic and in English.")
    if errors:
        raise Invalid(errors)
    names = ("code", "label_ar", "label_en", "active")
    before = _snapshot(reason, names)
    try:
        async with in_transaction():
            reason.code, reason.label_ar, reason.label_en = code, label_ar.strip(), label_en.strip()
            reason.active = active
            await reason.save(update_fields=list(names))
            old, new = audit.changes(before, _snapshot(reason, names))
            if new:
                await audit.record(
                    actor, "awards.reason_update", reason, before=old, after=new, scope=scope(cycle)
                )
    except IntegrityError as exc:
        for name, value in before.items():
            setattr(reason, name, value)
        raise Conflict(
            _("This cycle already has a reason with the code %(code)s.", code=code)
        ) from exc
    return reason
