"""The organizer's screening: the queue of nominations waiting on a ruling (ruled one at a time
or in bulk, with a coded reason), the appeals to decide, and likely duplicates to merge or
reject, with the merges done and their undo while screening lasts.

Every page needs `awards.manage`; what the timeline allows (ruling during screening, deciding
appeals until the jury starts, merges until screening ends) is checked before the form is read,
so a refusal says when the action is possible, and the services check it again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accounts.models import SignedIn
from awards.enums import Ruling
from awards.models import (
    Appeal,
    Category,
    Cycle,
    NominationMerge,
    ScreeningReason,
    of_cycle,
)
from awards.routes.common import managed_cycle, not_found
from awards.services import duplicates, public, screening
from awards.services.common import require_screening
from core import permissions
from core.clock import now
from core.errors import DomainError, Invalid, NotFound
from core.forms import Form
from core.i18n import N_, ngettext
from core.i18n import gettext as _
from core.pagination import page_number, paginate
from core.routing import form_pages
from core.templating import url_for
from core.web import flash, page

PAGE_SIZE = 50
ID_DIGITS = 9  # a longer "id" cannot be one: it is refused as tampered
DECISIONS = {"uphold": True, "dismiss": False}
# Why two nominations are offered as duplicates (awards.matching's signals).
SIGNALS = {
    "email": N_("the same nominee e-mail"),
    "url": N_("the same link to the work"),
    "similar name": N_("similar nominee names"),
    "similar title": N_("similar titles"),
    "same outlet and date": N_("the same outlet and publication date"),
}
RULING_NAMES = {"eligible": N_("Eligible"), "ineligible": N_("Ineligible")}
APPEAL_STATES = {
    "pending": N_("Pending"),
    "upheld": N_("Upheld: the nomination is eligible"),
    "dismissed": N_("Dismissed: the ruling stands"),
}
MERGE_REASONS = {
    "same_email": N_("Automatic: the same nominee e-mail"),
    "same_url": N_("Automatic: the same link to the work"),
    "confirmed": N_("Confirmed by an organizer"),
}


def _user(request: Request) -> SignedIn:
    user = request.state.user
    assert user is not None  # the permission check before this asked anonymous to sign in
    return user


def _ids(values: Iterable[Any]) -> list[int] | None:
    """Ids posted by a form; None when one cannot be an id (the form was tampered with)."""
    found = []
    for value in values:
        text = value.strip() if isinstance(value, str) else ""
        if not text.isdigit() or len(text) > ID_DIGITS:
            return None
        found.append(int(text))
    return found


def _tampered() -> NotFound:
    return NotFound(_("A chosen nomination does not exist in this cycle. Nothing was changed."))


def _refusal(exc: DomainError) -> str:
    """One sentence for the page's notice: the service's message or its per-field ones."""
    if isinstance(exc, Invalid) and exc.errors:
        return " ".join(exc.errors.values())
    return exc.message


def _back(request: Request, name: str, cycle: Cycle, **query: Any) -> RedirectResponse:
    kept = {k: v for k, v in query.items() if v}
    target = str(url_for(request, name, slug=cycle.slug))
    return RedirectResponse(target + ("?" + urlencode(kept) if kept else ""), status_code=303)


# --- the screening queue -------------------------------------------------------------------


def _category_filter(raw: str | None, categories: list[Category]) -> int | None:
    wanted = raw.strip() if raw else ""
    return next((c.id for c in categories if str(c.id) == wanted), None)


async def _queue_context(request: Request, cycle: Cycle, category_raw: str | None) -> dict:
    categories = await public.categories(cycle)
    category = _category_filter(category_raw, categories)
    rows = await paginate(
        screening.queue_query(cycle, category),
        page_number(request.query_params.get("page")),
        PAGE_SIZE,
    )
    moment = now()
    return {
        "cycle": cycle,
        "categories": categories,
        "category_names": {c.id: c for c in categories},
        "category": category,
        "page_": rows,
        "reasons": list(await of_cycle(ScreeningReason, cycle).filter(active=True)),
        "rulings": list(Ruling),
        "ruling_names": RULING_NAMES,
        "open": permissions.allowed(request.state.user, "awards.screen", cycle),
        "before": moment < cycle.nominations_close,
    }


async def queue(request: Request) -> Response:
    cycle = await managed_cycle(request)
    context = await _queue_context(request, cycle, request.query_params.get("category"))
    return page(request, "awards/manage/screening.html", Form({}), **context)


def _ruling_form(data: FormData) -> tuple[Form, list[int] | None]:
    form = Form(data)
    form.choice("ruling", {r.value for r in Ruling})
    form.text("reason", required=False, max_length=30)
    form.text("note", required=False, max_length=2000, multiline=True)
    ids = _ids(data.getlist("nomination"))
    form.values["nomination"] = ids or []
    form.values["bulk"] = data.get("bulk") == "1"
    return form, ids


def _ruled(ruling: Ruling, n: int) -> str:
    if ruling == Ruling.ELIGIBLE:
        return ngettext(
            "%(num)s nomination ruled eligible; its nominators are told by mail.",
            "%(num)s nominations ruled eligible; their nominators are told by mail.",
            n,
        )
    return ngettext(
        "%(num)s nomination ruled ineligible; its nominators are told by mail.",
        "%(num)s nominations ruled ineligible; their nominators are told by mail.",
        n,
    )


async def rule(request: Request) -> Response:
    """One ruling for the chosen nominations (one, from its row, or many, ticked)."""
    cycle = await managed_cycle(request)
    data = await request.form()
    category_raw = data.get("category") if isinstance(data.get("category"), str) else None
    form, ids = _ruling_form(data)
    try:
        require_screening(cycle, now())
        if ids is None:
            raise _tampered()
        if not ids:
            form.error("nomination", _("Choose at least one nomination."))
        if not form.ok:
            raise Invalid(form.errors)
        ruling = Ruling(form.clean["ruling"])
        made = await screening.rule(
            request.app.state.settings,
            _user(request),
            cycle,
            ids,
            ruling=ruling,
            reason_code=form.clean["reason"],
            note=form.clean["note"],
        )
    except DomainError as exc:
        context = await _queue_context(request, cycle, str(category_raw or ""))
        return page(
            request,
            "awards/manage/screening.html",
            form,
            exc.status_code,
            message=_refusal(exc),
            **context,
        )
    flash(request, _ruled(ruling, len(made)))
    return _back(request, "awards:screening", cycle, category=category_raw or "")


# --- appeals -------------------------------------------------------------------------------


async def _appeals_context(request: Request, cycle: Cycle) -> dict[str, Any]:
    overview = await screening.appeals(cycle)
    decidable = True
    try:
        screening.require_appeal_decisions(cycle)
        closed = ""
    except DomainError as exc:
        decidable, closed = False, exc.message
    return {
        "cycle": cycle,
        "pending": overview.pending,
        "decided": overview.decided,
        "category_names": {c.id: c for c in await public.categories(cycle)},
        "decidable": decidable,
        "ruling_names": RULING_NAMES,
        "appeal_states": APPEAL_STATES,
        "closed": closed,
    }


async def appeals(request: Request) -> Response:
    cycle = await managed_cycle(request)
    return page(
        request, "awards/manage/appeals.html", Form({}), **await _appeals_context(request, cycle)
    )


async def decide(request: Request) -> Response:
    cycle = await managed_cycle(request)
    appeal = await Appeal.get_or_none(
        id=request.path_params["appeal_id"], nomination__cycle_id=cycle.id
    )
    if appeal is None:
        raise not_found()
    form = Form(await request.form())
    form.choice("decision", DECISIONS)
    form.text("decision_note", required=False, max_length=2000, multiline=True)
    form.values["appeal"] = appeal.id
    try:
        screening.require_appeal_decisions(cycle)
        if not form.ok:
            raise Invalid(form.errors)
        upheld = DECISIONS[form.clean["decision"]]
        await screening.decide_appeal(
            request.app.state.settings,
            _user(request),
            appeal,
            upheld=upheld,
            note=form.clean["decision_note"],
        )
    except DomainError as exc:
        context = await _appeals_context(request, cycle)
        return page(
            request,
            "awards/manage/appeals.html",
            form,
            exc.status_code,
            message=_refusal(exc),
            **context,
        )
    flash(
        request,
        _("The appeal is upheld: the nomination is eligible. Its nominators are told by mail.")
        if upheld
        else _("The appeal is dismissed: the ruling stands. Its nominators are told by mail."),
    )
    return _back(request, "awards:appeals", cycle)


# --- duplicates ----------------------------------------------------------------------------


async def _duplicates_context(request: Request, cycle: Cycle) -> dict[str, Any]:
    review = await duplicates.review(cycle)
    try:
        duplicates.require_merge_window(cycle)
        closed = ""
    except DomainError as exc:
        closed = exc.message
    return {
        "cycle": cycle,
        "pairs": review.pairs,
        "nominators": review.nominators,
        "merges": review.merges,
        "category_names": {c.id: c for c in await public.categories(cycle)},
        "changeable": not closed,
        "closed": closed,
        "signals": SIGNALS,
        "merge_reasons": MERGE_REASONS,
    }


async def duplicate_list(request: Request) -> Response:
    cycle = await managed_cycle(request)
    context = await _duplicates_context(request, cycle)
    return page(request, "awards/manage/duplicates.html", Form({}), **context)


async def _duplicates_refused(request: Request, cycle: Cycle, exc: DomainError) -> Response:
    context = await _duplicates_context(request, cycle)
    return page(
        request,
        "awards/manage/duplicates.html",
        Form({}),
        exc.status_code,
        message=_refusal(exc),
        **context,
    )


def _pair(data: FormData, first: str, second: str) -> tuple[int, int]:
    ids = _ids([data.get(first, ""), data.get(second, "")])
    if ids is None:
        raise Invalid({"merged": _("Choose two different nominations of this cycle.")})
    return ids[0], ids[1]


async def duplicate_merge(request: Request) -> Response:
    """Confirm a likely duplicate: `merged` is folded into `kept`, its nominators credited."""
    cycle = await managed_cycle(request)
    data = await request.form()
    try:
        duplicates.require_merge_window(cycle)
        kept, merged = _pair(data, "kept", "merged")
        await duplicates.confirm_duplicate(_user(request), cycle, kept, merged)
    except DomainError as exc:
        return await _duplicates_refused(request, cycle, exc)
    flash(
        request,
        _(
            "Nomination %(merged)s is merged into nomination %(kept)s; every nominator is "
            "credited.",
            merged=merged,
            kept=kept,
        ),
    )
    return _back(request, "awards:duplicates", cycle)


async def duplicate_reject(request: Request) -> Response:
    """The two are not the same: the pair is not offered again."""
    cycle = await managed_cycle(request)
    data = await request.form()
    try:
        duplicates.require_merge_window(cycle)
        first, second = _pair(data, "first", "second")
        await duplicates.reject_duplicate(_user(request), cycle, first, second)
    except DomainError as exc:
        return await _duplicates_refused(request, cycle, exc)
    flash(
        request,
        _(
            "Nominations %(first)s and %(second)s are kept apart; they will not be offered again.",
            first=first,
            second=second,
        ),
    )
    return _back(request, "awards:duplicates", cycle)


async def merge_undo(request: Request) -> Response:
    cycle = await managed_cycle(request)
    merge = await of_cycle(NominationMerge, cycle).get_or_none(id=request.path_params["merge_id"])
    if merge is None:
        raise not_found()
    try:
        restored = await duplicates.undo_merge(
            request.app.state.settings, _user(request), cycle, merge
        )
    except DomainError as exc:
        return await _duplicates_refused(request, cycle, exc)
    flash(
        request,
        _("The merge is undone: nomination %(id)s is back on its own.", id=restored.id),
    )
    return _back(request, "awards:duplicates", cycle)


M = "/awards/{slug}/manage"
# A refused form is shown at its action's address; a GET there (a reload, the language switch)
# leads back to the form's page (core.routing.form_pages).
FORM_PAGES = {
    "awards:appeal_decide": "awards:appeals",
    "awards:duplicate_merge": "awards:duplicates",
    "awards:duplicate_reject": "awards:duplicates",
    "awards:merge_undo": "awards:duplicates",
}
_routes = [
    Route(f"{M}/screening", queue, name="awards:screening"),
    Route(f"{M}/screening", rule, methods=["POST"], name="awards:screening_rule"),
    Route(f"{M}/appeals", appeals, name="awards:appeals"),
    Route(f"{M}/appeals/{{appeal_id:int}}", decide, methods=["POST"], name="awards:appeal_decide"),
    Route(f"{M}/duplicates", duplicate_list, name="awards:duplicates"),
    Route(
        f"{M}/duplicates/merge", duplicate_merge, methods=["POST"], name="awards:duplicate_merge"
    ),
    Route(
        f"{M}/duplicates/reject",
        duplicate_reject,
        methods=["POST"],
        name="awards:duplicate_reject",
    ),
    Route(
        f"{M}/merges/{{merge_id:int}}/undo", merge_undo, methods=["POST"], name="awards:merge_undo"
    ),
]
routes = form_pages(_routes, FORM_PAGES)
