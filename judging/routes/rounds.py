"""Organizer pages of a scope and its rounds: settings, state, entries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from core.clock import now
from core.errors import Conflict, Invalid
from core.forms import Form
from core.i18n import gettext as _
from core.i18n import localized
from core.web import flash, page
from judging import forms
from judging.models import Round
from judging.routes.common import (
    labels,
    managed,
    managed_round,
    round_redirect,
    scope_info,
    scope_redirect,
    signed_in,
)
from judging.services import entries, rubric, scoring_progress
from judging.services import judges as judges_service
from judging.services import rounds as rounds_service
from judging.sources import EntrySource, Group, ScopeInfo, groups_of, sources

SaveRound = Callable[[dict[str, Any]], Awaitable[Round]]


async def home(request: Request) -> Response:
    """Where a signed-in organizer or judge starts: the scopes they run, their queue."""
    user = signed_in(request)
    scopes = []
    for scope_type, scope_id, role in sorted(user.roles):
        scope = await scope_info(request, scope_type, scope_id) if role == "organizer" else None
        if scope is not None:
            scopes.append(scope)
    judging = any(role == "judge" for _t, _i, role in user.roles)
    return page(request, "judging/home.html", scopes=scopes, judging=judging)


async def scope_page(request: Request) -> Response:
    _user, source, scope = await managed(request)
    rounds = await rounds_service.scope_rounds(scope.scope_type, scope.scope_id)
    judges = await judges_service.judges_of(scope.scope_type, scope.scope_id)
    groups = await _groups_if_used(source, scope, rounds)
    return page(
        request, "judging/scope.html", scope=scope, rounds=rounds, judges=judges, groups=groups
    )


async def _groups_if_used(
    source: EntrySource, scope: ScopeInfo, rounds: list[Round]
) -> dict[str, Group]:
    """The scope's group labels by key, when a round is for one group (else nothing)."""
    if not any(r.group_key for r in rounds):
        return {}
    return {g.key: g for g in await groups_of(source, scope.scope_id)}


def _options(rounds: list[Round]) -> list[tuple[str, str]]:
    return [(str(r.id), localized(r, "name")) for r in rounds]


def group_options(groups: list[Group]) -> list[tuple[str, str]]:
    return [("", _("Every group"))] + [(g.key, localized(g, "label")) for g in groups]


async def _round_form(
    request: Request,
    source: EntrySource,
    scope: ScopeInfo,
    round_: Round | None,
    earlier: list[Round],
    first_values: dict[str, Any],
    save: SaveRound,
) -> Response:
    """The round form: shown, or parsed and saved (the new or the edited round)."""
    groups = await groups_of(source, scope.scope_id)
    context: dict[str, Any] = {
        "scope": scope,
        "round": round_,
        "previous_options": _options(earlier),
        "group_options": group_options(groups) if groups else [],
        "labels": labels(),
    }
    if request.method == "GET":
        return page(request, "judging/round_form.html", Form.prefilled(first_values), **context)
    form = forms.round_form(
        await request.form(), scope.time_zone, [r.id for r in earlier], [g.key for g in groups]
    )
    if form.ok:
        try:
            saved = await save(form.clean)
        except Invalid as exc:
            form.errors.update(exc.errors)
        except Conflict as exc:
            return page(
                request, "judging/round_form.html", form, 409, message=exc.message, **context
            )
        else:
            return _saved(request, round_ is None, saved)
    return page(request, "judging/round_form.html", form, 422, **context)


def _saved(request: Request, created: bool, round_: Round) -> Response:
    if created:
        flash(request, _("The round has been created. Now write its rubric."))
        return round_redirect(request, "judging:rubric", round_)
    flash(request, _("The round has been saved."))
    return round_redirect(request, "judging:round", round_)


async def round_new(request: Request) -> Response:
    user, source, scope = await managed(request)
    rounds = await rounds_service.scope_rounds(scope.scope_type, scope.scope_id)
    first = forms.new_round_values()
    first["group_key"] = request.query_params.get("group", "")

    async def create(values: dict[str, Any]) -> Round:
        return await rounds_service.create_round(user, scope.scope_type, scope.scope_id, values)

    return await _round_form(request, source, scope, None, rounds, first, create)


async def round_edit(request: Request) -> Response:
    user, source, scope, round_ = await managed_round(request)
    earlier = [
        r
        for r in await rounds_service.scope_rounds(scope.scope_type, scope.scope_id)
        if r.id < round_.id
    ]

    async def update(values: dict[str, Any]) -> Round:
        return await rounds_service.update_round(user, round_, values)

    return await _round_form(
        request, source, scope, round_, earlier, forms.round_values(round_, scope.time_zone), update
    )


async def round_page(request: Request) -> Response:
    _user, _source, scope, round_ = await managed_round(request)
    return await render_round(request, scope, round_)


async def render_round(
    request: Request, scope: ScopeInfo, round_: Round, status: int = 200, message: str = ""
) -> Response:
    deadline = await rounds_service.submissions_close(round_)
    source = sources.get(round_.scope_type)
    groups = await groups_of(source, round_.scope_id) if source and round_.group_key else []
    return page(
        request,
        "judging/round.html",
        group=next((g for g in groups if g.key == round_.group_key), None),
        status=status,
        scope=scope,
        round=round_,
        state=round_.effective_state(now()),
        submissions_close=deadline,
        submissions_open=deadline is not None and deadline > now(),
        criteria=await rubric.criteria_of(round_),
        entries=await entries.entries_of(round_),
        progress=await scoring_progress.progress(round_),
        locked=await rubric.rubric_locked(round_),
        message=message,
    )


async def round_state(request: Request) -> Response:
    user, source, scope, round_ = await managed_round(request)
    form = await request.form()
    action = str(form.get("action", ""))
    early = form.get("early") == "1"
    try:
        await rounds_service.change_state(user, round_, action, source=source, early=early)
    except Conflict as exc:
        return await render_round(request, scope, round_, 409, exc.message)
    messages = {
        "open": _("The round is open: judges can score now."),
        "close": _("The round is closed: scores can no longer change."),
        "reopen": _("The round is open again."),
    }
    flash(request, messages[action])
    return round_redirect(request, "judging:round", round_)


async def round_delete(request: Request) -> Response:
    user, _source, scope, round_ = await managed_round(request)
    try:
        await rounds_service.delete_round(user, round_)
    except Conflict as exc:
        return await render_round(request, scope, round_, 409, exc.message)
    flash(request, _("The round has been deleted."))
    return scope_redirect(request, "judging:scope", scope)


async def entries_refresh(request: Request) -> Response:
    user, source, scope, round_ = await managed_round(request)
    try:
        done = await entries.refresh_entries(user, round_, source)
    except Conflict as exc:
        return await render_round(request, scope, round_, 409, exc.message)
    flash(
        request,
        _(
            "Entries updated: %(added)s added, %(updated)s changed, %(removed)s "
            "removed, %(kept)s kept because they already have scores.",
            added=done.added,
            updated=done.updated,
            removed=done.removed,
            kept=done.kept,
        ),
    )
    return round_redirect(request, "judging:round", round_)
