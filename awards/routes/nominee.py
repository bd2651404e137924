"""The nominee's pages: the page behind the signed, expiring link mailed in the nominee's
language (the nomination, accept or decline; someone without an account signs up on the way
and comes back to it), and completing the nomination once accepted."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from awards.models import Cycle, Nomination, of_cycle
from awards.routes.common import not_found, visible_cycle
from awards.rules import NominationAccess
from awards.services import nominee
from core import permissions
from core.errors import DomainError, Invalid
from core.forms import Form
from core.i18n import get_locale, use_locale
from core.i18n import gettext as _
from core.routing import form_pages
from core.security import LANG_COOKIE
from core.storage import BodyTooLarge, cap_body, human_size, upload_dir
from core.web import flash, page, redirect

TEMPLATE = "awards/nominee/accept.html"
COMPLETE = "awards/nominee/complete.html"
MIB = 1024 * 1024


def _here(request: Request, cycle: Cycle) -> str:
    return str(
        request.app.url_path_for(
            "awards:accept", slug=cycle.slug, token=request.path_params["token"]
        )
    )


def _settings(request: Request) -> Any:
    return request.app.state.settings


def _language(request: Request, found: nominee.Invitation) -> str:
    """The nominee's language (the mail's) unless the visitor chose one: with ?lang=, the
    language cookie, or their profile once signed in."""
    chose = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chose or request.state.user is not None:
        return get_locale()
    return found.nomination.nominee_language


async def accept_page(request: Request) -> Response:
    cycle = await visible_cycle(request)
    context: dict[str, Any] = {"cycle": cycle, "here": _here(request, cycle), "found": None}
    try:
        found = await nominee.invitation(_settings(request), cycle, request.path_params["token"])
    except DomainError as exc:
        return page(request, TEMPLATE, Form({}), exc.status_code, message=exc.message, **context)
    with use_locale(_language(request, found)):
        return page(request, TEMPLATE, Form({}), **{**context, "found": found})


async def accept_answer(request: Request) -> Response:
    cycle = await visible_cycle(request)
    here = _here(request, cycle)
    form = Form(await request.form())
    choice = form.choice("answer", ["accept", "decline"])
    user = request.state.user
    context: dict[str, Any] = {"cycle": cycle, "here": here, "found": None}
    try:
        found = await nominee.invitation(_settings(request), cycle, request.path_params["token"])
    except DomainError as exc:
        return page(request, TEMPLATE, form, exc.status_code, message=exc.message, **context)
    context["found"] = found
    if not form.ok:
        return page(
            request, TEMPLATE, form, 422, message=_("Choose to accept or to decline."), **context
        )
    if choice == "accept":
        try:  # accepting needs an account; back to this page (not to a POST address) after
            permissions.require(user, "core.signed_in")
        except permissions.SignInRequired as exc:
            exc.then = here
            raise
    try:
        done = await nominee.answer(
            _settings(request),
            cycle,
            request.path_params["token"],
            accept=choice == "accept",
            user=user,
        )
    except DomainError as exc:
        context["found"] = None
        return page(request, TEMPLATE, form, exc.status_code, message=exc.message, **context)
    if not done.accepted:
        return page(request, "awards/nominee/declined.html", cycle=cycle)
    flash(
        request,
        _(
            "Thank you: you have accepted the nomination. "
            "You may add a biography, a photo and files."
        ),
    )
    return redirect(request, "awards:nominee", slug=cycle.slug, nomination_id=done.nomination.id)


# --- completing the nomination -------------------------------------------------------------


async def _own_nomination(request: Request) -> tuple[Cycle, Nomination]:
    permissions.require(request.state.user, "core.signed_in")
    cycle = await visible_cycle(request)
    found = (
        await of_cycle(Nomination, cycle)
        .get_or_none(id=request.path_params["nomination_id"])
        .select_related("category")
    )
    if found is None:
        raise not_found()
    access = NominationAccess(cycle, found, frozenset())
    permissions.require(request.state.user, "awards.nominee", access, visible="awards.nominee")
    return cycle, found


async def _complete_context(request: Request, cycle: Cycle, row: Nomination) -> dict[str, Any]:
    return {
        "cycle": cycle,
        "nomination": row,
        "category": row.category,
        "files": await nominee.files_of(row),
        "file_limit": human_size(_settings(request).uploads_max_bytes),
    }


async def complete(request: Request) -> Response:
    cycle, row = await _own_nomination(request)
    context = await _complete_context(request, cycle, row)
    if request.method == "GET":
        form = Form.prefilled({"biography": row.nominee_biography})
        return page(request, COMPLETE, form, **context)
    cap = _settings(request).uploads_max_bytes
    limit = cap * (row.category.max_files + 1) + MIB
    try:  # the body is refused past the cap while it streams
        async with cap_body(request, limit).form() as data:
            return await _save(request, cycle, row, data, context)
    except BodyTooLarge:
        form = Form.prefilled({"biography": row.nominee_biography})
        message = _("The files are larger than %(size)s together.", size=human_size(limit))
        return page(request, COMPLETE, form, 413, message=message, **context)


def _files(data: Any, name: str) -> list[Any]:
    values = data.getlist(name) if hasattr(data, "getlist") else []
    return [v for v in values if hasattr(v, "filename") and v.filename]


async def _save(
    request: Request, cycle: Cycle, row: Nomination, data: Any, context: dict[str, Any]
) -> Response:
    form = Form(data)
    biography = form.text(
        "biography", required=False, max_length=nominee.BIOGRAPHY_MAX, multiline=True
    )
    photos = _files(data, "photo")
    if not form.ok:
        return page(request, COMPLETE, form, 422, **context)
    try:
        await nominee.complete(
            upload_dir(request),
            request.state.user,
            cycle,
            row,
            biography=biography,
            photo=photos[0] if photos else None,
            uploads=_files(data, "files"),
            max_bytes=_settings(request).uploads_max_bytes,
        )
    except DomainError as exc:
        if isinstance(exc, Invalid):
            for name, message in exc.errors.items():
                form.error(name, message)
        message = exc.message if not isinstance(exc, Invalid) or not exc.errors else ""
        return page(request, COMPLETE, form, exc.status_code, message=message, **context)
    flash(request, _("Your additions to the nomination have been saved."))
    return redirect(request, "awards:nominee", slug=cycle.slug, nomination_id=row.id)


routes_list = [
    Route("/awards/{slug}/accept/{token}", accept_page, name="awards:accept"),
    Route(
        "/awards/{slug}/accept/{token}/answer",
        accept_answer,
        methods=["POST"],
        name="awards:accept_answer",
    ),
    Route(
        "/awards/{slug}/nominee/{nomination_id:int}",
        complete,
        methods=["GET", "POST"],
        name="awards:nominee",
    ),
]
# A reload of a refused answer shows the page of the link again.
routes = form_pages(routes_list, {"awards:accept_answer": "awards:accept"})
