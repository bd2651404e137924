"""Published results as the public reads them: winners overall and per group, honourable
mentions, the frozen ranking and the gallery; and the organizer's preview of the same."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from core import sql
from core.clock import now
from judging.enums import MarkKind, Method, RoundState
from judging.models import Entry, Mark, Round
from judging.services.ranking import current_ranking

PublishedEntry = Entry
"""An entry as published results show it (its title, group and team labels)."""

METHODS = tuple(m.value for m in Method)
"""The names of the ways scores combine, as published results name them."""

RankingRows = Sequence[tuple[int, int, float]]
"""(entry id, rank, value) as frozen at publication."""


@dataclass(frozen=True)
class Placing:
    entry: Entry
    rank: int
    score: float
    place: int | None = None


@dataclass
class GroupWinners:
    entry: Entry  # any entry of the group, for its labels
    winners: list[Placing]


@dataclass
class PublishedRound:
    round: Round
    overall: list[Placing]
    groups: list[GroupWinners]
    mentions: list[Placing]
    ranking: list[Placing]
    gallery: list[Entry]


@dataclass
class PublishedResults:
    scope_type: str
    scope_id: int
    rounds: list[PublishedRound]
    upcoming: dt.datetime | None = None  # the next scheduled publication in the scope, if any

    def results_public(self, at: dt.datetime) -> bool:
        return bool(self.rounds)


PUBLISHED_ROUNDS = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(Round, "r")} FROM judging_round r
    WHERE r.scope_type = ? AND r.scope_id = ? AND r.state = ?
    ORDER BY r.publish_at DESC, r.id"""  # noqa: S608
    )
)


def any_published_round(scope_id: str) -> str:
    """SQL for whether a scope has a published round (its publication time come or not): an
    EXISTS a scope's own statement puts in its select list, `scope_id` naming the scope's id
    column there, so that a page reads the published results only when there can be some (the
    signed-in event page asks with the event, not by a statement of its own). Its two `?`
    take `any_published_round_params`, where it stands in the statement."""
    return f"""EXISTS (SELECT 1 FROM judging_round pr
        WHERE pr.scope_type = ? AND pr.scope_id = {scope_id} AND pr.state = ?)"""  # noqa: S608 - scope_id: a column the caller names


def any_published_round_params(scope_type: str) -> list[str]:
    """The values of `any_published_round`'s `?`, for scopes of this type."""
    return [scope_type, RoundState.PUBLISHED.value]


async def published_rounds(scope_type: str, scope_id: int) -> list[Round]:
    """The scope's published rounds, latest publication first: one hand-written statement
    (core/sql.py), as every signed-in visit of an event page asks."""
    found = await sql.rows(PUBLISHED_ROUNDS, [scope_type, scope_id, RoundState.PUBLISHED.value])
    return [r for r in (sql.hydrate(Round, row, "r") for row in found) if r is not None]


async def published_results(scope_type: str, scope_id: int) -> PublishedResults | None:
    """The scope's published results (latest round first), or None before publication; in
    three queries however many rounds are published."""
    at = now()
    published = await published_rounds(scope_type, scope_id)
    rounds = [r for r in published if r.results_public(at)]
    if not rounds:
        return None
    upcoming = min(
        (r.publish_at for r in published if r.publish_at and r.publish_at > at), default=None
    )
    built = await _published_rounds([(r, ranking_of(r)) for r in rounds])
    return PublishedResults(scope_type, scope_id, built, upcoming)


def ranking_of(round_: Round) -> list[tuple[int, int, float]]:
    """The ranking frozen when the round was published."""
    return [(int(e), int(r), float(v)) for e, r, v in (round_.snapshot or {}).get("ranking", [])]


async def preview_results(round_: Round) -> PublishedRound:
    """What the public page will show, before publication (organizers only)."""
    _data, ranking = await current_ranking(round_)
    rows = [(r.entry_id, r.rank, r.value) for r in ranking]
    return (await _published_rounds([(round_, rows)]))[0]


async def _published_rounds(items: Sequence[tuple[Round, RankingRows]]) -> list[PublishedRound]:
    """Each round with its ranking, winners, mentions and gallery (two queries for all)."""
    ids = [round_.id for round_, _ranking in items]
    entries: dict[int, dict[int, Entry]] = defaultdict(dict)
    for entry in await Entry.filter(round_id__in=ids).order_by("id"):
        entries[entry.round_id][entry.id] = entry
    marks: dict[int, list[Mark]] = defaultdict(list)
    for mark in await Mark.filter(round_id__in=ids).order_by("place", "id"):
        marks[mark.round_id].append(mark)
    return [
        _published_round(round_, ranking, entries[round_.id], marks[round_.id])
        for round_, ranking in items
    ]


def _published_round(
    round_: Round, ranking: RankingRows, entries: dict[int, Entry], marks: Sequence[Mark]
) -> PublishedRound:
    placings = {e: Placing(entries[e], r, v) for e, r, v in ranking if e in entries}
    overall, groups, mentions = _placed(marks, entries, placings)
    gallery = list(entries.values()) if round_.gallery else []
    return PublishedRound(
        round_,
        overall,
        groups,
        mentions,
        [placings[e] for e, _r, _v in ranking if e in placings],
        gallery,
    )


def _placed(
    marks: Sequence[Mark], entries: dict[int, Entry], placings: dict[int, Placing]
) -> tuple[list[Placing], list[GroupWinners], list[Placing]]:
    """Winners overall, winners per group (in group order) and honourable mentions."""
    overall: list[Placing] = []
    mentions: list[Placing] = []
    groups: dict[str, GroupWinners] = {}
    for mark in marks:
        entry = entries[mark.entry_id]
        base = placings.get(mark.entry_id) or Placing(entry, 0, 0.0)
        placing = Placing(entry, base.rank, base.score, mark.place)
        if mark.kind == MarkKind.HONOURABLE_MENTION:
            mentions.append(placing)
        elif mark.group_key:
            groups.setdefault(mark.group_key, GroupWinners(entry, [])).winners.append(placing)
        else:
            overall.append(placing)
    return overall, [groups[k] for k in sorted(groups)], mentions


async def results_outlook(
    scope_type: str, scope_id: int, moment: dt.datetime
) -> tuple[bool, list[dt.datetime]]:
    """What a page showing a scope's published results needs to know to keep itself: whether
    results may appear at any moment now (a round whose scoring is over: the page must not be
    kept), and else when they can start to (an open round's end, a scheduled publication)."""
    rounds = await Round.filter(scope_type=scope_type, scope_id=scope_id).only(
        "id", "state", "ends_at", "publish_at"
    )
    if any(r.effective_state(moment) == RoundState.CLOSED for r in rounds):
        return False, []
    changes = [r.ends_at for r in rounds if r.state == RoundState.OPEN and r.ends_at]
    changes += [r.publish_at for r in rounds if r.state == RoundState.PUBLISHED and r.publish_at]
    return True, changes
