"""The nominator's pages: the nomination form per category (a new nomination, or a draft or
submitted one edited by the person who started it until the deadline), "my nominations", a
nomination's own page for its nominators, and the appeal of an ineligible ruling."""

from __future__ import annotations

import secrets
from typing import Any

from markupsafe import Markup
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accounts.models import SignedIn
from awards import rules, views
from awards.enums import CyclePhase, NominationState
from awards.models import Category, Cycle, Nomination
from awards.routes import nomination_form
from awards.routes.common import not_found, visible_cycle
from awards.rules import NominationAccess
from awards.services import mine, nominations, questions, screening
from awards.services.common import require_nominations_open, when
from core import permissions
from core.clock import now
from core.errors import Conflict, DomainError, Forbidden, Invalid
from core.forms import Form
from core.i18n import gettext as _
from core.routing import form_pages
from core.storage import (
    ALL_KINDS,
    BodyTooLarge,
    StoredFile,
    cap_body,
    delete_file,
    human_size,
    store_upload,
    upload_dir,
)
from core.web import flash, page

MIB = 1024 * 1024
FORM = "awards/nominate/form.html"


def _user(request: Request) -> SignedIn | None:
    return request.state.user


def _nominator(request: Request, cycle: Cycle) -> SignedIn:
    """The signed-in person, with a verified address, on a published cycle (the phase is
    checked by the caller: a refusal at the deadline keeps the form)."""
    user = _user(request)
    permissions.require(user, "core.signed_in")  # a signed-out visitor signs in and comes back
    assert user is not None
    if not rules.verified(user, cycle):
        raise Forbidden(
            _(
                "Verify your e-mail address before you nominate: follow the link we sent you, "
                "or ask for a new one from the sign-in page."
            )
        )
    if not cycle.published:
        raise Forbidden(_("This award cycle is not published yet: nobody can nominate in it."))
    return user


def _file_cap(request: Request) -> int:
    return int(request.app.state.settings.uploads_max_bytes)


def _uploads(data: Any, name: str) -> list[UploadFile]:
    values = data.getlist(name) if hasattr(data, "getlist") else []
    return [v for v in values if isinstance(v, UploadFile) and v.filename]


async def _context(
    request: Request, cycle: Cycle, category: Category, nomination: Nomination | None
) -> dict[str, Any]:
    return {
        "questions": await questions.of_category(category),
        "cycle": cycle,
        "category": category,
        "nomination": nomination,
        "required": nomination_form.required(category),
        "relations": nomination_form.RELATIONS,
        "nominations_open": cycle.phase(now()) == CyclePhase.NOMINATIONS,
        "files": [],
        # isolated, so "20 MB" keeps its order inside a sentence in the other direction
        "file_limit": Markup("<bdi>{}</bdi>").format(human_size(_file_cap(request))),
        "chosen_again": {},
    }


def _question_fields(context: dict[str, Any]) -> set[str]:
    return {q.field_name for q in context["questions"]}


def _refused(request: Request, form: Form, exc: DomainError, context: dict[str, Any]) -> Response:
    """The form again with what was typed and the service's reasons, each by its field (or
    above the form when it has none)."""
    general: list[str] = []
    if isinstance(exc, Invalid):
        for name, message in exc.errors.items():
            if name in nomination_form.FIELDS or name in _question_fields(context):
                form.error(name, message)
            else:
                general.append(message)
    message = " ".join([exc.message, *general]).strip() if exc.message or general else ""
    return page(request, FORM, form, exc.status_code, message=message, **context)


# --- the nomination form -------------------------------------------------------------------


async def nominate(request: Request) -> Response:
    cycle = await visible_cycle(request)
    category = await Category.get_or_none(id=request.path_params["category_id"], cycle=cycle)
    if category is None:
        raise not_found()
    if request.method == "GET":
        require_nominations_open(cycle, now())  # before asking anyone to sign in
        _nominator(request, cycle)
        form = Form.prefilled(nomination_form.initial(None))
        form.values["form_key"] = secrets.token_hex(16)
        return page(request, FORM, form, **await _context(request, cycle, category, None))
    user = _nominator(request, cycle)
    return await _post(request, user, cycle, category, None)


async def _editable(request: Request) -> tuple[SignedIn, Cycle, Category, Nomination]:
    user = _user(request)
    permissions.require(user, "core.signed_in")
    found = await _visible_access(request)
    row = found.nomination
    permissions.require(user, "awards.nomination_view", found, visible="awards.nomination_view")
    if row.created_by_id != getattr(user, "id", None):
        raise Forbidden(_("Only the person who started this nomination can change it."))
    if row.state not in nominations.OPEN_STATES:
        raise Conflict(_("This nomination can no longer be changed."))
    assert user is not None
    return user, found.cycle, row.category, row


async def nomination_edit(request: Request) -> Response:
    user, cycle, category, row = await _editable(request)
    if request.method == "GET":
        require_nominations_open(cycle, now())
        _nominator(request, cycle)
        context = await _context(request, cycle, category, row)
        form = Form.prefilled(nomination_form.initial(row, context["questions"]))
        context["files"] = await mine.files(row)
        return page(request, FORM, form, **context)
    _nominator(request, cycle)
    return await _post(request, user, cycle, category, row)


async def _post(
    request: Request, user: SignedIn, cycle: Cycle, category: Category, row: Nomination | None
) -> Response:
    context = await _context(request, cycle, category, row)
    if row is not None:
        context["files"] = await mine.files(row)
    cap = _file_cap(request)
    limit = cap * max(category.max_files, 1) + MIB
    try:  # the body is refused past the cap while it streams; the files close afterwards
        async with cap_body(request, limit).form() as data:
            return await _save(request, user, cycle, category, row, data, context)
    except BodyTooLarge:
        message = _(
            "The upload is too large. Each file may be at most %(size)s.", size=human_size(cap)
        )
        return page(request, FORM, Form({}), 413, message=message, **context)


async def _save(
    request: Request,
    user: SignedIn,
    cycle: Cycle,
    category: Category,
    row: Nomination | None,
    data: Any,
    context: dict[str, Any],
) -> Response:
    submit = data.get("action") == "submit" or (row is not None and row.state != "draft")
    form, values = nomination_form.parse(data, category, context["questions"], submit=submit)
    key = str(data.get("form_key", ""))[:64] if row is None else ""
    form.values["form_key"] = key
    uploads = _uploads(data, "files")
    context["chosen_again"] = {"files": [str(u.filename)[:200] for u in uploads]}
    try:  # after the deadline the answer is the deadline, whatever else is wrong
        require_nominations_open(cycle, now())
    except DomainError as exc:
        return _refused(request, form, exc, context)
    if not form.ok:
        return page(request, FORM, form, 422, **context)
    stored: list[StoredFile] = []
    directory = upload_dir(request)
    try:
        for upload in uploads:
            stored.append(
                await store_upload(
                    upload,
                    directory=directory,
                    purpose=mine.FILE_PURPOSE,
                    owner_id=user.id,
                    allowed=set(category.file_kinds or ()) or ALL_KINDS,
                    max_bytes=_file_cap(request),
                    field="files",
                )
            )
        saved = await nominations.save_nomination(
            request.app.state.settings,
            user,
            category,
            values,
            nomination=row,
            files=stored,
            form_key=key or None,
            submit=submit,
        )
    except DomainError as exc:
        for kept in stored:
            await delete_file(directory, kept)
        return _refused(request, form, exc, context)
    return _after_save(request, cycle, saved)


def _after_save(request: Request, cycle: Cycle, saved: nominations.Saved) -> Response:
    row = saved.nomination
    if saved.merged_into is not None:
        flash(
            request,
            _(
                "This nominee or work was already nominated in this category: your nomination "
                "has joined that one, and you are credited as one of its nominators. A receipt "
                "is on its way to your inbox."
            ),
        )
        return _to_nomination(request, saved.merged_into.id)
    if saved.unchanged:
        flash(request, _("Nothing has changed since your last submission."))
        return _to_nomination(request, row.id)
    if saved.version is None:
        flash(
            request,
            _(
                "Your draft has been saved. It is not submitted yet: you can change it until "
                "%(when)s.",
                when=when(cycle, cycle.nominations_close),
            ),
        )
        url = request.url_for("awards:nomination_edit", nomination_id=row.id)
        return RedirectResponse(str(url), status_code=303)
    flash(
        request,
        _(
            "Version %(n)s of your nomination is submitted. Fingerprint: %(fp)s. A receipt is on "
            "its way to your inbox.",
            n=saved.version.number,
            fp=saved.version.fingerprint,
        ),
    )
    return _to_nomination(request, row.id)


async def nomination_file_delete(request: Request) -> Response:
    user, cycle, category, row = await _editable(request)
    _nominator(request, cycle)
    try:
        await mine.remove_draft_file(upload_dir(request), user, row, request.path_params["link_id"])
    except DomainError as exc:
        context = await _context(request, cycle, category, row)
        context["files"] = await mine.files(row)
        form = Form.prefilled(nomination_form.initial(row, context["questions"]))
        return page(request, FORM, form, exc.status_code, message=exc.message, **context)
    flash(request, _("The file has been removed."))
    url = request.url_for("awards:nomination_edit", nomination_id=row.id)
    return RedirectResponse(str(url), status_code=303)


def _to_nomination(request: Request, nomination_id: int) -> Response:
    url = request.url_for("awards:nomination", nomination_id=nomination_id)
    return RedirectResponse(str(url), status_code=303)


# --- my nominations ------------------------------------------------------------------------


async def my_nominations(request: Request) -> Response:
    user = _user(request)
    permissions.require(user, "core.signed_in")
    assert user is not None
    shown = views.MyNominations(request, user)
    made = shown.page(await mine.my_page(user))
    return page(request, "awards/nominate/mine.html", cards=made.cards, juries=made.juries)


def _card(user: SignedIn, listed: mine.MyNomination, found: NominationAccess) -> dict[str, Any]:
    row, appeal = listed.nomination, listed.appeal
    return {
        "nomination": row,
        "ruling": listed.ruling,
        "appeal": appeal,
        "shortlist": listed.shortlist,
        "may_appeal": appeal is None and permissions.allowed(user, "awards.appeal", found),
        "may_edit": row.created_by_id == user.id
        and row.state in nominations.OPEN_STATES
        and permissions.allowed(user, "awards.nomination_edit", found),
    }


# --- one nomination ------------------------------------------------------------------------


async def _visible_access(request: Request) -> NominationAccess:
    """The nomination of the URL and its nominators, if its cycle is visible to this person."""
    row = await mine.nomination(request.path_params["nomination_id"])
    if row is None or not permissions.allowed(_user(request), "awards.view", row.cycle):
        raise not_found()
    return await mine.access(row)


async def nomination_page(request: Request) -> Response:
    user = _user(request)
    permissions.require(user, "core.signed_in")
    assert user is not None
    found = await _visible_access(request)
    permissions.require(user, "awards.nomination_view", found, visible="awards.nomination_view")
    row = found.nomination
    card = _card(user, mine.as_listed(row), found)
    return page(
        request,
        "awards/nominate/nomination.html",
        **card,
        cycle=found.cycle,
        category=row.category,
        questions=await questions.of_category(row.category_id),
        files=await mine.files(row),
        versions=await mine.versions(row),
        credits=await mine.credited(row),
        merged_into=row.merged_into_id,
    )


# --- the appeal ----------------------------------------------------------------------------


def _appeal_refusal(row: Nomination, found: NominationAccess, user: SignedIn) -> str:
    """Why this nomination cannot be appealed now ("" when it can)."""
    if mine.appeal_of(row) is not None:
        return _("This ruling was already appealed: a nomination can be appealed once.")
    if row.state != NominationState.INELIGIBLE or row.final:
        return _("Only an ineligible ruling can be appealed.")
    if now() >= found.cycle.appeals_close:
        return _(
            "Appeals closed on %(when)s. Nothing was changed.",
            when=when(found.cycle, found.cycle.appeals_close),
        )
    return ""


async def appeal(request: Request) -> Response:
    user = _user(request)
    permissions.require(user, "core.signed_in")
    assert user is not None
    found = await _visible_access(request)
    permissions.require(user, "awards.nomination_view", found, visible="awards.nomination_view")
    if user.id not in found.nominator_ids:
        raise Forbidden(_("Only a nominator of this nomination can appeal its ruling."))
    row = found.nomination
    context = {
        "nomination": row,
        "cycle": found.cycle,
        "category": row.category,
        "ruling": mine.latest_ruling(row),
    }
    template = "awards/nominate/appeal.html"
    if request.method == "GET":
        refusal = _appeal_refusal(row, found, user)
        status = 409 if refusal else 200
        return page(
            request, template, Form({}), status, message=refusal, closed=bool(refusal), **context
        )
    form = Form(await request.form())
    statement = form.text("statement", required=False, max_length=5000, multiline=True)
    if not form.ok:
        return page(request, template, form, 422, closed=False, **context)
    try:
        await screening.file_appeal(request.app.state.settings, user, row, statement=statement)
    except DomainError as exc:
        if isinstance(exc, Invalid):
            for name, message in exc.errors.items():
                form.error(name, message)
        closed = not isinstance(exc, Invalid)
        return page(
            request, template, form, exc.status_code, message=exc.message, closed=closed, **context
        )
    flash(
        request,
        _("Your appeal is filed. The organizers will rule on it; their decision is final."),
    )
    return _to_nomination(request, row.id)


# A POST-only action answers a GET (a reload of its refusal) with its form's page.
FORM_PAGES = {"awards:nomination_file_delete": "awards:nomination_edit"}
routes = form_pages(
    [
        Route("/me/awards", my_nominations, name="awards:mine"),
        Route("/me/nominations/{nomination_id:int}", nomination_page, name="awards:nomination"),
        Route(
            "/me/nominations/{nomination_id:int}/edit",
            nomination_edit,
            methods=["GET", "POST"],
            name="awards:nomination_edit",
        ),
        Route(
            "/me/nominations/{nomination_id:int}/files/{link_id:int}/delete",
            nomination_file_delete,
            methods=["POST"],
            name="awards:nomination_file_delete",
        ),
        Route(
            "/me/nominations/{nomination_id:int}/appeal",
            appeal,
            methods=["GET", "POST"],
            name="awards:appeal",
        ),
        Route(
            "/awards/{slug}/nominate/{category_id:int}",
            nominate,
            methods=["GET", "POST"],
            name="awards:nominate",
        ),
    ],
    FORM_PAGES,
)
