"""A judge's score sheet for one entry: what the judge sees, saving a draft or submitting,
and declaring a conflict with an assigned entry. A judge never reads another judge's sheet.

Saving costs two reads (the assignment with its entry, round, judge, sheet and the judge's
count of active conflicts in one query; the rubric), a third only for a judge who has active
conflicts, and one short transaction (the version-checked write and its audit entry);
tests/judging/test_query_counts.py holds it to that."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import RawSQL
from tortoise.transactions import in_transaction

from accounts.models import User
from core import audit
from core.clock import now
from core.errors import Conflict as ConflictError
from core.errors import Invalid, NotFound
from core.i18n import gettext as _
from judging import scoring
from judging.enums import ConflictKind, ConflictOrigin, JudgeState, RoundState, SheetState
from judging.models import Assignment, Conflict, Criterion, Entry, Judge, Round, ScoreSheet
from judging.services.common import fmt_number, scope_of
from judging.services.conflicts import record_conflict
from judging.services.markers import is_conflicted
from judging.services.rubric import criteria_of, pure_criterion


@dataclass
class Scoring:
    """A judge's view of one entry."""

    round: Round
    entry: Entry
    judge: Judge
    assignment: Assignment
    sheet: ScoreSheet | None
    criteria: list[Criterion]
    conflicted: bool

    @property
    def submitted(self) -> bool:
        return self.sheet is not None and self.sheet.state == SheetState.SUBMITTED


ACTIVE_CONFLICTS_OF_JUDGE = (
    # Plain SQL that SQLite and PostgreSQL read alike: Tortoise has no correlated subquery.
    '(SELECT COUNT(*) FROM "judging_conflict" WHERE "judging_conflict"."judge_id" = '
    '"judging_assignment"."judge_id" AND "judging_conflict"."active")'
)


class StaleSheet(ConflictError):
    """Another tab or window saved this sheet first."""


async def scoring_for(user: User, entry_id: int, *, allow_conflicted: bool = False) -> Scoring:
    """The judge's assignment to this entry, or a 404 saying why it is not theirs."""
    row = await Assignment.filter(
        entry_id=entry_id, judge__user_id=user.id, judge__state=JudgeState.ACCEPTED
    ).select_related("entry__round", "judge", "sheet").annotate(
        judge_conflicts=_active_conflict_count()).order_by("id").first()
    if row is None or row.entry.round.state == RoundState.DRAFT:
        raise NotFound(_("This entry is not assigned to you."))
    entry = row.entry
    conflicted = bool(row.judge_conflicts) and await is_conflicted(row.judge_id, entry)
    if conflicted and not allow_conflicted:
        raise NotFound(_("You have a conflict of interest with this entry, so you cannot see "
                         "or score it."))
    sheet: ScoreSheet | None = row.sheet  # type: ignore[assignment]
    return Scoring(entry.round, entry, row.judge, row, sheet, await criteria_of(entry.round),
                   conflicted)


def _active_conflict_count() -> RawSQL:
    """The judge's active conflicts, counted inside the assignment's query: most judges have
    none, and then their conflicts need not be read at all (one round trip less per save)."""
    return RawSQL(ACTIVE_CONFLICTS_OF_JUDGE)


def _score_errors(criteria: Sequence[Criterion], scores: Mapping[str, float | None],
                  submit: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    for criterion in criteria:
        value = scores.get(criterion.key)
        if value is None and not submit:
            continue
        problem = _score_problem(criterion, value)
        if problem:
            errors[f"score_{criterion.key}"] = problem
    return errors


def _score_problem(criterion: Criterion, value: float | None) -> str:
    """What is wrong with one score ("" when nothing is)."""
    if value is None:
        return _("Give a score for this criterion before submitting.")
    problem = scoring.validate_score(pure_criterion(criterion), value)
    if problem == "out_of_range":
        return _("Enter a score from %(lo)s to %(hi)s.", lo=fmt_number(criterion.min_score),
                 hi=fmt_number(criterion.max_score))
    if problem == "off_step":
        return _("Scores for this criterion go in steps of %(step)s from %(lo)s.",
                 step=fmt_number(criterion.step), lo=fmt_number(criterion.min_score))
    return ""


def sheet_total(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> float | None:
    """The weighted total (0..100) once every counted criterion has a score."""
    try:
        return scoring.weighted_total([pure_criterion(c) for c in criteria], scores)
    except ValueError:
        return None


async def save_sheet(user: User, seen: Scoring, *, scores: Mapping[str, float | None],
                     comment: str, note: str, version: int, submit: bool) -> ScoreSheet:
    """Save a draft or submit. ``version`` is the sheet version the form was built from: if
    someone saved in between (another tab), the save is refused and the newer sheet kept."""
    _check_sheet(seen, scores, version, submit)
    values = _new_values(seen, scores, comment, note, submit)
    before = _audited(seen.sheet)
    action = "judging.score_submitted" if submit else "judging.score_saved"
    try:
        async with in_transaction():
            sheet = await _write_sheet(seen, values, version)
            await audit.record(user, action, sheet, scope=scope_of(seen.round), before=before,
                               after=_audited(sheet))
    except IntegrityError:  # another tab created the sheet first
        raise _stale() from None
    return sheet


def _check_sheet(seen: Scoring, scores: Mapping[str, float | None], version: int,
                 submit: bool) -> None:
    """Refuse a save into a closed round, from a stale form, with bad scores, or turning a
    submitted sheet back into a draft."""
    if not seen.round.accepts_scores(now()):
        raise ConflictError(_("This round is closed: scores can no longer be changed."))
    if (seen.sheet.version if seen.sheet else 0) != version:
        raise _stale()
    errors = _score_errors(seen.criteria, scores, submit)
    if errors:
        raise Invalid(errors)
    if seen.submitted and not submit:
        raise ConflictError(_("This score sheet is already submitted. Use “Submit changes” to "
                              "revise it."))


def _new_values(seen: Scoring, scores: Mapping[str, float | None], comment: str, note: str,
                submit: bool) -> dict[str, Any]:
    kept = {k: v for k, v in scores.items() if v is not None}
    values: dict[str, Any] = {
        "scores": kept, "total": sheet_total(seen.criteria, kept),
        "comment_for_team": comment, "note_for_organizers": note,
        "state": SheetState.SUBMITTED if submit else SheetState.DRAFT}
    if submit:
        values["submitted_at"] = now()
    return values


def _stale() -> StaleSheet:
    return StaleSheet(_("This score sheet was saved in another tab or window after you opened "
                        "it. Nothing was changed: the newer version is shown below. Check it "
                        "and save again if needed."))


def _audited(sheet: ScoreSheet | None) -> dict[str, Any] | None:
    if sheet is None:
        return None
    return {"scores": sheet.scores, "total": sheet.total, "state": sheet.state,
            "version": sheet.version}


async def _write_sheet(seen: Scoring, values: dict[str, Any], version: int) -> ScoreSheet:
    """Create the sheet, or update it only if it is still at ``version`` (one statement that
    the database decides, so two tabs never both win)."""
    if seen.sheet is None:
        if version != 0:
            raise _stale()
        return await ScoreSheet.create(assignment=seen.assignment, version=1, **values)
    sheet = seen.sheet
    values.update(version=version + 1, updated_at=now())
    updated = await ScoreSheet.filter(id=sheet.id, version=version).update(**values)
    if updated != 1:
        raise _stale()
    for key, value in values.items():
        setattr(sheet, key, value)
    return sheet


async def declare_entry_conflict(user: User, entry_id: int, reason: str) -> Conflict:
    """A judge declares a conflict with an entry assigned to them."""
    seen = await scoring_for(user, entry_id, allow_conflicted=True)
    if not reason:
        raise Invalid({"reason": _("Say briefly why you have a conflict.")})
    return await record_conflict(user, seen.judge, kind=ConflictKind.ENTRY,
                                 value=str(seen.entry.source_id),
                                 label=seen.entry.title_ar or seen.entry.title_en,
                                 reason=reason, origin=ConflictOrigin.DECLARED)
