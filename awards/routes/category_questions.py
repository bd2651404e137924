"""The organizer's editor of a category's own questions (on the nomination form): the list
that adds, an edit page, moving up and down, deleting. The fields are the platform's question
editor (core.questions); changes are refused once nominations have opened (see
awards.services.questions)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accounts.models import SignedIn
from awards.models import Category, CategoryQuestion, Cycle, of_cycle
from awards.routes.common import managed_cycle, not_found
from awards.services import questions
from core.errors import DomainError, Invalid
from core.forms import Form
from core.i18n import gettext as _
from core.questions import KIND_LABELS, editor, initial
from core.routing import form_pages
from core.web import flash, page, redirect

LIST = "awards/manage/category_questions.html"
FORM = "awards/manage/category_question_form.html"
KINDS = {k: KIND_LABELS[k] for k in questions.KINDS}


def _user(request: Request) -> SignedIn:
    user = request.state.user
    assert user is not None  # the permission check before this asked anonymous to sign in
    return user


async def _category(request: Request, cycle: Cycle) -> Category:
    found = await of_cycle(Category, cycle).get_or_none(id=request.path_params["category_id"])
    if found is None:
        raise not_found()
    return found


async def _question(request: Request, category: Category) -> CategoryQuestion:
    found = await CategoryQuestion.get_or_none(
        id=request.path_params["question_id"], category_id=category.id
    )
    if found is None:
        raise not_found()
    return found


async def _list_context(cycle: Cycle, category: Category) -> dict[str, Any]:
    return {
        "cycle": cycle,
        "category": category,
        "questions": await questions.of_category(category),
        "editable": questions.editable(cycle),
        "question_kinds": KINDS,
    }


def _refused(
    request: Request, template: str, form: Form, exc: DomainError, **context: Any
) -> Response:
    if isinstance(exc, Invalid):
        for name, message in exc.errors.items():
            form.error(name, message)
    message = exc.message if not isinstance(exc, Invalid) or not exc.errors else ""
    return page(request, template, form, exc.status_code, message=message, **context)


def _back(request: Request, cycle: Cycle, category: Category, message: str = "") -> Response:
    if message:
        flash(request, message)
    return redirect(request, "awards:category_questions", slug=cycle.slug, category_id=category.id)


async def question_list(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(request, cycle)
    context = await _list_context(cycle, category)
    if request.method == "GET":
        return page(request, LIST, Form.prefilled({"kind": "short_text"}), **context)
    form = editor(Form(await request.form()), questions.KINDS)
    if not form.ok:
        return page(request, LIST, form, 422, **context)
    try:
        await questions.add(_user(request), cycle, category, form.values)
    except DomainError as exc:
        return _refused(request, LIST, form, exc, **context)
    return _back(request, cycle, category, _("The question has been added."))


async def question_edit(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(request, cycle)
    question = await _question(request, category)
    context = {
        "cycle": cycle,
        "category": category,
        "question": question,
        "editable": questions.editable(cycle),
        "question_kinds": KINDS,
    }
    if request.method == "GET":
        return page(request, FORM, Form.prefilled(initial(question)), **context)
    form = editor(Form(await request.form()), questions.KINDS)
    if not form.ok:
        return page(request, FORM, form, 422, **context)
    try:
        await questions.update(_user(request), cycle, question, form.values)
    except DomainError as exc:
        return _refused(request, FORM, form, exc, **context)
    return _back(request, cycle, category, _("The question has been saved."))


async def question_move(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(request, cycle)
    question = await _question(request, category)
    form = Form(await request.form())
    direction = form.choice("direction", ["up", "down"])
    context = await _list_context(cycle, category)
    blank = Form.prefilled({"kind": "short_text"})
    if not form.ok:
        message = _("Choose to move the question up or down.")
        return page(request, LIST, blank, 422, message=message, **context)
    try:
        await questions.move(_user(request), cycle, question, -1 if direction == "up" else 1)
    except DomainError as exc:
        return _refused(request, LIST, blank, exc, **context)
    return _back(request, cycle, category)


async def question_delete(request: Request) -> Response:
    cycle = await managed_cycle(request)
    category = await _category(request, cycle)
    question = await _question(request, category)
    try:
        await questions.delete(_user(request), cycle, question)
    except DomainError as exc:
        blank = Form.prefilled({"kind": "short_text"})
        return _refused(request, LIST, blank, exc, **await _list_context(cycle, category))
    return _back(request, cycle, category, _("The question has been deleted."))


Q = "/awards/{slug}/manage/categories/{category_id:int}/questions"
routes_list = [
    Route(Q, question_list, methods=["GET", "POST"], name="awards:category_questions"),
    Route(
        f"{Q}/{{question_id:int}}",
        question_edit,
        methods=["GET", "POST"],
        name="awards:category_question_edit",
    ),
    Route(
        f"{Q}/{{question_id:int}}/move",
        question_move,
        methods=["POST"],
        name="awards:category_question_move",
    ),
    Route(
        f"{Q}/{{question_id:int}}/delete",
        question_delete,
        methods=["POST"],
        name="awards:category_question_delete",
    ),
]
# A POST-only action answers a GET (a reload of its refused form) with the list.
routes = form_pages(
    routes_list,
    {
        "awards:category_question_move": "awards:category_questions",
        "awards:category_question_delete": "awards:category_questions",
    },
)
