"""What the public reads of the award: published cycles (newest first) with their categories,
one cycle's categories, and the home page's award section. Drafts are never returned here;
the pages let organizers see their own drafts through awards.rules."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from accounts.enums import Role, ScopeType
from accounts.models import Someone
from awards.enums import Visibility
from awards.labels import MILESTONES, PHASES
from awards.models import Category, Cycle, of_cycle
from core.clock import now
from core.i18n import gettext as _
from core.i18n import use_locale


async def published_cycles() -> list[Cycle]:
    """Every published cycle, newest first."""
    return list(await Cycle.filter(visibility=Visibility.PUBLISHED).order_by("-year", "-id"))


async def organized_cycles(user: Someone | None) -> list[Cycle]:
    """The cycles this person may manage (admins: all), drafts included, newest first."""
    if user is None:
        return []
    if user.is_admin:
        return list(await Cycle.all().order_by("-year", "-id"))
    ids = [
        scope_id
        for scope_type, scope_id, role in user.roles
        if scope_type == ScopeType.AWARD_CYCLE.value and role == Role.ORGANIZER.value
    ]
    if not ids:
        return []
    return list(await Cycle.filter(id__in=ids).order_by("-year", "-id"))


async def categories_of(cycles: list[Cycle]) -> dict[int, list[Category]]:
    """Each cycle's categories in order, in one query whatever the number of cycles."""
    found: dict[int, list[Category]] = {c.id: [] for c in cycles}
    if not cycles:
        return found
    rows = await Category.filter(cycle_id__in=list(found)).order_by("position", "id")
    for category in rows:
        found[category.cycle_id].append(category)  # type: ignore[attr-defined]
    return found


async def categories(cycle: Cycle) -> list[Category]:
    return list(await of_cycle(Category, cycle).order_by("position", "id"))


def next_milestone(cycle: Cycle, moment: dt.datetime) -> tuple[str, dt.datetime] | None:
    """The next date of the timeline still ahead, if any."""
    for name, when in cycle.timeline.milestones():
        if when > moment:
            return name, when
    return None


async def home_items() -> list[dict[str, Any]]:
    """The home page's award section: every published cycle, newest first, with its phase and
    its next date, in one query."""
    moment = now()
    items = []
    for cycle in await published_cycles():
        upcoming = next_milestone(cycle, moment)
        item: dict[str, Any] = {
            "title_ar": cycle.name_ar,
            "title_en": cycle.name_en,
            "url": "/awards/" + quote(cycle.slug),
            "time_zone": cycle.time_zone,
            "when": upcoming[1] if upcoming else None,
        }
        phase = cycle.phase(moment).value
        for lang in ("ar", "en"):
            with use_locale(lang):
                parts = [_(PHASES[phase])] + ([_(MILESTONES[upcoming[0]])] if upcoming else [])
                item[f"subtitle_{lang}"] = " · ".join(parts)
        items.append(item)
    return items
