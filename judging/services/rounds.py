"""Rounds of a scope: their settings, and opening, closing and reopening them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import Someone
from core import audit
from core.clock import now
from core.errors import Conflict as ConflictError
from core.errors import Invalid
from core.i18n import format_datetime
from core.i18n import gettext as _
from judging.enums import EntryRule, RoundState
from judging.models import Assignment, Criterion, Round, ScoreSheet
from judging.services.common import in_scope, scope_of
from judging.sources import EntrySource, sources

ROUND_FIELDS = (
    "name_ar",
    "name_en",
    "starts_at",
    "ends_at",
    "judges_per_entry",
    "blind",
    "entry_rule",
    "previous_id",
    "min_scores_for_zscore",
    "tiebreak",
    "spread_threshold",
    "gallery",
    "group_key",
)

STATE_ACTIONS = {
    # action: (the state it starts from, the state it leads to)
    "open": (RoundState.DRAFT, RoundState.OPEN),
    "close": (RoundState.OPEN, RoundState.CLOSED),
    "reopen": (RoundState.CLOSED, RoundState.OPEN),
}


async def scope_rounds(scope_type: str, scope_id: int) -> list[Round]:
    return await Round.filter(scope_type=scope_type, scope_id=scope_id).order_by("id")


async def scoring_started(scope_type: str, scope_id: int) -> bool:
    """Whether any round of the scope has opened for scoring: from then on what is judged is
    frozen (its domain refuses new versions, so judges read what existed when it opened)."""
    return (
        await Round.filter(scope_type=scope_type, scope_id=scope_id)
        .exclude(state=RoundState.DRAFT)
        .exists()
    )


async def round_in_scope(scope_type: str, scope_id: int, round_id: int) -> Round:
    return await in_scope(Round, scope_type, scope_id, round_id, _("This round does not exist."))


def _round_values(round_: Round) -> dict[str, Any]:
    return {k: getattr(round_, k) for k in ROUND_FIELDS}


async def _check_round_values(
    scope_type: str, scope_id: int, values: Mapping[str, Any], round_id: int | None = None
) -> None:
    errors: dict[str, str] = {}
    previous_id = values.get("previous_id")
    if previous_id is not None:
        previous = await Round.get_or_none(id=previous_id, scope_type=scope_type, scope_id=scope_id)
        if previous is None or previous.id == round_id:
            errors["previous_id"] = _("Choose an earlier round of this competition.")
    if values.get("entry_rule") == EntryRule.SHORTLIST_OF_PREVIOUS and previous_id is None:
        errors["previous_id"] = _("Choose the round whose shortlist enters this one.")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        errors["ends_at"] = _("The end must come after the start.")
    if errors:
        raise Invalid(errors)


async def create_round(
    actor: Someone, scope_type: str, scope_id: int, values: Mapping[str, Any]
) -> Round:
    """A new round of the scope, in preparation."""
    await _check_round_values(scope_type, scope_id, values)
    async with in_transaction():
        created = await Round.create(
            scope_type=scope_type,
            scope_id=scope_id,
            **{k: values[k] for k in ROUND_FIELDS if k in values},
        )
        await audit.record(
            actor,
            "judging.round_created",
            created,
            scope=(scope_type, scope_id),
            after=_round_values(created),
        )
    return created


async def update_round(actor: Someone, round_: Round, values: Mapping[str, Any]) -> Round:
    """Change a round's settings, until its results are published."""
    if round_.state == RoundState.PUBLISHED:
        raise ConflictError(_("The results of this round are published: it can no longer change."))
    await _check_round_values(round_.scope_type, round_.scope_id, values, round_.id)
    before = _round_values(round_)
    async with in_transaction():
        for key in ROUND_FIELDS:
            if key in values:
                setattr(round_, key, values[key])
        await round_.save()
        old, new = audit.changes(before, _round_values(round_))
        await audit.record(
            actor, "judging.round_updated", round_, scope=scope_of(round_), before=old, after=new
        )
    return round_


async def delete_round(actor: Someone, round_: Round) -> None:
    """Delete a round still in preparation that nobody has scored."""
    if round_.state != RoundState.DRAFT:
        raise ConflictError(_("Only a round in preparation can be deleted."))
    if await ScoreSheet.filter(assignment__round_id=round_.id).exists():
        raise ConflictError(_("This round already has scores and cannot be deleted."))
    async with in_transaction():
        await audit.record(
            actor,
            "judging.round_deleted",
            round_,
            scope=scope_of(round_),
            before=_round_values(round_),
        )
        await round_.delete()


async def submissions_close(round_: Round, source: EntrySource | None = None) -> dt.datetime | None:
    """When the round's scope stops taking entries, as its entry source says (None: no
    deadline)."""
    source = source or sources.get(round_.scope_type)
    return await source.submissions_close(round_.scope_id) if source else None


async def change_state(
    actor: Someone,
    round_: Round,
    action: str,
    *,
    source: EntrySource | None = None,
    early: bool = False,
) -> Round:
    """Open, close or reopen a round. Scoring opens once the scope's submissions have closed;
    before that only with ``early``, the organizer's explicit override, which the audit log
    records with the deadline it overrode."""
    current = round_.effective_state(now())
    start, target = STATE_ACTIONS.get(action, (None, None))
    if target is None or current != start:
        raise ConflictError(_("This round cannot do that in its current state."))
    await _check_may_change(round_, action)
    overridden = await _check_timeline(round_, action, source, early)
    after: dict[str, Any] = {"state": target.value}
    if overridden is not None:
        after["opened_before_submissions_close"] = overridden.isoformat()
    async with in_transaction():
        round_.state = target
        await round_.save(update_fields=["state"])
        await audit.record(
            actor,
            f"judging.round_{action}",
            round_,
            scope=scope_of(round_),
            before={"state": current.value},
            after=after,
        )
    return round_


async def _check_timeline(
    round_: Round, action: str, source: EntrySource | None, early: bool
) -> dt.datetime | None:
    """Refuse to open scoring while submissions are still open, unless overridden; the
    deadline that was overridden, if any."""
    if action != "open":
        return None
    source = source or sources.get(round_.scope_type)
    deadline = await submissions_close(round_, source)
    if deadline is None or deadline <= now():
        return None
    if early:
        return deadline
    info = await source.scope(round_.scope_id) if source else None
    raise ConflictError(
        _(
            "Submissions are open until %(when)s: scoring opens once they close. To open it "
            "now anyway, tick “Open before submissions close”.",
            when=format_datetime(deadline, info.time_zone if info else "UTC"),
        )
    )


async def _check_may_change(round_: Round, action: str) -> None:
    if action == "open":
        await _check_ready(round_)
    elif action == "reopen" and round_.ends_at is not None and round_.ends_at <= now():
        raise ConflictError(
            _("The round's end has passed. Move the end later before reopening it.")
        )


async def _check_ready(round_: Round) -> None:
    criteria = await Criterion.filter(round=round_)
    if not any(c.weight > 0 and not c.independent for c in criteria):
        raise ConflictError(
            _("Add at least one weighted criterion to the rubric before opening the round.")
        )
    if not await Assignment.filter(round=round_).exists():
        raise ConflictError(_("Assign judges to the entries before opening the round."))
