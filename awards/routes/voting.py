"""The jury's final vote: the organizer's page of each category's declared rules (method,
partial ballots, jury weight, quorum and its fallback, public vote; locked once voting opens)
with the jurors' turnout, and the juror's ranked ballot per category. The logic is in
awards.services.voting."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accounts.models import SignedIn
from awards.models import Category, Cycle, of_cycle
from awards.routes.common import managed_cycle, not_found, visible_cycle
from awards.services import voting
from awards.tabulation import TIE_CHAIN, Fallback, Method
from core import permissions
from core.clock import now
from core.errors import DomainError, Invalid
from core.forms import Form
from core.i18n import gettext as _
from core.routing import form_pages
from core.web import flash, page, redirect

RULES_PAGE = "awards/manage/voting.html"
BALLOT_PAGE = "awards/ballot.html"


def _user(request: Request) -> SignedIn:
    user = request.state.user
    assert user is not None  # the permission check before this asked anonymous to sign in
    return user


async def _category(cycle: Cycle, request: Request) -> Category:
    category = await of_cycle(Category, cycle).get_or_none(id=request.path_params["category_id"])
    if category is None:
        raise not_found()
    return category


# --- the organizer's page ------------------------------------------------------------------


def _initial(category: Category) -> dict[str, Any]:
    rules = voting.Rules.of(category)
    return {
        "method": rules.method.value,
        "partial": rules.partial,
        "weight": str(rules.weight_percent),
        "quorum": str(rules.quorum),
        "fallback": rules.fallback.value,
        "public_vote": rules.public_vote,
    }


def _rules_form(data: Any) -> tuple[Form, voting.Rules | None]:
    form = Form(data)
    method = form.choice("method", [m.value for m in voting.METHODS])
    form.checkbox("partial")
    weight = form.choice("weight", [str(w) for w in range(0, 101, voting.WEIGHT_STEP)])
    quorum = form.integer("quorum", minimum=1, maximum=voting.QUORUM_MAX)
    fallback = form.choice("fallback", [f.value for f in voting.FALLBACKS])
    form.checkbox("public_vote")
    if not form.ok or quorum is None:
        return form, None
    return form, voting.Rules(
        method=Method(method),
        partial=form.clean["partial"],
        weight_percent=int(weight),
        quorum=quorum,
        fallback=Fallback(fallback),
        public_vote=form.clean["public_vote"],
    )


async def _rules_page(
    request: Request,
    cycle: Cycle,
    *,
    status: int = 200,
    editing: int | None = None,
    form: Form | None = None,
    message: str = "",
) -> Response:
    moment = now()
    rows = await voting.turnout(cycle)
    values = {row.category.id: _initial(row.category) for row in rows}
    errors: dict[int, dict[str, str]] = {}
    if editing is not None and form is not None:
        values[editing] = {**values.get(editing, {}), **form.values}
        errors[editing] = form.errors
    return page(
        request,
        RULES_PAGE,
        status=status,
        cycle=cycle,
        rows=rows,
        category_values=values,
        category_errors=errors,
        editing=editing,
        message=message,
        locked=voting.locked(cycle, moment),
        voting_started=cycle.voting_opens is not None and moment >= cycle.voting_opens,
        methods=voting.METHODS,
        fallbacks=voting.FALLBACKS,
        weights=range(0, 101, voting.WEIGHT_STEP),
        tie_chain=TIE_CHAIN,
    )


async def rules(request: Request) -> Response:
    cycle = await managed_cycle(request)
    return await _rules_page(request, cycle)


async def rules_save(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(cycle, request)
    if voting.locked(cycle):
        return await _rules_page(request, cycle, status=409, message=voting.lock_message(cycle))
    form, declared = _rules_form(await request.form())
    if declared is None:
        return await _rules_page(request, cycle, status=422, editing=category.id, form=form)
    try:
        await voting.set_rules(_user(request), cycle, category, declared)
    except Invalid as exc:
        for name, text in exc.errors.items():
            form.error(name, text)
        return await _rules_page(request, cycle, status=422, editing=category.id, form=form)
    except DomainError as exc:
        return await _rules_page(
            request, cycle, status=exc.status_code, editing=category.id, message=exc.message
        )
    flash(request, _("The rules of the final vote in this category are saved."))
    return redirect(request, "awards:voting", slug=cycle.slug)


# --- the juror's ballot --------------------------------------------------------------------


async def _juror_cycle(request: Request) -> tuple[SignedIn, Cycle]:
    permissions.require(request.state.user, "core.signed_in")
    return _user(request), await visible_cycle(request)


async def ballots(request: Request) -> Response:
    """The categories this juror ranks, with their ballots' state."""
    user, cycle = await _juror_cycle(request)
    categories = await voting.juror_categories(user, cycle)
    if not categories:
        raise not_found()
    views = [await voting.ballot_view(user, cycle, c) for c in categories]
    return page(
        request,
        "awards/ballots.html",
        cycle=cycle,
        views=views,
        window=voting.window_message(views[0]),
    )


async def _ballot_page(
    request: Request,
    view: voting.BallotView,
    *,
    status: int = 200,
    submitted: dict[int, str] | None = None,
    error: str = "",
    message: str = "",
) -> Response:
    chosen = submitted if submitted is not None else {n: str(r) for n, r in view.ranks.items()}
    return page(
        request,
        BALLOT_PAGE,
        status=status,
        cycle=view.cycle,
        view=view,
        chosen=chosen,
        error=error,
        message=message,
        window=voting.window_message(view),
        rank_field=voting.RANK_FIELD,
    )


async def ballot(request: Request) -> Response:
    user, cycle = await _juror_cycle(request)
    category = await _category(cycle, request)
    view = await voting.ballot_view(user, cycle, category)
    if request.method == "GET":
        return await _ballot_page(request, view)
    if view.state != "open":
        return await _ballot_page(request, view, status=409, message=voting.window_message(view))
    data = await request.form()
    items = list(data.multi_items())
    submitted = {
        int(name[len(voting.RANK_FIELD) :]): value
        for name, value in items
        if isinstance(value, str)
        and name.startswith(voting.RANK_FIELD)
        and name[len(voting.RANK_FIELD) :].isdigit()
        and name[len(voting.RANK_FIELD) :].isascii()
    }
    try:
        ranking = voting.parse_ranking(items)
        saved = await voting.cast_ballot(user, cycle, category, ranking)
    except Invalid as exc:
        return await _ballot_page(
            request, view, status=422, submitted=submitted, error=exc.errors.get("ranking", "")
        )
    except DomainError as exc:
        return await _ballot_page(request, view, status=exc.status_code, message=exc.message)
    flash(request, _("Your ballot is saved (version %(version)s).", version=saved.version))
    return redirect(request, "awards:ballot", slug=cycle.slug, category_id=category.id)


_VOTING = "/awards/{slug}/manage/voting"
routes = form_pages(
    [
        Route(_VOTING, rules, name="awards:voting"),
        Route(
            _VOTING + "/categories/{category_id:int}",
            rules_save,
            methods=["POST"],
            name="awards:voting_rules",
        ),
        Route("/awards/{slug}/ballot", ballots, name="awards:ballots"),
        Route(
            "/awards/{slug}/ballot/{category_id:int}",
            ballot,
            methods=["GET", "POST"],
            name="awards:ballot",
        ),
    ],
    {"awards:voting_rules": "awards:voting"},
)
