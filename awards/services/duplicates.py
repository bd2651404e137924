"""Duplicate nominations: the keys that merge automatically (the same nominee e-mail, the same
canonical work URL, in one category), likely duplicates offered to the organizer, and merges
that are audited and can be undone until screening ends.

Matching itself belongs to the pure module `awards.matching`; `likely_duplicates` passes it
plain `NominationFacts` through `_match`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from accounts.models import Someone, User
from awards import matching
from awards.enums import IN_RACE, MergeReason, NominationState
from awards.models import (
    Category,
    Cycle,
    DuplicateDismissal,
    Nomination,
    NominationCredit,
    NominationMerge,
    NomineeClaim,
    of_cycle,
)
from awards.services.common import Links, PhaseClosed, scope, when
from core import audit
from core.clock import now
from core.errors import Conflict, Invalid
from core.i18n import gettext as _
from core.mail import outbox
from core.settings import Settings


@dataclass(frozen=True)
class NominationFacts:
    """What matching needs of a nomination, as plain data."""

    id: int
    category_id: int
    names: tuple[str, ...]
    titles: tuple[str, ...]
    email: str
    outlet: str
    published: str  # ISO date, "" when unknown
    urls: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    """Two nominations of one category that look like the same nominee or work."""

    first: int
    second: int
    reasons: tuple[str, ...]


def canonical_email(email: str) -> str:
    return email.strip().lower()


def canonical_url(url: str) -> str:
    return matching.canonical_url(url)


def claim_keys(nomination: Nomination) -> list[str]:
    """The keys under which a submitted nomination is unique in its category."""
    keys = (
        [f"email:{canonical_email(nomination.nominee_email)}"] if nomination.nominee_email else []
    )
    urls = {canonical_url(u) for u in nomination.work_links or [] if u.strip()}
    keys.extend(f"url:{u}"[:400] for u in sorted(urls))
    return keys


def reason_of(key: str) -> MergeReason:
    return MergeReason.SAME_EMAIL if key.startswith("email:") else MergeReason.SAME_URL


def facts(nomination: Nomination) -> NominationFacts:
    published = nomination.work_published_on
    return NominationFacts(
        id=nomination.id,
        category_id=nomination.category_id,
        names=tuple(n for n in (nomination.nominee_name_ar, nomination.nominee_name_en) if n),
        titles=(nomination.work_title,) if nomination.work_title else (),
        email=nomination.nominee_email,
        outlet=nomination.work_outlet,
        published=published.isoformat() if published else "",
        urls=tuple(nomination.work_links or ()),
    )


def _match(items: Sequence[NominationFacts]) -> list[Pair]:
    """Pairs within one category, as awards.matching finds them."""
    found = matching.find_duplicates(
        [
            matching.Nomination(
                id=str(f.id),
                names=f.names,
                titles=f.titles,
                email=f.email,
                outlet=f.outlet,
                published=f.published,
                urls=f.urls,
            )
            for f in items
        ]
    )
    pairs = [
        Pair(int(a), int(b), group.reasons)
        for group in found.exact
        for a, b in itertools.combinations(group.ids, 2)
    ]
    pairs.extend(Pair(int(p.first), int(p.second), p.reasons) for p in found.likely)
    return pairs


async def likely_duplicates(cycle: Cycle) -> list[Pair]:
    """Nominations in the race that look like duplicates, per category, for the organizer;
    a pair the organizer rejected is not offered again."""
    rows = await of_cycle(Nomination, cycle).filter(state__in=IN_RACE).order_by("id")
    per_category: dict[int, list[NominationFacts]] = defaultdict(list)
    for row in rows:
        per_category[row.category_id].append(facts(row))
    rejected = set(await of_cycle(DuplicateDismissal, cycle).values_list("one_id", "other_id"))
    return [
        pair
        for items in per_category.values()
        for pair in _match(items)
        if _ordered(pair.first, pair.second) not in rejected
    ]


@dataclass(frozen=True)
class DuplicateReview:
    """What the organizer reviews: each likely pair with its two nominations, the nominators
    of those nominations, and the merges done (newest first) with who did and undid them."""

    pairs: list[tuple[Pair, Nomination, Nomination]]
    nominators: dict[int, list[User]]
    merges: list[NominationMerge]


async def review(cycle: Cycle) -> DuplicateReview:
    """Four queries whatever the number of pairs and merges."""
    pairs = await likely_duplicates(cycle)
    merges = list(
        await of_cycle(NominationMerge, cycle)
        .select_related("kept", "merged", "merged_by", "undone_by")
        .order_by("-merged_at", "-id")
    )
    wanted = {n for p in pairs for n in (p.first, p.second)}
    rows = {n.id: n for n in await of_cycle(Nomination, cycle).filter(id__in=wanted)}
    nominators: dict[int, list[User]] = defaultdict(list)
    for row in (
        await NominationCredit.filter(nomination_id__in=wanted)
        .select_related("user")
        .order_by("id")
    ):
        nominators[row.nomination_id].append(row.user)
    return DuplicateReview(
        [(p, rows[p.first], rows[p.second]) for p in pairs], dict(nominators), merges
    )


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


async def reject_duplicate(
    actor: Someone, cycle: Cycle, first_id: int, second_id: int
) -> DuplicateDismissal:
    """The organizer says two nominations offered as likely duplicates are not the same: the
    pair is not offered again. Audited; possible until screening ends, like a merge."""
    require_merge_window(cycle)
    one, other = _ordered(first_id, second_id)
    try:
        return await _dismiss(actor, cycle, one, other)
    except IntegrityError as exc:  # the same pair rejected twice at the same moment
        raise Conflict(_("This pair was already marked as not duplicates.")) from exc


async def _dismiss(actor: Someone, cycle: Cycle, one: int, other: int) -> DuplicateDismissal:
    async with in_transaction():
        rows = {n.id: n for n in await of_cycle(Nomination, cycle).filter(id__in=[one, other])}
        if one == other or len(rows) != 2:
            raise Invalid({"merged": _("Choose two different nominations of this cycle.")})
        if rows[one].category_id != rows[other].category_id:
            raise Invalid({"merged": _("Only nominations of the same category can be merged.")})
        if await DuplicateDismissal.filter(one_id=one, other_id=other).exists():
            raise Conflict(_("This pair was already marked as not duplicates."))
        record = await DuplicateDismissal.create(
            cycle_id=cycle.id,
            one_id=one,
            other_id=other,
            dismissed_by_id=actor.id,
            dismissed_at=now(),
        )
        await audit.record(
            actor,
            "awards.duplicate_reject",
            record,
            after={"nomination": one, "other": other},
            scope=scope(cycle),
        )
    return record


# --- merging -------------------------------------------------------------------------------


async def credit(
    nomination: Nomination, user_id: int, relation: str, source_id: int | None
) -> bool:
    """Credit a nominator (inside the caller's transaction); False when already credited."""
    if await NominationCredit.filter(nomination_id=nomination.id, user_id=user_id).exists():
        return False
    await NominationCredit.create(
        nomination_id=nomination.id, user_id=user_id, relation=relation, source_id=source_id
    )
    return True


async def fold(
    actor: Someone | None, kept: Nomination, merged: Nomination, reason: MergeReason
) -> NominationMerge:
    """Inside the caller's transaction: `merged` leaves the race and its nominators are credited
    on `kept`. Audited."""
    previous = merged.state
    for row in await NominationCredit.filter(nomination_id=merged.id):
        await credit(kept, row.user_id, row.relation, merged.id)
    merged.state, merged.merged_into_id = NominationState.MERGED, kept.id
    await merged.save(update_fields=["state", "merged_into_id", "updated_at"])
    record = await NominationMerge.create(
        cycle_id=kept.cycle_id,
        kept_id=kept.id,
        merged_id=merged.id,
        reason=reason,
        previous_state=previous,
        merged_by_id=actor.id if actor is not None else None,
        merged_at=now(),
    )
    await audit.record(
        actor,
        "awards.merge",
        record,
        after={"kept": kept.id, "merged": merged.id, "reason": reason.value},
        scope=scope(kept.cycle_id),
    )
    return record


async def confirm_duplicate(
    actor: Someone, cycle: Cycle, kept_id: int, merged_id: int
) -> NominationMerge:
    """The organizer confirms that two nominations of one category are the same."""
    require_merge_window(cycle)
    async with in_transaction():
        pair = {
            n.id: n
            for n in await of_cycle(Nomination, cycle)
            .select_for_update()
            .filter(id__in=[kept_id, merged_id])
        }
        kept, merged = pair.get(kept_id), pair.get(merged_id)
        if kept is None or merged is None or kept_id == merged_id:
            raise Invalid({"merged": _("Choose two different nominations of this cycle.")})
        if kept.category_id != merged.category_id:
            raise Invalid({"merged": _("Only nominations of the same category can be merged.")})
        if kept.state not in IN_RACE or merged.state not in IN_RACE:
            raise Conflict(_("Only nominations still in the race can be merged."))
        return await fold(actor, kept, merged, MergeReason.CONFIRMED)


def require_merge_window(cycle: Cycle) -> None:
    """Merges are confirmed, rejected and undone only until screening ends."""
    if now() >= cycle.screening_ends:
        raise PhaseClosed(
            _(
                "Merges can be changed only until screening ends (%(when)s). Nothing was changed.",
                when=when(cycle, cycle.screening_ends),
            )
        )


async def undo_merge(
    settings: Settings, actor: Someone, cycle: Cycle, merge: NominationMerge
) -> Nomination:
    """Restore the merged nomination and take back the credits it brought. Its claims stay
    with the kept one: the organizer has said these two differ. A restored nomination that
    waits on its nominee sends the nominee the invitation it never sent."""
    require_merge_window(cycle)
    async with in_transaction():
        fresh = await of_cycle(NominationMerge, cycle).select_for_update().get(id=merge.id)
        if fresh.undone_at is not None:
            raise Conflict(_("This merge was already undone."))
        merged = await Nomination.get(id=fresh.merged_id)
        kept_creator = (await Nomination.get(id=fresh.kept_id)).created_by_id
        await (
            NominationCredit.filter(nomination_id=fresh.kept_id, source_id=merged.id)
            .exclude(user_id=kept_creator)
            .delete()
        )
        merged.state, merged.merged_into_id = fresh.previous_state, None
        await merged.save(update_fields=["state", "merged_into_id", "updated_at"])
        fresh.undone_at, fresh.undone_by_id = now(), actor.id
        await fresh.save(update_fields=["undone_at", "undone_by_id"])
        await NomineeClaim.filter(nomination_id=merged.id).delete()
        await audit.record(
            actor,
            "awards.merge_undo",
            fresh,
            before={"kept": fresh.kept_id, "merged": merged.id},
            after={"restored": merged.id, "state": merged.state.value},
            scope=scope(cycle),
        )
        if merged.state == NominationState.AWAITING_NOMINEE:
            await _invite(settings, cycle, merged)
    outbox.wake()
    merge.undone_at = fresh.undone_at
    return merged


async def _invite(settings: Settings, cycle: Cycle, nomination: Nomination) -> None:
    from awards.services import acceptance

    nominator = await User.get(id=nomination.created_by_id)
    category = await Category.get(id=nomination.category_id)
    links = Links(settings.base_url)
    await acceptance.queue_invitation(settings, links, nominator, cycle, category, nomination)
