"""A judge's score sheet for one entry: what the judge sees, saving a draft or submitting,
and declaring a conflict with an assigned entry. A judge never reads another judge's sheet.

Saving costs one read (the assignment with its entry, round, judge, sheet, rubric and the
judge's count of active conflicts), a second only for a judge who has active conflicts, and
one short transaction (the version-checked write and its audit entry);
tests/judging/test_query_counts.py holds it to that. A save is the request judges make most,
under a benchmark target, so its statements are hand-written (core/sql.py) and read into
plain dataclasses (`Scoring` and its views), with the ORM's conversions of each value."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from accounts.models import Someone
from core import audit, sql
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
from judging.services.rubric import pure_criterion


@dataclass
class RoundView:
    """What the score page and a save read of the round."""

    id: int
    scope_type: str
    scope_id: int
    name_ar: str
    name_en: str
    state: RoundState
    ends_at: dt.datetime | None
    blind: bool

    def accepts_scores(self, at: dt.datetime) -> bool:
        """As Round.accepts_scores: open, and its end (if any) not passed."""
        return self.state == RoundState.OPEN and (self.ends_at is None or at < self.ends_at)


@dataclass
class EntryView:
    """The entry as the judge sees it, and what a conflict can name about it."""

    id: int
    source_id: int
    title_ar: str
    title_en: str
    group_label_ar: str
    group_label_en: str
    team_key: str
    members: list[Any]
    organizations: list[Any]


@dataclass
class JudgeView:
    id: int
    user_id: int | None
    state: JudgeState


@dataclass
class AssignmentView:
    id: int


@dataclass
class SheetView:
    """The judge's saved sheet."""

    id: int
    scores: dict[str, float]
    total: float | None
    comment_for_team: str
    note_for_organizers: str
    state: SheetState
    version: int
    submitted_at: dt.datetime | None
    updated_at: dt.datetime | None


@dataclass
class CriterionView:
    """One criterion of the rubric, as the form and the scoring read it."""

    id: int
    key: str
    position: int
    name_ar: str
    name_en: str
    guidance_ar: str
    guidance_en: str
    levels: list[dict[str, Any]]
    weight: float
    min_score: float
    max_score: float
    step: float | None
    independent: bool
    priority: int | None

    def level_text(self, level: dict[str, Any], lang: str) -> str:
        other = "en" if lang == "ar" else "ar"
        return str(level.get(lang) or level.get(other) or "")


@dataclass
class Scoring:
    """A judge's view of one entry: plain values read by one hand-written statement."""

    round: RoundView
    entry: EntryView
    judge: JudgeView
    assignment: AssignmentView
    sheet: SheetView | None
    criteria: list[CriterionView]
    conflicted: bool

    @property
    def submitted(self) -> bool:
        return self.sheet is not None and self.sheet.state == SheetState.SUBMITTED


class StaleSheet(ConflictError):
    """Another tab or window saved this sheet first."""


V = TypeVar("V")
VIEWS: tuple[tuple[type[Model], type[Any], str, str], ...] = (
    (Assignment, AssignmentView, "a", "a"),
    (Entry, EntryView, "e", "e"),
    (Round, RoundView, "r", "r"),
    (Judge, JudgeView, "j", "j"),
    (ScoreSheet, SheetView, "s", "s"),
    (Criterion, CriterionView, "k", "k"),
)
"""Each view with its model, the table's alias and the prefix of its columns in a row."""


@functools.cache
def _names(view: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(view))


def _view(view: type[V], model: type[Model], row: Mapping[str, Any], prefix: str) -> V | None:
    """The view from a row; None when a LEFT JOIN found nothing."""
    if row[f"{prefix}__id"] is None:
        return None
    return view(**sql.python_values(model, row, _names(view), prefix))


ASSIGNMENT = sql.Statement(
    lambda: (
        f"""
    SELECT {", ".join(sql.selected(m, alias, _names(v), p) for m, v, alias, p in VIEWS)},
           (SELECT COUNT(*) FROM judging_conflict jc
            WHERE jc.judge_id = a.judge_id AND jc.active) AS judge_conflicts
    FROM judging_assignment a
    JOIN judging_entry e ON e.id = a.entry_id
    JOIN judging_round r ON r.id = e.round_id
    JOIN judging_judge j ON j.id = a.judge_id
    LEFT JOIN judging_score_sheet s ON s.assignment_id = a.id
    LEFT JOIN judging_criterion k ON k.round_id = r.id
    WHERE a.entry_id = ? AND j.user_id = ? AND j.state = ?
    ORDER BY a.id, k.position, k.id"""  # noqa: S608 - columns from the views
    )
)
"""The judge's assignment to an entry with everything a save reads, in one statement: a row
per criterion of the rubric, and the judge's count of active conflicts (most judges have
none, and then their conflicts need not be read at all)."""


async def scoring_for(user: Someone, entry_id: int, *, allow_conflicted: bool = False) -> Scoring:
    """The judge's assignment to this entry, or a 404 saying why it is not theirs."""
    found = await sql.rows(ASSIGNMENT, [entry_id, user.id, JudgeState.ACCEPTED.value])
    round_ = _view(RoundView, Round, found[0], "r") if found else None
    if round_ is None or round_.state == RoundState.DRAFT:
        raise NotFound(_("This entry is not assigned to you."))
    row = found[0]
    assignment = _view(AssignmentView, Assignment, row, "a")
    entry = _view(EntryView, Entry, row, "e")
    judge = _view(JudgeView, Judge, row, "j")
    sheet = _view(SheetView, ScoreSheet, row, "s")
    assert assignment is not None and entry is not None and judge is not None
    conflicted = bool(row["judge_conflicts"]) and await is_conflicted(judge.id, entry)
    if conflicted and not allow_conflicted:
        raise NotFound(
            _("You have a conflict of interest with this entry, so you cannot see or score it.")
        )
    criteria = [
        _view(CriterionView, Criterion, r, "k") for r in found if r["a__id"] == assignment.id
    ]
    return Scoring(
        round_, entry, judge, assignment, sheet, [c for c in criteria if c is not None], conflicted
    )


def score_errors(
    criteria: Sequence[CriterionView], scores: Mapping[str, float | None], submit: bool
) -> dict[str, str]:
    """Every score's problem at once, keyed by its field: out of the scale, off the step, or
    (when submitting) missing."""
    errors: dict[str, str] = {}
    for criterion in criteria:
        value = scores.get(criterion.key)
        if value is None and not submit:
            continue
        problem = _score_problem(criterion, value)
        if problem:
            errors[f"score_{criterion.key}"] = problem
    return errors


def _score_problem(criterion: CriterionView, value: float | None) -> str:
    """What is wrong with one score ("" when nothing is)."""
    if value is None:
        return _("Give a score for this criterion before submitting.")
    problem = scoring.validate_score(pure_criterion(criterion), value)
    if problem == "out_of_range":
        return _(
            "Enter a score from %(lo)s to %(hi)s.",
            lo=fmt_number(criterion.min_score),
            hi=fmt_number(criterion.max_score),
        )
    if problem == "off_step":
        return _(
            "Scores for this criterion go in steps of %(step)s from %(lo)s.",
            step=fmt_number(criterion.step),
            lo=fmt_number(criterion.min_score),
        )
    return ""


def sheet_total(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> float | None:
    """The weighted total (0..100) once every counted criterion has a score."""
    try:
        return scoring.weighted_total([pure_criterion(c) for c in criteria], scores)
    except ValueError:
        return None


async def save_sheet(
    user: Someone,
    seen: Scoring,
    *,
    scores: Mapping[str, float | None],
    comment: str,
    note: str,
    version: int,
    submit: bool,
) -> SheetView:
    """Save a draft or submit. ``version`` is the sheet version the form was built from: if
    someone saved in between (another tab), the save is refused and the newer sheet kept."""
    _check_sheet(seen, scores, version, submit)
    values = _new_values(seen, scores, comment, note, submit)
    action = "judging.score_submitted" if submit else "judging.score_saved"
    if seen.sheet is None:
        return await _create_sheet(user, seen, values, version, action)
    return await _update_sheet(user, seen, seen.sheet, values, version, action)


async def _create_sheet(
    user: Someone, seen: Scoring, values: dict[str, Any], version: int, action: str
) -> SheetView:
    """The first save of a sheet (through the ORM: it happens once per sheet)."""
    if version != 0:
        raise _stale()
    try:
        async with in_transaction() as conn:
            sheet = await ScoreSheet.create(
                assignment_id=seen.assignment.id, version=1, using_db=conn, **values
            )
            await audit.record(
                user,
                action,
                sheet,
                scope=scope_of(seen.round),
                before=None,
                after=_audited(sheet),
                conn=conn,
            )
    except IntegrityError:  # another tab created the sheet first
        raise _stale() from None
    return SheetView(**{name: getattr(sheet, name) for name in _names(SheetView)})


async def _update_sheet(
    user: Someone,
    seen: Scoring,
    sheet: SheetView,
    values: dict[str, Any],
    version: int,
    action: str,
) -> SheetView:
    """Every later save: the write, only if the sheet is still at ``version`` (the database
    decides, so two tabs never both win), and its audit entry, in one transaction."""
    before = _audited(sheet)
    values.update(version=version + 1, updated_at=now())
    fields = tuple(values)
    update = sql.Write(
        _update(fields), [*sql.db_values(ScoreSheet, values, fields), sheet.id, version], expect=1
    )
    after = {name: values[name] for name in AUDITED}
    try:
        await sql.write_together(
            [
                update,
                audit.write(
                    user,
                    action,
                    sheet,
                    scope=scope_of(seen.round),
                    before=before,
                    after=after,
                    object_type=ScoreSheet.__name__,
                ),
            ]
        )
    except sql.Unchanged:
        raise _stale() from None
    for key, value in values.items():
        setattr(sheet, key, value)
    return sheet


def _check_sheet(
    seen: Scoring, scores: Mapping[str, float | None], version: int, submit: bool
) -> None:
    """Refuse a save into a closed round, from a stale form, with bad scores, or turning a
    submitted sheet back into a draft."""
    if not seen.round.accepts_scores(now()):
        raise ConflictError(_("This round is closed: scores can no longer be changed."))
    if (seen.sheet.version if seen.sheet else 0) != version:
        raise _stale()
    errors = score_errors(seen.criteria, scores, submit)
    if errors:
        raise Invalid(errors)
    if seen.submitted and not submit:
        raise ConflictError(
            _("This score sheet is already submitted. Use “Submit changes” to revise it.")
        )


def _new_values(
    seen: Scoring, scores: Mapping[str, float | None], comment: str, note: str, submit: bool
) -> dict[str, Any]:
    kept = {k: v for k, v in scores.items() if v is not None}
    values: dict[str, Any] = {
        "scores": kept,
        "total": sheet_total(seen.criteria, kept),
        "comment_for_team": comment,
        "note_for_organizers": note,
        "state": SheetState.SUBMITTED if submit else SheetState.DRAFT,
    }
    if submit:
        values["submitted_at"] = now()
    return values


def _stale() -> StaleSheet:
    return StaleSheet(
        _(
            "This score sheet was saved in another tab or window after you opened "
            "it. Nothing was changed: the newer version is shown below. Check it "
            "and save again if needed."
        )
    )


AUDITED = ("scores", "total", "state", "version")
"""What a save's audit entry records of the sheet, before and after."""


def _audited(sheet: ScoreSheet | SheetView | None) -> dict[str, Any] | None:
    return None if sheet is None else {name: getattr(sheet, name) for name in AUDITED}


@functools.cache
def _update(fields: tuple[str, ...]) -> sql.Statement:
    """UPDATE of these fields of one sheet, if it is still at the version the form showed."""
    assignments = ", ".join(f"{sql.column_of(ScoreSheet, name)} = ?" for name in fields)
    return sql.Statement(
        f"UPDATE judging_score_sheet SET {assignments} WHERE id = ? AND version = ?"  # noqa: S608
    )


async def declare_entry_conflict(user: Someone, entry_id: int, reason: str) -> Conflict:
    """A judge declares a conflict with an entry assigned to them."""
    seen = await scoring_for(user, entry_id, allow_conflicted=True)
    if not reason:
        raise Invalid({"reason": _("Say briefly why you have a conflict.")})
    return await record_conflict(
        user,
        await Judge.get(id=seen.judge.id),
        kind=ConflictKind.ENTRY,
        value=str(seen.entry.source_id),
        label=seen.entry.title_ar or seen.entry.title_en,
        reason=reason,
        origin=ConflictOrigin.DECLARED,
    )
