"""Organizer pages of a round's results: methods compared, ties, shortlist, winners, preview,
publication and the CSV export."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from accounts.models import SignedIn
from core.clock import now
from core.errors import Conflict, DomainError, Invalid
from core.forms import Form
from core.i18n import format_datetime, ngettext
from core.i18n import gettext as _
from core.pagination import page_number
from core.web import flash, large_page, page
from judging import forms
from judging.enums import TIEBREAK_CHAIN, Method
from judging.labels import labels
from judging.models import Round
from judging.routes.common import links, managed_round, round_redirect
from judging.services import decisions, exports, publication, published, ranking, shortlisting
from judging.services import results as results_service
from judging.sources import ScopeInfo

ResultsCall = Callable[[SignedIn, Round, ScopeInfo], Awaitable[None]]


async def results(request: Request) -> Response:
    _user, _source, scope, round_ = await managed_round(request)
    return await _results_page(request, scope, round_)


async def _results_page(
    request: Request,
    scope: ScopeInfo,
    round_: Round,
    status: int = 200,
    message: str = "",
    form: Form | None = None,
) -> Response:
    return await large_page(
        request,
        "judging/results.html",
        form or Form.prefilled(),
        status,
        scope=scope,
        round=round_,
        results=await results_service.round_results(
            round_, page_number(request.query_params.get("page"))
        ),
        message=message,
        state=round_.effective_state(now()),
        labels=labels(),
        public=round_.results_public(now()),
        methods=list(Method),
        chain=[s.value for s in TIEBREAK_CHAIN],
    )


SHOWN_FIELDS = frozenset({"count", "publish_at"})
"""The results page's fields that show their own message; any other field's message is said
once, in the summary at the top."""


async def _results_action(
    request: Request, call: ResultsCall, done: str, typed: Form | None = None
) -> Response:
    """Run one results service; a refused one shows the results page with its message, each
    said once, and what was typed (`typed`) kept."""
    user, _source, scope, round_ = await managed_round(request)
    try:
        await call(user, round_, scope)
    except Invalid as exc:
        form = Form.prefilled(typed.values if typed else None)
        form.errors.update({k: v for k, v in exc.errors.items() if k in SHOWN_FIELDS})
        unshown = [v for k, v in exc.errors.items() if k not in SHOWN_FIELDS]
        message = " ".join(dict.fromkeys(m for m in (exc.message, *unshown) if m))
        return await _results_page(request, scope, round_, 422, message, form)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return await _results_page(request, scope, round_, exc.status_code, exc.message)
    flash(request, done)
    return round_redirect(request, "judging:results", round_)


def _form_invalid(form: Form) -> Invalid:
    return Invalid(form.errors)


async def results_method(request: Request) -> Response:
    form = forms.method_form(await request.form())

    async def call(user: SignedIn, round_: Round, scope: ScopeInfo) -> None:
        if not form.ok:
            raise _form_invalid(form)
        await decisions.set_method(user, round_, form.clean["method"])

    return await _results_action(request, call, _("The method for this round has been saved."))


async def results_ties(request: Request) -> Response:
    data = await request.form()
    ids = [
        int(k.split("_", 1)[1])
        for k in data
        if k.startswith("position_") and k.split("_", 1)[1].isdigit()
    ]
    form = forms.tie_form(data, ids)

    async def call(user: SignedIn, round_: Round, scope: ScopeInfo) -> None:
        if not form.ok or not ids:
            raise (
                _form_invalid(form)
                if form.errors
                else Invalid({}, _("Give each tied entry a position."))
            )
        await decisions.record_tie_decision(
            user, round_, form.clean["positions"], form.clean["reason"]
        )

    return await _results_action(request, call, _("Your decision on the tie has been recorded."))


async def shortlist(request: Request) -> Response:
    form = forms.shortlist_form(await request.form())

    async def call(user: SignedIn, round_: Round, scope: ScopeInfo) -> None:
        if not form.ok:
            raise _form_invalid(form)
        chosen = await shortlisting.shortlist(
            user,
            round_,
            scope,
            links(request),
            count=form.clean["count"],
            per_group=form.clean["per_group"],
        )
        flash(
            request,
            ngettext(
                "%(num)s entry is on the shortlist.",
                "%(num)s entries are on the shortlist.",
                len(chosen),
            ),
        )

    return await _results_action(
        request, call, _("The teams on the shortlist are being told."), form
    )


async def mark_set(request: Request) -> Response:
    form = forms.mark_form(await request.form())

    async def call(user: SignedIn, round_: Round, scope: ScopeInfo) -> None:
        if not form.ok:
            raise _form_invalid(form)
        await decisions.set_mark(
            user,
            round_,
            form.clean["entry_id"],
            kind=form.clean["kind"],
            place=form.clean["place"],
            per_group=form.clean["per_group"],
        )

    return await _results_action(request, call, _("The mark has been saved."))


async def mark_remove(request: Request) -> Response:
    async def call(user: SignedIn, round_: Round, scope: ScopeInfo) -> None:
        await decisions.remove_mark(user, round_, request.path_params["mark_id"])

    return await _results_action(request, call, _("The mark has been removed."))


async def publish(request: Request) -> Response:
    user, _source, scope, round_ = await managed_round(request)
    form = forms.publish_form(await request.form(), scope.time_zone)
    if not form.ok:
        return await _results_page(request, scope, round_, 422, form=form)
    try:
        await publication.publish(user, round_, scope, links(request), at=form.clean["at"])
    except Invalid as exc:
        form.errors.update(exc.errors)
        return await _results_page(request, scope, round_, 422, exc.message, form)
    except Conflict as exc:
        return await _results_page(request, scope, round_, 409, exc.message, form)
    if round_.results_public(now()):
        flash(request, _("The results are published and the teams are being told."))
    else:
        flash(
            request,
            _(
                "The results will be published on %(when)s.",
                when=format_datetime(round_.publish_at, scope.time_zone),
            ),
        )
    return round_redirect(request, "judging:results", round_)


async def results_preview(request: Request) -> Response:
    _user, _source, scope, round_ = await managed_round(request)
    preview = await published.preview_results(round_)
    return page(request, "judging/public_results.html", scope=scope, rounds=[preview], preview=True)


async def export(request: Request) -> Response:
    _user, _source, scope, round_ = await managed_round(request)
    data = exports.export_csv(await ranking.round_data(round_), scope.time_zone)
    name = f"scores-round-{round_.id}.csv"
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
