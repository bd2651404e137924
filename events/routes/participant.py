"""The participant's pages of a Mediathon: registration, teams, invitations, the submission
and the participant's dashboard. The public pages are in events.routes.public, the organizer's
in events.routes.manage and the JSON API in events.routes.api; events.plugin assembles them."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accounts.models import SignedIn
from core import answers, permissions
from core.clock import now
from core.errors import DomainError
from core.forms import Form
from core.i18n import gettext as _
from core.i18n import localized, localized_in
from core.storage import BodyTooLarge, cap_body, human_size, upload_dir
from core.templating import user_written
from core.web import flash, page, redirect, safe_next
from events import forms, phases, views
from events.enums import QuestionKind, QuestionScope, SubmissionState
from events.models import Event, Registration, Track, of_event
from events.routes.common import (
    MIB,
    event_or_404,
    file_cap,
    links,
    refused,
    secret,
    team_access,
    uploads_in,
    visible_event,
)
from events.rules import TeamAccess
from events.services import (
    editions,
    submissions,
    teams,
    uploads,
)
from events.services import registration as registration_service
from events.services.dashboard import participant_overview


def _user(request: Request) -> SignedIn | None:
    return request.state.user


def _register_url(request: Request, event: Event, next_url: str) -> str:
    target = request.url_for("events:register", slug=event.slug)
    return str(target.include_query_params(next=next_url))


def _needs_registration(
    request: Request, event: Event, exc: DomainError, then: str = ""
) -> Response:
    flash(request, exc.message, "info")
    return RedirectResponse(
        _register_url(request, event, then or request.url.path), status_code=303
    )


def _too_large(request: Request, template: str, per_file: int, **extra: Any) -> Response:
    message = _(
        "The upload is too large. Each file may be at most %(size)s.", size=human_size(per_file)
    )
    return page(request, template, Form({}), 413, message=message, **extra)


# --- registration --------------------------------------------------------------------------


async def register(request: Request) -> Response:
    event = await event_or_404(request)
    user = _user(request)
    permissions.require(user, "events.register", event, visible="events.view")
    assert user is not None
    registration_service.require_registration_open(event, now())
    questions = await editions.questions(event, QuestionScope.REGISTRATION)
    registration = await registration_service.registration_of(event, user)
    existing = registration.answers if registration else {}
    context = {
        "event": event,
        "questions": questions,
        "registration": registration,
        "next": safe_next(request.query_params.get("next", "")),
        "has_files": any(q.kind == QuestionKind.FILE for q in questions),
        "existing": existing,
    }
    context["accepting"] = _accepting(request, event, context["next"]) is not None
    if request.method == "GET":
        form = Form({})
        form.values.update(answers.initial_values(questions, existing))
        return page(request, "events/register.html", form, **context)
    cap = file_cap(request, event)
    try:  # the body is refused past the cap while it streams; the files close afterwards
        async with cap_body(request, cap * max(1, len(questions)) + MIB).form() as data:
            context["next"] = safe_next(str(data.get("next", "")))
            return await _save_registration(request, event, user, data, context)
    except BodyTooLarge:
        return _too_large(request, "events/register.html", cap, **context)


async def _save_registration(
    request: Request, event: Event, user: SignedIn, data: Any, context: dict[str, Any]
) -> Response:
    form = Form(data)
    parsed = answers.parse(form, context["questions"], context["existing"])
    wanted = [(q.id, q.field_name, up) for q, up in parsed.uploads]
    if not form.ok:
        context["chosen_again"] = _chosen(wanted)
        return page(request, "events/register.html", form, 422, **context)

    async def register(stored: uploads.Stored) -> Registration:
        return await registration_service.register(
            links(request), user, event, parsed.answers, dict(stored)
        )

    try:
        await uploads.store_then(
            upload_dir(request),
            wanted,
            register,
            purpose="events.registration",
            owner_id=user.id,
            max_bytes=file_cap(request, event),
        )
    except DomainError as exc:
        context["chosen_again"] = _chosen(wanted)
        return refused(request, "events/register.html", form, exc, **context)
    flash(
        request,
        _("You are registered for %(event)s.", event=localized(event, "title"))
        if context["registration"] is None
        else _("Your answers have been saved."),
    )
    token = _accepting(request, event, context["next"])
    if token is not None:  # they came from "accept": registering finishes what they asked
        return await _accept_after_registering(request, event, user, token)
    if context["next"]:
        return RedirectResponse(context["next"], status_code=303)
    return redirect(request, "events:detail", slug=event.slug)


def _accepting(request: Request, event: Event, next_url: str) -> str | None:
    """The invitation token when `next` is this event's "accept the invitation" address."""
    mark = "~"  # stands for the token in the route's own path
    path = str(request.app.url_path_for("events:invitation_accept", slug=event.slug, token=mark))
    head, tail = path.split(mark)
    if next_url.startswith(head) and next_url.endswith(tail):
        token = next_url[len(head) : len(next_url) - len(tail)]
        if token and "/" not in token and "?" not in token:
            return token
    return None


async def _accept_after_registering(
    request: Request, event: Event, user: SignedIn, token: str
) -> Response:
    """The person pressed "accept" before registering; the invitation stays bound to their
    address (teams.accept checks it), so it is accepted now, or they see why not."""
    found = await teams.invitation_for(secret(request), event, token)
    here = str(request.app.url_path_for("events:invitation", slug=event.slug, token=token))
    if found is None:
        return RedirectResponse(here, status_code=303)
    try:
        team = await teams.accept(user, event, found)
    except DomainError as exc:
        flash(request, exc.message, "error")
        return RedirectResponse(here, status_code=303)
    flash(request, _("Welcome to team %(team)s.", team=team.name))
    return redirect(request, "events:team", slug=event.slug, team_id=team.id)


async def unregister(request: Request) -> Response:
    event = await visible_event(request)
    user = _user(request)
    permissions.require(user, "events.participant", event, visible="events.view")
    assert user is not None
    try:
        await registration_service.unregister(user, event)
    except DomainError as exc:
        flash(request, exc.message, "error")
        return redirect(request, "events:detail", slug=event.slug)
    flash(request, _("Your registration has been cancelled."))
    return redirect(request, "events:detail", slug=event.slug)


# --- teams ---------------------------------------------------------------------------------


async def team_new(request: Request) -> Response:
    event = await event_or_404(request)
    user = _user(request)
    permissions.require(user, "events.register", event, visible="events.view")
    assert user is not None
    teams.require_teams_open(event, now())
    current = await teams.team_of(event, user)
    if current is not None and current.active:
        return redirect(request, "events:team", slug=event.slug, team_id=current.id)
    tracks = list(await of_event(Track, event).order_by("position", "id"))
    if request.method == "GET":
        return page(request, "events/team_new.html", Form({}), event=event, tracks=tracks)
    form = forms.team(await request.form(), [t.id for t in tracks])
    if not form.ok:
        return page(request, "events/team_new.html", form, 422, event=event, tracks=tracks)
    track = next((t for t in tracks if str(t.id) == form.values.get("track")), None)
    try:
        team = await teams.create_team(user, event, name=form.values["name"], track=track)
    except registration_service.RegistrationNeeded as exc:
        return _needs_registration(request, event, exc)
    except DomainError as exc:
        return refused(request, "events/team_new.html", form, exc, event=event, tracks=tracks)
    flash(request, _("Your team %(team)s is ready. Invite your teammates.", team=team.name))
    return redirect(request, "events:team", slug=event.slug, team_id=team.id)


async def _team_context(request: Request, found: TeamAccess) -> dict[str, Any]:
    event, team = found.event, found.team
    submission = await submissions.submission_of(event, team)
    files = await submissions.current_files(submission)
    moment = now()
    frozen = await submissions.frozen(event)
    changed = bool(
        submission
        and submission.state == SubmissionState.SUBMITTED
        and submissions.fp.fingerprint(submissions.snapshot(submission, files))
        != submission.fingerprint
    )
    return {
        "event": event,
        "team": team,
        "members": await teams.members(team),
        "invitations": await teams.pending_of_team(event, team),
        "submission": submission,
        "files": files,
        "unsubmitted_changes": changed,
        "versions": await submissions.versions(submission) if submission else [],
        "is_captain": permissions.allowed(_user(request), "events.team_manage", found),
        "is_member": permissions.allowed(_user(request), "events.team_member", found),
        "may_withdraw_submission": permissions.allowed(
            _user(request), "events.submission_withdraw", found
        ),
        "teams_open": phases.teams_open(event.timeline, moment),
        "submissions_open": phases.submissions_open(event.timeline, moment) and not frozen,
        "frozen": frozen,
        "before_submissions": moment < event.submissions_open,
        "remaining": phases.remaining(event.submissions_close, moment),
    }


async def team_page(request: Request) -> Response:
    event = await visible_event(request)
    found = await team_access(request, event, "events.team_view")
    return page(request, "events/team.html", Form({}), **await _team_context(request, found))


async def _team_refused(
    request: Request, found: TeamAccess, form: Form, exc: DomainError
) -> Response:
    return refused(request, "events/team.html", form, exc, **await _team_context(request, found))


async def team_invite(request: Request) -> Response:
    event = await visible_event(request)
    found = await team_access(request, event, "events.team_manage")
    user = _user(request)
    assert user is not None
    form = forms.invite(await request.form())
    if not form.ok:
        return page(request, "events/team.html", form, 422, **await _team_context(request, found))
    try:
        await teams.invite(secret(request), links(request), user, found, form.values["email"])
    except DomainError as exc:
        return await _team_refused(request, found, form, exc)
    flash(request, _("An invitation is on its way to %(email)s.", email=form.values["email"]))
    return redirect(request, "events:team", slug=event.slug, team_id=found.team.id)


def _int(data: Any, name: str) -> int:
    raw = str(data.get(name, ""))
    return int(raw) if raw.isdigit() and len(raw) < 12 else 0


async def _acting(request: Request, rule: str) -> tuple[TeamAccess, SignedIn, Any]:
    """The team in the path, the member allowed by `rule`, and the posted form."""
    event = await visible_event(request)
    found = await team_access(request, event, rule)
    user = _user(request)
    assert user is not None
    return found, user, await request.form()


async def _changed(
    request: Request, found: TeamAccess, change: Awaitable[Any], message: str, *, gone: bool = False
) -> Response:
    """Run the team's change: its refusal on the team page, else `message` and the team page
    (or the dashboard, for whoever is `gone` from the team)."""
    try:
        await change
    except DomainError as exc:
        return await _team_refused(request, found, Form({}), exc)
    flash(request, message)
    if gone:
        return redirect(request, "events:mine")
    return redirect(request, "events:team", slug=found.event.slug, team_id=found.team.id)


async def team_revoke(request: Request) -> Response:
    found, user, data = await _acting(request, "events.team_manage")
    change = teams.revoke(user, found, _int(data, "invitation"))
    return await _changed(request, found, change, _("The invitation has been withdrawn."))


async def team_remove(request: Request) -> Response:
    found, user, data = await _acting(request, "events.team_manage")
    change = teams.remove_member(user, found, _int(data, "member"))
    return await _changed(request, found, change, _("The member has been removed from the team."))


async def team_captain(request: Request) -> Response:
    found, user, data = await _acting(request, "events.team_manage")
    change = teams.hand_over(user, found, _int(data, "member"))
    return await _changed(request, found, change, _("Captaincy has been handed over."))


async def team_code(request: Request) -> Response:
    found, user, _data = await _acting(request, "events.team_manage")
    change = teams.new_code(user, found)
    return await _changed(request, found, change, _("The team has a new join code."))


async def team_withdraw(request: Request) -> Response:
    found, user, _data = await _acting(request, "events.team_manage")
    change = teams.withdraw(user, found)
    message = _("Your team has withdrawn from the event.")
    return await _changed(request, found, change, message, gone=True)


async def team_leave(request: Request) -> Response:
    found, user, _data = await _acting(request, "events.team_member")
    change = teams.leave(user, found)
    return await _changed(request, found, change, _("You have left the team."), gone=True)


def _join_path(request: Request, event: Event, code: str) -> str:
    """The join form with the code already typed, to come back to after a detour."""
    path = str(request.app.url_path_for("events:join", slug=event.slug))
    return f"{path}?{urlencode({'code': code[:12]})}" if code else path


async def join(request: Request) -> Response:
    event = await event_or_404(request)
    user = _user(request)
    try:
        permissions.require(user, "events.register", event, visible="events.view")
    except permissions.SignInRequired as exc:
        if request.method == "POST":  # signed out while typing: the code survives sign-in
            exc.then = _join_path(request, event, forms.join(await request.form()).values["code"])
        raise
    assert user is not None
    if request.method == "GET":
        form = Form({})
        form.values["code"] = request.query_params.get("code", "")[:12]
        return page(request, "events/join.html", form, event=event)
    form = forms.join(await request.form())
    if not form.ok:
        return page(request, "events/join.html", form, 422, event=event)
    try:
        team = await teams.join_by_code(user, event, form.values["code"])
    except registration_service.RegistrationNeeded as exc:
        return _needs_registration(
            request, event, exc, _join_path(request, event, form.values["code"])
        )
    except DomainError as exc:
        return refused(request, "events/join.html", form, exc, event=event)
    flash(request, _("Welcome to team %(team)s.", team=team.name))
    return redirect(request, "events:team", slug=event.slug, team_id=team.id)


# --- invitations ---------------------------------------------------------------------------


async def _invitation(request: Request) -> tuple[Event, Any]:
    event = await visible_event(request)
    invitation = await teams.invitation_for(secret(request), event, request.path_params["token"])
    return event, invitation


async def invitation(request: Request) -> Response:
    event, found = await _invitation(request)
    status = 200 if found is not None else 404
    usable = found is not None and found.usable(now())
    return page(
        request,
        "events/invitation.html",
        Form({}),
        status,
        event=event,
        invitation=found,
        usable=usable,
        here=_invitation_path(request, event),
    )


def _invitation_path(request: Request, event: Event) -> str:
    return str(
        request.app.url_path_for(
            "events:invitation", slug=event.slug, token=request.path_params["token"]
        )
    )


async def invitation_accept(request: Request) -> Response:
    return await _answer(request, accepting=True)


async def invitation_decline(request: Request) -> Response:
    return await _answer(request, accepting=False)


async def _answer(request: Request, *, accepting: bool) -> Response:
    event, found = await _invitation(request)
    user = _user(request)
    try:
        permissions.require(user, "events.register", event, visible="events.view")
    except permissions.SignInRequired as exc:  # back to the invitation, not to a POST address
        exc.then = _invitation_path(request, event)
        raise
    assert user is not None
    if found is None:
        return page(
            request,
            "events/invitation.html",
            Form({}),
            404,
            event=event,
            invitation=None,
            usable=False,
            here=_invitation_path(request, event),
        )
    try:
        if accepting:
            await teams.accept(user, event, found)
        else:
            await teams.decline(user, event, found)
    except registration_service.RegistrationNeeded as exc:
        flash(request, exc.message, "info")
        then = _invitation_path(request, event) + ("/accept" if accepting else "")
        return RedirectResponse(_register_url(request, event, then), status_code=303)
    except DomainError as exc:
        return refused(
            request,
            "events/invitation.html",
            Form({}),
            exc,
            event=event,
            invitation=found,
            usable=False,
            here=_invitation_path(request, event),
        )
    if not accepting:
        flash(request, _("You have declined the invitation."))
        return redirect(request, "events:mine")
    flash(request, _("Welcome to team %(team)s.", team=found.team.name))
    return redirect(request, "events:team", slug=event.slug, team_id=found.team.id)


# --- the submission ------------------------------------------------------------------------


async def _submission_context(request: Request, found: TeamAccess) -> dict[str, Any]:
    event, team = found.event, found.team
    submission = await submissions.submission_of(event, team)
    frozen = await submissions.frozen(event)
    return {
        "event": event,
        "team": team,
        "submission": submission,
        "files": await submissions.current_files(submission),
        "tracks": list(await of_event(Track, event).order_by("position", "id")),
        "questions": await editions.questions(event, QuestionScope.SUBMISSION),
        "remaining": phases.remaining(event.submissions_close, now()),
        "submissions_open": phases.submissions_open(event.timeline, now()) and not frozen,
        "frozen": frozen,
        # isolated, so "20 MB" keeps its order inside a sentence in the other direction
        "file_limit": Markup("<bdi>{}</bdi>").format(human_size(file_cap(request, event))),
    }


def _submission_values(context: dict[str, Any]) -> dict[str, Any]:
    submission = context["submission"]
    if submission is None:
        track = context["team"].track_id
        return {"track": str(track) if track else ""}
    values = {name: getattr(submission, name) for name in submissions.TEXT_FIELDS}
    values["track"] = str(submission.track_id or "")
    values.update(answers.initial_values(context["questions"], submission.answers or {}))
    return values


async def submission_edit(request: Request) -> Response:
    event = await visible_event(request)
    found = await team_access(request, event, "events.submission_edit")
    context = await _submission_context(request, found)
    if request.method == "GET":
        form = Form({})
        form.values.update(_submission_values(context))
        return page(request, "events/submission.html", form, **context)
    cap = file_cap(request, event)
    limit = cap * (event.max_attachments + len(context["questions"])) + MIB
    try:  # the body is refused past the cap while it streams; the files close afterwards
        async with cap_body(request, limit).form() as data:
            return await _save_submission(request, found, data, context)
    except BodyTooLarge:
        return _too_large(request, "events/submission.html", cap, **context)


def _parse_submission(
    data: Any, found: TeamAccess, context: dict[str, Any]
) -> tuple[Form, Any, list[Any]]:
    """The fields, the answers and the new attachments, with messages for what is wrong."""
    event = found.event
    existing = context["submission"].answers if context["submission"] else {}
    form, parsed = forms.submission(
        data,
        [t.id for t in context["tracks"]],
        context["questions"],
        existing,
        submit=data.get("action") == "submit",
    )
    attachments = uploads_in(data, "attachments")
    present = sum(1 for f in context["files"] if f.question_id is None)
    if present + len(attachments) > event.max_attachments:
        form.error(
            "attachments",
            _(
                "A submission can have at most %(n)s attachments; it has %(present)s.",
                n=event.max_attachments,
                present=present,
            ),
        )
    return form, parsed, attachments


async def _save_submission(
    request: Request, found: TeamAccess, data: Any, context: dict[str, Any]
) -> Response:
    event, user = found.event, _user(request)
    assert user is not None
    form, parsed, attachments = _parse_submission(data, found, context)
    try:  # after the deadline the answer is the deadline, whatever else is wrong
        submissions.require_submissions_open(event, now())
        await submissions.require_not_frozen(event)
    except DomainError as exc:
        form.errors.clear()
        return refused(request, "events/submission.html", form, exc, **context)
    wanted = [(None, "attachments", up) for up in attachments]
    wanted += [(q.id, q.field_name, up) for q, up in parsed.uploads]
    if not form.ok:
        context["chosen_again"] = _chosen(wanted)
        return page(request, "events/submission.html", form, 422, **context)
    track = next((t for t in context["tracks"] if str(t.id) == form.values.get("track")), None)

    async def save(stored: uploads.Stored) -> submissions.Saved:
        return await submissions.save(
            links(request),
            user,
            found,
            values=form.values,
            track=track,
            answers=parsed.answers,
            uploads=stored,
            submit=data.get("action") == "submit",
        )

    try:
        saved = await uploads.store_then(
            upload_dir(request),
            wanted,
            save,
            purpose=submissions.PURPOSE,
            owner_id=None,
            max_bytes=file_cap(request, event),
        )
    except DomainError as exc:
        context["chosen_again"] = _chosen(wanted)
        return refused(request, "events/submission.html", form, exc, **context)
    flash(request, _saved_message(saved))
    return redirect(request, "events:team", slug=event.slug, team_id=found.team.id)


def _chosen(wanted: list[tuple[Any, str, Any]]) -> dict[str, list[str]]:
    """The names of the files chosen in each field, for a form sent back with errors: the
    browser forgets them, so the page says which ones to choose again."""
    chosen: dict[str, list[str]] = {}
    for _question, field, upload in wanted:
        chosen.setdefault(field, []).append(str(upload.filename)[:200])
    return chosen


def _saved_message(saved: submissions.Saved) -> str:
    if saved.unchanged:
        return _("Nothing has changed since your last submission.")
    if saved.version is None:
        return _("Your draft has been saved. It is not submitted yet.")
    return _(
        "Version %(n)s is submitted. Fingerprint: %(fp)s. A receipt is on its way to every member.",
        n=saved.version.number,
        fp=saved.version.fingerprint,
    )


async def submission_withdraw(request: Request) -> Response:
    event = await visible_event(request)
    found = await team_access(request, event, "events.submission_withdraw")
    user = _user(request)
    assert user is not None
    try:
        await submissions.withdraw(user, found)
    except DomainError as exc:
        return await _team_refused(request, found, Form({}), exc)
    flash(
        request, _("Your submission has been withdrawn. You can submit again until the deadline.")
    )
    return redirect(request, "events:team", slug=event.slug, team_id=found.team.id)


async def submission_file_delete(request: Request) -> Response:
    event = await visible_event(request)
    found = await team_access(request, event, "events.submission_edit")
    user = _user(request)
    assert user is not None
    try:
        await submissions.remove_file(
            upload_dir(request), user, found, request.path_params["link_id"]
        )
    except DomainError as exc:
        return await _team_refused(request, found, Form({}), exc)
    flash(request, _("The file has been removed."))
    return redirect(request, "events:submission", slug=event.slug, team_id=found.team.id)


# --- the participant's dashboard -----------------------------------------------------------


async def my_events(request: Request) -> Response:
    user = _user(request)
    permissions.require(user, "core.signed_in")
    assert user is not None
    moment = now()
    mine = await participant_overview(user, moment)
    received: list[tuple[Markup, Markup, str]] = []
    if mine.received:  # each with its link, relative to this site
        here = replace(links(request), base_url="")
        received = [
            (
                views.sentence(_("Team %(team)s"), team=user_written(inv.team_name)),
                user_written(*localized_in(inv, "title")),
                teams.invitation_url(secret(request), here, inv.slug, inv.id, inv.token),
            )
            for inv in mine.received
        ]
    separator = str(escape(_(", ")))
    captain = str(escape(" (" + _("captain") + ")"))  # the translation escaped, as text
    cards = [views.dashboard_card(request, card, moment, separator, captain) for card in mine.cards]
    return page(request, "events/mine.html", cards=cards, received=received)


routes = [
    Route("/me/events", my_events, name="events:mine"),
    Route("/events/{slug}/register", register, methods=["GET", "POST"], name="events:register"),
    Route("/events/{slug}/unregister", unregister, methods=["POST"], name="events:unregister"),
    Route("/events/{slug}/teams/new", team_new, methods=["GET", "POST"], name="events:team_new"),
    Route("/events/{slug}/join", join, methods=["GET", "POST"], name="events:join"),
    Route("/events/{slug}/teams/{team_id:int}", team_page, name="events:team"),
    Route(
        "/events/{slug}/teams/{team_id:int}/invite",
        team_invite,
        methods=["POST"],
        name="events:team_invite",
    ),
    Route(
        "/events/{slug}/teams/{team_id:int}/revoke",
        team_revoke,
        methods=["POST"],
        name="events:team_revoke",
    ),
    Route(
        "/events/{slug}/teams/{team_id:int}/remove",
        team_remove,
        methods=["POST"],
        name="events:team_remove",
    ),
    Route(
        "/events/{slug}/teams/{team_id:int}/captain",
        team_captain,
        methods=["POST"],
        name="events:team_captain",
    ),
    Route(
        "/events/{slug}/teams/{team_id:int}/code",
        team_code,
        methods=["POST"],
        name="events:team_code",
    ),
    Route(
        "/events/{slug}/teams/{team_id:int}/withdraw",
        team_withdraw,
        methods=["POST"],
        name="events:team_withdraw",
    ),
    Route(
        "/events/{slug}/teams/{team_id:int}/leave",
        team_leave,
        methods=["POST"],
        name="events:team_leave",
    ),
    Route(
        "/events/{slug}/teams/{team_id:int}/submission",
        submission_edit,
        methods=["GET", "POST"],
        name="events:submission",
    ),
    Route(
        "/events/{slug}/teams/{team_id:int}/submission/withdraw",
        submission_withdraw,
        methods=["POST"],
        name="events:submission_withdraw",
    ),
    Route(
        "/events/{slug}/teams/{team_id:int}/submission/files/{link_id:int}/delete",
        submission_file_delete,
        methods=["POST"],
        name="events:submission_file_delete",
    ),
    Route("/events/{slug}/invitations/{token}", invitation, name="events:invitation"),
    Route(
        "/events/{slug}/invitations/{token}/accept",
        invitation_accept,
        methods=["POST"],
        name="events:invitation_accept",
    ),
    Route(
        "/events/{slug}/invitations/{token}/decline",
        invitation_decline,
        methods=["POST"],
        name="events:invitation_decline",
    ),
]
