"""The organizer's pages of a cycle: create it, its dashboard (phase, timeline, links),
settings, publication, extending a deadline, its ordered categories and its list of screening
reasons."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.functions import Count

from accounts.models import SignedIn
from awards import forms, labels
from awards.enums import Milestone, NominationState, Visibility
from awards.models import Category, Cycle, Nomination, ScreeningReason, of_cycle
from awards.routes.common import managed_cycle, not_found, timeline_items
from awards.services import cycles, public
from core import permissions
from core.clock import now
from core.errors import DomainError, Invalid
from core.forms import Form
from core.i18n import gettext as _
from core.routing import form_pages
from core.storage import KINDS
from core.web import flash, page, redirect


def _user(request: Request) -> SignedIn:
    user = request.state.user
    assert user is not None  # the permission check before this asked anonymous to sign in
    return user


def refused(
    request: Request, template: str, form: Form, exc: DomainError, **extra: Any
) -> Response:
    """The form again with what was typed and the service's reason."""
    if isinstance(exc, Invalid):
        for name, message in exc.errors.items():
            form.error(name, message)
    message = exc.message if not isinstance(exc, Invalid) or not exc.errors else ""
    return page(request, template, form, exc.status_code, message=message, **extra)


# --- the cycle -----------------------------------------------------------------------------

CYCLE_FORM = "awards/manage/cycle_form.html"


def _cycle_context(cycle: Cycle | None) -> dict[str, Any]:
    return {"cycle": cycle, "time_zones": forms.TIME_ZONES, "milestones": list(Milestone)}


async def cycle_new(request: Request) -> Response:
    permissions.require(request.state.user, "awards.create")
    context = _cycle_context(None)
    if request.method == "GET":
        form = Form.prefilled(forms.cycle_defaults(now().year))
        return page(request, CYCLE_FORM, form, **context)
    form = forms.cycle(await request.form())
    if not form.ok:
        return page(request, CYCLE_FORM, form, 422, **context)
    try:
        cycle = await cycles.create_cycle(_user(request), forms.cycle_values(form))
    except DomainError as exc:
        return refused(request, CYCLE_FORM, form, exc, **context)
    flash(request, _("The award cycle is created as a draft. Add its categories, then publish."))
    return redirect(request, "awards:manage", slug=cycle.slug)


async def cycle_edit(request: Request) -> Response:
    cycle = await managed_cycle(request)
    context = _cycle_context(cycle)
    if request.method == "GET":
        return page(request, CYCLE_FORM, Form.prefilled(forms.cycle_initial(cycle)), **context)
    form = forms.cycle(await request.form())
    if not form.ok:
        return page(request, CYCLE_FORM, form, 422, **context)
    slug = cycle.slug
    try:
        await cycles.update_cycle(_user(request), cycle, forms.cycle_values(form))
    except DomainError as exc:
        cycle.slug = slug  # the form posts to the address the cycle still has
        return refused(request, CYCLE_FORM, form, exc, **context)
    flash(request, _("The award cycle has been saved."))
    return redirect(request, "awards:manage", slug=cycle.slug)


async def visibility(request: Request) -> Response:
    cycle = await managed_cycle(request)
    form = Form(await request.form())
    wanted = form.choice("visibility", [v.value for v in Visibility])
    if not form.ok:
        return page(request, "awards/manage/dashboard.html", form, 422, **await _dashboard(cycle))
    await cycles.set_visibility(_user(request), cycle, Visibility(wanted))
    flash(
        request,
        _("The award cycle is published.")
        if wanted == Visibility.PUBLISHED
        else _("The award cycle is back to draft: only its organizers can see it."),
    )
    return redirect(request, "awards:manage", slug=cycle.slug)


async def _dashboard(cycle: Cycle) -> dict[str, Any]:
    moment = now()
    counts = {state.value: 0 for state in NominationState}
    rows = (
        await of_cycle(Nomination, cycle)
        .annotate(n=Count("id"))
        .group_by("state")
        .values("state", "n")
    )
    for row in rows:
        counts[str(row["state"])] = row["n"]
    return {
        "cycle": cycle,
        "phase": cycle.phase(moment).value,
        "timeline": timeline_items(cycle, moment),
        "milestones": list(Milestone),
        "categories": await public.categories(cycle),
        "reason_count": await of_cycle(ScreeningReason, cycle).filter(active=True).count(),
        "counts": counts,
        "acceptance_deadline": cycle.acceptance_deadline,
    }


async def dashboard(request: Request) -> Response:
    cycle = await managed_cycle(request)
    return page(request, "awards/manage/dashboard.html", Form({}), **await _dashboard(cycle))


async def extend(request: Request) -> Response:
    cycle = await managed_cycle(request)
    form = forms.extend(await request.form(), cycle.time_zone)
    if form.ok:
        try:
            await cycles.extend_deadline(
                _user(request), cycle, Milestone(form.values["milestone"]), form.clean["until_utc"]
            )
        except DomainError as exc:
            return refused(
                request, "awards/manage/dashboard.html", form, exc, **await _dashboard(cycle)
            )
        flash(request, _("The deadline has been moved."))
        return redirect(request, "awards:manage", slug=cycle.slug)
    return page(request, "awards/manage/dashboard.html", form, 422, **await _dashboard(cycle))


# --- categories ----------------------------------------------------------------------------

CATEGORY_LIST = "awards/manage/categories.html"
CATEGORY_FORM = "awards/manage/category_form.html"


def _category_choices() -> dict[str, Any]:
    return {
        "nominee_types": [(k, _(v)) for k, v in labels.NOMINEE_TYPES.items()],
        "file_kind_names": list(KINDS),
    }


async def _categories(cycle: Cycle) -> dict[str, Any]:
    return {
        "categories": await public.categories(cycle),
        **_category_choices(),
    }


async def _category(request: Request, cycle: Cycle) -> Category:
    found = await of_cycle(Category, cycle).get_or_none(id=request.path_params["category_id"])
    if found is None:
        raise not_found()
    return found


async def categories(request: Request) -> Response:
    cycle = await managed_cycle(request)
    context = {"cycle": cycle, **await _categories(cycle)}
    if request.method == "GET":
        return page(request, CATEGORY_LIST, Form.prefilled(forms.CATEGORY_DEFAULTS), **context)
    form = forms.category(await request.form())
    if not form.ok:
        return page(request, CATEGORY_LIST, form, 422, **context)
    try:
        await cycles.add_category(_user(request), cycle, forms.category_values(form))
    except DomainError as exc:
        return refused(request, CATEGORY_LIST, form, exc, **context)
    flash(request, _("The category has been added."))
    return redirect(request, "awards:categories", slug=cycle.slug)


async def category_edit(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(request, cycle)
    context = {"cycle": cycle, "category": category, **_category_choices()}
    if request.method == "GET":
        form = Form.prefilled(forms.category_initial(category))
        return page(request, CATEGORY_FORM, form, **context)
    form = forms.category(await request.form())
    if not form.ok:
        return page(request, CATEGORY_FORM, form, 422, **context)
    try:
        await cycles.update_category(_user(request), cycle, category, forms.category_values(form))
    except DomainError as exc:
        return refused(request, CATEGORY_FORM, form, exc, **context)
    flash(request, _("The category has been saved."))
    return redirect(request, "awards:categories", slug=cycle.slug)


async def category_move(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(request, cycle)
    form = Form(await request.form())
    direction = form.choice("direction", ["up", "down"])
    if not form.ok:
        return page(
            request,
            CATEGORY_LIST,
            Form.prefilled(forms.CATEGORY_DEFAULTS),
            422,
            message=_("Choose to move the category up or down."),
            cycle=cycle,
            **await _categories(cycle),
        )
    await cycles.move_category(_user(request), cycle, category, -1 if direction == "up" else 1)
    return redirect(request, "awards:categories", slug=cycle.slug)


# --- screening reasons ---------------------------------------------------------------------

REASON_LIST = "awards/manage/reasons.html"
REASON_FORM = "awards/manage/reason_form.html"


async def _reasons(cycle: Cycle) -> dict[str, Any]:
    return {"reasons": list(await of_cycle(ScreeningReason, cycle).order_by("position", "id"))}


async def reasons(request: Request) -> Response:
    cycle = await managed_cycle(request)
    context = {"cycle": cycle, **await _reasons(cycle)}
    if request.method == "GET":
        return page(request, REASON_LIST, Form({}), **context)
    form = forms.reason(await request.form())
    if not form.ok:
        return page(request, REASON_LIST, form, 422, **context)
    try:
        await cycles.add_screening_reason(
            _user(request),
            cycle,
            code=form.clean["code"],
            label_ar=form.clean["label_ar"],
            label_en=form.clean["label_en"],
        )
    except DomainError as exc:
        return refused(request, REASON_LIST, form, exc, **context)
    flash(request, _("The screening reason has been added."))
    return redirect(request, "awards:reasons", slug=cycle.slug)


async def reason_edit(request: Request) -> Response:
    cycle = await managed_cycle(request)
    reason = await of_cycle(ScreeningReason, cycle).get_or_none(id=request.path_params["reason_id"])
    if reason is None:
        raise not_found()
    context = {"cycle": cycle, "reason": reason}
    if request.method == "GET":
        initial = {
            "code": reason.code,
            "label_ar": reason.label_ar,
            "label_en": reason.label_en,
            "active": reason.active,
        }
        return page(request, REASON_FORM, Form.prefilled(initial), **context)
    form = forms.reason(await request.form())
    if not form.ok:
        return page(request, REASON_FORM, form, 422, **context)
    try:
        await cycles.update_screening_reason(
            _user(request),
            cycle,
            reason,
            code=form.clean["code"],
            label_ar=form.clean["label_ar"],
            label_en=form.clean["label_en"],
            active=form.clean["active"],
        )
    except DomainError as exc:
        return refused(request, REASON_FORM, form, exc, **context)
    flash(request, _("The screening reason has been saved."))
    return redirect(request, "awards:reasons", slug=cycle.slug)


M = "/awards/{slug}/manage"
routes_before_slug = [
    Route("/awards/new", cycle_new, methods=["GET", "POST"], name="awards:new"),
]
# A POST-only action answers a GET (a reload of its refused form) with its form's page.
FORM_PAGES = {
    "awards:visibility": "awards:manage",
    "awards:extend": "awards:manage",
    "awards:category_move": "awards:categories",
}
routes_list = [
    Route(M, dashboard, name="awards:manage"),
    Route(f"{M}/edit", cycle_edit, methods=["GET", "POST"], name="awards:edit"),
    Route(f"{M}/visibility", visibility, methods=["POST"], name="awards:visibility"),
    Route(f"{M}/extend", extend, methods=["POST"], name="awards:extend"),
    Route(f"{M}/categories", categories, methods=["GET", "POST"], name="awards:categories"),
    Route(
        f"{M}/categories/{{category_id:int}}",
        category_edit,
        methods=["GET", "POST"],
        name="awards:category_edit",
    ),
    Route(
        f"{M}/categories/{{category_id:int}}/move",
        category_move,
        methods=["POST"],
        name="awards:category_move",
    ),
    Route(f"{M}/reasons", reasons, methods=["GET", "POST"], name="awards:reasons"),
    Route(
        f"{M}/reasons/{{reason_id:int}}",
        reason_edit,
        methods=["GET", "POST"],
        name="awards:reason_edit",
    ),
]
routes = form_pages(routes_list, FORM_PAGES)
