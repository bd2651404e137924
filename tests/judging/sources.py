"""A small EntrySource backed by plain in-test data, so judging is tested without events/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from judging.sources import Candidate, EntryDetail, Member, ScopeInfo

SCOPE_ID = 1
OTHER_SCOPE_ID = 2


@dataclass
class MemorySource:
    scope_type: str = "event"
    source: str = "test.submission"
    scopes: dict[int, ScopeInfo] = field(default_factory=dict)
    items: dict[int, list[Candidate]] = field(default_factory=dict)
    blind_requests: list[bool] = field(default_factory=list)
    deadlines: dict[int, dt.datetime] = field(default_factory=dict)  # submissions close

    async def scope(self, scope_id: int) -> ScopeInfo | None:
        return self.scopes.get(scope_id)

    async def submissions_close(self, scope_id: int) -> dt.datetime | None:
        return self.deadlines.get(scope_id)

    async def candidates(self, scope_id: int) -> list[Candidate]:
        return list(self.items.get(scope_id, []))

    async def detail(self, source_id: int, *, blind: bool) -> EntryDetail:
        self.blind_requests.append(blind)
        found = next(c for items in self.items.values() for c in items if c.source_id == source_id)
        fields = [("Summary", f"Summary of {found.title_en}")]
        if not blind:
            fields += [
                ("Team", found.team_label),
                ("Members", ", ".join(m.name for m in found.members)),
            ]
        return EntryDetail(fields=fields, links=[("Video", f"https://video.example/{source_id}")])

    def add(self, scope_id: int, candidate: Candidate) -> Candidate:
        self.items.setdefault(scope_id, []).append(candidate)
        return candidate

    def withdraw(self, scope_id: int, source_id: int) -> None:
        self.items[scope_id] = [c for c in self.items[scope_id] if c.source_id != source_id]

    def rename(self, scope_id: int, source_id: int, title_en: str) -> None:
        self.items[scope_id] = [
            replace(c, title_en=title_en) if c.source_id == source_id else c
            for c in self.items[scope_id]
        ]


def member(email: str, name: str, language: str = "ar", organization: str = "") -> Member:
    return Member(email=email, language=language, name=name, organization=organization)


def candidate(
    source_id: int,
    *,
    track: str = "a",
    members: tuple[Member, ...] = (),
    organizations: tuple[str, ...] = (),
) -> Candidate:
    labels = {"a": ("الإعلام الرقمي", "Digital media"), "b": ("الصحافة", "Journalism")}
    return Candidate(
        source_id=source_id,
        title_ar=f"مبادرة {source_id}",
        title_en=f"Initiative {source_id}",
        group_key=track,
        group_label_ar=labels[track][0],
        group_label_en=labels[track][1],
        team_key=f"team-{source_id}",
        team_label=f"Team {source_id}",
        members=members
        or (
            member(
                f"captain{source_id}@team{source_id}.org",
                f"Captain {source_id}",
                "en" if source_id % 2 else "ar",
            ),
        ),
        organizations=organizations,
    )


def standard_source(entries: int = 6) -> MemorySource:
    """Two scopes; the first has ``entries`` candidates in two tracks."""
    source = MemorySource()
    source.scopes[SCOPE_ID] = ScopeInfo(
        "event",
        SCOPE_ID,
        "ميدياثون 2026",
        "Mediathon 2026",
        "Asia/Riyadh",
        "/events/mediathon-2026",
    )
    source.scopes[OTHER_SCOPE_ID] = ScopeInfo(
        "event", OTHER_SCOPE_ID, "ميدياثون 2025", "Mediathon 2025", "Asia/Riyadh"
    )
    for n in range(1, entries + 1):
        source.add(SCOPE_ID, candidate(100 + n, track="a" if n % 2 else "b"))
    return source
