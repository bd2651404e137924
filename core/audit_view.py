"""The audit log as a person reads it: actions, object types, fields and values named in the
reader's language, from the labels the domains offer (core.hooks.AuditLabels). A key no domain
names is still shown readably ("judging.round_frozen" → "Round frozen"), never as a crash."""

from __future__ import annotations

import json
import re
from typing import Any

from core.hooks import AuditLabels
from core.i18n import N_, get_locale
from core.i18n import gettext as _

# What every domain's entries share: the language suffix of bilingual fields, common fields.
LANGUAGE_SUFFIXES = {"_ar": N_("%(field)s (Arabic)"), "_en": N_("%(field)s (English)")}
CORE_FIELDS = {
    "email": N_("E-mail address"),
    "state": N_("State"),
    "role": N_("Role"),
    "user": N_("User"),
    "order": N_("Order"),
    "reason": N_("Reason"),
    "note": N_("Note"),
    "count": N_("Count"),
}


def _humanized(key: str) -> str:
    """A key as words: "round_frozen" → "Round frozen", "ScoreSheet" → "Score sheet"."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key).replace("_", " ").replace(".", " ")
    words = " ".join(words.split()).lower()
    return words[:1].upper() + words[1:]


def action(labels: AuditLabels, key: str) -> str:
    if key in labels.actions:
        return _(labels.actions[key])
    return _humanized(key.partition(".")[2] or key)


def object_type(labels: AuditLabels, key: str) -> str:
    return _(labels.objects[key]) if key in labels.objects else _humanized(key)


def field(labels: AuditLabels, key: str) -> str:
    known = {**CORE_FIELDS, **labels.fields}
    if key in known:
        return _(known[key])
    base, suffix = key[:-3], key[-3:]
    if suffix in LANGUAGE_SUFFIXES and base:
        return _(LANGUAGE_SUFFIXES[suffix], field=field(labels, base))
    return _humanized(key)


def value(labels: AuditLabels, key: str, raw: Any, object_type: str = "") -> str:
    """A before/after value: yes/no, a state's name (the object type's own names first), a
    list joined in the reader's language, text as written; the rest as JSON (Arabic kept)."""
    if raw is None:
        return "—"
    if isinstance(raw, bool):
        return _("Yes") if raw else _("No")
    if isinstance(raw, str):
        named = {**labels.values.get(key, {}), **labels.values.get(f"{object_type}.{key}", {})}
        return _(named[raw]) if raw in named else raw
    if isinstance(raw, list):
        separator = "، " if get_locale() == "ar" else ", "
        return separator.join(value(labels, key, item, object_type) for item in raw)
    return json.dumps(raw, ensure_ascii=False)
