"""The public vote, the voter's side: the cycle's vote page (an e-mail to get a code, the code,
then each category's ballot with the voter's own choice), a category's ballot, and casting or
changing a vote. No account needed; a signed-in person with a verified e-mail skips the code.

What the voter's session remembers is in awards.services.public_vote (hashes only). Nothing
here shows a count: the voter sees their own choice and nothing else."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from awards.models import Cycle
from awards.routes.common import visible_cycle
from awards.services import public_vote
from awards.services.common import when
from core.errors import Invalid, NotFound
from core.forms import Form
from core.i18n import gettext as _
from core.i18n import localized
from core.security import client_address
from core.web import flash, page, redirect

AGENT_MAX = 512


def _settings(request: Request):  # noqa: ANN202 - core.settings.Settings
    return request.app.state.settings


async def _open_cycle(request: Request) -> Cycle:
    cycle = await visible_cycle(request)
    public_vote.require_open(cycle)
    return cycle


async def _pass(request: Request, cycle: Cycle) -> public_vote.Pass | None:
    """The visitor's pass for this cycle: from their session, else from a verified account
    (which the session then remembers)."""
    found = public_vote.pass_of(request.session, cycle)
    if found is None:
        found = await public_vote.account_pass(
            cycle, request.state.user, _settings(request).secret_key
        )
        if found is not None:
            public_vote.remember_pass(request.session, cycle, found)
    return found


def _category_id(request: Request) -> int:
    return int(request.path_params["category_id"])


async def vote_page(
    request: Request, status: int = 200, form: Form | None = None, message: str = ""
) -> Response:
    cycle = await _open_cycle(request)
    voter = await _pass(request, cycle)
    pending = public_vote.pending_of(request.session, cycle) if voter is None else None
    categories = await public_vote.voting_categories(cycle)
    return page(
        request,
        "awards/vote.html",
        form=form,
        status=status,
        cycle=cycle,
        voter=voter,
        pending=pending,
        categories=categories,
        mine=await public_vote.my_votes(cycle, voter),
        closes=when(cycle, cycle.voting_closes) if cycle.voting_closes else "",
        message=message,
        then=request.query_params.get("category", "")[:12],
        code_minutes=public_vote.CODE_MINUTES,
        code_tries=public_vote.CODE_TRIES,
    )


def _then(form: Form) -> int | None:
    raw = form.raw("then")
    return int(raw) if raw.isdigit() else None


def _back(request: Request, cycle: Cycle, category: int | None) -> Response:
    if category is not None:
        return redirect(request, "awards:vote_category", slug=cycle.slug, category_id=category)
    return redirect(request, "awards:vote", slug=cycle.slug)


async def ask_code(request: Request) -> Response:
    cycle = await _open_cycle(request)
    form = Form(await request.form())
    email = form.email("email")
    if not form.ok:
        return await vote_page(request, 422, form)
    settings = _settings(request)
    try:
        pending = await public_vote.request_code(
            cycle,
            email,
            request.state.lang,
            client_address(request),
            settings.secret_key,
            settings.base_url,
        )
    except Invalid as exc:
        for name, text in exc.errors.items():
            form.error(name, text)
        return await vote_page(request, 422, form)
    public_vote.remember_pending(request.session, cycle, pending)
    flash(
        request,
        _(
            "We sent a 6-digit code to the address you gave. Enter it below within %(num)s "
            "minutes.",
            num=public_vote.CODE_MINUTES,
        ),
    )
    then = _then(form)
    target = redirect(request, "awards:vote", slug=cycle.slug)
    if then is not None:
        target.headers["location"] += f"?category={then}"
    return target


async def verify(request: Request) -> Response:
    cycle = await _open_cycle(request)
    form = Form(await request.form())
    pending = public_vote.pending_of(request.session, cycle)
    if pending is None:
        form.error("code", _("Enter your e-mail address first: we send the code there."))
        return await vote_page(request, 422, form)
    try:
        found = await public_vote.verify_code(
            cycle, pending, form.raw("code"), _settings(request).secret_key
        )
    except Invalid as exc:
        for name, text in exc.errors.items():
            form.error(name, text)
        return await vote_page(request, 422, form)
    public_vote.remember_pass(request.session, cycle, found)
    flash(request, _("Your e-mail is verified for this cycle. You can vote now."))
    return _back(request, cycle, _then(form))


async def category_page(request: Request, status: int = 200, form: Form | None = None) -> Response:
    cycle = await _open_cycle(request)
    category, finalists = await public_vote.voting_category(cycle, _category_id(request))
    voter = await _pass(request, cycle)
    if voter is None:
        target = redirect(request, "awards:vote", slug=cycle.slug)
        target.headers["location"] += f"?category={category.id}"
        return target
    mine = (await public_vote.my_votes(cycle, voter)).get(category.id)
    return page(
        request,
        "awards/vote_category.html",
        form=form,
        status=status,
        cycle=cycle,
        category=category,
        finalists=finalists,
        mine=mine,
        closes=when(cycle, cycle.voting_closes) if cycle.voting_closes else "",
    )


async def cast(request: Request) -> Response:
    cycle = await _open_cycle(request)
    category_id = _category_id(request)
    voter = public_vote.pass_of(request.session, cycle)
    if voter is None:
        voter = await _pass(request, cycle)
    if voter is None:
        raise NotFound(_("Verify your e-mail first: then you can vote."))
    form = Form(await request.form())
    raw = form.raw("nomination")
    try:
        done = await public_vote.cast(
            cycle,
            category_id,
            int(raw) if raw.isdigit() else None,
            voter,
            client_address(request),
            request.headers.get("user-agent", "")[:AGENT_MAX],
            _settings(request).secret_key,
        )
    except Invalid as exc:
        for name, text in exc.errors.items():
            form.error(name, text)
        return await category_page(request, 422, form)
    name = localized(done.nomination, "nominee_name")
    closes = when(cycle, cycle.voting_closes) if cycle.voting_closes else ""
    if done.changed:
        text = _("Your vote is changed: you now vote for %(name)s.", name=name)
    else:
        text = _("Your vote for %(name)s is recorded.", name=name)
    flash(request, text + " " + _("You may change it until %(when)s.", when=closes))
    return redirect(request, "awards:vote_category", slug=cycle.slug, category_id=category_id)


# the POST-only actions whose GET (a reload of a refused form) leads back to the vote page
FORM_PAGES = {"awards:vote_code": "awards:vote", "awards:vote_verify": "awards:vote"}

routes = [
    Route("/awards/{slug}/vote", vote_page, name="awards:vote"),
    Route("/awards/{slug}/vote/code", ask_code, methods=["POST"], name="awards:vote_code"),
    Route("/awards/{slug}/vote/verify", verify, methods=["POST"], name="awards:vote_verify"),
    Route(
        "/awards/{slug}/vote/{category_id:int}",
        category_page,
        name="awards:vote_category",
    ),
    Route(
        "/awards/{slug}/vote/{category_id:int}",
        cast,
        methods=["POST"],
        name="awards:vote_cast",
    ),
]
