"""Parse judging forms into clean values (``form.clean``) or per-field messages; what was
typed stays in ``form.values`` so a refused form shows it again."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from core.forms import Form, local_input, normalize_text, to_western_digits
from core.i18n import gettext as _
from judging.enums import TIEBREAK_CHAIN, ConflictKind, EntryRule, MarkKind, Method

_NUMBER = re.compile(r"-?\d{1,9}(?:\.\d{1,6})?")
_LEVEL_LINE = re.compile(r"^\s*(-?[\d٠-٩۰-۹]+(?:[.,٫][\d٠-٩۰-۹]+)?)\s*[:：\-–]\s*(.+)$")
_STEP_SLACK = 1e-9


def _not_a_date() -> str:
    return _("Enter a date and time, like 2026-12-01 18:00.")


def _not_a_number() -> str:
    return _("Enter a number, like 4 or 7.5.")


def _fmt(value: float | None) -> str:
    return "…" if value is None else f"{value:g}"


def round_form(
    data: Mapping[str, Any],
    time_zone: str,
    previous_ids: Sequence[int],
    group_keys: Sequence[str] = (),
) -> Form:
    form = Form(data)
    form.clean["group_key"] = _group(form, group_keys)
    form.bilingual("name", max_length=200, missing=_("Give the round a name in Arabic or English."))
    form.clean["starts_at"] = form.moment("starts_at", time_zone, invalid=_not_a_date())
    form.clean["ends_at"] = form.moment("ends_at", time_zone, invalid=_not_a_date())
    form.clean["judges_per_entry"] = form.integer("judges_per_entry", minimum=1, maximum=20)
    form.clean["blind"] = form.checkbox("blind")
    form.clean["gallery"] = form.checkbox("gallery")
    rules = {r.value for r in EntryRule}
    rule = form.choice("entry_rule", rules, default=EntryRule.ALL_SUBMITTED.value)
    form.clean["entry_rule"] = EntryRule(rule) if rule in rules else EntryRule.ALL_SUBMITTED
    previous = form.choice("previous_id", {str(i) for i in previous_ids}, required=False)
    form.clean["previous_id"] = int(previous) if previous.isdigit() else None
    form.clean["min_scores_for_zscore"] = form.integer(
        "min_scores_for_zscore", minimum=1, maximum=1000
    )
    form.clean["spread_threshold"] = form.number(
        "spread_threshold", minimum=0, maximum=100, invalid=_not_a_number()
    )
    form.clean["tiebreak"] = [
        step.value for step in TIEBREAK_CHAIN if form.checkbox(f"tiebreak_{step.value}")
    ]
    return form


def round_values(round_: Any, time_zone: str) -> dict[str, Any]:
    """A round as the values of its form."""
    values = {
        k: getattr(round_, k)
        for k in (
            "name_ar",
            "name_en",
            "judges_per_entry",
            "blind",
            "gallery",
            "min_scores_for_zscore",
        )
    }
    values.update(
        starts_at=local_input(round_.starts_at, time_zone),
        ends_at=local_input(round_.ends_at, time_zone),
        entry_rule=str(round_.entry_rule),
        previous_id=str(round_.previous_id or ""),
        group_key=round_.group_key,
        spread_threshold=f"{round_.spread_threshold:g}",
    )
    for step in TIEBREAK_CHAIN:
        values[f"tiebreak_{step.value}"] = step.value in (round_.tiebreak or [])
    return values


def new_round_values() -> dict[str, Any]:
    values: dict[str, Any] = {
        "judges_per_entry": 3,
        "min_scores_for_zscore": 3,
        "spread_threshold": "20",
        "entry_rule": "all_submitted",
    }
    values.update({f"tiebreak_{step.value}": True for step in TIEBREAK_CHAIN})
    return values


def criterion_form(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.bilingual(
        "name", max_length=200, missing=_("Give the criterion a name in Arabic or English.")
    )
    form.bilingual("guidance", max_length=4000, multiline=True)
    form.clean["independent"] = form.checkbox("independent")
    form.clean["weight"] = form.number("weight", minimum=0, maximum=1000, invalid=_not_a_number())
    form.clean["min_score"] = form.number(
        "min_score", minimum=-1000, maximum=1000, invalid=_not_a_number()
    )
    form.clean["max_score"] = form.number(
        "max_score", minimum=-1000, maximum=1000, invalid=_not_a_number()
    )
    form.clean["step"] = form.number("step", minimum=0, maximum=1000, invalid=_not_a_number())
    form.clean["priority"] = form.integer("priority", required=False, minimum=1, maximum=100)
    _check_scale(form)
    form.clean["levels"] = _levels(form)
    return form


def _check_scale(form: Form) -> None:
    low, high, step = form.clean["min_score"], form.clean["max_score"], form.clean["step"]
    if low is not None and high is not None and high <= low:
        form.error("max_score", _("The highest score must be above the lowest."))
    elif low is not None and high is not None and step:
        steps = (high - low) / step
        if abs(steps - round(steps)) > _STEP_SLACK * max(1.0, steps):
            form.error(
                "step",
                _(
                    "The step must divide the scale evenly (from %(lo)s to %(hi)s).",
                    lo=_fmt(low),
                    hi=_fmt(high),
                ),
            )
    weight = form.clean["weight"]
    if weight is not None and weight <= 0 and not form.clean["independent"]:
        form.error(
            "weight", _("A counted criterion needs a weight above zero (or mark it independent).")
        )


def _levels(form: Form) -> list[dict[str, Any]]:
    """Guidance per score level, typed one per line as ``5: Excellent …`` in each language."""
    merged: dict[float, dict[str, Any]] = {}
    for lang in ("ar", "en"):
        name = f"levels_{lang}"
        text = form.text(name, required=False, max_length=4000, multiline=True)
        for line in (line for line in text.splitlines() if line.strip()):
            match = _LEVEL_LINE.match(line)
            score = _level_score(match.group(1)) if match else None
            if match is None or score is None or not _on_scale(form, score):
                form.error(
                    name,
                    _(
                        "Write one level per line as “score: description”, with "
                        "a score on the scale, like “5: Excellent”."
                    ),
                )
                continue
            merged.setdefault(score, {"score": score})[lang] = normalize_text(match.group(2))
    return [merged[k] for k in sorted(merged, reverse=True)]


def _level_score(raw: str) -> float | None:
    text = to_western_digits(raw).replace("٫", ".").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _on_scale(form: Form, score: float) -> bool:
    low, high = form.clean["min_score"], form.clean["max_score"]
    return low is None or high is None or low <= score <= high


def criterion_values(criterion: Any) -> dict[str, Any]:
    values = {
        k: getattr(criterion, k)
        for k in ("name_ar", "name_en", "guidance_ar", "guidance_en", "independent")
    }
    for key in ("weight", "min_score", "max_score", "step"):
        values[key] = f"{getattr(criterion, key):g}"
    values["priority"] = criterion.priority or ""
    for lang in ("ar", "en"):
        values[f"levels_{lang}"] = "\n".join(
            f"{level['score']:g}: {level[lang]}" for level in criterion.levels if level.get(lang)
        )
    return values


def new_criterion_values() -> dict[str, Any]:
    return {"weight": "1", "min_score": "1", "max_score": "5", "step": "1"}


def sheet_form(data: Mapping[str, Any], criteria: Sequence[Any]) -> Form:
    """Scores are checked against the scale by the service; here they only must be numbers."""
    form = Form(data)
    scores: dict[str, float | None] = {}
    for criterion in criteria:
        scores[criterion.key] = form.number(
            f"score_{criterion.key}", required=False, invalid=_not_a_number()
        )
    form.clean["scores"] = scores
    form.clean["comment"] = form.text(
        "comment_for_team", required=False, max_length=5000, multiline=True
    )
    form.clean["note"] = form.text(
        "note_for_organizers", required=False, max_length=5000, multiline=True
    )
    form.clean["version"] = form.integer("version", minimum=0) or 0
    form.clean["submit"] = form.raw("action") == "submit"
    return form


def _group(form: Form, group_keys: Sequence[str]) -> str:
    """One of the scope's groups, or "" (every group)."""
    if not group_keys:
        return ""
    return form.choice("group_key", {"", *group_keys}, required=False)


def invite_form(data: Mapping[str, Any], group_keys: Sequence[str] = ()) -> Form:
    form = Form(data)
    form.clean["group_key"] = _group(form, group_keys)
    form.clean["email"] = form.email("email")
    form.clean["name"] = form.text("name", required=False, max_length=200)
    form.clean["language"] = form.choice("language", {"ar", "en"}, default="ar")
    return form


def conflict_form(
    data: Mapping[str, Any], kinds: Sequence[ConflictKind], judge_ids: Sequence[int] = ()
) -> Form:
    """A conflict named by a judge (team or organization) or by an organizer (any kind, for
    a chosen judge)."""
    form = Form(data)
    if judge_ids:
        judge = form.choice("judge_id", {str(i) for i in judge_ids})
        form.clean["judge_id"] = int(judge) if judge.isdigit() else None
    kind = form.choice("kind", {k.value for k in kinds})
    form.clean["kind"] = ConflictKind(kind) if kind in {k.value for k in kinds} else None
    form.clean["value"] = form.text("value", max_length=300)
    form.clean["reason"] = form.text("reason", max_length=2000, multiline=True)
    return form


def reason_form(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.clean["reason"] = form.text("reason", max_length=2000, multiline=True)
    return form


def pair_form(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.clean["entry_id"] = form.integer("entry_id", minimum=1)
    form.clean["judge_id"] = form.integer("judge_id", minimum=1)
    return form


def judge_choice_form(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.clean["judge_id"] = form.integer("judge_id", minimum=1)
    return form


def method_form(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    method = form.choice("method", {m.value for m in Method})
    form.clean["method"] = Method(method) if method in {m.value for m in Method} else None
    return form


def tie_form(data: Mapping[str, Any], entry_ids: Sequence[int]) -> Form:
    form = Form(data)
    positions: dict[int, int] = {}
    for entry_id in entry_ids:
        value = form.integer(f"position_{entry_id}", minimum=1, maximum=len(entry_ids))
        if value is not None:
            positions[entry_id] = value
    if len(positions) == len(entry_ids) and len(set(positions.values())) != len(positions):
        form.error("positions", _("Give each tied entry a different position."))
    form.clean["positions"] = positions
    form.clean["reason"] = form.text("reason", max_length=2000, multiline=True)
    return form


def shortlist_form(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.clean["count"] = form.integer("count", minimum=1, maximum=10000)
    form.clean["per_group"] = form.checkbox("per_group")
    return form


MARK_CHOICES = ("1", "2", "3", "mention")


def mark_form(data: Mapping[str, Any]) -> Form:
    form = Form(data)
    form.clean["entry_id"] = form.integer("entry_id", minimum=1)
    mark = form.choice("mark", MARK_CHOICES)
    form.clean["kind"] = MarkKind.HONOURABLE_MENTION if mark == "mention" else MarkKind.WINNER
    form.clean["place"] = int(mark) if mark.isdigit() else None
    form.clean["per_group"] = form.checkbox("per_group")
    return form


def publish_form(data: Mapping[str, Any], time_zone: str) -> Form:
    form = Form(data)
    when = form.choice("when", {"now", "at"}, default="now")
    form.clean["at"] = (
        form.moment("publish_at", time_zone, required=True, invalid=_not_a_date())
        if when == "at"
        else None
    )
    return form
