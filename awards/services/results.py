"""A cycle's results after voting closes: each category counted from the database into the
results bundle (`awards.bundle`), the organizer's decisions on it (no award, citations,
approval, publication now or at a set time) and what the public reads once it is published.

- **Count** (`count`): once voting has closed and, for every category with a public vote that
  stands, its fraud review is signed off, each category with an approved shortlist becomes an
  `awards.bundle.CategoryRecord` read from the database; the bundle is built and kept
  (`ResultsBundle`: the zip, its fingerprint and seed), with each category's `CategoryResult`
  (outcome, winner, and result.json's category document as its report). Counting again is
  allowed until the results are approved (a recorded "no award" changes the count); the votes
  and decisions are fixed by then, so the fingerprint is what voting's close fixed.
- **Approve, then publish** (`approve`, `publish`): every winner needs a citation in Arabic and
  English; publication is now or at a set time (an embargo: `Cycle.results_publish_at`).
  Nothing is public before that moment (`is_public`). The announcement mail to every nominee
  and nominator of a finalist is queued at once and held in the outbox until the moment of
  publication. Cycles have no followers, so nobody else is mailed.

What the count reads comes from the services that own it: the jury's ballots and the declared
rules from `awards.services.voting`, the public votes that count and the fraud decisions from
`awards.services.fraud`; `counted_votes` streams every counted vote for the bundle's file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from importlib import metadata
from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import Someone, User
from awards import bundle as bundle_module
from awards.bundle import Bundle, CategoryRecord, JuryScore, PublicVote
from awards.models import (
    Category,
    CategoryResult,
    Cycle,
    Nomination,
    NominationCredit,
    ResultsBundle,
    ShortlistedNomination,
    of_cycle,
)
from awards.models import PublicVote as PublicVoteRow
from awards.services import fraud, results_cache, voting
from awards.services.common import Links, cycle_name, mail_name, scope
from awards.services.entry_source import SOURCE
from awards.tabulation import (
    Ballot,
    Number,
    TieContext,
    tabulate_category,
)
from awards.tabulation import CategoryResult as Tabulated
from awards.voters import pseudonym
from core import audit, sql
from core.clock import now
from core.errors import Conflict, Invalid
from core.i18n import get_locale, localized
from core.i18n import gettext as _
from core.mail import outbox
from core.settings import Settings
from judging.models import ScoreSheet

CITATION_MAX = 2000
REASON_MAX = 1000
VOTE_PAGE = 50_000  # public votes read per query when writing the bundle's per-vote file


def software_version() -> str:
    try:
        return metadata.version("manassa")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "0.1.0"


def secret_of(settings: Settings) -> bytes:
    return settings.secret_key.encode("utf-8")


def finalist_key(nomination_id: int) -> str:
    return str(nomination_id)


def category_key(category: Category | int) -> str:
    return str(category if isinstance(category, int) else category.id)


def bundle_date(cycle: Cycle) -> str:
    """The date the bundle states: the day voting closed (fixed, so a rebuild before approval
    gives the same fingerprint)."""
    closes = cycle.voting_closes or cycle.results_at or cycle.appeals_close
    return closes.astimezone(dt.UTC).date().isoformat()


# --- the counted data, read from the database ---------------------------------------------


async def finalists_of(category: Category) -> list[ShortlistedNomination]:
    """The category's approved shortlist by rank: the finalists of the final vote."""
    if category.shortlist_approved_at is None:
        return []
    return list(
        await ShortlistedNomination.filter(category_id=category.id)
        .select_related("nomination")
        .order_by("rank", "id")
    )


async def counted_ballots(category: Category, secret: bytes) -> tuple[Ballot, ...]:
    """The category's jury ballots as the final vote's service reads them for the count
    (`awards.services.voting.ballots_for_count`: seated jurors only, conflicts left out), each
    juror known by a pseudonym."""
    return tuple(
        Ballot(pseudonym(secret, "juror", ballot.juror), ballot.ranking, ballot.conflicts)
        for ballot in await voting.ballots_for_count(category)
    )


def _number(value: float) -> Number:
    exact = Fraction(str(value))
    return int(exact) if exact.denominator == 1 else exact


def calibrated_scores(shortlist: Sequence[ShortlistedNomination]) -> dict[str, Number]:
    """The finalists' calibrated jury score from the scoring round (tie rule 2)."""
    return {
        finalist_key(row.nomination_id): _number(row.score)  # type: ignore[attr-defined]
        for row in shortlist
        if row.score is not None
    }


async def jury_scores(
    category: Category, finalists: Sequence[str], secret: bytes
) -> tuple[JuryScore, ...]:
    """Each juror's submitted total for each finalist in the category's scoring round."""
    if category.shortlist_round_id is None:
        return ()
    rows = await ScoreSheet.filter(
        assignment__entry__round_id=category.shortlist_round_id,
        assignment__entry__source=SOURCE,
        assignment__entry__source_id__in=[int(f) for f in finalists],
        submitted_at__isnull=False,
        total__isnull=False,
    ).values_list(
        "assignment__judge__user_id",
        "assignment__judge_id",
        "assignment__entry__source_id",
        "total",
    )
    return tuple(
        JuryScore(
            pseudonym(secret, "juror", str(user_id) if user_id else f"judge:{judge_id}"),
            finalist_key(source_id),
            _number(total),
        )
        for user_id, judge_id, source_id, total in rows
    )


_TALLY = sql.Statement(
    "SELECT nomination_id AS finalist, COUNT(*) AS votes FROM awards_public_vote "
    "WHERE category_id = ? AND voided = ? GROUP BY nomination_id"
)
_VOTES = sql.Statement(
    "SELECT p.id AS id, v.key AS voter, p.cast_at AS cast_at "
    "FROM awards_public_vote p JOIN awards_voter v ON v.id = p.voter_id "
    "WHERE p.category_id = ? AND p.nomination_id = ? AND p.voided = ? AND p.id > ? "
    "ORDER BY p.id LIMIT ?"
)


async def public_tally(category: Category) -> dict[str, int]:
    """The public votes that count (not voided), per finalist (the fraud review's count)."""
    return {finalist_key(n): votes for n, votes in (await fraud.counted_votes(category)).items()}


def hour_bucket(value: Any) -> str:
    """A vote's time as its UTC hour, ``YYYY-MM-DDTHH`` (SQLite gives text, PostgreSQL a
    datetime)."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H")


async def counted_votes(
    category: Category, secret: bytes, finalists: Sequence[int] | None = None
) -> AsyncIterator[PublicVote]:
    """Every public vote that counts, as the bundle writes it (voter pseudonym, finalist, hour
    bucket): finalist by finalist, by pages of `VOTE_PAGE` rows in id order, each page a seek
    in the (category, nomination) index (paging the whole category by id would sort it again
    for every page)."""
    if finalists is None:
        finalists = [int(key) for key in await public_tally(category)]
    for finalist in finalists:
        key = finalist_key(finalist)
        last = 0
        while True:
            rows = await sql.rows(_VOTES, (category.id, finalist, False, last, VOTE_PAGE))
            hours: dict[Any, str] = {}
            for row in rows:
                cast_at = row["cast_at"]
                hour = hours.get(cast_at)
                if hour is None:
                    hour = hours[cast_at] = hour_bucket(cast_at)
                yield PublicVote(pseudonym(secret, "voter", row["voter"]), key, hour)
            if len(rows) < VOTE_PAGE:
                break
            last = rows[-1]["id"]


async def voided_votes(category: Category) -> int:
    return await PublicVoteRow.filter(category_id=category.id, voided=True).count()


async def category_record(category: Category, secret: bytes) -> CategoryRecord | None:
    """Everything the category contributes to the bundle (None without an approved
    shortlist)."""
    shortlist = await finalists_of(category)
    if not shortlist:
        return None
    finalists = [finalist_key(row.nomination_id) for row in shortlist]  # type: ignore[attr-defined]
    votes: list[PublicVote] = []
    if category.public_vote:
        finalist_ids = [int(key) for key in finalists]
        votes = [vote async for vote in counted_votes(category, secret, finalist_ids)]
    return CategoryRecord(
        config=voting.config_for(category, finalists),
        ballots=await counted_ballots(category, secret),
        calibrated=calibrated_scores(shortlist),
        jury_scores=await jury_scores(category, finalists, secret),
        public_votes=tuple(votes),
        fraud=tuple(await fraud.fraud_counts(category)),
    )


async def tabulate(category: Category, secret: bytes, seed: str = "") -> Tabulated | None:
    """Count one category straight from the database (the public votes by one GROUP BY),
    without writing its bundle."""
    shortlist = await finalists_of(category)
    if not shortlist:
        return None
    finalists = [finalist_key(row.nomination_id) for row in shortlist]  # type: ignore[attr-defined]
    config = voting.config_for(category, finalists)
    counts = await public_tally(category) if category.public_vote else {}
    context = TieContext(config.category, seed, calibrated_scores(shortlist))
    ballots = await counted_ballots(category, secret)
    return tabulate_category(config, ballots, counts, context)


# --- counting, decisions, approval, publication --------------------------------------------


def is_public(cycle: Cycle, moment: dt.datetime | None = None) -> bool:
    """Whether the cycle's results are public: approved, and the moment of publication has
    come (nothing is public before it)."""
    return (
        cycle.published
        and cycle.results_approved_at is not None
        and cycle.results_publish_at is not None
        and cycle.results_publish_at <= (moment or now())
    )


def _require_closed(cycle: Cycle) -> None:
    if cycle.voting_closes is None or now() < cycle.voting_closes:
        raise Conflict(_("Voting has not closed yet: the results cannot be counted."))


def _require_open(cycle: Cycle) -> None:
    if cycle.results_approved_at is not None:
        raise Conflict(_("The results are approved: withdraw the approval to change them."))


async def counted_categories(cycle: Cycle) -> list[Category]:
    return list(
        await of_cycle(Category, cycle)
        .filter(shortlist_approved_at__isnull=False)
        .order_by("position", "id")
    )


async def count(actor: Someone | None, cycle: Cycle, settings: Settings) -> Bundle:
    """Count every category with an approved shortlist, build the bundle and keep it with
    each category's result."""
    _require_closed(cycle)
    _require_open(cycle)
    categories = await counted_categories(cycle)
    waiting = [
        c
        for c in categories
        if c.public_vote and not c.public_voided and c.fraud_review_signed_at is None
    ]
    if waiting:
        raise Conflict(
            _(
                "Sign off the fraud review of every category with a public vote first (%(names)s).",
                names=_separator().join(localized(c, "name") for c in waiting),
            )
        )
    secret = secret_of(settings)
    records = [r for c in categories if (r := await category_record(c, secret)) is not None]
    if not records:
        raise Conflict(_("No category has an approved shortlist to count."))
    # CPU work over every counted vote (the files, their digests, the count, the zip): a worker
    # thread, so the event loop serves other requests meanwhile
    built = await asyncio.to_thread(
        bundle_module.build_bundle, cycle.slug, bundle_date(cycle), records, software_version()
    )
    documents = json.loads(built.files[bundle_module.RESULT].decode("utf-8"))["categories"]
    moment = now()
    by_key = {category_key(c): c for c in categories}
    async with in_transaction():
        await ResultsBundle.update_or_create(
            defaults={
                "fingerprint": built.fingerprint,
                "seed": built.seed,
                "data": built.data,
                "built_at": moment,
            },
            cycle_id=cycle.id,
        )
        for key, result in built.results.items():
            category = by_key[key]
            winner = int(result.winner) if result.winner is not None else None
            row = await CategoryResult.get_or_none(category_id=category.id)
            if row is None:
                row = CategoryResult(category_id=category.id)
            elif row.winner_id != winner:  # type: ignore[attr-defined]
                row.citation_ar = row.citation_en = ""  # a citation is for its winner
            row.outcome = str(result.outcome)
            row.winner_id = winner  # type: ignore[attr-defined]
            row.report = documents[key]
            row.counted_at = moment
            await row.save()
        others = await of_cycle(Category, cycle).exclude(id__in=[c.id for c in by_key.values()])
        if others:
            await CategoryResult.filter(category_id__in=[c.id for c in others]).delete()
        await audit.record(
            actor,
            "awards.results_count",
            cycle,
            scope=scope(cycle),
            after={"fingerprint": built.fingerprint, "categories": sorted(built.results)},
        )
    return built


async def set_no_award(
    actor: Someone, cycle: Cycle, category: Category, *, no_award: bool, reason: str
) -> None:
    """Record "no award" for a category with its reason (or take it back), then count again."""
    _require_closed(cycle)
    _require_open(cycle)
    reason = reason.strip()
    if no_award and not reason:
        raise Invalid({"reason": _("Say why the category has no award.")})
    if len(reason) > REASON_MAX:
        raise Invalid({"reason": _("At most %(num)s characters.", num=REASON_MAX)})
    before = {"no_award": category.no_award, "no_award_reason": category.no_award_reason}
    category.no_award = no_award
    category.no_award_reason = reason if no_award else ""
    await category.save(update_fields=["no_award", "no_award_reason"])
    await audit.record(
        actor,
        "awards.results_no_award",
        category,
        scope=scope(cycle),
        before=before,
        after={"no_award": category.no_award, "no_award_reason": category.no_award_reason},
    )


async def save_citations(
    actor: Someone, cycle: Cycle, category: Category, *, ar: str, en: str
) -> CategoryResult:
    """The winner's citation in Arabic and English (until the results are approved)."""
    _require_open(cycle)
    row = await CategoryResult.get_or_none(category_id=category.id)
    if row is None or row.winner_id is None:  # type: ignore[attr-defined]
        raise Conflict(_("This category has no winner to cite."))
    ar, en = ar.strip(), en.strip()
    errors = {}
    for name, text in (("citation_ar", ar), ("citation_en", en)):
        if not text:
            errors[name] = _("Write the citation in both languages.")
        elif len(text) > CITATION_MAX:
            errors[name] = _("At most %(num)s characters.", num=CITATION_MAX)
    if errors:
        raise Invalid(errors)
    before = {"citation_ar": row.citation_ar, "citation_en": row.citation_en}
    row.citation_ar, row.citation_en = ar, en
    await row.save(update_fields=["citation_ar", "citation_en"])
    await audit.record(
        actor,
        "awards.results_citation",
        category,
        scope=scope(cycle),
        before=before,
        after={"citation_ar": ar, "citation_en": en},
    )
    return row


async def approve(actor: Someone, cycle: Cycle) -> None:
    """Approve the counted results: every winner must have its citation in both languages."""
    _require_open(cycle)
    kept = await ResultsBundle.get_or_none(cycle_id=cycle.id).only("id", "fingerprint")
    if kept is None:
        raise Conflict(_("Count the results first."))
    missing = await CategoryResult.filter(
        category__cycle_id=cycle.id, winner_id__isnull=False
    ).select_related("category")
    uncited = [r.category for r in missing if not (r.citation_ar and r.citation_en)]
    if uncited:
        raise Conflict(
            _(
                "Write the citation of every winner in Arabic and English first (%(names)s).",
                names=_separator().join(localized(c, "name") for c in uncited),
            )
        )
    cycle.results_approved_at = now()
    await cycle.save(update_fields=["results_approved_at"])
    await audit.record(
        actor,
        "awards.results_approve",
        cycle,
        scope=scope(cycle),
        after={"fingerprint": kept.fingerprint},
    )


async def withdraw_approval(actor: Someone, cycle: Cycle) -> None:
    """Take the approval back (only before publication is set)."""
    if cycle.results_approved_at is None:
        raise Conflict(_("The results are not approved."))
    if cycle.results_publish_at is not None:
        raise Conflict(_("The publication is already set: the results can no longer change."))
    cycle.results_approved_at = None
    await cycle.save(update_fields=["results_approved_at"])
    await audit.record(actor, "awards.results_withdraw", cycle, scope=scope(cycle))


async def publish(
    actor: Someone, cycle: Cycle, settings: Settings, at: dt.datetime | None = None
) -> dt.datetime:
    """Publish the approved results now, or at `at` (an embargo); queue the announcement to
    every nominee and nominator of a finalist, held in the outbox until that moment."""
    if cycle.results_approved_at is None:
        raise Conflict(_("Approve the results first."))
    if cycle.results_publish_at is not None:
        raise Conflict(_("The publication is already set."))
    moment = now()
    if at is not None and at <= moment:
        raise Invalid({"publish_at": _("Choose a moment in the future, or publish now.")})
    when = at or moment
    async with in_transaction():
        cycle.results_publish_at = when
        cycle.results_announced_at = when
        await cycle.save(update_fields=["results_publish_at", "results_announced_at"])
        await audit.record(
            actor,
            "awards.results_publish",
            cycle,
            scope=scope(cycle),
            after={"publish_at": when.isoformat()},
        )
        await _announce(cycle, Links(settings.base_url), when)
    results_cache.changed()
    outbox.wake()
    return when


async def _announce(cycle: Cycle, links: Links, when: dt.datetime) -> int:
    """One mail per person (each nominee and nominator of a finalist), in their language,
    held until the moment of publication."""
    categories = {c.id: c for c in await counted_categories(cycle)}
    rows = list(
        await ShortlistedNomination.filter(category_id__in=list(categories) or [0])
        .select_related("nomination")
        .order_by("category_id", "rank")
    )
    credits: dict[int, list[User]] = defaultdict(list)
    for credit in await NominationCredit.filter(
        nomination_id__in=[r.nomination.id for r in rows] or [0]
    ).select_related("user"):
        credits[credit.nomination_id].append(credit.user)  # type: ignore[attr-defined]
    url = links.build("/awards/{slug}/results", slug=cycle.slug)
    sent: set[str] = set()
    for row in rows:
        nomination = row.nomination
        people = [(nomination.nominee_email, nomination.nominee_language, "")] + [
            (u.email, u.language, mail_name(u)) for u in credits[nomination.id]
        ]
        for email, lang, name in people:
            if not email or email.lower() in sent:
                continue
            sent.add(email.lower())
            message = await outbox.queue(
                email,
                "awards/results",
                lang,
                name=name or localized(nomination, "nominee_name", lang),
                cycle_name=cycle_name(cycle, lang),
                url=url,
            )
            if when > message.next_attempt_at:
                message.next_attempt_at = when
                await message.save(update_fields=["next_attempt_at"])
    return len(sent)


# --- what the pages read -------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryReport:
    """A category with its counted result, its finalists by id and what was voided."""

    category: Category
    result: CategoryResult
    finalists: dict[str, Nomination]
    voided: dict[str, int]  # voided public votes by reason code

    @property
    def report(self) -> dict[str, Any]:
        return dict(self.result.report or {})

    @property
    def winner(self) -> Nomination | None:
        winner = self.report.get("winner")
        return self.finalists.get(winner) if winner else None


async def reports(cycle: Cycle, category_id: int | None = None) -> list[CategoryReport]:
    """The counted categories of the cycle in its order (or the one asked for)."""
    query = CategoryResult.filter(category__cycle_id=cycle.id).select_related("category")
    if category_id is not None:
        query = query.filter(category_id=category_id)
    rows = sorted(await query, key=lambda r: (r.category.position, r.category.id))
    ids = {
        int(name)
        for row in rows
        for name in (row.report or {}).get("config", {}).get("finalists", [])
    }
    nominations = {finalist_key(n.id): n for n in await Nomination.filter(id__in=list(ids) or [0])}
    found = []
    for row in rows:
        voided: dict[str, int] = defaultdict(int)
        for item in (row.report or {}).get("fraudDecisions", []):
            if item.get("action") == "void":
                voided[item["reason"]] += int(item["votes"])
        names = (row.report or {}).get("config", {}).get("finalists", [])
        found.append(
            CategoryReport(
                row.category,
                row,
                {name: nominations[name] for name in names if name in nominations},
                dict(sorted(voided.items())),
            )
        )
    return found


async def bundle_of(cycle: Cycle) -> ResultsBundle | None:
    return await ResultsBundle.get_or_none(cycle_id=cycle.id)


async def fingerprint_of(cycle: Cycle) -> str | None:
    row = await ResultsBundle.get_or_none(cycle_id=cycle.id).only("id", "fingerprint")
    return row.fingerprint if row else None


async def published_cycles_with_winners(moment: dt.datetime) -> list[tuple[Cycle, list[Any]]]:
    """The archive: every cycle whose results are public, newest first, with its reports."""
    candidates = await Cycle.filter(
        results_approved_at__isnull=False, results_publish_at__lte=moment
    ).order_by("-year", "-id")
    return [(c, await reports(c)) for c in candidates if is_public(c, moment)]


def outcome_text(report: Mapping[str, Any], category: Category) -> str:
    """The outcome and its reason in the reader's language."""
    outcome = report.get("outcome")
    config = report.get("config", {})
    jury = report.get("jury", {})
    weight = Fraction(str(config.get("juryWeight", 0)))
    if outcome == "blend":
        return _(
            "Jury and public vote blended: jury weight %(w)s%%, public weight %(p)s%%.",
            w=_percent(weight),
            p=_percent(1 - weight),
        )
    if outcome == "jury-only":
        if not config.get("publicVote"):
            return _("Jury only: the category has no public vote.")
        if config.get("publicVoided"):
            return _("Jury only: the public vote was voided.")
        return _("Jury only: no public vote was cast.")
    below = _(
        "the jury missed its quorum (%(num)s of %(quorum)s ballots)",
        num=jury.get("nonEmptyBallots", 0),
        quorum=config.get("quorum", 0),
    )
    if outcome == "public-only":
        return _("Public vote only: %(why)s.", why=below)
    if config.get("noAward"):
        return _("No award: %(reason)s", reason=category.no_award_reason or "—")
    return _("No award: %(why)s.", why=below)


def _separator() -> str:
    return "، " if get_locale() == "ar" else ", "


def _percent(value: Fraction) -> str:
    number = value * 100
    return str(int(number)) if number.denominator == 1 else f"{float(number):.2f}"


def fraction_text(value: Any) -> str:
    """A report figure ("7/2" or 7) as a decimal for reading."""
    number = Fraction(str(value))
    if number.denominator == 1:
        return str(int(number))
    return f"{float(number):.2f}".rstrip("0").rstrip(".")
