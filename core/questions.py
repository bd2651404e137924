"""An organizer's own questions on a form, shared by the domains that ask them (the Mediathon's
registration and submission forms, the award's categories): the kinds of answer, their names,
and the question editor's form. Answers are read and shown by `core.answers`."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from enum import StrEnum
from typing import Any

from core.forms import Form
from core.i18n import N_
from core.i18n import gettext as _

MAX_OPTIONS = 50


class QuestionKind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    URL = "url"
    NUMBER = "number"
    FILE = "file"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})

KIND_LABELS = {
    QuestionKind.SHORT_TEXT: N_("Short text"),
    QuestionKind.LONG_TEXT: N_("Long text"),
    QuestionKind.SINGLE_CHOICE: N_("One choice"),
    QuestionKind.MULTIPLE_CHOICE: N_("Several choices"),
    QuestionKind.YES_NO: N_("Yes or no"),
    QuestionKind.URL: N_("Web address"),
    QuestionKind.NUMBER: N_("Number"),
    QuestionKind.FILE: N_("File"),
}

# What the editor saves of a question besides its options (`option_list` in the form's values).
FIELDS = ("kind", "label_ar", "label_en", "help_ar", "help_en", "required")


def editor(form: Form, kinds: Collection[QuestionKind] = tuple(QuestionKind)) -> Form:
    """Read a question's fields (kind, bilingual label and help, required, options) into
    `form`, with a message per field; `kinds` are the kinds this form may ask."""
    kind = form.choice("kind", [k.value for k in kinds])
    form.bilingual("label", max_length=300, missing=_("Write it in Arabic, in English, or both."))
    form.bilingual("help", max_length=2000, multiline=True)
    form.checkbox("required")
    raw = form.text("options", required=False, max_length=5000, multiline=True)
    options = parse_options(raw)
    form.values["option_list"] = options
    if kind in CHOICE_KINDS:
        if len(options) < 2:
            form.error("options", _("Give at least two options, one per line."))
        elif len(options) > MAX_OPTIONS:
            form.error("options", _("Give at most 50 options."))
    return form


def parse_options(raw: str) -> list[dict[str, str]]:
    """One option a line, "Arabic | English" (either side may be alone)."""
    options: list[dict[str, str]] = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        ar, _sep, en = (part.strip() for part in line.partition("|"))
        options.append({"key": f"o{len(options) + 1}", "ar": ar[:200], "en": en[:200]})
    return options


def options_text(options: Sequence[Mapping[str, Any]]) -> str:
    return "\n".join(f"{o.get('ar', '')} | {o.get('en', '')}".strip(" |") for o in options)


def initial(question: Any) -> dict[str, Any]:
    """A saved question's values, to show on its edit form."""
    values = {k: getattr(question, k) for k in FIELDS}
    values["kind"] = str(question.kind)
    values["options"] = options_text(question.options or [])
    return values
