"""What every judging handler starts with: the signed-in user, the scope in the path (an event
or an award cycle, through its EntrySource), the organizer's permission, and the page
helper
(the judging labels come from judging.labels)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse

from accounts.models import SignedIn
from core import permissions
from core.errors import NotFound
from core.i18n import gettext as _
from core.links import Links, request_links
from core.web import redirect
from judging.labels import labels
from judging.models import Round
from judging.services import rounds
from judging.sources import EntrySource, ScopeInfo, sources


def signed_in(request: Request) -> SignedIn:
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


async def managed(request: Request) -> tuple[SignedIn, EntrySource, ScopeInfo]:
    """The organizer (or admin) of the scope in the path."""
    user = signed_in(request)
    source, scope = await path_scope(request)
    permissions.require(user, "judging.manage", scope, visible="judging.manage")
    return user, source, scope


async def managed_round(request: Request) -> tuple[SignedIn, EntrySource, ScopeInfo, Round]:
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


def page_context() -> dict[str, Any]:
    """What every judging page can use (judging.plugin offers it)."""
    return {"labels": labels()}
