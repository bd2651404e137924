"""A round's entries: snapshots of what its EntrySource offers (all submitted entries) or of
the previous round's shortlist. Judging never reads the owning domain's rows directly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import Someone
from core import audit
from core.clock import now
from core.errors import Conflict as ConflictError
from core.i18n import gettext as _
from judging.enums import EntryRule
from judging.models import Entry, Round, ScoreSheet, Shortlist
from judging.services.common import is_over, scope_of
from judging.services.conflicts import detect_conflicts
from judging.sources import Candidate, EntrySource

ENTRY_FIELDS = (
    "source",
    "title_ar",
    "title_en",
    "group_key",
    "group_label_ar",
    "group_label_en",
    "team_key",
    "team_label",
    "members",
    "organizations",
)

Snapshots = Mapping[int, dict[str, Any]]
"""Entry values by source id."""


@dataclass(frozen=True)
class EntriesRefreshed:
    added: int
    updated: int
    removed: int
    kept: int  # gone from the source but already scored, so kept


def _candidate_snapshot(source: str, candidate: Candidate) -> dict[str, Any]:
    return {
        "source": source,
        "title_ar": candidate.title_ar,
        "title_en": candidate.title_en,
        "group_key": candidate.group_key,
        "group_label_ar": candidate.group_label_ar,
        "group_label_en": candidate.group_label_en,
        "team_key": candidate.team_key,
        "team_label": candidate.team_label,
        "members": [asdict(member) for member in candidate.members],
        "organizations": list(candidate.organizations),
    }


def _entry_snapshot(entry: Entry) -> dict[str, Any]:
    return {k: getattr(entry, k) for k in ENTRY_FIELDS}


async def entries_of(round_: Round) -> list[Entry]:
    return await Entry.filter(round=round_).order_by("id")


async def shortlisted_snapshots(round_id: int | None) -> dict[int, dict[str, Any]]:
    """The entries on a round's shortlist, as snapshots for the round that takes them."""
    rows = await Shortlist.filter(round_id=round_id).select_related("entry")
    return {row.entry.source_id: _entry_snapshot(row.entry) for row in rows}


async def _wanted_entries(round_: Round, source: EntrySource) -> dict[int, dict[str, Any]]:
    """What enters the round: all candidates or the previous round's shortlist, only those of
    the round's group when it has one."""
    if round_.entry_rule == EntryRule.SHORTLIST_OF_PREVIOUS:
        wanted = await shortlisted_snapshots(round_.previous_id)
    else:
        wanted = {
            c.source_id: _candidate_snapshot(source.source, c)
            for c in await source.candidates(round_.scope_id)
        }
    if not round_.group_key:
        return wanted
    return {k: v for k, v in wanted.items() if v["group_key"] == round_.group_key}


async def refresh_entries(
    actor: Someone | None, round_: Round, source: EntrySource
) -> EntriesRefreshed:
    """Bring the round's entries in line with the source (all submitted entries) or with the
    previous round's shortlist. An entry that left but already has a score sheet is kept."""
    if is_over(round_):
        raise ConflictError(_("The entries of a closed round can no longer change."))
    wanted = await _wanted_entries(round_, source)
    async with in_transaction():
        result = await sync_entries(round_, wanted)
        await audit.record(
            actor, "judging.entries_refreshed", round_, scope=scope_of(round_), after=asdict(result)
        )
    await detect_conflicts(None, round_.scope_type, round_.scope_id)
    return result


async def sync_entries(round_: Round, wanted: Snapshots) -> EntriesRefreshed:
    """Create and update the wanted entries; remove the others unless already scored."""
    existing = {e.source_id: e for e in await Entry.filter(round=round_)}
    added = updated = 0
    for source_id, values in wanted.items():
        entry = existing.get(source_id)
        if entry is None:
            await Entry.create(round=round_, source_id=source_id, **values)
            added += 1
        elif _entry_snapshot(entry) != values:
            await Entry.filter(id=entry.id).update(**values, updated_at=now())
            updated += 1
    leaving = [e for source_id, e in existing.items() if source_id not in wanted]
    removed, kept = await _remove_unscored(round_, leaving)
    return EntriesRefreshed(added, updated, removed, kept)


async def _remove_unscored(round_: Round, leaving: list[Entry]) -> tuple[int, int]:
    """Delete the leaving entries nobody has scored yet; (removed, kept)."""
    scored = set(
        await ScoreSheet.filter(assignment__round_id=round_.id).values_list(
            "assignment__entry_id", flat=True
        )
    )
    for entry in leaving:
        if entry.id not in scored:
            await entry.delete()
    kept = sum(1 for entry in leaving if entry.id in scored)
    return len(leaving) - kept, kept
