"""The nomination form: what was typed into a `NominationInput`, with a message per field for
what cannot be read (the category's own rules are the service's to check), and a nomination's
values to show again on its edit page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from awards.enums import EvidenceField, NomineeType, Relation
from awards.models import Category, CategoryQuestion, Nomination
from awards.services.nominations import NominationInput
from core import answers
from core.forms import URL_RE, Form, normalize_text, to_western_digits
from core.i18n import gettext as _

MAX_LINKS = 10
STATEMENT_MAX = 5000
RELATIONS = tuple(r.value for r in Relation if r != Relation.SELF)
# The service's message keys that have a field of their own on the form; any other key (the
# category's limit ...) is shown above the form.
FIELDS = (
    "self_nomination",
    "relation",
    "nominee_name_ar",
    "nominee_name_en",
    "nominee_email",
    "nominee_organization",
    "nominee_language",
    "work_title",
    "work_outlet",
    "work_published_on",
    "work_links",
    "files",
    "statement",
)


def parse(
    data: Any,
    category: Category,
    questions: Sequence[CategoryQuestion] = (),
    *,
    submit: bool = False,
) -> tuple[Form, NominationInput]:
    """Read the form; `form.errors` says what cannot be read. Nothing is required here beyond
    what is readable and the category's required questions on submit: the service asks, on
    submit, for what the category requires."""
    form = Form(data)
    given = answers.parse(form, questions, {}, enforce_required=submit).answers
    who = form.choice("nominee", {"self", "other"}, default="other")
    is_self = who == "self"
    relation = form.choice("relation", set(RELATIONS), default=Relation.COLLEAGUE.value)
    names = form.bilingual("nominee_name", max_length=200)
    email = form.email("nominee_email", required=False)
    organization = form.text("nominee_organization", required=False, max_length=200)
    language = form.choice("nominee_language", {"ar", "en"}, default="ar")
    title = form.text("work_title", required=False, max_length=300)
    outlet = form.text("work_outlet", required=False, max_length=200)
    published_on = _date(form, "work_published_on")
    links = _links(form, "work_links")
    statement = form.text("statement", required=False, max_length=STATEMENT_MAX, multiline=True)
    values = NominationInput(
        self_nomination=is_self,
        relation=Relation(relation) if relation in RELATIONS else Relation.OTHER,
        nominee_name_ar=names["nominee_name_ar"],
        nominee_name_en=names["nominee_name_en"],
        nominee_email="" if is_self else email,
        nominee_organization=organization,
        nominee_language=language,
        work_title=title,
        work_outlet=outlet,
        work_published_on=published_on,
        work_links=links,
        statement=statement,
        answers=given,
    )
    return form, values


def _date(form: Form, name: str) -> dt.date | None:
    raw = to_western_digits(normalize_text(form.raw(name)))
    form.values[name] = raw[:10]
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        form.error(name, _("Enter the date as year-month-day, like 2026-03-01."))
        return None
    if not 1900 <= day.year <= 2100:
        form.error(name, _("Enter the date as year-month-day, like 2026-03-01."))
        return None
    return day


def _links(form: Form, name: str) -> tuple[str, ...]:
    raw = form.raw(name)
    lines = [normalize_text(line) for line in raw.splitlines()]
    links = tuple(line for line in lines if line)
    form.values[name] = "\n".join(links)
    if len(links) > MAX_LINKS:
        form.error(name, _("Give at most %(n)s links.", n=MAX_LINKS))
    elif any(len(link) > 1000 or not URL_RE.match(link) for link in links):
        form.error(name, _("Each link must be a web address starting with https://."))
    return links


def initial(
    nomination: Nomination | None, questions: Sequence[CategoryQuestion] = ()
) -> dict[str, Any]:
    """What the form shows first: a new nomination's defaults, or what a draft holds."""
    if nomination is None:
        return {"nominee": "other", "relation": Relation.COLLEAGUE.value, "nominee_language": "ar"}
    day = nomination.work_published_on
    return {
        **answers.initial_values(questions, nomination.answers or {}),
        "nominee": "self" if nomination.self_nomination else "other",
        "relation": str(nomination.relation)
        if nomination.relation != Relation.SELF
        else Relation.COLLEAGUE.value,
        "nominee_name_ar": nomination.nominee_name_ar,
        "nominee_name_en": nomination.nominee_name_en,
        "nominee_email": "" if nomination.self_nomination else nomination.nominee_email,
        "nominee_organization": nomination.nominee_organization,
        "nominee_language": nomination.nominee_language,
        "work_title": nomination.work_title,
        "work_outlet": nomination.work_outlet,
        "work_published_on": day.isoformat() if day else "",
        "work_links": "\n".join(nomination.work_links or []),
        "statement": nomination.statement,
    }


def required(category: Category) -> set[str]:
    """The fields the category asks for on submit (marked on the form)."""
    wanted = {str(name) for name in category.required_fields or []}
    wanted &= {e.value for e in EvidenceField}
    if category.published_from or category.published_until:
        wanted.add("work_published_on")
    if category.min_links:
        wanted.add("work_links")
    if category.min_files:
        wanted.add("files")
    return wanted


def is_institution(category: Category) -> bool:
    return category.nominee_type == NomineeType.INSTITUTION
