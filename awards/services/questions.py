"""A category's own questions on the nomination form: add, edit, reorder and delete them
(audited), only before nominations open, so that every nomination answers the same questions
and a submitted version's fingerprint keeps meaning what it meant. Read them for the form.

The kinds are the platform's (core.questions) but a file: a nomination's files are its
evidence, typed and counted by the category's rules."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import Someone
from awards.models import Category, CategoryQuestion, Cycle
from awards.services.common import PhaseClosed, scope, when
from core import audit
from core.clock import now
from core.i18n import gettext as _
from core.questions import FIELDS, QuestionKind

KINDS = tuple(k for k in QuestionKind if k != QuestionKind.FILE)


def editable(cycle: Cycle) -> bool:
    return now() < cycle.nominations_open


def _require_editable(cycle: Cycle) -> None:
    if not editable(cycle):
        raise PhaseClosed(
            _(
                "Nominations opened on %(when)s: a category's questions can no longer change. "
                "Nothing was changed.",
                when=when(cycle, cycle.nominations_open),
            )
        )


async def of_category(category: Category | int) -> list[CategoryQuestion]:
    category_id = category if isinstance(category, int) else category.id
    return list(await CategoryQuestion.filter(category_id=category_id).order_by("position", "id"))


async def add(
    actor: Someone, cycle: Cycle, category: Category, values: dict[str, Any]
) -> CategoryQuestion:
    _require_editable(cycle)
    async with in_transaction():
        last = await CategoryQuestion.filter(category_id=category.id).order_by("-position").first()
        question = await CategoryQuestion.create(
            category=category,
            position=last.position + 1 if last else 1,
            options=values["option_list"],
            **{k: values[k] for k in FIELDS},
        )
        await audit.record(
            actor,
            "awards.question_add",
            question,
            after={k: values[k] for k in ("kind", "label_ar", "label_en")},
            scope=scope(cycle),
        )
    return question


async def update(
    actor: Someone, cycle: Cycle, question: CategoryQuestion, values: dict[str, Any]
) -> CategoryQuestion:
    _require_editable(cycle)
    keys = (*FIELDS, "options")
    before = {k: getattr(question, k) for k in keys}
    async with in_transaction():
        for name in FIELDS:
            setattr(question, name, values[name])
        question.options = values["option_list"]
        await question.save()
        old, new = audit.changes(before, {k: getattr(question, k) for k in keys})
        if new:
            await audit.record(
                actor, "awards.question_update", question, before=old, after=new, scope=scope(cycle)
            )
    return question


async def move(actor: Someone, cycle: Cycle, question: CategoryQuestion, step: int) -> None:
    """Swap a question with its neighbour (step -1 earlier, +1 later); renumbered 1..n."""
    _require_editable(cycle)
    async with in_transaction():
        rows = await of_category(question.category_id)
        index = next(i for i, row in enumerate(rows) if row.id == question.id)
        target = index + step
        if not 0 <= target < len(rows):
            return
        rows[index], rows[target] = rows[target], rows[index]
        for position, row in enumerate(rows, start=1):
            if row.position != position:
                await CategoryQuestion.filter(id=row.id).update(position=position)
        await audit.record(
            actor,
            "awards.question_move",
            question,
            after={"order": [r.id for r in rows]},
            scope=scope(cycle),
        )


async def delete(actor: Someone, cycle: Cycle, question: CategoryQuestion) -> None:
    _require_editable(cycle)
    async with in_transaction():
        await audit.record(
            actor,
            "awards.question_delete",
            question,
            before={"label_ar": question.label_ar, "label_en": question.label_en},
            scope=scope(cycle),
        )
        await question.delete()


def missing(questions: list[CategoryQuestion], answers: dict[str, Any]) -> dict[str, str]:
    """The required questions left unanswered, each with its message by its field."""
    return {
        q.field_name: _("This field is required.")
        for q in questions
        if q.required and answers.get(str(q.id)) in (None, "", [])
    }
