"""The organizer's view of a cycle's nominations: the list (search, filters, pages), its CSV
export, one nomination with its files and history, the screening dashboard, and a mail to a
chosen group. Organizers of this cycle and admins only (awards.manage)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from accounts.models import SignedIn
from awards.routes.common import managed_cycle, not_found
from awards.services import listing, mailing, questions
from core.audit_view import action as audit_action
from core.clock import now
from core.errors import NotFound
from core.forms import Form, normalize_text
from core.i18n import gettext as _
from core.mail import letters
from core.pagination import page_number
from core.spreadsheet import MEDIA_TYPE
from core.storage import content_disposition, file_path, upload_dir
from core.web import flash, page, redirect


def _user(request: Request) -> SignedIn:
    user = request.state.user
    assert user is not None  # managed_cycle asked anonymous visitors to sign in
    return user


# --- the list ------------------------------------------------------------------------------


async def nomination_list(request: Request) -> Response:
    cycle = await managed_cycle(request)
    filters = listing.ListFilter.from_query(request.query_params)
    found = await listing.nominations(cycle, filters, page_number(request.query_params.get("page")))
    return page(
        request,
        "awards/manage/nominations.html",
        cycle=cycle,
        listing=found,
        page_=found.page,
        filters=filters,
        categories=list(found.categories.values()),
        states=listing.STATES,
        moment=now(),
    )


async def export(request: Request) -> Response:
    cycle = await managed_cycle(request)
    # The list's own filter (its query string, parsed and run by the same code as the page).
    data = await listing.export(cycle, listing.ListFilter.from_query(request.query_params))
    filename = f"{cycle.slug}-nominations-{now():%Y%m%d-%H%M}.csv"
    return Response(
        data,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


# --- one nomination ------------------------------------------------------------------------


async def nomination_detail(request: Request) -> Response:
    cycle = await managed_cycle(request)
    found = await listing.detail(cycle, request.path_params["nomination_id"])
    if found is None:
        raise not_found()
    directory = upload_dir(request)
    labels = request.app.state.hooks.audit
    by_sha = {f.file.sha256: f for f in found.files}
    return page(
        request,
        "awards/manage/nominations_detail.html",
        cycle=cycle,
        detail=found,
        nomination=found.nomination,
        questions=await questions.of_category(found.nomination.category_id),
        available={f.id for f in found.files if file_path(directory, f.file).is_file()},
        by_sha=by_sha,
        acceptance=listing.acceptance_state(cycle, found.nomination),
        lapsed=listing.lapsed(cycle, found.nomination),
        history=[(entry, audit_action(labels, entry.action)) for entry in found.history],
        states=listing.STATES,
        relations=listing.RELATIONS,
        rulings=listing.RULINGS,
        appeal_states=listing.APPEAL_STATES,
        merge_reasons=listing.MERGE_REASONS,
    )


async def nomination_file(request: Request) -> Response:
    """A nomination's file, to the cycle's organizers and admins, as an attachment."""
    cycle = await managed_cycle(request)
    row = await listing.nomination_file(
        cycle, request.path_params["nomination_id"], request.path_params["file_id"]
    )
    path = file_path(upload_dir(request), row.file) if row else None
    if row is None or path is None or not path.is_file():
        raise NotFound(_("This file does not exist or is not available to you."))
    return FileResponse(
        path,
        media_type=row.file.content_type,
        headers={
            "Content-Disposition": content_disposition("attachment", row.file.original_name),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


# --- the screening dashboard ---------------------------------------------------------------


async def screening_dashboard(request: Request) -> Response:
    cycle = await managed_cycle(request)
    return page(
        request,
        "awards/manage/nominations_dashboard.html",
        cycle=cycle,
        board=await listing.dashboard(cycle),
        states=listing.STATES,
    )


# --- mail to a group -----------------------------------------------------------------------


def _either_language() -> str:
    return _("Write it in Arabic, in English, or both.")


def mail_form(data: Mapping[str, Any]) -> Form:
    """The group, and the subject and message in Arabic, English or both; a greeting left as
    the page opened it, under no subject, is a language the organizer did not write in."""
    form = Form(data)
    form.choice("group", list(mailing.GROUPS))
    form.bilingual("subject", max_length=200)
    form.bilingual("body", max_length=20000, multiline=True)
    for lang, greeting in mailing.GREETINGS.items():
        untouched = form.values[f"body_{lang}"] == normalize_text(greeting, multiline=True)
        if untouched and not form.values[f"subject_{lang}"]:
            form.values[f"body_{lang}"] = form.clean[f"body_{lang}"] = ""
    for base in ("subject", "body"):
        if not (form.values[f"{base}_ar"] or form.values[f"{base}_en"]):
            form.error(f"{base}_ar", _either_language())
    for name in ("subject_ar", "subject_en", "body_ar", "body_en"):
        unknown = [
            p
            for p in letters.PLACEHOLDER_RE.findall(form.values[name])
            if p not in mailing.PLACEHOLDERS
        ]
        if unknown:
            form.error(
                name,
                _("Unknown placeholder {%(name)s}. Use {name} or {cycle}.", name=unknown[0]),
            )
    for subject, body in (("subject_ar", "body_ar"), ("subject_en", "body_en")):
        if bool(form.values[subject]) != bool(form.values[body]):
            missing = body if form.values[subject] else subject
            form.error(missing, _("Write the subject and the message in the same language."))
    return form


async def group_mail(request: Request) -> Response:
    cycle = await managed_cycle(request)
    context: dict[str, Any] = {
        "cycle": cycle,
        "groups": mailing.GROUPS,
        "samples": [],
        "count": 0,
        "empty": False,
    }
    template = "awards/manage/nominations_mail.html"
    if request.method == "GET":
        wanted = request.query_params.get("group", "")
        form = Form.prefilled(
            {
                "group": wanted if wanted in mailing.GROUPS else "nominators",
                **{f"body_{k}": v for k, v in mailing.GREETINGS.items()},
            }
        )
        return page(request, template, form, **context)
    data = await request.form()
    form = mail_form(data)
    if not form.ok:
        return page(request, template, form, 422, **context)
    group = form.values["group"]
    if data.get("action") != "send":
        people = await mailing.recipients(cycle, group)
        context.update(
            count=len(people),
            samples=mailing.samples(cycle, people, form.values),
            empty=not people,
        )
        return page(request, template, form, **context)
    sent = await mailing.send(_user(request), cycle, group, form.values)
    flash(request, _("%(n)s mails are queued in the outbox.", n=sent))
    return redirect(request, "awards:nominations", slug=cycle.slug)


M = "/awards/{slug}/manage"
routes = [
    Route(f"{M}/nominations", nomination_list, name="awards:nominations"),
    Route(f"{M}/nominations.csv", export, name="awards:nominations_export"),
    Route(
        f"{M}/nominations/{{nomination_id:int}}",
        nomination_detail,
        name="awards:manage_nomination",
    ),
    Route(
        f"{M}/nominations/{{nomination_id:int}}/files/{{file_id:int}}",
        nomination_file,
        name="awards:manage_nomination_file",
    ),
    Route(f"{M}/screening-dashboard", screening_dashboard, name="awards:screening_dashboard"),
    Route(f"{M}/mail", group_mail, methods=["GET", "POST"], name="awards:mail"),
]
