"""Award nominations as judging entries (judging.sources.EntrySource for scope "award_cycle").

What the jury judges: the eligible nominations of a cycle (screened in; a nominee who did not
nominate themself has accepted, or the nomination would not have been screened), grouped by
category, each a "team" whose name is the nominee's. Conflicts are detected from the nominee's
and every credited nominator's outlet, organization and e-mail domain. In a blind round the
names of the nominee and of the nominators are left out of what a judge reads.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Collection
from typing import Any
from urllib.parse import quote

from accounts.enums import ScopeType
from accounts.models import User
from awards.enums import NominationState, Visibility
from awards.labels import EVIDENCE_FIELDS
from awards.models import Category, Cycle, Nomination, NominationCredit, NominationFile, of_cycle
from awards.services import questions
from core import answers, sql
from core.i18n import gettext as _
from core.i18n import localized
from core.storage import StoredFile
from judging.sources import Candidate, EntryDetail, Group, Member, ScopeInfo, ScopeTitles

SOURCE = "awards.nomination"


@functools.lru_cache(maxsize=32)
def _scopes(count: int) -> sql.Statement:
    """What judging shows of `count` cycles (NominationSource.scope_infos), as plain rows."""
    return sql.Statement(
        "SELECT id, name_ar, name_en, time_zone, slug, visibility FROM awards_cycle"  # noqa: S608
        f" WHERE id IN ({', '.join('?' * count)})"
    )


def group_key(category: Category | int) -> str:
    """The judging group of a category (a round or a judge for one category carries it)."""
    return str(category if isinstance(category, int) else category.id)


def nominee_name(nomination: Nomination) -> str:
    """The nominee's name in the page's language (the other one when it is missing)."""
    return localized(nomination, "nominee_name")


def title(nomination: Nomination) -> str:
    return nomination.work_title or nomination.nominee_name_ar or nomination.nominee_name_en


class NominationSource:
    scope_type = ScopeType.AWARD_CYCLE.value
    source = SOURCE
    scope_titles = ScopeTitles(
        ScopeType.AWARD_CYCLE.value,
        "SELECT id, name_ar AS title_ar, name_en AS title_en, time_zone FROM awards_cycle",
    )

    async def scope(self, scope_id: int) -> ScopeInfo | None:
        return (await self.scope_infos([scope_id])).get(scope_id)

    async def scope_infos(self, scope_ids: Collection[int]) -> dict[int, ScopeInfo]:
        """Several cycles by id in one hand-written statement (judging.sources.scopes_of)."""
        ids = list(scope_ids)
        return {
            row["id"]: ScopeInfo(
                scope_type=self.scope_type,
                scope_id=row["id"],
                title_ar=row["name_ar"],
                title_en=row["name_en"],
                time_zone=row["time_zone"],
                public_url="/awards/" + quote(row["slug"]),
                public=row["visibility"] == Visibility.PUBLISHED.value,
            )
            for row in await sql.rows(_scopes(len(ids)), ids)
        }

    async def submissions_close(self, scope_id: int) -> dt.datetime | None:
        """Which nominations are eligible is settled once appeals close."""
        cycle = await Cycle.get_or_none(id=scope_id).only("id", "appeals_close")
        return cycle.appeals_close if cycle else None

    async def groups(self, scope_id: int) -> list[Group]:
        return [
            Group(group_key(c), c.name_ar, c.name_en)
            for c in await of_cycle(Category, scope_id).order_by("position", "id")
        ]

    async def candidates(self, scope_id: int) -> list[Candidate]:
        """Every eligible nomination of the cycle, with its nominee and nominators (three
        queries whatever their number)."""
        rows = list(
            await of_cycle(Nomination, scope_id)
            .filter(state=NominationState.ELIGIBLE, declined_at__isnull=True)
            .select_related("category")
            .order_by("category__position", "id")
        )
        nominators = await _nominators([n.id for n in rows])
        return [_candidate(n, nominators[n.id]) for n in rows]

    async def detail(self, source_id: int, *, blind: bool) -> EntryDetail:
        nomination = await Nomination.get_or_none(id=source_id).select_related("category")
        if nomination is None:
            return EntryDetail()
        fields = [(_("Category"), localized(nomination.category, "name"))]
        fields += [
            (_(EVIDENCE_FIELDS[name]).capitalize(), text)
            for name, text in (
                ("work_title", nomination.work_title),
                ("work_outlet", nomination.work_outlet),
                (
                    "work_published_on",
                    nomination.work_published_on.isoformat()
                    if nomination.work_published_on
                    else "",
                ),
                ("statement", nomination.statement),
            )
            if text
        ]
        # the category's own questions, answered by the nominator (no names in them)
        for question in await questions.of_category(nomination.category_id):
            text = answers.display(question, (nomination.answers or {}).get(str(question.id)))
            if text:
                fields.append((localized(question, "label"), text))
        if not blind:
            fields += await _people_fields(nomination)
        links = [(_("Link %(n)s", n=n), url) for n, url in enumerate(nomination.work_links, 1)]
        file_ids = await NominationFile.filter(nomination_id=source_id).values_list(
            "file_id", flat=True
        )
        files = (
            list(await StoredFile.filter(id__in=list(file_ids)).order_by("original_name"))
            if file_ids
            else []
        )
        return EntryDetail(fields=fields, links=links, files=files)


async def _nominators(nomination_ids: list[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    if not nomination_ids:
        return found
    for credit in (
        await NominationCredit.filter(nomination_id__in=nomination_ids)
        .select_related("user")
        .order_by("created_at", "id")
    ):
        found[credit.nomination_id].append(credit.user)  # type: ignore[attr-defined]
    return found


def _candidate(nomination: Nomination, nominators: list[User]) -> Candidate:
    category = nomination.category
    nominee = Member(
        email=nomination.nominee_email,
        language=nomination.nominee_language,
        name=nomination.nominee_name_ar or nomination.nominee_name_en,
        organization=nomination.nominee_organization,
    )
    people = [nominee] if nomination.nominee_email else []
    emails = {nomination.nominee_email.lower()}
    for user in nominators:
        if user.email.lower() not in emails:
            emails.add(user.email.lower())
            people.append(
                Member(
                    email=user.email,
                    language=user.language,
                    name=user.display_name,
                    organization=user.organization,
                )
            )
    organizations = {
        value.strip()
        for value in (
            nomination.nominee_organization,
            nomination.work_outlet,
            *(u.organization for u in nominators),
        )
        if value and value.strip()
    }
    return Candidate(
        source_id=nomination.id,
        title_ar=title(nomination),
        title_en=title(nomination),
        group_key=group_key(category),
        group_label_ar=category.name_ar,
        group_label_en=category.name_en,
        team_key=f"nominee:{nomination.id}",
        team_label=" / ".join(
            dict.fromkeys(n for n in (nomination.nominee_name_ar, nomination.nominee_name_en) if n)
        ),
        members=tuple(people),
        organizations=tuple(sorted(organizations)),
    )


async def _people_fields(nomination: Nomination) -> list[tuple[str, str]]:
    credits = await NominationCredit.filter(nomination_id=nomination.id).select_related("user")
    names: list[Any] = [c.user.display_name for c in credits]
    rows = [
        (_("Nominee"), nominee_name(nomination)),
        (_("Nominee's outlet or organization"), nomination.nominee_organization),
        (_("Nominated by"), "، ".join(names)),
    ]
    return [(label, text) for label, text in rows if text]
