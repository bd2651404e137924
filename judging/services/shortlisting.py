"""Promoting the top of a closed round into the round(s) that take its shortlist."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence

from tortoise.transactions import in_transaction

from accounts.models import Someone
from core import audit
from core.errors import Conflict as ConflictError
from core.i18n import gettext as _
from core.links import Links
from core.mail import outbox
from judging import scoring
from judging.enums import EntryRule, RoundState
from judging.models import Entry, Round, Shortlist
from judging.services.common import is_over, refuse_unless_closed, scope_of
from judging.services.entries import shortlisted_snapshots, sync_entries
from judging.services.mail import mail_members
from judging.services.ranking import current_ranking
from judging.sources import ScopeInfo

Ranking = Sequence[scoring.RankedEntry]


def _cutoff(ranking: Ranking, count: int) -> int:
    """The rank of the last place that goes through."""
    return (
        ranking[count - 1].rank
        if 0 < count <= len(ranking)
        else (ranking[-1].rank if ranking else 0)
    )


def _group_rank(items: Ranking, index: int) -> int:
    first = next(n for n, i in enumerate(items) if i.rank == items[index].rank)
    return first + 1


def _top_of_group(items: Ranking, count: int) -> list[scoring.RankedEntry]:
    positions = [dataclasses.replace(i, rank=_group_rank(items, n)) for n, i in enumerate(items)]
    cutoff = _cutoff(positions, count)
    return [i for i, p in zip(items, positions, strict=True) if p.rank <= cutoff]


def _top(
    ranking: Ranking, entries: Mapping[int, Entry], count: int, per_group: bool
) -> list[scoring.RankedEntry]:
    """The first ``count`` places overall or in each group (entries tied on the last place
    all go through)."""
    if not per_group:
        return [r for r in ranking if r.rank <= _cutoff(ranking, count)]
    by_group: dict[str, list[scoring.RankedEntry]] = defaultdict(list)
    for item in ranking:
        by_group[entries[item.entry_id].group_key].append(item)
    return [chosen for items in by_group.values() for chosen in _top_of_group(items, count)]


async def _following(round_: Round) -> list[Round]:
    """The rounds still to run that take this round's shortlist as their entries."""
    following = await Round.filter(
        previous=round_,
        entry_rule=EntryRule.SHORTLIST_OF_PREVIOUS,
        state__in=[RoundState.DRAFT, RoundState.OPEN],
    )
    if not following:
        raise ConflictError(
            _("Create the next round first, taking the shortlist of this round as its entries.")
        )
    return following


async def shortlist(
    actor: Someone, round_: Round, scope: ScopeInfo, links: Links, *, count: int, per_group: bool
) -> list[Entry]:
    """Promote the top ``count`` (overall or per group) into the next round(s) — those that
    take this round's shortlist — and mail the newly shortlisted entries' members."""
    refuse_unless_closed(round_)
    following = await _following(round_)
    data, ranking = await current_ranking(round_)
    entries = {e.id: e for e in data.entries}
    chosen = [entries[r.entry_id] for r in _top(ranking, entries, count, per_group)]
    before = set(await Shortlist.filter(round=round_).values_list("entry_id", flat=True))
    async with in_transaction():
        await _replace_shortlist(round_, chosen, ranking)
        for entry in (e for e in chosen if e.id not in before):
            await mail_members(
                entry,
                "judging/shortlisted",
                scope=scope,
                round=following[0],
                url=links.absolute(scope.public_url),
            )
        await audit.record(
            actor,
            "judging.shortlisted",
            round_,
            scope=scope_of(round_),
            before={"entries": sorted(before)},
            after={"entries": [e.id for e in chosen], "count": count, "per_group": per_group},
        )
        wanted = await shortlisted_snapshots(round_.id)
        for nxt in following:
            await sync_entries(nxt, wanted)
    outbox.wake()
    return chosen


async def _replace_shortlist(round_: Round, chosen: Sequence[Entry], ranking: Ranking) -> None:
    ranks = {r.entry_id: r.rank for r in ranking}
    await Shortlist.filter(round=round_).delete()
    await Shortlist.bulk_create(
        [Shortlist(round_id=round_.id, entry_id=e.id, rank=ranks[e.id]) for e in chosen]
    )


async def top_entries(
    round_: Round, count: int, *, per_group: bool = False
) -> list[tuple[Entry, scoring.RankedEntry]]:
    """The first ``count`` places of a round whose scoring is over (overall or in each group;
    entries tied on the last place all go), under its chosen method, without promoting them
    anywhere: for a domain that keeps its own shortlist (an award's categories)."""
    if not is_over(round_):
        raise ConflictError(_("Close the round first: results are decided once scoring is over."))
    data, ranking = await current_ranking(round_)
    entries = {e.id: e for e in data.entries}
    return [(entries[r.entry_id], r) for r in _top(ranking, entries, count, per_group)]
