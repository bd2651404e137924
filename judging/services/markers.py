"""What a conflict can name: an entry, its team, the organizations and e-mail domains of its
people, and the judge's own. Deciding whether a judge may meet an entry reads only these."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from accounts.models import Someone
from judging.enums import PUBLIC_MAIL_DOMAINS, ConflictKind
from judging.models import Conflict, Entry, Judge

Markers = set[tuple[str, str]]
"""(conflict kind, value) pairs."""


def normalize_org(value: str) -> str:
    return " ".join(value.split()).casefold()


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def organizations_of(
    members: Iterable[Mapping[str, Any]], organizations: Iterable[str]
) -> set[str]:
    """Organizations and non-public e-mail domains of an entry's people."""
    names = {normalize_org(o) for o in organizations}
    for member in members:
        names.add(normalize_org(str(member.get("organization", ""))))
        names.add(email_domain(str(member.get("email", ""))))
    return {n for n in names if n and n not in PUBLIC_MAIL_DOMAINS}


def entry_markers(entry: Entry) -> Markers:
    """Everything a conflict can name about this entry, as (kind, value)."""
    return markers_of(entry.source_id, entry.team_key, entry.members, entry.organizations)


def markers_of(
    source_id: int,
    team_key: str,
    members: Iterable[Mapping[str, Any]],
    organizations: Iterable[str],
) -> Markers:
    """entry_markers from an entry's fields (a row read without building the Entry)."""
    found = {(ConflictKind.ENTRY.value, str(source_id))}
    if team_key:
        found.add((ConflictKind.TEAM.value, team_key))
    found |= {
        (ConflictKind.ORGANIZATION.value, o) for o in organizations_of(members, organizations)
    }
    return found


def judge_markers(judge: Judge, user: Someone | None) -> set[str]:
    """The judge's own organization and e-mail domains, for detection."""
    values = {email_domain(judge.email)}
    if user is not None:
        values |= {email_domain(user.email), normalize_org(user.organization)}
    return {v for v in values if v and v not in PUBLIC_MAIL_DOMAINS}


async def active_conflicts(scope_type: str, scope_id: int) -> dict[int, Markers]:
    """Per judge id, the (kind, value) pairs they are conflicted with."""
    rows = await Conflict.filter(scope_type=scope_type, scope_id=scope_id, active=True).values_list(
        "judge_id", "kind", "value"
    )
    found: dict[int, Markers] = defaultdict(set)
    for judge_id, kind, value in rows:
        found[judge_id].add((str(kind), value))
    return found


def meets_conflict(conflicts: Mapping[int, Markers], judge_id: int, entry: Entry) -> bool:
    """Whether one of the judge's active conflicts names this entry."""
    named = conflicts.get(judge_id)
    return bool(named and named & entry_markers(entry))


def conflicted_pairs(
    entries: Sequence[Entry], judge_ids: Iterable[int], conflicts: Mapping[int, Markers]
) -> set[tuple[int, int]]:
    """(judge id, entry id) pairs that must never meet."""
    markers = {entry.id: entry_markers(entry) for entry in entries}
    return {
        (judge_id, entry_id)
        for judge_id in judge_ids
        if conflicts.get(judge_id)
        for entry_id, marks in markers.items()
        if conflicts[judge_id] & marks
    }


async def is_conflicted(judge_id: int, entry: Entry) -> bool:
    """Whether one of the judge's active conflicts names this entry (one query)."""
    rows = await Conflict.filter(judge_id=judge_id, active=True).values_list("kind", "value")
    return bool({(str(kind), value) for kind, value in rows} & entry_markers(entry))
