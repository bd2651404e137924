"""Answers to an organizer's custom questions: parsed from a form with per-field messages, and
shown back as text. Works on any question-like object (kind, required, options, field_name)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.datastructures import UploadFile

from core.forms import Form, number_text
from core.i18n import gettext as _
from core.i18n import localized
from core.questions import QuestionKind

SHORT_MAX = 300
LONG_MAX = 5000
NUMBER_RE = re.compile(r"-?\d{1,15}(?:\.\d{1,6})?")
YES, NO = "yes", "no"


@dataclass
class ParsedAnswers:
    """Clean answers by question id (as a string key), and the files still to be stored."""

    answers: dict[str, Any] = field(default_factory=dict)
    uploads: list[tuple[Any, UploadFile]] = field(default_factory=list)  # (question, file)


def option_keys(question: Any) -> list[str]:
    return [str(o.get("key")) for o in question.options or []]


def parse(
    form: Form,
    questions: Sequence[Any],
    existing: Mapping[str, Any],
    *,
    enforce_required: bool = True,
) -> ParsedAnswers:
    """Read every question's field from `form.data`; messages go to `form.errors`."""
    parsed = ParsedAnswers()
    for question in questions:
        required = question.required and enforce_required
        key = str(question.id)
        if question.kind == QuestionKind.FILE:
            _file(form, question, existing.get(key), required, parsed)
            continue
        value = _value(form, question, required)
        if value not in (None, "", []):
            parsed.answers[key] = value
    return parsed


def _value(form: Form, question: Any, required: bool) -> Any:
    name, kind = question.field_name, question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return form.text(name, required=required, max_length=SHORT_MAX)
    if kind == QuestionKind.LONG_TEXT:
        return form.text(name, required=required, max_length=LONG_MAX, multiline=True)
    if kind == QuestionKind.URL:
        return form.url(name, required=required)
    if kind == QuestionKind.NUMBER:
        return _number(form, name, required)
    if kind == QuestionKind.YES_NO:
        return form.choice(name, {YES, NO}, required=required)
    if kind == QuestionKind.SINGLE_CHOICE:
        return form.choice(name, option_keys(question), required=required)
    return _many(form, question, required)


def _number(form: Form, name: str, required: bool) -> int | float | None:
    raw = number_text(form.raw(name))
    form.values[name] = raw
    if not raw:
        if required:
            form.error(name, _("This field is required."))
        return None
    if not NUMBER_RE.fullmatch(raw):
        form.error(name, _("Enter a number, like 12 or 3.5."))
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:  # the pattern above leaves nothing that fails here
        form.error(name, _("Enter a number, like 12 or 3.5."))
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _many(form: Form, question: Any, required: bool) -> list[str]:
    name = question.field_name
    getlist = getattr(form.data, "getlist", None)
    raw = getlist(name) if getlist else form.data.get(name, [])
    chosen = [v for v in (raw if isinstance(raw, list) else [raw]) if isinstance(v, str) and v]
    form.values[name] = chosen
    keys = option_keys(question)
    if any(v not in keys for v in chosen):
        form.error(name, _("Choose among the options shown."))
        return []
    if required and not chosen:
        form.error(name, _("Choose at least one option."))
    return [k for k in keys if k in chosen]  # the organizer's order, no duplicates


def _file(form: Form, question: Any, existing: Any, required: bool, parsed: ParsedAnswers) -> None:
    upload = form.data.get(question.field_name)
    if isinstance(upload, UploadFile) and upload.filename:
        parsed.uploads.append((question, upload))
    elif existing:
        parsed.answers[str(question.id)] = existing
    elif required:
        form.error(question.field_name, _("Attach a file."))


def display(question: Any, value: Any, lang: str | None = None) -> str:
    """An answer as a person reads it, in the current language."""
    if value in (None, "", []):
        return ""
    kind = question.kind
    if kind == QuestionKind.YES_NO:
        return _("Yes") if value == YES else _("No")
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        labels = {str(o.get("key")): _option_label(o, lang) for o in question.options or []}
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in chosen)
    if kind == QuestionKind.FILE:
        return str(value.get("name", "")) if isinstance(value, dict) else ""
    return str(value)


def _option_label(option: Mapping[str, Any], lang: str | None) -> str:
    return localized(_Option(option), "label", lang)


class _Option:
    def __init__(self, option: Mapping[str, Any]) -> None:
        self.label_ar = str(option.get("ar", ""))
        self.label_en = str(option.get("en", ""))


def initial_values(questions: Sequence[Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """Form values that show saved answers again."""
    values: dict[str, Any] = {}
    for question in questions:
        value = answers.get(str(question.id))
        if value is None or question.kind == QuestionKind.FILE:
            continue
        values[question.field_name] = value if isinstance(value, list) else str(value)
    return values
