"""The jury and the shortlist of a cycle: each category's jury round (judging's, one round per
category), its judges and scoring progress; the top N of the round's results (under the
round's method: calibrated when the organizer chose so) approved per category; publishing the
cycle's shortlist, with a mail to every nominator and nominee on it in their language.

Nothing here is public before `Cycle.shortlist_published_at`: `published_shortlist` returns
None until then.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import Someone, User
from awards.models import (
    Category,
    Cycle,
    Nomination,
    NominationCredit,
    ShortlistedNomination,
    of_cycle,
)
from awards.services import shortlist_cache
from awards.services.common import Links, cycle_name, mail_name, scope
from awards.services.entry_source import SOURCE, group_key
from core import audit
from core.clock import now
from core.errors import Conflict
from core.i18n import gettext as _
from core.i18n import localized
from core.mail import outbox
from core.settings import Settings
from judging.enums import RoundState
from judging.services import judges as judges_service
from judging.services import rounds as rounds_service
from judging.services import scoring_progress, shortlisting

CITATION_MAX = 280


@dataclass
class CategoryJury:
    """One category's jury as the organizer follows it."""

    category: Category
    round: Any = None  # the category's latest judging round, if any
    round_state: str = ""
    judges: int = 0  # accepted judges for this category (or for every category)
    assigned: int = 0
    submitted: int = 0
    shortlist: list[ShortlistedNomination] = field(default_factory=list)

    @property
    def approved(self) -> bool:
        return self.category.shortlist_approved_at is not None

    @property
    def scoring_ready(self) -> bool:
        return self.round is not None and self.round_state in {
            RoundState.CLOSED.value,
            RoundState.PUBLISHED.value,
        }


def citation(statement: str) -> str:
    """A short citation from the nominator's statement: its first paragraph, cut at a word."""
    text = " ".join(statement.strip().split("\n", 1)[0].split())
    if len(text) <= CITATION_MAX:
        return text
    cut = text[:CITATION_MAX].rsplit(" ", 1)[0]
    return cut + "…"


async def category_round(cycle: Cycle, category: Category) -> Any:
    """The category's jury round: the latest round of the cycle for this category."""
    key = group_key(category)
    rounds = [r for r in await rounds_service.scope_rounds(*scope(cycle)) if r.group_key == key]
    return rounds[-1] if rounds else None


async def jury_overview(cycle: Cycle) -> list[CategoryJury]:
    """Every category with its round, judges, scoring progress and shortlist."""
    categories = list(await of_cycle(Category, cycle).order_by("position", "id"))
    rounds = await rounds_service.scope_rounds(*scope(cycle))
    judges = await judges_service.accepted_judges(*scope(cycle))
    listed = await _shortlisted(categories)
    moment = now()
    found = []
    for category in categories:
        key = group_key(category)
        row = CategoryJury(category, shortlist=listed[category.id])
        row.judges = sum(1 for j in judges if j.group_key in ("", key))
        mine = [r for r in rounds if r.group_key == key]
        if mine:
            row.round = mine[-1]
            row.round_state = row.round.effective_state(moment).value
            progress = await scoring_progress.progress(row.round)
            row.assigned = sum(j.assigned for j in progress.judges)
            row.submitted = sum(j.submitted for j in progress.judges)
        found.append(row)
    return found


async def _shortlisted(categories: list[Category]) -> dict[int, list[ShortlistedNomination]]:
    found: dict[int, list[ShortlistedNomination]] = defaultdict(list)
    if categories:
        for row in (
            await ShortlistedNomination.filter(category_id__in=[c.id for c in categories])
            .select_related("nomination")
            .order_by("rank", "id")
        ):
            found[row.category_id].append(row)  # type: ignore[attr-defined]
    return found


def _refuse_if_published(cycle: Cycle) -> None:
    if cycle.shortlist_published_at is not None:
        raise Conflict(_("The shortlist is already published: it can no longer change."))


async def approve(actor: Someone, cycle: Cycle, category: Category) -> list[ShortlistedNomination]:
    """Approve the category's shortlist: the top N (its shortlist size; ties on the last
    place all go) of its jury round's results, which must be closed."""
    _refuse_if_published(cycle)
    round_ = await category_round(cycle, category)
    if round_ is None:
        raise Conflict(_("This category has no jury round yet."))
    top = await shortlisting.top_entries(round_, category.shortlist_size)
    ids = [entry.source_id for entry, _ranked in top if entry.source == SOURCE]
    nominations = {
        n.id: n for n in await of_cycle(Nomination, cycle).filter(id__in=ids, category=category)
    }
    if not nominations:
        raise Conflict(_("The jury round has no scored nomination to shortlist."))
    async with in_transaction():
        await ShortlistedNomination.filter(category=category).delete()
        rows = [
            await ShortlistedNomination.create(
                category=category,
                nomination=nominations[entry.source_id],
                rank=ranked.rank,
                score=ranked.value,
                citation=citation(nominations[entry.source_id].statement),
            )
            for entry, ranked in top
            if entry.source_id in nominations
        ]
        category.shortlist_round_id = round_.id
        category.shortlist_approved_at = now()
        await category.save(update_fields=["shortlist_round_id", "shortlist_approved_at"])
        await audit.record(
            actor,
            "awards.shortlist_approve",
            category,
            scope=scope(cycle),
            after={"round": round_.id, "nominations": [r.nomination_id for r in rows]},  # type: ignore[attr-defined]
        )
    return rows


async def withdraw_approval(actor: Someone, cycle: Cycle, category: Category) -> None:
    """Take back a category's approval (before the shortlist is published)."""
    _refuse_if_published(cycle)
    async with in_transaction():
        await ShortlistedNomination.filter(category=category).delete()
        category.shortlist_approved_at = None
        await category.save(update_fields=["shortlist_approved_at"])
        await audit.record(actor, "awards.shortlist_withdraw", category, scope=scope(cycle))


async def publish(actor: Someone, cycle: Cycle, settings: Settings) -> int:
    """Publish the approved categories' shortlists, and tell every nominator and nominee on
    them, in their language. Returns how many nominations are on the shortlist."""
    _refuse_if_published(cycle)
    categories = {
        c.id: c for c in await of_cycle(Category, cycle).filter(shortlist_approved_at__isnull=False)
    }
    rows = (
        list(
            await ShortlistedNomination.filter(category_id__in=list(categories))
            .select_related("nomination")
            .order_by("category_id", "rank")
        )
        if categories
        else []
    )
    if not rows:
        raise Conflict(_("Approve the shortlist of at least one category first."))
    async with in_transaction():
        cycle.shortlist_published_at = now()
        await cycle.save(update_fields=["shortlist_published_at"])
        await audit.record(
            actor,
            "awards.shortlist_publish",
            cycle,
            scope=scope(cycle),
            after={"nominations": [r.nomination_id for r in rows]},  # type: ignore[attr-defined]
        )
        await _tell(cycle, categories, rows, Links(settings.base_url))
    shortlist_cache.changed()
    outbox.wake()
    return len(rows)


async def _tell(
    cycle: Cycle,
    categories: dict[int, Category],
    rows: list[ShortlistedNomination],
    links: Links,
) -> None:
    credits: dict[int, list[User]] = defaultdict(list)
    for credit in await NominationCredit.filter(
        nomination_id__in=[r.nomination.id for r in rows]
    ).select_related("user"):
        credits[credit.nomination_id].append(credit.user)  # type: ignore[attr-defined]
    url = links.build("/awards/{slug}/shortlist", slug=cycle.slug)
    sent: set[tuple[str, int]] = set()
    for row in rows:
        nomination = row.nomination
        category = categories[row.category_id]  # type: ignore[attr-defined]
        people = [(nomination.nominee_email, nomination.nominee_language, "", True)] + [
            (u.email, u.language, mail_name(u), False) for u in credits[nomination.id]
        ]
        for email, lang, name, nominee in people:
            key = (email.lower(), nomination.id)
            if not email or key in sent:
                continue
            sent.add(key)
            await outbox.queue(
                email,
                "awards/shortlisted",
                lang,
                name=name or localized(nomination, "nominee_name", lang),
                nominee_mail=nominee,
                nominee=localized(nomination, "nominee_name", lang),
                work_title=nomination.work_title,
                category_name=localized(category, "name", lang),
                cycle_name=cycle_name(cycle, lang),
                url=url,
            )


@dataclass(frozen=True)
class PublishedCategory:
    category: Category
    nominations: list[ShortlistedNomination]


async def published_shortlist(cycle: Cycle) -> list[PublishedCategory] | None:
    """The published shortlist per category, in the cycle's order (None until published)."""
    if cycle.shortlist_published_at is None or not cycle.published:
        return None
    categories = list(
        await of_cycle(Category, cycle)
        .filter(shortlist_approved_at__isnull=False)
        .order_by("position", "id")
    )
    listed = await _shortlisted(categories)
    return [PublishedCategory(c, listed[c.id]) for c in categories if listed[c.id]]
