"""What the organizer decides about a closed round: the combination method, the order of
entries still tied, winners' places and honourable mentions."""

from __future__ import annotations

from collections.abc import Mapping

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Someone
from core import audit
from core.errors import Conflict as ConflictError
from core.errors import Invalid, NotFound
from core.i18n import gettext as _
from judging.enums import PLACES, MarkKind, Method, RoundState, TiebreakStep
from judging.models import Entry, Mark, Round, TieDecision
from judging.services.common import already_published, refuse_unless_closed, scope_of


async def set_method(actor: Someone, round_: Round, method: Method) -> Round:
    """The combination method the round's ranking uses."""
    if round_.state == RoundState.PUBLISHED:
        raise already_published()
    async with in_transaction():
        before = round_.method
        round_.method = method
        await round_.save(update_fields=["method"])
        await audit.record(
            actor,
            "judging.method_set",
            round_,
            scope=scope_of(round_),
            before={"method": before},
            after={"method": method.value},
        )
    return round_


async def record_tie_decision(
    actor: Someone, round_: Round, positions: Mapping[int, int], reason: str
) -> None:
    """The organizer orders entries that are still tied (1 goes first)."""
    refuse_unless_closed(round_)
    if TiebreakStep.DECISION not in (round_.tiebreak or []):
        raise ConflictError(_("This round's tie-break chain does not use organizer decisions."))
    entries = set(
        await Entry.filter(round=round_, id__in=list(positions)).values_list("id", flat=True)
    )
    if entries != set(positions) or len(set(positions.values())) != len(positions):
        raise Invalid({"positions": _("Give each tied entry a different position.")})
    async with in_transaction():
        for entry_id, position in positions.items():
            await TieDecision.update_or_create(
                round=round_, entry_id=entry_id, defaults={"position": position, "reason": reason}
            )
        await audit.record(
            actor,
            "judging.tie_decided",
            round_,
            scope=scope_of(round_),
            after={"positions": {str(k): v for k, v in positions.items()}, "reason": reason},
        )


def _slot(
    entry: Entry, kind: MarkKind, place: int | None, per_group: bool
) -> tuple[int | None, str, str]:
    """(place, group, slot) of a mark; the slot is unique per round, so the database refuses
    a place given twice."""
    if kind != MarkKind.WINNER:
        return None, "", f"mention:{entry.id}"
    if place not in PLACES:
        raise Invalid({"place": _("Choose first, second or third place.")})
    group = entry.group_key if per_group else ""
    return place, group, f"winner:{group}:{place}"


async def set_mark(
    actor: Someone,
    round_: Round,
    entry_id: int,
    *,
    kind: MarkKind,
    place: int | None,
    per_group: bool,
) -> Mark:
    """Mark a winner (first, second or third, overall or in the entry's group) or an
    honourable mention. A place already given is refused."""
    refuse_unless_closed(round_)
    entry = await Entry.get_or_none(id=entry_id, round=round_)
    if entry is None:
        raise NotFound(_("This entry does not exist."))
    place, group, slot = _slot(entry, kind, place, per_group)
    try:
        async with in_transaction():
            await Mark.filter(round=round_, entry=entry).delete()
            mark = await Mark.create(
                round=round_, entry=entry, kind=kind, place=place, group_key=group, slot=slot
            )
            await audit.record(
                actor,
                "judging.mark_set",
                mark,
                scope=scope_of(round_),
                after={"entry": entry.id, "kind": kind.value, "place": place, "group": group},
            )
    except IntegrityError:
        raise ConflictError(
            _("That place is already given to another entry. Remove it there first.")
        ) from None
    return mark


async def remove_mark(actor: Someone, round_: Round, mark_id: int) -> None:
    """Take back a winner's place or an honourable mention."""
    refuse_unless_closed(round_)
    mark = await Mark.get_or_none(id=mark_id, round=round_)
    if mark is None:
        raise NotFound(_("This mark does not exist."))
    async with in_transaction():
        await audit.record(
            actor,
            "judging.mark_removed",
            mark,
            scope=scope_of(round_),
            before={"entry": mark.entry_id, "kind": mark.kind, "place": mark.place},
        )
        await mark.delete()
