"""Judges' pages: answering the invitation, the queue, the scoring form, and conflicts the
judge declares."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from accounts.models import SignedIn
from core import permissions
from core.clock import now
from core.errors import Conflict, Invalid, NotFound
from core.forms import Form
from core.i18n import gettext as _
from core.i18n import localized
from core.web import flash, page, redirect
from judging import forms, rules, views
from judging.enums import ConflictKind, ConflictOrigin, JudgeState
from judging.labels import labels
from judging.routes import entry_files
from judging.routes.common import path_scope, scope_info, scope_redirect, signed_in
from judging.routes.judges import declared
from judging.services import conflicts as conflicts_service
from judging.services import judges, queues, sheets

DECLARABLE = [ConflictKind.TEAM, ConflictKind.ORGANIZATION]
"""What a judge may name on their conflicts page (an entry is declared from its form)."""


async def invitation(request: Request) -> Response:
    judge = await judges.judge_for_token(request.path_params["token"])
    user = request.state.user
    scope = await scope_info(request, judge.scope_type, judge.scope_id)
    if scope is None:
        raise NotFound(_("This invitation link is not valid. Ask the organizer for a new one."))
    if user is None or request.method == "GET" or judge.state != JudgeState.INVITED:
        return page(
            request,
            "judging/invitation.html",
            judge=judge,
            scope=scope,
            mismatch=user is not None and not rules.invited(user, judge),
        )
    accept = (await request.form()).get("answer") == "accept"
    await judges.answer_invitation(user, judge, accept=accept)
    if accept:
        flash(
            request,
            _("Thank you: you are now a judge of %(scope)s.", scope=localized(scope, "title")),
        )
        return redirect(request, "judging:queue")
    flash(request, _("You have declined the invitation."))
    return redirect(request, "core:home")


async def queue(request: Request) -> Response:
    user = signed_in(request)
    found = await queues.judge_page(user, request.app.state.settings.time_zone)
    shown = views.queue(request, found)
    return page(request, "judging/queue.html", rounds=shown.rounds, seats=shown.seats)


async def _seen(request: Request) -> tuple[SignedIn, sheets.Scoring]:
    """The judge and their view of the entry in the path, if they may see it."""
    user = signed_in(request)
    seen = await sheets.scoring_for(user, request.path_params["entry_id"])
    permissions.require(user, "judging.see_entry", seen, visible="judging.see_entry")
    return user, seen


async def score(request: Request) -> Response:
    user, seen = await _seen(request)
    if request.method == "GET":
        return await _score_page(request, seen, _sheet_values(seen))
    form = forms.sheet_form(await request.form(), seen.criteria)
    if not form.ok:
        # Every field's problem at once: what is not a number, and what is a number
        # outside the scale, off the step or missing.
        errors = sheets.score_errors(seen.criteria, form.clean["scores"], form.clean["submit"])
        return await _score_page(request, seen, form.values, {**errors, **form.errors}, 422)
    try:
        await sheets.save_sheet(
            user,
            seen,
            scores=form.clean["scores"],
            comment=form.clean["comment"],
            note=form.clean["note"],
            version=form.clean["version"],
            submit=form.clean["submit"],
        )
    except sheets.StaleSheet as exc:
        fresh = await sheets.scoring_for(user, seen.entry.id)
        return await _score_page(request, fresh, _sheet_values(fresh), {}, 409, exc.message)
    except Invalid as exc:
        return await _score_page(request, seen, form.values, exc.errors, 422)
    except Conflict as exc:
        return await _score_page(request, seen, form.values, {}, 409, exc.message)
    flash(
        request,
        _("Your scores have been submitted.")
        if form.clean["submit"]
        else _("Your draft has been saved."),
    )
    return redirect(request, "judging:score", entry_id=seen.entry.id)


def _sheet_values(seen: sheets.Scoring) -> dict[str, Any]:
    """The saved sheet as form values (version 0: nothing saved yet)."""
    sheet = seen.sheet
    if sheet is None:
        return {"version": 0}
    values: dict[str, Any] = {f"score_{k}": f"{v:g}" for k, v in sheet.scores.items()}
    values.update(
        comment_for_team=sheet.comment_for_team,
        note_for_organizers=sheet.note_for_organizers,
        version=sheet.version,
    )
    return values


async def _score_page(
    request: Request,
    seen: sheets.Scoring,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
    message: str = "",
) -> Response:
    round_ = seen.round
    detail = await entry_files.entry_detail(request, seen)
    scopes = await queues.scopes_shown(
        {(round_.scope_type, round_.scope_id)}, request.app.state.settings.time_zone
    )
    weights = sum(c.weight for c in seen.criteria if not c.independent)
    return page(
        request,
        "judging/score.html",
        status=status,
        seen=seen,
        detail=detail,
        scope=next(iter(scopes.values())),
        values=values,
        errors=errors or {},
        message=message,
        weights=weights,
        open=round_.accepts_scores(now()),
        files=entry_files.shown_files(request, seen, detail),
    )


async def entry_conflict(request: Request) -> Response:
    signed_in(request)
    form = forms.reason_form(await request.form())
    user, seen = await _seen(request)
    if not form.ok:
        return await _score_page(request, seen, _sheet_values(seen), form.errors, 422)
    await sheets.declare_entry_conflict(user, seen.entry.id, form.clean["reason"])
    flash(
        request,
        _(
            "Your conflict has been recorded: this entry has left your queue and "
            "the organizers will assign it to someone else."
        ),
    )
    return redirect(request, "judging:queue")


async def my_conflicts(request: Request) -> Response:
    user = signed_in(request)
    _source, scope = await path_scope(request)
    judge = await judges.seat_in_scope(user, scope.scope_type, scope.scope_id)
    form = Form.prefilled()
    if request.method == "POST":
        form = forms.conflict_form(await request.form(), DECLARABLE)
        if form.ok and await declared(user, judge, form, ConflictOrigin.DECLARED):
            flash(request, _("Your conflict has been recorded."))
            return scope_redirect(request, "judging:my_conflicts", scope)
    conflicts = [
        c
        for c in await conflicts_service.conflicts_of(scope.scope_type, scope.scope_id)
        if c.judge_id == judge.id and c.active
    ]
    return page(
        request,
        "judging/my_conflicts.html",
        form,
        422 if request.method == "POST" else 200,
        scope=scope,
        conflicts=conflicts,
        kinds=DECLARABLE,
        labels=labels(),
    )
