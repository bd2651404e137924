"""Small pieces every judging use case shares: the audit scope, loading a row within its
scope, and the state checks that refuse a change. Mail links are core.links.Links."""

from __future__ import annotations

from typing import Any, TypeVar

from tortoise.models import Model

from core.clock import now
from core.errors import Conflict as ConflictError
from core.errors import NotFound
from core.i18n import gettext as _
from judging.enums import RoundState
from judging.models import Round

ModelT = TypeVar("ModelT", bound=Model)


def fmt_number(value: float) -> str:
    return f"{value:g}"


def scope_of(obj: Any) -> tuple[str, int]:
    """The (scope_type, scope_id) an audit entry is filed under."""
    return (obj.scope_type, obj.scope_id)


async def in_scope(
    model: type[ModelT], scope_type: str, scope_id: int, row_id: int, missing: str
) -> ModelT:
    """A row of ``model`` by id, only if it belongs to this scope (else a 404 saying
    ``missing``): a scope's organizer never reaches another scope's rows by changing an id."""
    found = await model.get_or_none(id=row_id, scope_type=scope_type, scope_id=scope_id)
    if found is None:
        raise NotFound(missing)
    return found


def is_over(round_: Round) -> bool:
    """Scoring is over (closed by hand or by its end passing) or the results are out."""
    return round_.effective_state(now()) in {RoundState.CLOSED, RoundState.PUBLISHED}


def already_published() -> ConflictError:
    return ConflictError(
        _("The results of this round are already published: they can no longer change.")
    )


def refuse_unless_closed(round_: Round) -> None:
    """Results are decided between the close of scoring and publication."""
    state = round_.effective_state(now())
    if state == RoundState.PUBLISHED:
        raise already_published()
    if state != RoundState.CLOSED:
        raise ConflictError(_("Close the round first: results are decided once scoring is over."))
