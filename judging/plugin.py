"""Judging pages: organizers run rounds in a scope (an event or an award cycle), judges score
their queue, the public and the teams read published results.

The handlers live in judging/routes/, one module per group of pages; every handler loads its
object within the scope, checks one named permission, parses the form, calls one service,
then renders (422 with the input kept) or redirects with 303. This module maps URLs to them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from core.hooks import Hooks
from core.i18n import gettext as _
from core.routing import form_pages
from judging import audit_labels, demo
from judging.labels import labels
from judging.routes import (
    assignments,
    entry_files,
    judge_pages,
    judges,
    public,
    results,
    rounds,
    rubric,
)
from judging.routes.common import page_context

__all__ = ["hooks", "labels", "nav", "routes"]


def nav(request: Request) -> list[tuple[str, str]]:
    user = request.state.user
    if user is None or not any(role in {"organizer", "judge"} for _t, _i, role in user.roles):
        return []
    return [(str(request.url_for("judging:home")), _("Judging"))]


_SCOPE = "/judging/{scope_type}/{scope_id:int}"
_ROUND = _SCOPE + "/rounds/{round_id:int}"
_POST = ["POST"]
_BOTH = ["GET", "POST"]

routes = [
    # The public pages first: Starlette tries routes in order, and these are the most visited.
    Route(_SCOPE + "/results", public.public_results, name="judging:public_results"),
    Route(_SCOPE + "/feedback/{source_id:int}", public.feedback, name="judging:feedback"),
    Route("/judging", rounds.home, name="judging:home"),
    Route("/judging/queue", judge_pages.queue, name="judging:queue"),
    Route(
        "/judging/invitations/{token}",
        judge_pages.invitation,
        methods=_BOTH,
        name="judging:invitation",
    ),
    Route(
        "/judging/entries/{entry_id:int}", judge_pages.score, methods=_BOTH, name="judging:score"
    ),
    Route(
        "/judging/entries/{entry_id:int}/files/{position:int}",
        entry_files.entry_file,
        name="judging:entry_file",
    ),
    Route(
        "/judging/entries/{entry_id:int}/conflict",
        judge_pages.entry_conflict,
        methods=_POST,
        name="judging:entry_conflict",
    ),
    Route(_SCOPE, rounds.scope_page, name="judging:scope"),
    Route(
        _SCOPE + "/my-conflicts",
        judge_pages.my_conflicts,
        methods=_BOTH,
        name="judging:my_conflicts",
    ),
    Route(_SCOPE + "/judges", judges.judges, methods=_BOTH, name="judging:judges"),
    Route(_SCOPE + "/conflicts", judges.conflict_add, methods=_POST, name="judging:conflict_add"),
    Route(
        _SCOPE + "/conflicts/detect",
        judges.conflicts_detect,
        methods=_POST,
        name="judging:conflicts_detect",
    ),
    Route(
        _SCOPE + "/conflicts/{conflict_id:int}/lift",
        judges.conflict_lift,
        methods=_POST,
        name="judging:conflict_lift",
    ),
    Route(_SCOPE + "/rounds/new", rounds.round_new, methods=_BOTH, name="judging:round_new"),
    Route(_ROUND, rounds.round_page, name="judging:round"),
    Route(_ROUND + "/edit", rounds.round_edit, methods=_BOTH, name="judging:round_edit"),
    Route(_ROUND + "/state", rounds.round_state, methods=_POST, name="judging:round_state"),
    Route(_ROUND + "/delete", rounds.round_delete, methods=_POST, name="judging:round_delete"),
    Route(
        _ROUND + "/entries/refresh",
        rounds.entries_refresh,
        methods=_POST,
        name="judging:entries_refresh",
    ),
    Route(_ROUND + "/rubric", rubric.rubric, methods=_BOTH, name="judging:rubric"),
    Route(
        _ROUND + "/rubric/{criterion_id:int}",
        rubric.criterion_edit,
        methods=_BOTH,
        name="judging:criterion",
    ),
    Route(
        _ROUND + "/rubric/{criterion_id:int}/delete",
        rubric.criterion_delete,
        methods=_POST,
        name="judging:criterion_delete",
    ),
    Route(_ROUND + "/assignments", assignments.assignments, name="judging:assignments"),
    Route(_ROUND + "/assignments/auto", assignments.assign, methods=_POST, name="judging:assign"),
    Route(
        _ROUND + "/assignments/add",
        assignments.assignment_add,
        methods=_POST,
        name="judging:assignment_add",
    ),
    Route(
        _ROUND + "/assignments/{assignment_id:int}/remove",
        assignments.assignment_remove,
        methods=_POST,
        name="judging:assignment_remove",
    ),
    Route(
        _ROUND + "/assignments/replace",
        assignments.judge_replace,
        methods=_POST,
        name="judging:judge_replace",
    ),
    Route(_ROUND + "/results", results.results, name="judging:results"),
    Route(
        _ROUND + "/results/method",
        results.results_method,
        methods=_POST,
        name="judging:results_method",
    ),
    Route(
        _ROUND + "/results/ties", results.results_ties, methods=_POST, name="judging:results_ties"
    ),
    Route(
        _ROUND + "/results/shortlist", results.shortlist, methods=_POST, name="judging:shortlist"
    ),
    Route(_ROUND + "/results/marks", results.mark_set, methods=_POST, name="judging:mark_set"),
    Route(
        _ROUND + "/results/marks/{mark_id:int}/remove",
        results.mark_remove,
        methods=_POST,
        name="judging:mark_remove",
    ),
    Route(_ROUND + "/results/preview", results.results_preview, name="judging:results_preview"),
    Route(_ROUND + "/results/publish", results.publish, methods=_POST, name="judging:publish"),
    Route(_ROUND + "/results/export.csv", results.export, name="judging:export"),
]

# Every POST-only action, and the page its form sits on: a GET of the action's address (where
# a refusal re-renders that page) leads back to it instead of answering 405 (core.routing).
FORM_PAGES = {
    "judging:entry_conflict": "judging:score",
    "judging:conflict_add": "judging:judges",
    "judging:conflicts_detect": "judging:judges",
    "judging:conflict_lift": "judging:judges",
    "judging:round_state": "judging:round",
    "judging:round_delete": "judging:round",
    "judging:entries_refresh": "judging:round",
    "judging:criterion_delete": "judging:rubric",
    "judging:assign": "judging:assignments",
    "judging:assignment_add": "judging:assignments",
    "judging:assignment_remove": "judging:assignments",
    "judging:judge_replace": "judging:assignments",
    "judging:results_method": "judging:results",
    "judging:results_ties": "judging:results",
    "judging:shortlist": "judging:results",
    "judging:mark_set": "judging:results",
    "judging:mark_remove": "judging:results",
    "judging:publish": "judging:results",
}
routes = form_pages(routes, FORM_PAGES)

hooks = Hooks(
    nav=[nav],
    demo=[demo.load],
    page_context={"judging": page_context},
    audit=audit_labels.AUDIT,
)
