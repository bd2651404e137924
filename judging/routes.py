"""Judging pages: organizers run rounds in a scope (an event or an award cycle), judges score
their queue, the public and the teams read published results.

Every handler loads its object within the scope, checks one named permission, parses the form,
calls one service, then renders (422 with the input kept) or redirects with 303.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accounts.models import User
from core import permissions
from core.errors import Conflict, DomainError, Invalid, NotFound
from core.hooks import Hooks
from core.i18n import format_datetime, localized, ngettext
from core.i18n import gettext as _
from core.templating import render
from core.web import flash, form_page, redirect
from judging import demo, forms, rules, services
from judging.enums import (
    TIEBREAK_CHAIN,
    ConflictKind,
    ConflictOrigin,
    EntryRule,
    JudgeState,
    Method,
    RoundState,
)
from judging.models import Criterion, Round
from judging.sources import EntrySource, ScopeInfo

# --- loading and permissions -------------------------------------------------------------------


def _user(request: Request) -> User:
    user = request.state.user
    permissions.require(user, "core.signed_in")
    return user


async def _scope(request: Request) -> tuple[EntrySource, ScopeInfo]:
    source = request.app.state.hooks.entry_sources.get(request.path_params["scope_type"])
    scope = await source.scope(request.path_params["scope_id"]) if source else None
    if source is None or scope is None:
        raise NotFound(_("This page does not exist or is not available to you."))
    return source, scope


async def _managed(request: Request) -> tuple[User, EntrySource, ScopeInfo]:
    """The organizer (or admin) of the scope in the path."""
    user = _user(request)
    source, scope = await _scope(request)
    permissions.require(user, "judging.manage", scope, visible="judging.manage")
    return user, source, scope


async def _managed_round(request: Request) -> tuple[User, EntrySource, ScopeInfo, Round]:
    user, source, scope = await _managed(request)
    round_ = await services.round_in_scope(scope.scope_type, scope.scope_id,
                                           request.path_params["round_id"])
    return user, source, scope, round_


def _links(request: Request) -> services.Links:
    return services.Links(request.app.state.settings.base_url, request.app.url_path_for)


def _round_redirect(request: Request, name: str, round_: Round) -> RedirectResponse:
    return redirect(request, name, scope_type=round_.scope_type, scope_id=round_.scope_id,
                    round_id=round_.id)


def _scope_params(scope: ScopeInfo) -> dict[str, Any]:
    return {"scope_type": scope.scope_type, "scope_id": scope.scope_id}


def labels() -> dict[str, dict[str, str]]:
    """Translated names of the judging states and choices, for templates."""
    return {
        "state": {RoundState.DRAFT: _("In preparation"), RoundState.OPEN: _("Open for scoring"),
                  RoundState.CLOSED: _("Closed"), RoundState.PUBLISHED: _("Results published")},
        "rule": {EntryRule.ALL_SUBMITTED: _("All submitted entries"),
                 EntryRule.SHORTLIST_OF_PREVIOUS: _("The shortlist of a previous round")},
        "method": {Method.MEAN: _("Mean"), Method.MEDIAN: _("Median"),
                   Method.TRIMMED_MEAN: _("Trimmed mean"), Method.ZSCORE: _("Z-score calibration"),
                   Method.LENIENCY: _("Judge-leniency model")},
        "tiebreak": {"criteria": _("Criteria in priority order"),
                     "top_scores": _("Count of top scores"),
                     "decision": _("The organizer's recorded decision")},
        "judge": {JudgeState.INVITED: _("Invited"), JudgeState.ACCEPTED: _("Accepted"),
                  JudgeState.DECLINED: _("Declined"), JudgeState.WITHDRAWN: _("Withdrawn")},
        "kind": {ConflictKind.ENTRY: _("Entry"), ConflictKind.TEAM: _("Team"),
                 ConflictKind.ORGANIZATION: _("Organization or e-mail domain")},
        "origin": {ConflictOrigin.DECLARED: _("Declared by the judge"),
                   ConflictOrigin.DETECTED: _("Detected: shared organization or e-mail domain"),
                   ConflictOrigin.ORGANIZER: _("Added by an organizer")},
        "sheet": {"draft": _("Draft"), "submitted": _("Submitted"), "": _("Not started")},
        "place": {1: _("First place"), 2: _("Second place"), 3: _("Third place")},
    }


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return render(request, template, {"labels": labels(), **context}, status_code=status)


# --- organizer: scope and rounds ----------------------------------------------------------------


async def home(request: Request) -> Response:
    """Where a signed-in organizer or judge starts: the scopes they run, their queue."""
    user = _user(request)
    scopes = []
    for scope_type, scope_id, role in sorted(user.roles):
        source = request.app.state.hooks.entry_sources.get(scope_type)
        if role == "organizer" and source is not None:
            scope = await source.scope(scope_id)
            if scope is not None:
                scopes.append(scope)
    judging = any(role == "judge" for _t, _i, role in user.roles)
    return _page(request, "judging/home.html", scopes=scopes, judging=judging)


async def scope_page(request: Request) -> Response:
    _user_, _source, scope = await _managed(request)
    rounds = await services.scope_rounds(scope.scope_type, scope.scope_id)
    judges = await services.judges_of(scope.scope_type, scope.scope_id)
    return _page(request, "judging/scope.html", scope=scope, rounds=rounds, judges=judges)


async def round_new(request: Request) -> Response:
    user, _source, scope = await _managed(request)
    rounds = await services.scope_rounds(scope.scope_type, scope.scope_id)
    context = {"scope": scope, "round": None, "previous_options": _options(rounds),
               "labels": labels()}
    if request.method == "GET":
        form = forms.JudgingForm({})
        form.values.update(forms.new_round_values())
        return form_page(request, "judging/round_form.html", form, **context)
    form = forms.round_form(await request.form(), scope.time_zone, [r.id for r in rounds])
    if form.ok:
        try:
            created = await services.create_round(user, scope.scope_type, scope.scope_id,
                                                  form.clean)
        except Invalid as exc:
            form.errors.update(exc.errors)
        else:
            flash(request, _("The round has been created. Now write its rubric."))
            return _round_redirect(request, "judging:rubric", created)
    return form_page(request, "judging/round_form.html", form, 422, **context)


def _options(rounds: list[Round]) -> list[tuple[str, str]]:
    return [(str(r.id), localized(r, "name")) for r in rounds]


async def round_edit(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    rounds = [r for r in await services.scope_rounds(scope.scope_type, scope.scope_id)
              if r.id < round_.id]
    context = {"scope": scope, "round": round_, "previous_options": _options(rounds),
               "labels": labels()}
    if request.method == "GET":
        form = forms.JudgingForm({})
        form.values.update(forms.round_values(round_, scope.time_zone))
        return form_page(request, "judging/round_form.html", form, **context)
    form = forms.round_form(await request.form(), scope.time_zone, [r.id for r in rounds])
    if form.ok:
        try:
            await services.update_round(user, round_, form.clean)
        except Invalid as exc:
            form.errors.update(exc.errors)
        except Conflict as exc:
            return form_page(request, "judging/round_form.html", form, 409,
                             message=exc.message, **context)
        else:
            flash(request, _("The round has been saved."))
            return _round_redirect(request, "judging:round", round_)
    return form_page(request, "judging/round_form.html", form, 422, **context)


async def round_page(request: Request) -> Response:
    _user_, _source, scope, round_ = await _managed_round(request)
    return await _round_page(request, scope, round_)


async def _round_page(request: Request, scope: ScopeInfo, round_: Round, status: int = 200,
                      message: str = "") -> Response:
    return _page(request, "judging/round.html", status, scope=scope, round=round_,
                 state=round_.effective_state(services.now()),
                 criteria=await services.criteria_of(round_),
                 entries=await services.entries_of(round_),
                 progress=await services.progress(round_),
                 locked=await services.rubric_locked(round_), message=message)


async def round_state(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    action = str((await request.form()).get("action", ""))
    try:
        await services.change_state(user, round_, action)
    except Conflict as exc:
        return await _round_page(request, scope, round_, 409, exc.message)
    messages = {"open": _("The round is open: judges can score now."),
                "close": _("The round is closed: scores can no longer change."),
                "reopen": _("The round is open again.")}
    flash(request, messages[action])
    return _round_redirect(request, "judging:round", round_)


async def round_delete(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    try:
        await services.delete_round(user, round_)
    except Conflict as exc:
        return await _round_page(request, scope, round_, 409, exc.message)
    flash(request, _("The round has been deleted."))
    return redirect(request, "judging:scope", **_scope_params(scope))


async def entries_refresh(request: Request) -> Response:
    user, source, scope, round_ = await _managed_round(request)
    try:
        done = await services.refresh_entries(user, round_, source)
    except Conflict as exc:
        return await _round_page(request, scope, round_, 409, exc.message)
    flash(request, _("Entries updated: %(added)s added, %(updated)s changed, %(removed)s "
                     "removed, %(kept)s kept because they already have scores.",
                     added=done.added, updated=done.updated, removed=done.removed,
                     kept=done.kept))
    return _round_redirect(request, "judging:round", round_)


# --- organizer: rubric --------------------------------------------------------------------------


async def rubric(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    if request.method == "GET":
        form = forms.JudgingForm({})
        form.values.update(forms.new_criterion_values())
        return await _rubric_page(request, scope, round_, form)
    form = forms.criterion_form(await request.form())
    if not form.ok:
        return await _rubric_page(request, scope, round_, form, 422)
    try:
        await services.save_criterion(user, round_, form.clean)
    except Conflict as exc:
        return await _rubric_page(request, scope, round_, form, 409, exc.message)
    flash(request, _("The criterion has been added."))
    return _round_redirect(request, "judging:rubric", round_)


async def _rubric_page(request: Request, scope: ScopeInfo, round_: Round,
                       form: forms.JudgingForm, status: int = 200, message: str = "") -> Response:
    criteria = await services.criteria_of(round_)
    weights = sum(c.weight for c in criteria if not c.independent)
    return form_page(request, "judging/rubric.html", form, status, scope=scope, round=round_,
                     criteria=criteria, weights=weights, message=message,
                     locked=await services.rubric_locked(round_), labels=labels())


async def _criterion(round_: Round, request: Request) -> Criterion:
    found = await Criterion.get_or_none(id=request.path_params["criterion_id"], round=round_)
    if found is None:
        raise NotFound(_("This criterion does not exist."))
    return found


async def criterion_edit(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    criterion = await _criterion(round_, request)
    context = {"scope": scope, "round": round_, "criterion": criterion,
               "locked": await services.rubric_locked(round_)}
    if request.method == "GET":
        form = forms.JudgingForm({})
        form.values.update(forms.criterion_values(criterion))
        return form_page(request, "judging/criterion_form.html", form, **context)
    form = forms.criterion_form(await request.form())
    if not form.ok:
        return form_page(request, "judging/criterion_form.html", form, 422, **context)
    try:
        await services.save_criterion(user, round_, form.clean, criterion)
    except Conflict as exc:
        return form_page(request, "judging/criterion_form.html", form, 409,
                         message=exc.message, **context)
    flash(request, _("The criterion has been saved."))
    return _round_redirect(request, "judging:rubric", round_)


async def criterion_delete(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    criterion = await _criterion(round_, request)
    try:
        await services.delete_criterion(user, round_, criterion)
    except Conflict as exc:
        form = forms.JudgingForm({})
        form.values.update(forms.new_criterion_values())
        return await _rubric_page(request, scope, round_, form, 409, exc.message)
    flash(request, _("The criterion has been deleted."))
    return _round_redirect(request, "judging:rubric", round_)


# --- organizer: judges and conflicts ------------------------------------------------------------


async def judges(request: Request) -> Response:
    user, _source, scope = await _managed(request)
    if request.method == "GET":
        form = forms.JudgingForm({})
        form.values["language"] = "ar"
        return await _judges_page(request, scope, form)
    form = forms.invite_form(await request.form())
    if not form.ok:
        return await _judges_page(request, scope, form, 422)
    try:
        await services.invite_judge(user, scope, _links(request), **form.clean)
    except Conflict as exc:
        return await _judges_page(request, scope, form, 409, exc.message)
    flash(request, _("The invitation has been sent to %(email)s.", email=form.clean["email"]))
    return redirect(request, "judging:judges", **_scope_params(scope))


async def _judges_page(request: Request, scope: ScopeInfo, form: forms.JudgingForm,
                       status: int = 200, message: str = "",
                       conflict_form: forms.JudgingForm | None = None) -> Response:
    seats = await services.judges_of(scope.scope_type, scope.scope_id)
    conflict_form = conflict_form or forms.JudgingForm({})
    return form_page(request, "judging/judges.html", form, status, scope=scope, judges=seats,
                     conflicts=await services.conflicts_of(scope.scope_type, scope.scope_id),
                     message=message, conflict_values=conflict_form.values,
                     conflict_errors=conflict_form.errors, labels=labels(),
                     kinds=list(ConflictKind))


async def conflict_add(request: Request) -> Response:
    user, _source, scope = await _managed(request)
    seats = await services.judges_of(scope.scope_type, scope.scope_id)
    form = forms.conflict_form(await request.form(), list(ConflictKind), [j.id for j in seats])
    empty = forms.JudgingForm({})
    if form.ok:
        judge = await services.judge_in_scope(scope.scope_type, scope.scope_id,
                                              form.clean["judge_id"])
        try:
            await services.declare_conflict(user, judge, kind=form.clean["kind"],
                                            value=form.clean["value"],
                                            reason=form.clean["reason"],
                                            origin=ConflictOrigin.ORGANIZER)
        except Invalid as exc:
            form.errors.update(exc.errors)
        else:
            flash(request, _("The conflict has been recorded."))
            return redirect(request, "judging:judges", **_scope_params(scope))
    return await _judges_page(request, scope, empty, 422, conflict_form=form)


async def conflict_lift(request: Request) -> Response:
    user, _source, scope = await _managed(request)
    conflict = await services.conflict_in_scope(scope.scope_type, scope.scope_id,
                                                request.path_params["conflict_id"])
    try:
        await services.lift_conflict(user, conflict)
    except Conflict as exc:
        return await _judges_page(request, scope, forms.JudgingForm({}), 409, exc.message)
    flash(request, _("The conflict has been lifted."))
    return redirect(request, "judging:judges", **_scope_params(scope))


async def conflicts_detect(request: Request) -> Response:
    user, _source, scope = await _managed(request)
    found = await services.detect_conflicts(user, scope.scope_type, scope.scope_id)
    flash(request, ngettext("%(num)s new conflict detected.", "%(num)s new conflicts detected.",
                            found))
    return redirect(request, "judging:judges", **_scope_params(scope))


# --- organizer: assignment ----------------------------------------------------------------------


async def assignments(request: Request) -> Response:
    _user_, _source, scope, round_ = await _managed_round(request)
    return await _assignments_page(request, scope, round_)


async def _assignments_page(request: Request, scope: ScopeInfo, round_: Round,
                            status: int = 200, message: str = "",
                            form: forms.JudgingForm | None = None) -> Response:
    form = form or forms.JudgingForm({})
    seats = await services.judges_of(scope.scope_type, scope.scope_id)
    return form_page(request, "judging/assignments.html", form, status, scope=scope,
                     round=round_, progress=await services.progress(round_), message=message,
                     accepted=[j for j in seats if j.state == JudgeState.ACCEPTED],
                     closed=round_.effective_state(services.now()) in {RoundState.CLOSED,
                                                                       RoundState.PUBLISHED},
                     labels=labels())


async def assign(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    try:
        outcome = await services.auto_assign(user, round_)
    except Conflict as exc:
        return await _assignments_page(request, scope, round_, 409, exc.message)
    flash(request, ngettext("%(num)s assignment added.", "%(num)s assignments added.",
                            outcome.added))
    if outcome.unfilled:
        flash(request, ngettext(
            "%(num)s entry could not get %(k)s judges: there are too few judges without a "
            "conflict. Invite more judges or lower the number of judges per entry.",
            "%(num)s entries could not get %(k)s judges: there are too few judges without a "
            "conflict. Invite more judges or lower the number of judges per entry.",
            len(outcome.unfilled), k=round_.judges_per_entry), "error")
    return _round_redirect(request, "judging:assignments", round_)


async def assignment_add(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    form = forms.pair_form(await request.form())
    if not form.ok:
        return await _assignments_page(request, scope, round_, 422, form=form)
    try:
        await services.add_assignment(user, round_, form.clean["entry_id"],
                                      form.clean["judge_id"])
    except Invalid as exc:
        form.errors.update(exc.errors)
        return await _assignments_page(request, scope, round_, 422, form=form)
    except Conflict as exc:
        return await _assignments_page(request, scope, round_, 409, exc.message, form)
    flash(request, _("The judge has been assigned."))
    return _round_redirect(request, "judging:assignments", round_)


async def assignment_remove(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    try:
        await services.remove_assignment(user, round_, request.path_params["assignment_id"])
    except Conflict as exc:
        return await _assignments_page(request, scope, round_, 409, exc.message)
    flash(request, _("The assignment has been removed."))
    return _round_redirect(request, "judging:assignments", round_)


async def judge_replace(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    form = forms.judge_choice_form(await request.form())
    if not form.ok:
        return await _assignments_page(request, scope, round_, 422, form=form)
    judge = await services.judge_in_scope(scope.scope_type, scope.scope_id,
                                          form.clean["judge_id"])
    try:
        moved, left = await services.replace_judge(user, round_, judge)
    except Conflict as exc:
        return await _assignments_page(request, scope, round_, 409, exc.message)
    flash(request, ngettext("%(judge)s has been replaced: %(num)s entry moved to another judge.",
                            "%(judge)s has been replaced: %(num)s entries moved to other judges.",
                            moved, judge=judge.label))
    if left:
        flash(request, ngettext("%(num)s entry found no other judge without a conflict.",
                                "%(num)s entries found no other judge without a conflict.",
                                left), "error")
    return _round_redirect(request, "judging:assignments", round_)


# --- organizer: results -------------------------------------------------------------------------


async def results(request: Request) -> Response:
    _user_, _source, scope, round_ = await _managed_round(request)
    return await _results_page(request, scope, round_)


async def _results_page(request: Request, scope: ScopeInfo, round_: Round, status: int = 200,
                        message: str = "", form: forms.JudgingForm | None = None) -> Response:
    form = form or forms.JudgingForm({})
    return form_page(request, "judging/results.html", form, status, scope=scope, round=round_,
                     results=await services.round_results(round_), message=message,
                     state=round_.effective_state(services.now()), labels=labels(),
                     public=round_.results_public(services.now()),
                     methods=list(Method), chain=[s.value for s in TIEBREAK_CHAIN])


async def _results_action(request: Request, call: Any, done: str) -> Response:
    """Run one results service; a refused one shows the results page with its message."""
    user, _source, scope, round_ = await _managed_round(request)
    try:
        await call(user, round_, scope)
    except Invalid as exc:
        form = forms.JudgingForm({})
        form.errors.update(exc.errors)
        message = exc.message or next(iter(exc.errors.values()), "")
        return await _results_page(request, scope, round_, 422, message, form)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return await _results_page(request, scope, round_, exc.status_code, exc.message)
    flash(request, done)
    return _round_redirect(request, "judging:results", round_)


def _form_invalid(form: forms.JudgingForm) -> Invalid:
    return Invalid(form.errors, next(iter(form.errors.values()), ""))


async def results_method(request: Request) -> Response:
    form = forms.method_form(await request.form())

    async def call(user: User, round_: Round, scope: ScopeInfo) -> None:
        if not form.ok:
            raise _form_invalid(form)
        await services.set_method(user, round_, form.clean["method"])

    return await _results_action(request, call, _("The method for this round has been saved."))


async def results_ties(request: Request) -> Response:
    data = await request.form()
    ids = [int(k.split("_", 1)[1]) for k in data if k.startswith("position_")
           and k.split("_", 1)[1].isdigit()]
    form = forms.tie_form(data, ids)

    async def call(user: User, round_: Round, scope: ScopeInfo) -> None:
        if not form.ok or not ids:
            raise _form_invalid(form) if form.errors else Invalid(
                {}, _("Give each tied entry a position."))
        await services.record_tie_decision(user, round_, form.clean["positions"],
                                           form.clean["reason"])

    return await _results_action(request, call, _("Your decision on the tie has been recorded."))


async def shortlist(request: Request) -> Response:
    form = forms.shortlist_form(await request.form())

    async def call(user: User, round_: Round, scope: ScopeInfo) -> None:
        if not form.ok:
            raise _form_invalid(form)
        chosen = await services.shortlist(user, round_, scope, _links(request),
                                          count=form.clean["count"],
                                          per_group=form.clean["per_group"])
        flash(request, ngettext("%(num)s entry is on the shortlist.",
                                "%(num)s entries are on the shortlist.", len(chosen)))

    return await _results_action(request, call, _("The teams on the shortlist are being told."))


async def mark_set(request: Request) -> Response:
    form = forms.mark_form(await request.form())

    async def call(user: User, round_: Round, scope: ScopeInfo) -> None:
        if not form.ok:
            raise _form_invalid(form)
        await services.set_mark(user, round_, form.clean["entry_id"], kind=form.clean["kind"],
                                place=form.clean["place"], per_group=form.clean["per_group"])

    return await _results_action(request, call, _("The mark has been saved."))


async def mark_remove(request: Request) -> Response:
    async def call(user: User, round_: Round, scope: ScopeInfo) -> None:
        await services.remove_mark(user, round_, request.path_params["mark_id"])

    return await _results_action(request, call, _("The mark has been removed."))


async def publish(request: Request) -> Response:
    user, _source, scope, round_ = await _managed_round(request)
    form = forms.publish_form(await request.form(), scope.time_zone)
    if not form.ok:
        return await _results_page(request, scope, round_, 422, form=form)
    try:
        await services.publish(user, round_, scope, _links(request), at=form.clean["at"])
    except Conflict as exc:
        return await _results_page(request, scope, round_, 409, exc.message, form)
    if round_.results_public(services.now()):
        flash(request, _("The results are published and the teams are being told."))
    else:
        flash(request, _("The results will be published on %(when)s.",
                         when=_when(round_, scope)))
    return _round_redirect(request, "judging:results", round_)


def _when(round_: Round, scope: ScopeInfo) -> str:
    return format_datetime(round_.publish_at, scope.time_zone)


async def results_preview(request: Request) -> Response:
    _user_, _source, scope, round_ = await _managed_round(request)
    preview = await services.preview_results(round_)
    return _page(request, "judging/public_results.html", scope=scope, rounds=[preview],
                 preview=True)


async def export(request: Request) -> Response:
    _user_, _source, _scope_, round_ = await _managed_round(request)
    text = services.export_csv(await services.round_data(round_))
    name = f"scores-round-{round_.id}.csv"
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})


# --- judges ------------------------------------------------------------------------------------


async def invitation(request: Request) -> Response:
    judge = await services.judge_for_token(request.path_params["token"])
    user = request.state.user
    source = request.app.state.hooks.entry_sources.get(judge.scope_type)
    scope = await source.scope(judge.scope_id) if source else None
    if scope is None:
        raise NotFound(_("This invitation link is not valid. Ask the organizer for a new one."))
    context = {"judge": judge, "scope": scope}
    if user is None:
        return _page(request, "judging/invitation.html", **context, mismatch=False)
    if request.method == "GET" or judge.state != JudgeState.INVITED:
        return _page(request, "judging/invitation.html", **context,
                     mismatch=not rules.invited(user, judge))
    accept = (await request.form()).get("answer") == "accept"
    await services.answer_invitation(user, judge, accept=accept)
    if accept:
        flash(request, _("Thank you: you are now a judge of %(scope)s.",
                         scope=_localized(scope)))
        return redirect(request, "judging:queue")
    flash(request, _("You have declined the invitation."))
    return redirect(request, "core:home")


def _localized(scope: ScopeInfo) -> str:
    return localized(scope, "title")


async def queue(request: Request) -> Response:
    user = _user(request)
    rounds = await services.judge_queue(user)
    seats = [(s.scope_type, s.scope_id) for s in await services.judge_seats(user)]
    scopes = await _scope_infos(request, {(q.round.scope_type, q.round.scope_id)
                                          for q in rounds} | set(seats))
    return _page(request, "judging/queue.html", rounds=rounds, scopes=scopes,
                 seats=[scopes[key] for key in seats])


async def _scope_infos(request: Request, keys: set[tuple[str, int]]
                       ) -> dict[tuple[str, int], ScopeInfo]:
    found = {}
    for scope_type, scope_id in keys:
        source = request.app.state.hooks.entry_sources.get(scope_type)
        info = await source.scope(scope_id) if source else None
        found[(scope_type, scope_id)] = info or ScopeInfo(scope_type, scope_id, "", "",
                                                          request.app.state.settings.time_zone)
    return found


async def score(request: Request) -> Response:
    user = _user(request)
    seen = await services.scoring_for(user, request.path_params["entry_id"])
    permissions.require(user, "judging.see_entry", seen, visible="judging.see_entry")
    if request.method == "GET":
        return await _score_page(request, seen, _sheet_values(seen))
    form = forms.sheet_form(await request.form(), seen.criteria)
    if not form.ok:
        return await _score_page(request, seen, form.values, form.errors, 422)
    try:
        await services.save_sheet(user, seen, scores=form.clean["scores"],
                                  comment=form.clean["comment"], note=form.clean["note"],
                                  version=form.clean["version"], submit=form.clean["submit"])
    except services.StaleSheet as exc:
        fresh = await services.scoring_for(user, seen.entry.id)
        return await _score_page(request, fresh, _sheet_values(fresh), {}, 409, exc.message)
    except Invalid as exc:
        return await _score_page(request, seen, form.values, exc.errors, 422)
    except Conflict as exc:
        return await _score_page(request, seen, form.values, {}, 409, exc.message)
    flash(request, _("Your scores have been submitted. You can revise them until the round "
                     "closes.") if form.clean["submit"] else _("Your draft has been saved."))
    return redirect(request, "judging:score", entry_id=seen.entry.id)


def _sheet_values(seen: services.Scoring) -> dict[str, Any]:
    sheet = seen.sheet
    if sheet is None:
        return {"version": 0}
    values: dict[str, Any] = {f"score_{k}": f"{v:g}" for k, v in sheet.scores.items()}
    values.update(comment_for_team=sheet.comment_for_team,
                  note_for_organizers=sheet.note_for_organizers, version=sheet.version)
    return values


async def _score_page(request: Request, seen: services.Scoring, values: dict[str, Any],
                      errors: dict[str, str] | None = None, status: int = 200,
                      message: str = "") -> Response:
    source = request.app.state.hooks.entry_sources.get(seen.round.scope_type)
    detail = await source.detail(seen.entry.source_id, blind=seen.round.blind) if source else None
    scopes = await _scope_infos(request, {(seen.round.scope_type, seen.round.scope_id)})
    weights = sum(c.weight for c in seen.criteria if not c.independent)
    return _page(request, "judging/score.html", status, seen=seen, detail=detail,
                 scope=next(iter(scopes.values())), values=values, errors=errors or {},
                 message=message, weights=weights,
                 open=seen.round.accepts_scores(services.now()))


async def entry_conflict(request: Request) -> Response:
    user = _user(request)
    form = forms.reason_form(await request.form())
    seen = await services.scoring_for(user, request.path_params["entry_id"])
    permissions.require(user, "judging.see_entry", seen, visible="judging.see_entry")
    if not form.ok:
        return await _score_page(request, seen, _sheet_values(seen), form.errors, 422)
    await services.declare_entry_conflict(user, seen.entry.id, form.clean["reason"])
    flash(request, _("Your conflict has been recorded: this entry has left your queue and "
                     "the organizers will assign it to someone else."))
    return redirect(request, "judging:queue")


async def my_conflicts(request: Request) -> Response:
    user = _user(request)
    _source, scope = await _scope(request)
    judge = await services.seat_in_scope(user, scope.scope_type, scope.scope_id)
    kinds = [ConflictKind.TEAM, ConflictKind.ORGANIZATION]
    form = forms.JudgingForm({})
    status = 200
    if request.method == "POST":
        form = forms.conflict_form(await request.form(), kinds)
        if form.ok:
            try:
                await services.declare_conflict(user, judge, kind=form.clean["kind"],
                                                value=form.clean["value"],
                                                reason=form.clean["reason"],
                                                origin=ConflictOrigin.DECLARED)
            except Invalid as exc:
                form.errors.update(exc.errors)
            else:
                flash(request, _("Your conflict has been recorded."))
                return redirect(request, "judging:my_conflicts", **_scope_params(scope))
        status = 422
    conflicts = [c for c in await services.conflicts_of(scope.scope_type, scope.scope_id)
                 if c.judge_id == judge.id and c.active]
    return form_page(request, "judging/my_conflicts.html", form, status, scope=scope,
                     conflicts=conflicts, kinds=kinds, labels=labels())


# --- the public and the teams -------------------------------------------------------------------


async def public_results(request: Request) -> Response:
    _source, scope = await _scope(request)
    published = await services.published_results(scope.scope_type, scope.scope_id)
    permissions.require(request.state.user, "judging.results", published,
                        visible="judging.results")
    assert published is not None
    return _page(request, "judging/public_results.html", scope=scope, rounds=published.rounds,
                 preview=False)


async def feedback(request: Request) -> Response:
    source, scope = await _scope(request)
    found = await services.feedback_for(source.source, request.path_params["source_id"])
    if found is not None and (found.scope_type, found.scope_id) != (scope.scope_type,
                                                                   scope.scope_id):
        found = None
    if request.state.user is None and found is not None:
        permissions.require(None, "core.signed_in")
    permissions.require(request.state.user, "judging.feedback", found, visible="judging.feedback")
    assert found is not None
    return _page(request, "judging/feedback.html", scope=scope, feedback=found)


def nav(request: Request) -> list[tuple[str, str]]:
    user = request.state.user
    if user is None or not any(role in {"organizer", "judge"} for _t, _i, role in user.roles):
        return []
    return [(str(request.url_for("judging:home")), _("Judging"))]


_SCOPE = "/judging/{scope_type}/{scope_id:int}"
_ROUND = _SCOPE + "/rounds/{round_id:int}"
_POST = ["POST"]
_BOTH = ["GET", "POST"]

routes = [
    Route("/judging", home, name="judging:home"),
    Route("/judging/queue", queue, name="judging:queue"),
    Route("/judging/invitations/{token}", invitation, methods=_BOTH, name="judging:invitation"),
    Route("/judging/entries/{entry_id:int}", score, methods=_BOTH, name="judging:score"),
    Route("/judging/entries/{entry_id:int}/conflict", entry_conflict, methods=_POST,
          name="judging:entry_conflict"),
    Route(_SCOPE, scope_page, name="judging:scope"),
    Route(_SCOPE + "/results", public_results, name="judging:public_results"),
    Route(_SCOPE + "/feedback/{source_id:int}", feedback, name="judging:feedback"),
    Route(_SCOPE + "/my-conflicts", my_conflicts, methods=_BOTH, name="judging:my_conflicts"),
    Route(_SCOPE + "/judges", judges, methods=_BOTH, name="judging:judges"),
    Route(_SCOPE + "/conflicts", conflict_add, methods=_POST, name="judging:conflict_add"),
    Route(_SCOPE + "/conflicts/detect", conflicts_detect, methods=_POST,
          name="judging:conflicts_detect"),
    Route(_SCOPE + "/conflicts/{conflict_id:int}/lift", conflict_lift, methods=_POST,
          name="judging:conflict_lift"),
    Route(_SCOPE + "/rounds/new", round_new, methods=_BOTH, name="judging:round_new"),
    Route(_ROUND, round_page, name="judging:round"),
    Route(_ROUND + "/edit", round_edit, methods=_BOTH, name="judging:round_edit"),
    Route(_ROUND + "/state", round_state, methods=_POST, name="judging:round_state"),
    Route(_ROUND + "/delete", round_delete, methods=_POST, name="judging:round_delete"),
    Route(_ROUND + "/entries/refresh", entries_refresh, methods=_POST,
          name="judging:entries_refresh"),
    Route(_ROUND + "/rubric", rubric, methods=_BOTH, name="judging:rubric"),
    Route(_ROUND + "/rubric/{criterion_id:int}", criterion_edit, methods=_BOTH,
          name="judging:criterion"),
    Route(_ROUND + "/rubric/{criterion_id:int}/delete", criterion_delete, methods=_POST,
          name="judging:criterion_delete"),
    Route(_ROUND + "/assignments", assignments, name="judging:assignments"),
    Route(_ROUND + "/assignments/auto", assign, methods=_POST, name="judging:assign"),
    Route(_ROUND + "/assignments/add", assignment_add, methods=_POST,
          name="judging:assignment_add"),
    Route(_ROUND + "/assignments/{assignment_id:int}/remove", assignment_remove, methods=_POST,
          name="judging:assignment_remove"),
    Route(_ROUND + "/assignments/replace", judge_replace, methods=_POST,
          name="judging:judge_replace"),
    Route(_ROUND + "/results", results, name="judging:results"),
    Route(_ROUND + "/results/method", results_method, methods=_POST,
          name="judging:results_method"),
    Route(_ROUND + "/results/ties", results_ties, methods=_POST, name="judging:results_ties"),
    Route(_ROUND + "/results/shortlist", shortlist, methods=_POST, name="judging:shortlist"),
    Route(_ROUND + "/results/marks", mark_set, methods=_POST, name="judging:mark_set"),
    Route(_ROUND + "/results/marks/{mark_id:int}/remove", mark_remove, methods=_POST,
          name="judging:mark_remove"),
    Route(_ROUND + "/results/preview", results_preview, name="judging:results_preview"),
    Route(_ROUND + "/results/publish", publish, methods=_POST, name="judging:publish"),
    Route(_ROUND + "/results/export.csv", export, name="judging:export"),
]

hooks = Hooks(nav=[nav], demo=[demo.load])
