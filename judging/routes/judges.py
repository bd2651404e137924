"""Organizer pages of a scope's judges: invitations, and conflicts added, detected, lifted."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from accounts.models import SignedIn
from core.errors import Conflict, Invalid
from core.forms import Form
from core.i18n import gettext as _
from core.i18n import ngettext
from core.web import flash, page
from judging import forms
from judging.enums import ConflictKind, ConflictOrigin
from judging.labels import labels
from judging.models import Judge
from judging.routes.common import links, managed, scope_redirect
from judging.routes.rounds import group_options
from judging.services import conflicts
from judging.services import judges as judges_service
from judging.sources import EntrySource, ScopeInfo, groups_of, sources


async def judges(request: Request) -> Response:
    user, source, scope = await managed(request)
    if request.method == "GET":
        first = {"language": "ar", "group_key": request.query_params.get("group", "")}
        return await _judges_page(request, scope, Form.prefilled(first), source=source)
    groups = await groups_of(source, scope.scope_id)
    form = forms.invite_form(await request.form(), [g.key for g in groups])
    if not form.ok:
        return await _judges_page(request, scope, form, 422, source=source)
    try:
        await judges_service.invite_judge(user, scope, links(request), **form.clean)
    except Conflict as exc:
        return await _judges_page(request, scope, form, 409, exc.message, source=source)
    flash(request, _("The invitation has been sent to %(email)s.", email=form.clean["email"]))
    return scope_redirect(request, "judging:judges", scope)


async def _judges_page(
    request: Request,
    scope: ScopeInfo,
    form: Form,
    status: int = 200,
    message: str = "",
    conflict_form: Form | None = None,
    source: EntrySource | None = None,
) -> Response:
    seats = await judges_service.judges_of(scope.scope_type, scope.scope_id)
    conflict_form = conflict_form or Form.prefilled()
    source = source or sources.get(scope.scope_type)
    groups = await groups_of(source, scope.scope_id) if source else []
    return page(
        request,
        "judging/judges.html",
        form,
        status,
        scope=scope,
        judges=seats,
        conflicts=await conflicts.conflicts_of(scope.scope_type, scope.scope_id),
        message=message,
        conflict_values=conflict_form.values,
        conflict_errors=conflict_form.errors,
        labels=labels(),
        kinds=list(ConflictKind),
        groups={g.key: g for g in groups},
        group_options=group_options(groups) if groups else [],
    )


async def declared(user: SignedIn, judge: Judge, form: Form, origin: ConflictOrigin) -> bool:
    """Record the conflict a valid conflict form names; False, with the service's messages
    on the form, when it is refused."""
    try:
        await conflicts.declare_conflict(
            user,
            judge,
            kind=form.clean["kind"],
            value=form.clean["value"],
            reason=form.clean["reason"],
            origin=origin,
        )
    except Invalid as exc:
        form.errors.update(exc.errors)
        return False
    return True


async def conflict_add(request: Request) -> Response:
    user, _source, scope = await managed(request)
    seats = await judges_service.judges_of(scope.scope_type, scope.scope_id)
    form = forms.conflict_form(await request.form(), list(ConflictKind), [j.id for j in seats])
    if form.ok:
        judge = await judges_service.judge_in_scope(
            scope.scope_type, scope.scope_id, form.clean["judge_id"]
        )
        if await declared(user, judge, form, ConflictOrigin.ORGANIZER):
            flash(request, _("The conflict has been recorded."))
            return scope_redirect(request, "judging:judges", scope)
    return await _judges_page(request, scope, Form.prefilled(), 422, conflict_form=form)


async def conflict_lift(request: Request) -> Response:
    user, _source, scope = await managed(request)
    conflict = await conflicts.conflict_in_scope(
        scope.scope_type, scope.scope_id, request.path_params["conflict_id"]
    )
    try:
        await conflicts.lift_conflict(user, conflict)
    except Conflict as exc:
        return await _judges_page(request, scope, Form.prefilled(), 409, exc.message)
    flash(request, _("The conflict has been lifted."))
    return scope_redirect(request, "judging:judges", scope)


async def conflicts_detect(request: Request) -> Response:
    user, _source, scope = await managed(request)
    found = await conflicts.detect_conflicts(user, scope.scope_type, scope.scope_id)
    flash(
        request,
        ngettext("%(num)s new conflict detected.", "%(num)s new conflicts detected.", found),
    )
    return scope_redirect(request, "judging:judges", scope)
