"""The events section of the home page and the header link: published events in one query."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request

from core.clock import now
from core.i18n import gettext as _
from core.i18n import use_locale
from events import phases
from events.enums import Visibility
from events.labels import MILESTONES, PHASES
from events.models import Event

TIMELINE_FIELDS = tuple(phases.Timeline.__dataclass_fields__)


async def published_events() -> list[dict[str, Any]]:
    """title_ar/en, url, when (the next date on the timeline) and time_zone of every published
    event, soonest activity first: one query whatever the number of events."""
    rows = (
        await Event.filter(visibility=Visibility.PUBLISHED)
        .order_by("-registration_opens", "id")
        .values("slug", "title_ar", "title_en", "time_zone", *TIMELINE_FIELDS)
    )
    moment = now()
    return [_item(row, moment) for row in rows]


def _item(row: dict[str, Any], moment: Any) -> dict[str, Any]:
    timeline = phases.Timeline(**{k: row[k] for k in TIMELINE_FIELDS})
    upcoming = phases.next_deadline(timeline, moment)
    stage = phases.phase(timeline, moment)
    item = {
        "title_ar": row["title_ar"],
        "title_en": row["title_en"],
        "url": "/events/" + quote(row["slug"]),
        "time_zone": row["time_zone"],
        "when": upcoming[1] if upcoming else None,
    }
    for lang in ("ar", "en"):
        with use_locale(lang):
            parts = [_(PHASES[stage])] + ([_(MILESTONES[upcoming[0]])] if upcoming else [])
            item[f"subtitle_{lang}"] = " · ".join(parts)
    return item


def nav_links(request: Request) -> list[tuple[str, str]]:
    links = [(str(request.url_for("events:list")), _("Mediathon"))]
    if getattr(request.state, "user", None) is not None:
        links.append((str(request.url_for("events:mine")), _("My events")))
    return links
