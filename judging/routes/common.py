"""What every judging handler starts with: the signed-in user, the scope in the path (an event
or an award cycle, through its EntrySource), the organizer's permission, and the page
helpers."""

from __future__ import annotations

import functools
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse

from accounts.models import User
from core import permissions
from core.errors import NotFound
from core.i18n import get_locale, use_locale
from core.i18n import gettext as _
from core.links import Links, request_links
from core.web import redirect
from judging.enums import ConflictKind, ConflictOrigin, EntryRule, JudgeState, Method, RoundState
from judging.models import Round
from judging.services import rounds
from judging.sources import EntrySource, ScopeInfo, sources


def signed_in(request: Request) -> User:
    user = request.state.user
    permissions.require(user, "core.signed_in")
    return user


def entry_source(request: Request, scope_type: str) -> EntrySource | None:
    return sources.get(scope_type)


async def scope_info(request: Request, scope_type: str, scope_id: int) -> ScopeInfo | None:
    """The event or award cycle, as its domain describes it (None if there is none)."""
    source = entry_source(request, scope_type)
    return await source.scope(scope_id) if source else None


async def path_scope(request: Request) -> tuple[EntrySource, ScopeInfo]:
    """The scope named in the path, with the source of its entries."""
    scope_type = request.path_params["scope_type"]
    source = entry_source(request, scope_type)
    scope = await source.scope(request.path_params["scope_id"]) if source else None
    if source is None or scope is None:
        raise NotFound(_("This page does not exist or is not available to you."))
    return source, scope


async def managed(request: Request) -> tuple[User, EntrySource, ScopeInfo]:
    """The organizer (or admin) of the scope in the path."""
    user = signed_in(request)
    source, scope = await path_scope(request)
    permissions.require(user, "judging.manage", scope, visible="judging.manage")
    return user, source, scope


async def managed_round(request: Request) -> tuple[User, EntrySource, ScopeInfo, Round]:
    user, source, scope = await managed(request)
    round_ = await rounds.round_in_scope(
        scope.scope_type, scope.scope_id, request.path_params["round_id"]
    )
    return user, source, scope, round_


def links(request: Request) -> Links:
    return request_links(request)


def round_redirect(request: Request, name: str, round_: Round) -> RedirectResponse:
    return redirect(
        request, name, scope_type=round_.scope_type, scope_id=round_.scope_id, round_id=round_.id
    )


def scope_redirect(request: Request, name: str, scope: ScopeInfo) -> RedirectResponse:
    return redirect(request, name, scope_type=scope.scope_type, scope_id=scope.scope_id)


def labels() -> dict[str, dict[Any, str]]:
    """Translated names of the judging states and choices, for templates (every judging page
    offers them: made once per language, the catalogs do not change while the process runs;
    read them, never change them)."""
    return _labels(get_locale())


@functools.cache
def _labels(lang: str) -> dict[str, dict[Any, str]]:
    with use_locale(lang):
        return _labels_now()


def _labels_now() -> dict[str, dict[Any, str]]:
    return {
        "state": {
            RoundState.DRAFT: _("In preparation"),
            RoundState.OPEN: _("Scoring open"),
            RoundState.CLOSED: _("Closed"),
            RoundState.PUBLISHED: _("Results published"),
        },
        "rule": {
            EntryRule.ALL_SUBMITTED: _("All submitted entries"),
            EntryRule.SHORTLIST_OF_PREVIOUS: _("The shortlist of a previous round"),
        },
        "method": {
            Method.MEAN: _("Mean"),
            Method.MEDIAN: _("Median"),
            Method.TRIMMED_MEAN: _("Trimmed mean"),
            Method.ZSCORE: _("Z-score calibration"),
            Method.LENIENCY: _("Judge-leniency model"),
        },
        "tiebreak": {
            "criteria": _("Criteria in priority order"),
            "top_scores": _("Count of top scores"),
            "decision": _("The organizer's recorded decision"),
        },
        "judge": {
            JudgeState.INVITED: _("Invited"),
            JudgeState.ACCEPTED: _("Accepted"),
            JudgeState.DECLINED: _("Declined"),
            JudgeState.WITHDRAWN: _("Withdrawn"),
        },
        "kind": {
            ConflictKind.ENTRY: _("Entry"),
            ConflictKind.TEAM: _("Team"),
            ConflictKind.ORGANIZATION: _("Organization or e-mail domain"),
        },
        "origin": {
            ConflictOrigin.DECLARED: _("Declared by the judge"),
            ConflictOrigin.DETECTED: _("Detected: shared organization or e-mail domain"),
            ConflictOrigin.ORGANIZER: _("Added by an organizer"),
        },
        "sheet": {"draft": _("Draft"), "submitted": _("Submitted"), "": _("Not started")},
        "place": {1: _("First place"), 2: _("Second place"), 3: _("Third place")},
    }


def page_context() -> dict[str, Any]:
    """What every judging page can use (judging.plugin offers it)."""
    return {"labels": labels()}
