"""Organizer pages of a round's assignment: automatic, manual, replacing a judge, progress."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from core.errors import Conflict, Invalid
from core.forms import Form
from core.i18n import gettext as _
from core.i18n import ngettext
from core.web import flash, page
from judging import forms
from judging.enums import JudgeState
from judging.labels import labels
from judging.models import Round
from judging.routes.common import managed_round, round_redirect
from judging.services import assignments as assignments_service
from judging.services import common, judges, scoring_progress
from judging.sources import ScopeInfo


async def assignments(request: Request) -> Response:
    _user, _source, scope, round_ = await managed_round(request)
    return await _assignments_page(request, scope, round_)


async def _assignments_page(
    request: Request,
    scope: ScopeInfo,
    round_: Round,
    status: int = 200,
    message: str = "",
    form: Form | None = None,
) -> Response:
    seats = await judges.judges_of(scope.scope_type, scope.scope_id)
    return page(
        request,
        "judging/assignments.html",
        form or Form.prefilled(),
        status,
        scope=scope,
        round=round_,
        progress=await scoring_progress.progress(round_),
        message=message,
        accepted=[j for j in seats if j.state == JudgeState.ACCEPTED],
        closed=common.is_over(round_),
        labels=labels(),
    )


async def assign(request: Request) -> Response:
    user, _source, scope, round_ = await managed_round(request)
    try:
        outcome = await assignments_service.auto_assign(user, round_)
    except Conflict as exc:
        return await _assignments_page(request, scope, round_, 409, exc.message)
    flash(
        request, ngettext("%(num)s assignment added.", "%(num)s assignments added.", outcome.added)
    )
    if outcome.unfilled:
        flash(
            request,
            ngettext(
                "%(num)s entry could not get %(k)s judges: there are too few judges without a "
                "conflict. Invite more judges or lower the number of judges per entry.",
                "%(num)s entries could not get %(k)s judges: there are too few judges without a "
                "conflict. Invite more judges or lower the number of judges per entry.",
                len(outcome.unfilled),
                k=round_.judges_per_entry,
            ),
            "error",
        )
    return round_redirect(request, "judging:assignments", round_)


async def assignment_add(request: Request) -> Response:
    user, _source, scope, round_ = await managed_round(request)
    form = forms.pair_form(await request.form())
    if not form.ok:
        return await _assignments_page(request, scope, round_, 422, form=form)
    try:
        await assignments_service.add_assignment(
            user, round_, form.clean["entry_id"], form.clean["judge_id"]
        )
    except Invalid as exc:
        form.errors.update(exc.errors)
        return await _assignments_page(request, scope, round_, 422, form=form)
    except Conflict as exc:
        return await _assignments_page(request, scope, round_, 409, exc.message, form)
    flash(request, _("The judge has been assigned."))
    return round_redirect(request, "judging:assignments", round_)


async def assignment_remove(request: Request) -> Response:
    user, _source, scope, round_ = await managed_round(request)
    try:
        await assignments_service.remove_assignment(
            user, round_, request.path_params["assignment_id"]
        )
    except Conflict as exc:
        return await _assignments_page(request, scope, round_, 409, exc.message)
    flash(request, _("The assignment has been removed."))
    return round_redirect(request, "judging:assignments", round_)


async def judge_replace(request: Request) -> Response:
    user, _source, scope, round_ = await managed_round(request)
    form = forms.judge_choice_form(await request.form())
    if not form.ok:
        return await _assignments_page(request, scope, round_, 422, form=form)
    judge = await judges.judge_in_scope(scope.scope_type, scope.scope_id, form.clean["judge_id"])
    try:
        moved, left = await assignments_service.replace_judge(user, round_, judge)
    except Conflict as exc:
        return await _assignments_page(request, scope, round_, 409, exc.message)
    flash(
        request,
        ngettext(
            "%(judge)s has been replaced: %(num)s entry moved to another judge.",
            "%(judge)s has been replaced: %(num)s entries moved to other judges.",
            moved,
            judge=judge.label,
        ),
    )
    if left:
        flash(
            request,
            ngettext(
                "%(num)s entry found no other judge without a conflict.",
                "%(num)s entries found no other judge without a conflict.",
                left,
            ),
            "error",
        )
    return round_redirect(request, "judging:assignments", round_)
