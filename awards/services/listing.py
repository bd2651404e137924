"""What the organizer reads of a cycle's nominations: the list (search, filters, pages), its CSV
export, one nomination with everything that happened to it, and the screening dashboard.

Every list runs a fixed number of queries whatever its length: one count and one page of rows
with their category and creator joined, then one query for the page's nominators. The
"likely duplicates" filter adds one query (the cycle's nominations in the race, matched by
`awards.services.duplicates`). A list page and its CSV export read the same `ListFilter` and
run the same query, so the file holds exactly the rows the list shows, on every page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from accounts.models import NamedPerson
from awards.enums import NominationState, NomineeType
from awards.labels import NOMINEE_TYPES, label
from awards.models import (
    Appeal,
    Category,
    CategoryQuestion,
    Cycle,
    Nomination,
    NominationCredit,
    NominationFile,
    NominationMerge,
    NominationVersion,
    ScreeningRuling,
    of_cycle,
)
from awards.services import duplicates, screening
from core import answers
from core.audit import AuditEntry
from core.clock import now
from core.i18n import N_, localized
from core.i18n import gettext as _
from core.pagination import Page, paginate
from core.spreadsheet import to_csv

PAGE_SIZE = 50
SEARCH_MAX = 100
STATE_VALUES = tuple(s.value for s in NominationState)
NOMINEE_TYPE_VALUES = tuple(t.value for t in NomineeType)
# The names of a nomination's states as the organizer reads them (translated where shown).
STATES = {
    "draft": N_("Draft"),
    "awaiting_nominee": N_("Waiting for the nominee"),
    "submitted": N_("Waiting for a ruling"),
    "declined": N_("Declined by the nominee"),
    "eligible": N_("Eligible"),
    "ineligible": N_("Ineligible"),
    "merged": N_("Merged into another"),
}
RELATIONS = {
    "self": N_("Self-nomination"),
    "colleague": N_("A colleague"),
    "employer": N_("The employer"),
    "editor": N_("An editor"),
    "audience": N_("From the audience"),
    "other": N_("Other"),
}
APPEAL_STATES = {"pending": N_("Pending"), "upheld": N_("Upheld"), "dismissed": N_("Dismissed")}
RULINGS = {"eligible": N_("Eligible"), "ineligible": N_("Ineligible")}
MERGE_REASONS = {
    "same_email": N_("The same nominee e-mail"),
    "same_url": N_("The same link to the work"),
    "confirmed": N_("Confirmed by an organizer"),
}
# The order the dashboard's columns follow.
DASHBOARD_STATES = (
    "awaiting_nominee",
    "submitted",
    "eligible",
    "ineligible",
    "declined",
    "merged",
    "draft",
)


def clean_search(raw: str | None) -> str:
    return " ".join((raw or "").split())[:SEARCH_MAX]


@dataclass(frozen=True)
class ListFilter:
    """What the nominations list shows, read from its query string."""

    search: str = ""
    state: str = ""
    category: int | None = None
    nominee_type: str = ""
    duplicates: bool = False

    @classmethod
    def from_query(cls, q: Mapping[str, str]) -> ListFilter:
        raw_category = q.get("category", "")
        return cls(
            search=clean_search(q.get("q")),
            state=q.get("state", "") if q.get("state") in STATE_VALUES else "",
            category=(
                int(raw_category) if raw_category.isdigit() and len(raw_category) < 10 else None
            ),
            nominee_type=(
                q.get("nominee_type", "") if q.get("nominee_type") in NOMINEE_TYPE_VALUES else ""
            ),
            duplicates=q.get("duplicates") == "1",
        )

    def params(self) -> str:
        """The filter as query parameters ("q=...&state=..."), "" when none is set."""
        pairs = {
            "q": self.search,
            "state": self.state,
            "category": str(self.category) if self.category else "",
            "nominee_type": self.nominee_type,
            "duplicates": "1" if self.duplicates else "",
        }
        return urlencode({key: value for key, value in pairs.items() if value})

    def query_string(self) -> str:
        """The filter as the list's query string ("?q=..."), or "" when none is set."""
        params = self.params()
        return "?" + params if params else ""


async def flagged_duplicates(cycle: Cycle) -> dict[int, list[int]]:
    """Each nomination that looks like a duplicate of others in its category, with those."""
    found: dict[int, set[int]] = defaultdict(set)
    for pair in await duplicates.likely_duplicates(cycle):
        found[pair.first].add(pair.second)
        found[pair.second].add(pair.first)
    return {key: sorted(value) for key, value in found.items()}


def nomination_query(
    cycle: Cycle, f: ListFilter, flagged: Iterable[int] | None = None
) -> QuerySet[Nomination]:
    """The nominations a filter shows, newest first (their categories are the cycle's, read
    once: `categories`)."""
    query = of_cycle(Nomination, cycle)
    if f.search:
        s = f.search
        by_nominator = Subquery(
            NominationCredit.filter(
                Q(user__name_ar__icontains=s)
                | Q(user__name_en__icontains=s)
                | Q(user__email__icontains=s),
                nomination__cycle_id=cycle.id,
            ).values("nomination_id")
        )
        query = query.filter(
            Q(nominee_name_ar__icontains=s)
            | Q(nominee_name_en__icontains=s)
            | Q(nominee_email__icontains=s)
            | Q(nominee_organization__icontains=s)
            | Q(work_title__icontains=s)
            | Q(work_outlet__icontains=s)
            | Q(id__in=by_nominator)
        )
    if f.state:
        query = query.filter(state=f.state)
    if f.category:
        query = query.filter(category_id=f.category)
    if f.nominee_type:
        query = query.filter(category__nominee_type=f.nominee_type)
    if flagged is not None:
        query = query.filter(id__in=list(flagged))
    return query.order_by("-id")


async def _nominators(nomination_ids: list[int]) -> dict[int, list[NamedPerson]]:
    """The nominators of these nominations, in the order they were credited (one query)."""
    grouped: dict[int, list[NamedPerson]] = defaultdict(list)
    if not nomination_ids:
        return grouped
    rows = (
        await NominationCredit.filter(nomination_id__in=nomination_ids)
        .order_by("created_at", "id")
        .values_list("nomination_id", "user__name_ar", "user__name_en", "user__email")
    )
    for nomination_id, name_ar, name_en, email in rows:
        grouped[nomination_id].append(NamedPerson(name_ar or "", name_en or "", email or ""))
    return grouped


# What a list row shows of a nomination (the page reads only these columns).
ROW_FIELDS = (
    "id",
    "category_id",
    "state",
    "self_nomination",
    "nominee_name_ar",
    "nominee_name_en",
    "work_title",
    "work_outlet",
    "submitted_at",
)


@dataclass(frozen=True)
class ListedNomination:
    """A nomination as a list row shows it (ROW_FIELDS, read as plain values)."""

    id: int
    category_id: int
    state: str
    self_nomination: bool
    nominee_name_ar: str
    nominee_name_en: str
    work_title: str
    work_outlet: str
    submitted_at: dt.datetime | None


@dataclass(frozen=True)
class Listing:
    page: Page
    nominators: dict[int, list[NamedPerson]]
    duplicates: dict[int, list[int]]  # only filled when the list is filtered on them
    categories: dict[int, Category]


async def nominations(cycle: Cycle, f: ListFilter, number: int = 1) -> Listing:
    """A page of the cycle's nominations with their nominators and the cycle's categories
    (four queries, five with the likely duplicates)."""
    flagged = await flagged_duplicates(cycle) if f.duplicates else {}
    query = nomination_query(cycle, f, flagged if f.duplicates else None)
    found = await paginate(query, number, PAGE_SIZE, values=ROW_FIELDS)
    page = replace(found, items=[ListedNomination(**row) for row in found.items])
    nominators = await _nominators([n.id for n in page.items])
    return Listing(page, nominators, flagged, {c.id: c for c in await categories(cycle)})


async def categories(cycle: Cycle) -> list[Category]:
    return list(await of_cycle(Category, cycle).order_by("position", "id"))


def lapsed(cycle: Cycle, nomination: Nomination, moment: dt.datetime | None = None) -> bool:
    """Waiting on a nominee who can no longer accept: it will not be screened."""
    return (
        nomination.state == NominationState.AWAITING_NOMINEE
        and (moment or now()) >= cycle.acceptance_deadline
    )


def acceptance_state(cycle: Cycle, nomination: Nomination) -> str:
    """Where the nominee's answer stands, in words."""
    if nomination.self_nomination:
        return _("A self-nomination: nothing to accept")
    if nomination.accepted_at is not None:
        return _("Accepted")
    if nomination.declined_at is not None:
        return _("Declined")
    if nomination.state == NominationState.DRAFT:
        return _("Not asked yet: the nomination is a draft")
    if lapsed(cycle, nomination):
        return _("Not accepted in time: it will not be screened")
    return _("Waiting for the nominee's answer")


# --- CSV export ----------------------------------------------------------------------------


def _local(value: dt.datetime | None, cycle: Cycle) -> dt.datetime | None:
    return value.astimezone(ZoneInfo(cycle.time_zone)) if value else None


async def export(cycle: Cycle, f: ListFilter) -> bytes:
    """Every nomination the filtered list shows (all its pages), written by core.spreadsheet:
    times in the cycle's time zone, names in the reader's language where the organizer wrote
    both."""
    flagged = await flagged_duplicates(cycle) if f.duplicates else None
    rows = list(await nomination_query(cycle, f, flagged))
    credits = await _nominators([n.id for n in rows])
    by_id = {c.id: c for c in await categories(cycle)}
    asked = await _questions_of({n.category_id for n in rows}, by_id)
    header = [
        _("Number"),
        _("Category"),
        _("Nominee type"),
        _("Nominee (Arabic)"),
        _("Nominee (English)"),
        _("Nominee's e-mail"),
        _("Nominee's outlet or organization"),
        _("Self-nomination"),
        _("Work title"),
        _("Outlet"),
        _("Published on"),
        _("Links"),
        _("State"),
        _("Nominee's answer"),
        _("Nominators"),
        _("Nominators' e-mails"),
        _("First submitted"),
        _("Versions"),
        _("Fingerprint (SHA-256)"),
        *[title for _q, title in asked],
    ]
    body = [
        [
            n.id,
            localized(by_id[n.category_id], "name"),
            label(NOMINEE_TYPES, by_id[n.category_id].nominee_type),
            n.nominee_name_ar,
            n.nominee_name_en,
            n.nominee_email,
            n.nominee_organization,
            _("Yes") if n.self_nomination else _("No"),
            n.work_title,
            n.work_outlet,
            n.work_published_on,
            " ".join(n.work_links or []),
            label(STATES, n.state),
            acceptance_state(cycle, n),
            "; ".join(c.display_name for c in credits.get(n.id, [])),
            "; ".join(c.email for c in credits.get(n.id, [])),
            _local(n.submitted_at, cycle),
            n.version_count,
            n.fingerprint,
            *[
                answers.display(q, (n.answers or {}).get(str(q.id)))
                if q.category_id == n.category_id
                else ""
                for q, _title in asked
            ],
        ]
        for n in rows
    ]
    return to_csv(header, body)


async def _questions_of(
    category_ids: set[int], by_id: Mapping[int, Category]
) -> list[tuple[CategoryQuestion, str]]:
    """The questions of the exported categories, each with its column's title (its category's
    name before it when the export spans several categories), in the categories' order."""
    found = list(await CategoryQuestion.filter(category_id__in=category_ids))
    found.sort(key=lambda q: (by_id[q.category_id].position, q.category_id, q.position, q.id))
    several = len(category_ids) > 1
    return [
        (
            q,
            f"{localized(by_id[q.category_id], 'name')}: {localized(q, 'label')}"
            if several
            else localized(q, "label"),
        )
        for q in found
    ]


# --- one nomination ------------------------------------------------------------------------


@dataclass
class Detail:
    nomination: Nomination
    credits: list[NominationCredit]
    versions: list[NominationVersion]
    files: list[NominationFile]
    rulings: list[ScreeningRuling]
    appeals: list[Appeal]
    merges: list[NominationMerge]
    history: list[AuditEntry]


async def detail(cycle: Cycle, nomination_id: int) -> Detail | None:
    """One nomination of the cycle with its nominators, versions, files, rulings, appeals,
    merges (kept or merged) and its audit entries, newest last."""
    nomination = (
        await of_cycle(Nomination, cycle)
        .get_or_none(id=nomination_id)
        .select_related("category", "created_by", "nominee_user", "merged_into")
    )
    if nomination is None:
        return None
    credits = list(
        await NominationCredit.filter(nomination_id=nomination.id)
        .select_related("user", "source")
        .order_by("created_at", "id")
    )
    appeals = list(
        await Appeal.filter(nomination_id=nomination.id)
        .select_related("filed_by", "decided_by")
        .order_by("filed_at", "id")
    )
    merges = list(
        await of_cycle(NominationMerge, cycle)
        .filter(Q(kept_id=nomination.id) | Q(merged_id=nomination.id))
        .select_related("kept", "merged", "merged_by", "undone_by")
        .order_by("merged_at", "id")
    )
    objects = (
        Q(object_type="Nomination", object_id=str(nomination.id))
        | Q(object_type="Appeal", object_id__in=[str(a.id) for a in appeals])
        | Q(object_type="NominationMerge", object_id__in=[str(m.id) for m in merges])
    )
    return Detail(
        nomination=nomination,
        credits=credits,
        versions=list(
            await NominationVersion.filter(nomination_id=nomination.id)
            .select_related("author")
            .order_by("-number")
        ),
        files=list(
            await NominationFile.filter(nomination_id=nomination.id)
            .select_related("file")
            .order_by("created_at", "id")
        ),
        rulings=list(
            await ScreeningRuling.filter(nomination_id=nomination.id)
            .select_related("reason", "ruled_by")
            .order_by("ruled_at", "id")
        ),
        appeals=appeals,
        merges=merges,
        history=list(await AuditEntry.filter(objects, scope_id=cycle.id).order_by("at", "id")),
    )


async def nomination_file(cycle: Cycle, nomination_id: int, file_id: int) -> NominationFile | None:
    """A file of a nomination of this cycle, with its stored file."""
    return (
        await NominationFile.filter(
            id=file_id, nomination_id=nomination_id, nomination__cycle_id=cycle.id
        )
        .select_related("file")
        .first()
    )


# --- the screening dashboard ---------------------------------------------------------------


@dataclass(frozen=True)
class DashboardRow:
    category: Category | None  # None: the total
    cells: dict[str, int]
    total: int


@dataclass(frozen=True)
class Dashboard:
    rows: list[DashboardRow]
    counts: screening.ScreeningCounts
    states: tuple[str, ...] = DASHBOARD_STATES


async def dashboard(cycle: Cycle) -> Dashboard:
    """Counts per category and state (from awards.services.screening.counts) and the total."""
    counts = await screening.counts(cycle)
    grid = counts.by_category_state
    rows = []
    for category in await categories(cycle):
        cells = {s: grid.get((category.id, s), 0) for s in DASHBOARD_STATES}
        rows.append(DashboardRow(category, cells, sum(cells.values())))
    totals = {s: sum(r.cells[s] for r in rows) for s in DASHBOARD_STATES}
    rows.append(DashboardRow(None, totals, sum(totals.values())))
    return Dashboard(rows, counts)
