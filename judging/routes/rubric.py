"""Organizer pages of a round's rubric: add, edit and delete criteria until scoring starts."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from core.errors import Conflict, NotFound
from core.forms import Form
from core.i18n import gettext as _
from core.web import flash, page
from judging import forms
from judging.labels import labels
from judging.models import Criterion, Round
from judging.routes.common import managed_round, round_redirect
from judging.services import rubric as rubric_service
from judging.sources import ScopeInfo


async def rubric(request: Request) -> Response:
    user, _source, scope, round_ = await managed_round(request)
    if request.method == "GET":
        return await _rubric_page(
            request, scope, round_, Form.prefilled(forms.new_criterion_values())
        )
    form = forms.criterion_form(await request.form())
    if not form.ok:
        return await _rubric_page(request, scope, round_, form, 422)
    try:
        await rubric_service.save_criterion(user, round_, form.clean)
    except Conflict as exc:
        return await _rubric_page(request, scope, round_, form, 409, exc.message)
    flash(request, _("The criterion has been added."))
    return round_redirect(request, "judging:rubric", round_)


async def _rubric_page(
    request: Request,
    scope: ScopeInfo,
    round_: Round,
    form: Form,
    status: int = 200,
    message: str = "",
) -> Response:
    criteria = await rubric_service.criteria_of(round_)
    weights = sum(c.weight for c in criteria if not c.independent)
    return page(
        request,
        "judging/rubric.html",
        form,
        status,
        scope=scope,
        round=round_,
        criteria=criteria,
        weights=weights,
        message=message,
        locked=await rubric_service.rubric_locked(round_),
        labels=labels(),
    )


async def _criterion(round_: Round, request: Request) -> Criterion:
    found = await Criterion.get_or_none(id=request.path_params["criterion_id"], round=round_)
    if found is None:
        raise NotFound(_("This criterion does not exist."))
    return found


async def criterion_edit(request: Request) -> Response:
    user, _source, scope, round_ = await managed_round(request)
    criterion = await _criterion(round_, request)
    context: dict[str, Any] = {
        "scope": scope,
        "round": round_,
        "criterion": criterion,
        "locked": await rubric_service.rubric_locked(round_),
    }
    if request.method == "GET":
        return page(
            request,
            "judging/criterion_form.html",
            Form.prefilled(forms.criterion_values(criterion)),
            **context,
        )
    form = forms.criterion_form(await request.form())
    if not form.ok:
        return page(request, "judging/criterion_form.html", form, 422, **context)
    try:
        await rubric_service.save_criterion(user, round_, form.clean, criterion)
    except Conflict as exc:
        return page(
            request, "judging/criterion_form.html", form, 409, message=exc.message, **context
        )
    flash(request, _("The criterion has been saved."))
    return round_redirect(request, "judging:rubric", round_)


async def criterion_delete(request: Request) -> Response:
    user, _source, scope, round_ = await managed_round(request)
    criterion = await _criterion(round_, request)
    try:
        await rubric_service.delete_criterion(user, round_, criterion)
    except Conflict as exc:
        return await _rubric_page(
            request, scope, round_, Form.prefilled(forms.new_criterion_values()), 409, exc.message
        )
    flash(request, _("The criterion has been deleted."))
    return round_redirect(request, "judging:rubric", round_)
