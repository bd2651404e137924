"""What judging needs from the domain whose things are judged (a Mediathon submission today, an
award nomination next). A domain registers one source per scope type with judging, from its
plugin:

    sources.register(SubmissionSource())

Judging never imports that domain: it asks the source through this protocol.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Member:
    email: str
    language: str
    name: str
    organization: str = ""


@dataclass(frozen=True)
class ScopeInfo:
    """The event or award cycle that judging runs in."""

    scope_type: str
    scope_id: int
    title_ar: str
    title_en: str
    time_zone: str
    public_url: str = ""  # the public page of the event or cycle
    public: bool = True  # seen by everyone; False for a draft (then only its managers see it)


@dataclass(frozen=True)
class ScopeTitles:
    """Where a source's scopes are, for judging's own statements to read their titles with
    what else they read (a judge's queue): `select` answers exactly the columns `id`,
    `title_ar`, `title_en` and `time_zone` of every scope of `scope_type` (text written by
    the source's domain, no value in it). A source offers it as its `scope_titles`; one
    without it is asked through `scope`/`scope_infos`."""

    scope_type: str
    select: str


@dataclass(frozen=True)
class Candidate:
    """Something that can enter a judging round."""

    source_id: int  # the submission's or nomination's id in its own domain
    title_ar: str
    title_en: str
    group_key: str  # a track or category: shortlists and winners can be per group
    group_label_ar: str
    group_label_en: str
    team_key: str  # conflicts can name a team (or a nominee)
    team_label: str  # hidden from judges in a blind round
    members: tuple[Member, ...] = ()
    organizations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    """A group of candidates (a track, a category): a round, and a judge, can be for one."""

    key: str
    label_ar: str
    label_en: str


@dataclass(frozen=True)
class EntryDetail:
    """What a judge reads while scoring (team fields are left out in a blind round)."""

    fields: list[tuple[str, str]] = field(default_factory=list)  # (translated label, text)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    files: list[Any] = field(default_factory=list)  # core.storage.StoredFile rows


class EntrySource(Protocol):
    scope_type: str
    source: str  # e.g. "events.submission"

    async def scope(self, scope_id: int) -> ScopeInfo | None: ...

    async def candidates(self, scope_id: int) -> list[Candidate]: ...

    async def detail(self, source_id: int, *, blind: bool) -> EntryDetail: ...

    async def submissions_close(self, scope_id: int) -> dt.datetime | None:
        """When the scope stops taking entries (None: it has no such deadline). Scoring does
        not open before it without the organizer's explicit, audited override."""
        ...


async def groups_of(source: EntrySource, scope_id: int) -> list[Group]:
    """The scope's groups: what the source names with an optional ``groups(scope_id)``
    (groups may exist before anything is in them), else those of its candidates."""
    named = getattr(source, "groups", None)
    if named is not None:
        return list(await named(scope_id))
    found: dict[str, Group] = {}
    for c in await source.candidates(scope_id):
        if c.group_key and c.group_key not in found:
            found[c.group_key] = Group(c.group_key, c.group_label_ar, c.group_label_en)
    return list(found.values())


async def scopes_of(source: EntrySource, scope_ids: Collection[int]) -> dict[int, ScopeInfo]:
    """Several scopes of one source, by id (those it no longer knows left out): what the
    source reads at once with an optional ``scope_infos(scope_ids)``, else one ``scope`` each."""
    if not scope_ids:
        return {}
    many = getattr(source, "scope_infos", None)
    if many is not None:
        return dict(await many(scope_ids))
    found = {}
    for scope_id in scope_ids:
        info = await source.scope(scope_id)
        if info is not None:
            found[scope_id] = info
    return found


class Sources:
    """The entry sources registered with judging, one per scope type."""

    def __init__(self) -> None:
        self._by_scope: dict[str, EntrySource] = {}

    def register(self, source: EntrySource) -> None:
        self._by_scope[source.scope_type] = source

    def get(self, scope_type: str) -> EntrySource | None:
        return self._by_scope.get(scope_type)

    def scope_tables(self) -> tuple[ScopeTitles, ...]:
        """The ScopeTitles of the sources registered now that offer one."""
        found = (getattr(source, "scope_titles", None) for source in self._by_scope.values())
        return tuple(titles for titles in found if isinstance(titles, ScopeTitles))

    @contextmanager
    def replaced(self, source: EntrySource) -> Iterator[EntrySource]:
        """Another source for the same scope type while the block runs (tests use it)."""
        before = self._by_scope.get(source.scope_type)
        self._by_scope[source.scope_type] = source
        try:
            yield source
        finally:
            if before is None:
                self._by_scope.pop(source.scope_type, None)
            else:
                self._by_scope[source.scope_type] = before


sources = Sources()
