"""What a nominator reads of their own nominations: the list on "my nominations" (drafts they
started, and every nomination crediting them), one nomination with who may do what to it, its
versions, files, rulings and appeal; taking a file off a draft; and who may download a
nomination's files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import User
from awards.enums import NominationState
from awards.models import (
    Appeal,
    Category,
    Cycle,
    Nomination,
    NominationCredit,
    NominationFile,
    NominationVersion,
    ScreeningReason,
    ScreeningRuling,
)
from awards.rules import NominationAccess
from awards.services.common import require_nominations_open
from core import permissions, sql
from core.clock import now
from core.errors import Conflict, NotFound
from core.i18n import gettext as _
from core.storage import StoredFile, delete_file

FILE_PURPOSE = "awards.nomination"


def latest_ruling(nomination: Nomination) -> ScreeningRuling | None:
    """The newest ruling of a nomination whose rulings are loaded."""
    rulings = list(nomination.rulings)
    return max(rulings, key=lambda r: (r.ruled_at, r.id)) if rulings else None


def appeal_of(nomination: Nomination) -> Appeal | None:
    """The nomination's appeal (there is at most one), of a nomination whose appeals are
    loaded."""
    appeals = list(nomination.appeals)
    return appeals[0] if appeals else None


@dataclass(frozen=True)
class MyNomination:
    """A nomination as "my nominations" lists it (cycle and category loaded), with its latest
    ruling (its reason loaded), its appeal and whether it is on a shortlist."""

    nomination: Nomination
    ruling: ScreeningRuling | None
    appeal: Appeal | None
    shortlist: str | None  # as shortlist_status says


def as_listed(nomination: Nomination) -> MyNomination:
    """A nomination loaded with its rulings, appeals and shortlist places (`nomination()`),
    as "my nominations" lists it."""
    return MyNomination(
        nomination, latest_ruling(nomination), appeal_of(nomination), shortlist_status(nomination)
    )


# "My nominations" is every nominator's page: its reads are written once here (core/sql.py)
# instead of built by the ORM on each visit (a query and three prefetches), into the same model
# instances.
_MINE = """
    SELECT n.id FROM awards_nomination n
    WHERE n.state <> ? AND (
      n.id IN (SELECT c.nomination_id FROM awards_nomination_credit c WHERE c.user_id = ?)
      OR (n.created_by_id = ? AND n.state = ?))"""
MY_NOMINATIONS = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(Nomination, "n")}, {sql.columns(Cycle, "y")},
           {sql.columns(Category, "k")}
    FROM awards_nomination n JOIN awards_cycle y ON y.id = n.cycle_id
      JOIN awards_category k ON k.id = n.category_id
    WHERE n.id IN ({_MINE}) ORDER BY n.id DESC"""  # noqa: S608
    )
)
MY_RULINGS = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(ScreeningRuling, "r")}, {sql.columns(ScreeningReason, "s")}
    FROM awards_screening_ruling r LEFT JOIN awards_screening_reason s ON s.id = r.reason_id
    WHERE r.nomination_id IN ({_MINE})"""  # noqa: S608
    )
)
MY_APPEALS = sql.Statement(
    lambda: (
        f"""
    SELECT {sql.columns(Appeal, "a")} FROM awards_appeal a
    WHERE a.nomination_id IN ({_MINE}) ORDER BY a.filed_at, a.id"""  # noqa: S608
    )
)
MY_SHORTLISTED = sql.Statement(
    f"""
    SELECT DISTINCT l.nomination_id AS nomination_id FROM awards_shortlisted_nomination l
    WHERE l.nomination_id IN ({_MINE})"""  # noqa: S608
)


async def my_nominations(user: User) -> list[MyNomination]:
    """The drafts `user` started and every nomination crediting them (a nomination merged into
    another shows that one), newest first, with cycle, category, latest ruling and appeal: four
    statements whatever their number."""
    mine = [
        NominationState.MERGED.value,
        user.id,
        user.id,
        NominationState.DRAFT.value,
    ]
    found = await sql.rows(MY_NOMINATIONS, mine)
    if not found:
        return []
    rulings: dict[int, ScreeningRuling] = {}
    for row in await sql.rows(MY_RULINGS, mine):
        ruling = sql.hydrate(ScreeningRuling, row, "r")
        assert ruling is not None
        sql.attach(ruling, "reason", sql.hydrate(ScreeningReason, row, "s"))
        latest = rulings.get(ruling.nomination_id)
        if latest is None or (ruling.ruled_at, ruling.id) > (latest.ruled_at, latest.id):
            rulings[ruling.nomination_id] = ruling
    appeals: dict[int, Appeal] = {}
    for row in await sql.rows(MY_APPEALS, mine):
        appeal = sql.hydrate(Appeal, row, "a")
        assert appeal is not None
        appeals.setdefault(appeal.nomination_id, appeal)
    shortlisted = {row["nomination_id"] for row in await sql.rows(MY_SHORTLISTED, mine)}
    cycles: dict[int, Cycle] = {}
    categories: dict[int, Category] = {}
    listed = []
    for row in found:
        nomination = sql.hydrate(Nomination, row, "n")
        assert nomination is not None
        cycle = cycles.get(nomination.cycle_id) or sql.hydrate(Cycle, row, "y")
        category = categories.get(nomination.category_id) or sql.hydrate(Category, row, "k")
        assert cycle is not None and category is not None
        cycles[cycle.id], categories[category.id] = cycle, category
        sql.attach(nomination, "cycle", cycle)
        sql.attach(nomination, "category", category)
        listed.append(
            MyNomination(
                nomination,
                rulings.get(nomination.id),
                appeals.get(nomination.id),
                _shortlist(nomination, nomination.id in shortlisted),
            )
        )
    return listed


def _shortlist(nomination: Nomination, shortlisted: bool) -> str | None:
    if nomination.cycle.shortlist_published_at is None:
        return None
    if shortlisted:
        return "shortlisted"
    return "not_shortlisted" if nomination.state == NominationState.ELIGIBLE else None


def shortlist_status(nomination: Nomination) -> str | None:
    """ "shortlisted" or "not_shortlisted" once the cycle's shortlist is published (for a
    nomination that was in the race), else None (`shortlisted` loaded by my_nominations)."""
    if nomination.cycle.shortlist_published_at is None:
        return None
    if list(nomination.shortlisted):
        return "shortlisted"
    return "not_shortlisted" if nomination.state == NominationState.ELIGIBLE else None


def access_for(user: User, nomination: Nomination) -> NominationAccess:
    """The access of a nomination listed by `my_nominations` (its reader is a nominator)."""
    return NominationAccess(nomination.cycle, nomination, frozenset({user.id}))


async def access(nomination: Nomination) -> NominationAccess:
    """A nomination (with its cycle loaded) and every nominator: those credited, and the one
    who started it (a draft has no credit yet)."""
    ids = await NominationCredit.filter(nomination_id=nomination.id).values_list(
        "user_id", flat=True
    )
    return NominationAccess(
        nomination.cycle, nomination, frozenset({*ids, nomination.created_by_id})
    )


async def nomination(nomination_id: int) -> Nomination | None:
    """One nomination with its cycle, category, rulings with reasons and appeal."""
    return (
        await Nomination.filter(id=nomination_id)
        .select_related("cycle", "category")
        .prefetch_related("rulings__reason", "appeals")
        .first()
    )


async def versions(nomination: Nomination) -> list[NominationVersion]:
    return list(
        await NominationVersion.filter(nomination_id=nomination.id)
        .order_by("-number")
        .select_related("author")
    )


async def files(nomination: Nomination) -> list[NominationFile]:
    return list(
        await NominationFile.filter(nomination_id=nomination.id)
        .order_by("created_at", "id")
        .select_related("file")
    )


async def credited(nomination: Nomination) -> list[NominationCredit]:
    return list(
        await NominationCredit.filter(nomination_id=nomination.id)
        .order_by("created_at", "id")
        .select_related("user")
    )


async def may_download(user: Any, stored: StoredFile) -> bool:
    """A nomination's file, to its nominators and the cycle's organizers."""
    if user is None:
        return False
    link = await NominationFile.get_or_none(file_id=stored.id).select_related("nomination")
    if link is None:
        return False
    row = link.nomination
    row.cycle = await Cycle.get(id=row.cycle_id)
    return permissions.allowed(user, "awards.nomination_view", await access(row))


async def remove_draft_file(
    directory: Path, user: User, nomination: Nomination, link_id: int
) -> None:
    """Take a file off a draft, by the person who started it, until the deadline. A submitted
    nomination keeps its files: each version's fingerprint covers them."""
    async with in_transaction():
        cycle = await Cycle.get(id=nomination.cycle_id)
        require_nominations_open(cycle, now())
        row = await Nomination.select_for_update().get(id=nomination.id)
        if row.created_by_id != user.id:
            raise NotFound(_("This nomination does not exist or is not yours."))
        if row.state != NominationState.DRAFT:
            raise Conflict(
                _("A submitted nomination keeps its files: you can add files, not remove them.")
            )
        link = await NominationFile.get_or_none(id=link_id, nomination_id=row.id).select_related(
            "file"
        )
        if link is None:
            raise NotFound(_("This file does not exist or is not available to you."))
        await link.delete()
        await delete_file(directory, link.file)


FILE_POLICIES = {FILE_PURPOSE: may_download}
