"""The organizer's forms for setting up a cycle: the cycle, a category, a screening reason and
a deadline's extension, parsed into `form.clean` values or per-field messages (the services
check the same again)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from awards import timeline
from awards.enums import EvidenceField, Milestone, NomineeType
from awards.labels import MILESTONES, label
from core.forms import SLUG_RE, TIME_ZONES, Form, local_input, normalize_text, to_western_digits
from core.i18n import gettext as _
from core.storage import KINDS

RESERVED_SLUGS = frozenset({"new", "api", "manage"})
REQUIRED_DATES = frozenset(
    {"nominations_open", "nominations_close", "screening_ends", "appeals_close"}
)
CYCLE_TEXTS = (
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
)
CATEGORY_TEXTS = (
    "name_ar",
    "name_en",
    "description_ar",
    "description_en",
    "citation_guidance_ar",
    "citation_guidance_en",
    "nominee_type",
    "self_nomination",
    "max_per_nominator",
    "min_links",
    "min_files",
    "max_files",
    "shortlist_size",
    "public_vote",
)
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _not_a_moment() -> str:
    return _("Enter a date and time, like 2026-12-01T09:00.")


def _either_language() -> str:
    return _("Write it in Arabic, in English, or both.")


def many(data: Mapping[str, Any], name: str) -> list[str]:
    """Every value of a repeated field (checkboxes), as strings."""
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
    if isinstance(values, str):
        values = [values]
    return [v for v in values if isinstance(v, str)]


def cycle(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    slug = normalize_text(form.raw("slug")).lower()
    form.values["slug"] = form.clean["slug"] = slug
    if not slug:
        form.error("slug", _("This field is required."))
    elif not SLUG_RE.fullmatch(slug) or slug in RESERVED_SLUGS:
        form.error(
            "slug",
            _("Use 3 to 60 lowercase Latin letters, digits and hyphens, like award-2026."),
        )
    form.integer("year", minimum=2000, maximum=2100)
    form.bilingual("name", max_length=200, missing=_either_language())
    form.bilingual("description", max_length=20000, multiline=True)
    form.bilingual("rules", max_length=20000, multiline=True)
    tz = form.choice("time_zone", TIME_ZONES, default="Asia/Riyadh")
    form.integer("acceptance_grace_hours", minimum=0, maximum=24 * 60)
    _timeline(form, tz if tz in TIME_ZONES else "Asia/Riyadh")
    return form


def _timeline(form: Form, tz: str) -> None:
    dates = {
        m.value: form.moment(
            m.value, tz, required=m.value in REQUIRED_DATES, invalid=_not_a_moment()
        )
        for m in Milestone
    }
    if all(dates[name] is not None for name in REQUIRED_DATES):
        for later, earlier in timeline.timeline_problems(dates):
            form.error(
                later,
                _("This date must come after “%(other)s”.", other=label(MILESTONES, earlier)),
            )
    form.values["dates"] = dates


def cycle_values(form: Form) -> dict[str, Any]:
    """The model fields from a valid cycle form."""
    return {**{k: form.clean[k] for k in CYCLE_TEXTS}, **form.values["dates"]}


def cycle_initial(obj: Any) -> dict[str, Any]:
    """Form values showing a saved cycle (its dates in its own time zone)."""
    values = {k: getattr(obj, k) for k in CYCLE_TEXTS}
    values.update({m.value: local_input(getattr(obj, m.value), obj.time_zone) for m in Milestone})
    return values


def cycle_defaults(year: int) -> dict[str, Any]:
    return {
        "year": year,
        "slug": f"award-{year}",
        "time_zone": "Asia/Riyadh",
        "acceptance_grace_hours": 72,
    }


def extend(data: Mapping[str, Any], tz: str) -> Form:
    form = Form(data)
    form.choice("milestone", [m.value for m in Milestone])
    form.clean["until_utc"] = form.moment("until", tz, required=True, invalid=_not_a_moment())
    return form


def _day(form: Form, name: str) -> dt.date | None:
    raw = to_western_digits(normalize_text(form.raw(name)))
    form.values[name] = raw
    form.clean[name] = None
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw) if DATE_RE.fullmatch(raw) else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2100:
        form.error(name, _("Enter a date, like 2026-01-31."))
        return None
    form.clean[name] = day
    return day


def _subset(form: Form, name: str, allowed: list[str]) -> list[str]:
    chosen = many(form.data, name)
    form.values[name] = chosen
    if any(value not in allowed for value in chosen):
        form.error(name, _("Choose among the options shown."))
    form.clean[name] = [value for value in allowed if value in chosen]
    return form.clean[name]


def category(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.bilingual("name", max_length=200, missing=_either_language())
    form.bilingual("description", max_length=5000, multiline=True)
    form.bilingual("citation_guidance", max_length=5000, multiline=True)
    form.choice("nominee_type", [t.value for t in NomineeType])
    start, end = _day(form, "published_from"), _day(form, "published_until")
    if start and end and end < start:
        form.error("published_until", _("The window must end after it starts."))
    form.checkbox("self_nomination")
    form.integer("max_per_nominator", minimum=1, maximum=100)
    _subset(form, "required_fields", [f.value for f in EvidenceField])
    form.integer("min_links", minimum=0, maximum=20)
    _subset(form, "file_kinds", list(KINDS))
    low = form.integer("min_files", minimum=0, maximum=20)
    high = form.integer("max_files", minimum=0, maximum=20)
    if low is not None and high is not None and low > high:
        form.error("min_files", _("The fewest files cannot be more than the most files."))
    form.integer("shortlist_size", minimum=1, maximum=50)
    form.checkbox("public_vote")
    return form


def category_values(form: Form) -> dict[str, Any]:
    values = {k: form.clean[k] for k in CATEGORY_TEXTS}
    for name in ("published_from", "published_until", "required_fields", "file_kinds"):
        values[name] = form.clean[name]
    return values


def category_initial(obj: Any) -> dict[str, Any]:
    values = {k: getattr(obj, k) for k in CATEGORY_TEXTS}
    values["nominee_type"] = str(obj.nominee_type)
    values["published_from"] = obj.published_from.isoformat() if obj.published_from else ""
    values["published_until"] = obj.published_until.isoformat() if obj.published_until else ""
    values["required_fields"] = list(obj.required_fields or [])
    values["file_kinds"] = list(obj.file_kinds or [])
    return values


CATEGORY_DEFAULTS = {
    "nominee_type": NomineeType.INDIVIDUAL.value,
    "self_nomination": True,
    "max_per_nominator": 1,
    "min_links": 0,
    "min_files": 0,
    "max_files": 5,
    "shortlist_size": 5,
    "public_vote": False,
    "required_fields": [],
    "file_kinds": [],
}


def reason(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    code = re.sub(r"\s+", "_", normalize_text(form.raw("code"))).upper()
    form.values["code"] = form.clean["code"] = code
    if not code:
        form.error("code", _("This field is required."))
    elif not re.fullmatch(r"[A-Z0-9_-]{1,30}", code):
        form.error("code", _("Use 1 to 30 Latin letters, digits, hyphens or underscores."))
    texts = form.bilingual("label", max_length=300)
    for name, text in texts.items():
        if not text:
            form.error(name, _("Write the reason in Arabic and in English."))
    form.checkbox("active")
    return form
