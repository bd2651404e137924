"""A round's rubric: criteria with bilingual names, guidance per level, weight and scale. It
locks once the first score of the round is saved."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import Someone
from core import audit
from core.errors import Conflict as ConflictError
from core.i18n import gettext as _
from judging import scoring
from judging.enums import RoundState
from judging.models import Criterion, Round, ScoreSheet
from judging.services.common import scope_of

CRITERION_FIELDS = (
    "name_ar",
    "name_en",
    "guidance_ar",
    "guidance_en",
    "levels",
    "weight",
    "min_score",
    "max_score",
    "step",
    "independent",
    "priority",
)


async def rubric_locked(round_: Round) -> bool:
    """The rubric locks once the first score of the round is saved."""
    return await ScoreSheet.filter(assignment__round_id=round_.id).exists()


async def _refuse_if_locked(round_: Round) -> None:
    if round_.state == RoundState.PUBLISHED or await rubric_locked(round_):
        raise ConflictError(
            _(
                "The rubric is locked because scoring has started: its "
                "criteria can no longer be changed."
            )
        )


async def criteria_of(round_: Round) -> list[Criterion]:
    return await Criterion.filter(round=round_).order_by("position", "id")


def _criterion_values(criterion: Criterion | None) -> dict[str, Any]:
    return {k: getattr(criterion, k) for k in CRITERION_FIELDS} if criterion else {}


async def save_criterion(
    actor: Someone, round_: Round, values: Mapping[str, Any], criterion: Criterion | None = None
) -> Criterion:
    """Add a criterion to the rubric (``criterion`` None) or change one, until it locks."""
    await _refuse_if_locked(round_)
    async with in_transaction():
        before = _criterion_values(criterion)
        if criterion is None:
            criterion = await _new_criterion(round_, values)
        else:
            for key in CRITERION_FIELDS:
                setattr(criterion, key, values[key])
            await criterion.save()
        old, new = audit.changes(before, _criterion_values(criterion))
        await audit.record(
            actor,
            "judging.criterion_saved",
            criterion,
            scope=scope_of(round_),
            before=old or None,
            after=new,
        )
    return criterion


async def _new_criterion(round_: Round, values: Mapping[str, Any]) -> Criterion:
    keys = await Criterion.filter(round=round_).values_list("key", flat=True)
    numbers = [int(k[1:]) for k in keys if k[1:].isdigit()]
    number = max(numbers, default=0) + 1
    return await Criterion.create(
        round=round_, key=f"c{number}", position=number, **{k: values[k] for k in CRITERION_FIELDS}
    )


async def delete_criterion(actor: Someone, round_: Round, criterion: Criterion) -> None:
    """Remove a criterion from the rubric, until it locks."""
    await _refuse_if_locked(round_)
    async with in_transaction():
        await audit.record(
            actor,
            "judging.criterion_deleted",
            criterion,
            scope=scope_of(round_),
            before=_criterion_values(criterion),
        )
        await criterion.delete()


def pure_criterion(criterion: Criterion) -> scoring.Criterion:
    return scoring.Criterion(
        criterion.key,
        criterion.weight,
        criterion.min_score,
        criterion.max_score,
        criterion.step,
        criterion.independent,
        criterion.priority,
    )
