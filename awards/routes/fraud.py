"""The organizer's side of the public vote (awards.services.fraud):

- `/awards/{slug}/manage/votes`: each public-vote category's turnout and its votes per hour
  (a server-rendered SVG with a text alternative and a table), never counts per finalist;
- `/awards/{slug}/manage/votes/{category_id}/review`: the fraud review: clusters of flagged
  votes (signals, size, timeline, share to one finalist, masked sample voters) and the flagged
  votes one by one, each to void or keep with a coded reason; undo; sign-off after voting.

While voting is open the review shows a cluster's share to its top finalist as a percentage
without naming the finalist: organizers see no standings until voting closes.

Every page needs `awards.manage`; the services check the phase (decisions from voting's
opening until sign-off; sign-off after voting closes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from accounts.models import SignedIn
from awards.fraud import RATE_RULE, filled
from awards.models import Category, Cycle, of_cycle
from awards.routes.common import managed_cycle, not_found
from awards.services import fraud
from core.clock import now
from core.errors import DomainError, Invalid
from core.forms import Form
from core.i18n import gettext as _
from core.i18n import ngettext
from core.pagination import page_number
from core.templating import url_for
from core.web import flash, page

ID_DIGITS = 12
CHART_WIDTH, CHART_HEIGHT, AXIS = 720, 160, 20


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    hour: dt.datetime
    votes: int


def chart(hours: list[tuple[dt.datetime, int]]) -> list[Bar]:
    """The votes-per-hour bars in a CHART_WIDTH x CHART_HEIGHT box (AXIS left for labels)."""
    if not hours:
        return []
    top = max(n for _h, n in hours) or 1
    step = CHART_WIDTH / len(hours)
    room = CHART_HEIGHT - AXIS
    bars = []
    for i, (hour, n) in enumerate(hours):
        height = round(room * n / top, 1)
        bars.append(
            Bar(
                x=round(i * step, 2),
                y=round(room - height, 1),
                width=round(max(step * 0.8, 0.5), 2),
                height=height,
                hour=hour,
                votes=n,
            )
        )
    return bars


SPARK_WIDTH, SPARK_HEIGHT = 240, 32


def spark(hours: list[tuple[dt.datetime, int]]) -> str:
    """A cluster's votes per hour as the points of one SVG polygon (SPARK_WIDTH x
    SPARK_HEIGHT), a step for each hour (the hours between without votes at zero): one
    string, however many hours."""
    if not hours:
        return ""
    top = max(n for _h, n in hours) or 1
    step = SPARK_WIDTH / len(hours)
    points = [f"0,{SPARK_HEIGHT}"]
    for i, (_hour, n) in enumerate(hours):
        y = round(SPARK_HEIGHT - SPARK_HEIGHT * n / top, 1)
        points += [f"{round(i * step, 1)},{y}", f"{round((i + 1) * step, 1)},{y}"]
    points.append(f"{SPARK_WIDTH},{SPARK_HEIGHT}")
    return " ".join(points)


def _user(request: Request) -> SignedIn:
    user = request.state.user
    assert user is not None  # managed_cycle asked the anonymous to sign in
    return user


def _secret(request: Request) -> bytes:
    return str(request.app.state.settings.secret_key).encode()


async def _category(cycle: Cycle, request: Request) -> Category:
    category = await of_cycle(Category, cycle).get_or_none(id=request.path_params["category_id"])
    if category is None:
        raise not_found()
    return category


async def votes(request: Request) -> Response:
    cycle = await managed_cycle(request)
    voters, rows = await fraud.turnout(cycle)
    return page(
        request,
        "awards/manage/fraud_votes.html",
        cycle=cycle,
        voters=voters,
        rows=[(row, chart(row.hours)) for row in rows],
        chart_width=CHART_WIDTH,
        chart_height=CHART_HEIGHT,
        axis=AXIS,
        closed=fraud.voting_closed(cycle, now()),
    )


def _refusal(exc: DomainError) -> str:
    if isinstance(exc, Invalid) and exc.errors:
        return " ".join(exc.errors.values())
    return exc.message


async def _review_page(
    request: Request,
    cycle: Cycle,
    category: Category,
    form: Form | None = None,
    status: int = 200,
    message: str = "",
    target: str = "",
) -> Response:
    query = request.query_params
    overview = await fraud.overview(
        cycle,
        category,
        _secret(request),
        cluster_page=page_number(query.get("clusters")),
        vote_page=page_number(query.get("votes")),
    )
    return page(
        request,
        "awards/manage/fraud_review.html",
        form or Form({}),
        status,
        cycle=cycle,
        category=category,
        o=overview,
        reasons=fraud.REASONS,
        rule=RATE_RULE,
        sparks={row.cluster.key: spark(filled(row.cluster.hours)) for row in overview.clusters},
        busiest={row.cluster.key: _busiest(row.cluster.hours) for row in overview.clusters},
        spark_width=SPARK_WIDTH,
        spark_height=SPARK_HEIGHT,
        message=message,
        target=target,
    )


def _busiest(hours: Mapping[dt.datetime, int]) -> tuple[dt.datetime, int] | None:
    return min(hours.items(), key=lambda item: (-item[1], item[0])) if hours else None


async def review(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    if not category.public_vote:
        raise not_found()
    return await _review_page(request, cycle, category)


def _decision_form(data: Any) -> Form:
    form = Form(data)
    form.choice("action", set(fraud.ACTIONS))
    form.choice("reason", set(fraud.REASONS))
    form.text("note", required=False, max_length=fraud.NOTE_MAX, multiline=True)
    return form


def _back(request: Request, cycle: Cycle, category: Category) -> RedirectResponse:
    target = url_for(request, "awards:fraud_review", slug=cycle.slug, category_id=category.id)
    return RedirectResponse(str(target), status_code=303)


def _done(decision: Any) -> str:
    if decision.action == "void":
        return ngettext(
            "Voided: %(num)s vote no longer counts.",
            "Voided: %(num)s votes no longer count.",
            decision.votes,
        )
    return ngettext("Kept: %(num)s vote counts.", "Kept: %(num)s votes count.", decision.votes)


async def decide_cluster(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    data = await request.form()
    form = _decision_form(data)
    key = data.get("cluster")
    key = key.strip() if isinstance(key, str) else ""
    form.values["cluster"] = key
    try:
        if not form.ok:
            raise Invalid(form.errors, _("Nothing was changed: correct the marked fields."))
        made = await fraud.decide_cluster(
            _user(request),
            cycle,
            category,
            key,
            fraud.Decision(form.clean["action"], form.clean["reason"], form.clean["note"]),
        )
    except DomainError as exc:
        return await _review_page(
            request, cycle, category, form, exc.status_code, _refusal(exc), "cluster:" + key
        )
    flash(request, _done(made))
    return _back(request, cycle, category)


async def decide_vote(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    data = await request.form()
    form = _decision_form(data)
    raw = data.get("vote")
    raw = raw.strip() if isinstance(raw, str) else ""
    form.values["vote"] = raw
    try:
        if not raw.isdigit() or len(raw) > ID_DIGITS:
            form.error("vote", _("Choose a vote."))
        if not form.ok:
            raise Invalid(form.errors, _("Nothing was changed: correct the marked fields."))
        made = await fraud.decide_vote(
            _user(request),
            cycle,
            category,
            int(raw),
            fraud.Decision(form.clean["action"], form.clean["reason"], form.clean["note"]),
        )
    except DomainError as exc:
        return await _review_page(
            request, cycle, category, form, exc.status_code, _refusal(exc), "vote:" + raw
        )
    flash(request, _done(made))
    return _back(request, cycle, category)


async def undo(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    try:
        await fraud.undo(_user(request), cycle, category, request.path_params["decision_id"])
    except DomainError as exc:
        return await _review_page(request, cycle, category, None, exc.status_code, exc.message)
    flash(request, _("The decision is undone."))
    return _back(request, cycle, category)


async def sign_off(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    try:
        await fraud.sign_off(_user(request), cycle, category)
    except DomainError as exc:
        return await _review_page(request, cycle, category, None, exc.status_code, exc.message)
    flash(request, _("The review is signed off: its decisions are final."))
    return _back(request, cycle, category)


_VOTES = "/awards/{slug}/manage/votes"
_REVIEW = _VOTES + "/{category_id:int}/review"
routes = [
    Route(_VOTES, votes, name="awards:votes"),
    Route(_REVIEW, review, name="awards:fraud_review"),
    Route(_REVIEW + "/cluster", decide_cluster, methods=["POST"], name="awards:fraud_cluster"),
    Route(_REVIEW + "/vote", decide_vote, methods=["POST"], name="awards:fraud_vote"),
    Route(
        _REVIEW + "/decisions/{decision_id:int}/undo",
        undo,
        methods=["POST"],
        name="awards:fraud_undo",
    ),
    Route(_REVIEW + "/sign-off", sign_off, methods=["POST"], name="awards:fraud_sign_off"),
]

# POST-only actions and the page their forms sit on (core.routing.form_pages).
FORM_PAGES = {
    "awards:fraud_cluster": "awards:fraud_review",
    "awards:fraud_vote": "awards:fraud_review",
    "awards:fraud_undo": "awards:fraud_review",
    "awards:fraud_sign_off": "awards:fraud_review",
}
