"""The organizer's pages: create and edit an event, tracks, questions, publication, deadlines,
the dashboard with its lists and details, CSV exports and mail to a group."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accounts.enums import ScopeType
from accounts.models import SignedIn
from core import permissions
from core.clock import now
from core.errors import DomainError, NotFound
from core.forms import Form
from core.i18n import gettext as _
from core.pagination import page_number
from core.web import flash, page, redirect
from events import forms
from events.enums import Deadline, MailGroup, QuestionScope, Visibility
from events.models import Event, Question, Submission, Team, Track, of_event
from events.routes.common import managed_event, not_found, refused, timeline_items
from events.services import dashboard, editions, mailing, submissions, teams
from judging.services import published


def _user(request: Request) -> SignedIn:
    user = request.state.user
    assert user is not None  # the permission check before this asked anonymous to sign in
    return user


# --- the event -----------------------------------------------------------------------------


def _event_defaults() -> dict[str, Any]:
    return {
        "time_zone": "Asia/Riyadh",
        "team_min": "1",
        "team_max": "5",
        "max_attachments": "5",
        "max_attachment_mb": "20",
    }


async def event_new(request: Request) -> Response:
    permissions.require(request.state.user, "events.create")
    context = {"event": None, "time_zones": forms.TIME_ZONES}
    if request.method == "GET":
        form = Form({})
        form.values.update(_event_defaults())
        return page(request, "events/manage/event_form.html", form, **context)
    form = forms.event(await request.form())
    if not form.ok:
        return page(request, "events/manage/event_form.html", form, 422, **context)
    try:
        event = await editions.create_event(_user(request), forms.event_values(form))
    except DomainError as exc:
        return refused(request, "events/manage/event_form.html", form, exc, **context)
    flash(request, _("The event is created as a draft. Add its tracks, then publish it."))
    return redirect(request, "events:manage", slug=event.slug)


async def event_edit(request: Request) -> Response:
    event = await managed_event(request)
    context = {"event": event, "time_zones": forms.TIME_ZONES}
    if request.method == "GET":
        form = Form({})
        form.values.update(forms.event_initial(event))
        return page(request, "events/manage/event_form.html", form, **context)
    form = forms.event(await request.form())
    if not form.ok:
        return page(request, "events/manage/event_form.html", form, 422, **context)
    try:
        await editions.update_event(_user(request), event, forms.event_values(form))
    except DomainError as exc:
        return refused(request, "events/manage/event_form.html", form, exc, **context)
    flash(request, _("The event has been saved."))
    return redirect(request, "events:manage", slug=event.slug)


async def visibility(request: Request) -> Response:
    event = await managed_event(request)
    data = await request.form()
    wanted = Visibility.PUBLISHED if data.get("visibility") == "published" else Visibility.DRAFT
    await editions.set_visibility(_user(request), event, wanted)
    flash(
        request,
        _("The event is published.")
        if wanted == Visibility.PUBLISHED
        else _("The event is back to draft: only its organizers can see it."),
    )
    return redirect(request, "events:manage", slug=event.slug)


async def _dashboard_context(event: Event) -> dict[str, Any]:
    moment = now()
    return {
        "event": event,
        "overview": await dashboard.overview(event),
        "phase": event.phase(moment),
        "timeline": timeline_items(event, moment),
        "deadlines": list(Deadline),
        "results": await published.published_results(ScopeType.EVENT.value, event.id),
    }


async def manage(request: Request) -> Response:
    event = await managed_event(request)
    return page(
        request, "events/manage/dashboard.html", Form({}), **await _dashboard_context(event)
    )


async def extend(request: Request) -> Response:
    event = await managed_event(request)
    form = forms.extend(await request.form(), event.time_zone)
    if form.ok:
        try:
            await editions.extend_deadline(
                _user(request), event, Deadline(form.values["deadline"]), form.values["until_utc"]
            )
        except DomainError as exc:
            return refused(
                request,
                "events/manage/dashboard.html",
                form,
                exc,
                **await _dashboard_context(event),
            )
        flash(request, _("The deadline has been moved."))
        return redirect(request, "events:manage", slug=event.slug)
    return page(
        request, "events/manage/dashboard.html", form, 422, **await _dashboard_context(event)
    )


# --- tracks and questions ------------------------------------------------------------------


@dataclass(frozen=True)
class Editor:
    """What the tracks editor and the questions editor share: a list page that adds, an edit
    page, moving up and down, deleting; each a named route of the event's management."""

    model: type[Track] | type[Question]
    param: str  # the path parameter naming a row
    back: str  # the list page's route name
    list_template: str
    form_template: str
    context: str  # the row's name in the edit page's context

    async def row(self, request: Request, event: Event) -> Any:
        found = await of_event(self.model, event).get_or_none(id=request.path_params[self.param])
        if found is None:
            raise not_found()
        return found

    def done(self, request: Request, event: Event, message: str = "") -> Response:
        if message:
            flash(request, message)
        return redirect(request, self.back, slug=event.slug)

    async def add(
        self,
        request: Request,
        parse: Callable[[Any], Form],
        first: dict[str, Any],
        lists: Callable[[Event], Awaitable[dict[str, Any]]],
        save: Callable[[SignedIn, Event, dict[str, Any]], Awaitable[Any]],
        message: Callable[[], str],
    ) -> Response:
        event = await managed_event(request)
        if request.method == "GET":
            form = Form.prefilled(first)
            return page(request, self.list_template, form, event=event, **await lists(event))
        form = parse(await request.form())
        if not form.ok:
            return page(request, self.list_template, form, 422, event=event, **await lists(event))
        await save(_user(request), event, form.values)
        return self.done(request, event, message())

    async def edit(
        self,
        request: Request,
        initial: Callable[[Any], dict[str, Any]],
        parse: Callable[[Any, Any], Form],
        save: Callable[[SignedIn, Event, Any, dict[str, Any]], Awaitable[Any]],
        message: Callable[[], str],
    ) -> Response:
        event = await managed_event(request)
        row = await self.row(request, event)
        context = {"event": event, self.context: row}
        if request.method == "GET":
            return page(request, self.form_template, Form.prefilled(initial(row)), **context)
        form = parse(await request.form(), row)
        if not form.ok:
            return page(request, self.form_template, form, 422, **context)
        await save(_user(request), event, row, form.values)
        return self.done(request, event, message())

    async def move(self, request: Request) -> Response:
        event = await managed_event(request)
        row = await self.row(request, event)
        step = -1 if (await request.form()).get("direction") == "up" else 1
        await editions.move(_user(request), event, self.model, row, step)
        return self.done(request, event)

    async def delete(
        self,
        request: Request,
        remove: Callable[[SignedIn, Event, Any], Awaitable[None]],
        message: Callable[[], str],
    ) -> Response:
        event = await managed_event(request)
        row = await self.row(request, event)
        try:
            await remove(_user(request), event, row)
        except DomainError as exc:
            flash(request, exc.message, "error")
            return self.done(request, event)
        return self.done(request, event, message())


TRACKS = Editor(
    Track,
    "track_id",
    "events:tracks",
    "events/manage/tracks.html",
    "events/manage/track_form.html",
    "track",
)
QUESTIONS = Editor(
    Question,
    "question_id",
    "events:questions",
    "events/manage/questions.html",
    "events/manage/question_form.html",
    "question",
)


async def _tracks(event: Event) -> list[Track]:
    return list(await of_event(Track, event).order_by("position", "id"))


async def _track_list(event: Event) -> dict[str, Any]:
    return {"tracks": await _tracks(event)}


async def tracks(request: Request) -> Response:
    return await TRACKS.add(
        request,
        forms.track,
        {},
        _track_list,
        editions.add_track,
        lambda: _("The track has been added."),
    )


async def track_edit(request: Request) -> Response:
    return await TRACKS.edit(
        request,
        lambda track: {k: getattr(track, k) for k in editions.TRACK_FIELDS},
        lambda data, _track: forms.track(data),
        editions.update_track,
        lambda: _("The track has been saved."),
    )


async def track_move(request: Request) -> Response:
    return await TRACKS.move(request)


async def track_delete(request: Request) -> Response:
    return await TRACKS.delete(
        request, editions.delete_track, lambda: _("The track has been deleted.")
    )


async def _question_lists(event: Event) -> dict[str, Any]:
    return {"lists": {s.value: await editions.questions(event, s) for s in QuestionScope}}


async def questions(request: Request) -> Response:
    first = {"scope": request.query_params.get("scope", "registration"), "kind": "short_text"}
    return await QUESTIONS.add(
        request,
        forms.question,
        first,
        _question_lists,
        editions.add_question,
        lambda: _("The question has been added."),
    )


def _question_values(question: Question) -> dict[str, Any]:
    values = {k: getattr(question, k) for k in editions.QUESTION_FIELDS}
    values.update(scope=question.scope.value, options=forms.options_text(question.options or []))
    return values


async def question_edit(request: Request) -> Response:
    return await QUESTIONS.edit(
        request,
        _question_values,
        lambda data, question: forms.question({**data, "scope": question.scope.value}),
        editions.update_question,
        lambda: _("The question has been saved."),
    )


async def question_move(request: Request) -> Response:
    return await QUESTIONS.move(request)


async def question_delete(request: Request) -> Response:
    return await QUESTIONS.delete(
        request, editions.delete_question, lambda: _("The question has been deleted.")
    )


# --- lists and details ---------------------------------------------------------------------


async def registrants(request: Request) -> Response:
    event = await managed_event(request)
    filters = dashboard.ListFilter.from_query(request.query_params)
    rows, seats = await dashboard.registrants(
        event, filters, page_number(request.query_params.get("page"))
    )
    return page(
        request,
        "events/manage/registrants.html",
        event=event,
        page_=rows,
        seats=seats,
        search=filters.search,
        in_team=filters.in_team,
        export_query=filters.query_string(),
    )


async def team_list(request: Request) -> Response:
    event = await managed_event(request)
    filters = dashboard.ListFilter.from_query(request.query_params)
    rows, work, people = await dashboard.team_rows(
        event, filters, page_number(request.query_params.get("page"))
    )
    return page(
        request,
        "events/manage/teams.html",
        event=event,
        page_=rows,
        work=work,
        people=people,
        search=filters.search,
        track=filters.track,
        show=filters.show,
        tracks=await _tracks(event),
        filters=dashboard.TEAM_FILTERS,
        export_query=filters.query_string(),
    )


async def submission_list(request: Request) -> Response:
    event = await managed_event(request)
    filters = dashboard.ListFilter.from_query(request.query_params)
    rows = await dashboard.submission_rows(
        event, filters, page_number(request.query_params.get("page"))
    )
    return page(
        request,
        "events/manage/submissions.html",
        event=event,
        page_=rows,
        search=filters.search,
        track=filters.track,
        state=filters.state,
        tracks=await _tracks(event),
        export_query=filters.query_string(),
    )


async def team_detail(request: Request) -> Response:
    event = await managed_event(request)
    team = (
        await of_event(Team, event)
        .get_or_none(id=request.path_params["team_id"])
        .select_related("track", "captain")
    )
    if team is None:
        raise not_found()
    submission = await submissions.submission_of(event, team)
    return page(
        request,
        "events/manage/team.html",
        event=event,
        team=team,
        members=await teams.members(team),
        invitations=await teams.pending_of_team(event, team),
        submission=submission,
        versions=await dashboard.version_history(submission) if submission else [],
    )


async def submission_detail(request: Request) -> Response:
    event = await managed_event(request)
    submission = (
        await of_event(Submission, event)
        .get_or_none(id=request.path_params["submission_id"])
        .select_related("team", "track")
    )
    if submission is None:
        raise not_found()
    return page(
        request,
        "events/manage/submission.html",
        event=event,
        submission=submission,
        files=await submissions.current_files(submission),
        questions=await dashboard.questions_of(event, QuestionScope.SUBMISSION),
        versions=await dashboard.version_history(submission),
        tracks={t.id: t for t in await _tracks(event)},
    )


EXPORTS = {
    "registrants": dashboard.export_registrants,
    "teams": dashboard.export_teams,
    "submissions": dashboard.export_submissions,
}


async def export(request: Request) -> Response:
    event = await managed_event(request)
    kind = request.path_params["kind"]
    if kind not in EXPORTS:
        raise NotFound(_("This page does not exist or is not available to you."))
    # The list's own filter (its query string, parsed and run by the same code as the page).
    data = await EXPORTS[kind](event, dashboard.ListFilter.from_query(request.query_params))
    filename = f"{event.slug}-{kind}-{now():%Y%m%d-%H%M}.csv"
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


# --- mail to a group -----------------------------------------------------------------------


async def group_mail(request: Request) -> Response:
    event = await managed_event(request)
    all_tracks = await _tracks(event)
    context: dict[str, Any] = {
        "event": event,
        "tracks": all_tracks,
        "groups": list(MailGroup),
        "samples": [],
        "count": 0,
        "empty": False,
    }
    if request.method == "GET":
        form = Form.prefilled(
            {"group": "registrants", **{f"body_{k}": v for k, v in forms.MAIL_GREETINGS.items()}}
        )
        return page(request, "events/manage/mail.html", form, **context)
    data = await request.form()
    form = forms.group_mail(data, [t.id for t in all_tracks])
    if not form.ok:
        return page(request, "events/manage/mail.html", form, 422, **context)
    group = MailGroup(form.values["group"])
    track = int(form.values["track"]) if group == MailGroup.TRACK else None
    if data.get("action") != "send":
        people = await mailing.recipients(event, group, track)
        context.update(
            count=len(people),
            samples=mailing.samples(event, people, form.values),
            empty=not people,
        )
        return page(request, "events/manage/mail.html", form, **context)
    sent = await mailing.send(_user(request), event, group, track, form.values)
    flash(request, _("%(n)s mails are queued in the outbox.", n=sent))
    return redirect(request, "events:manage", slug=event.slug)


M = "/events/{slug}/manage"
routes_before_slug = [
    Route("/events/new", event_new, methods=["GET", "POST"], name="events:new"),
]
routes = [
    Route(M, manage, name="events:manage"),
    Route(f"{M}/edit", event_edit, methods=["GET", "POST"], name="events:edit"),
    Route(f"{M}/visibility", visibility, methods=["POST"], name="events:visibility"),
    Route(f"{M}/extend", extend, methods=["POST"], name="events:extend"),
    Route(f"{M}/tracks", tracks, methods=["GET", "POST"], name="events:tracks"),
    Route(
        f"{M}/tracks/{{track_id:int}}",
        track_edit,
        methods=["GET", "POST"],
        name="events:track_edit",
    ),
    Route(
        f"{M}/tracks/{{track_id:int}}/move", track_move, methods=["POST"], name="events:track_move"
    ),
    Route(
        f"{M}/tracks/{{track_id:int}}/delete",
        track_delete,
        methods=["POST"],
        name="events:track_delete",
    ),
    Route(f"{M}/questions", questions, methods=["GET", "POST"], name="events:questions"),
    Route(
        f"{M}/questions/{{question_id:int}}",
        question_edit,
        methods=["GET", "POST"],
        name="events:question_edit",
    ),
    Route(
        f"{M}/questions/{{question_id:int}}/move",
        question_move,
        methods=["POST"],
        name="events:question_move",
    ),
    Route(
        f"{M}/questions/{{question_id:int}}/delete",
        question_delete,
        methods=["POST"],
        name="events:question_delete",
    ),
    Route(f"{M}/registrants", registrants, name="events:registrants"),
    Route(f"{M}/teams", team_list, name="events:teams"),
    Route(f"{M}/teams/{{team_id:int}}", team_detail, name="events:manage_team"),
    Route(f"{M}/submissions", submission_list, name="events:submissions"),
    Route(
        f"{M}/submissions/{{submission_id:int}}", submission_detail, name="events:manage_submission"
    ),
    Route(f"{M}/export/{{kind}}.csv", export, name="events:export"),
    Route(f"{M}/mail", group_mail, methods=["GET", "POST"], name="events:mail"),
]
