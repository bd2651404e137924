"""What every award handler needs: load the cycle in the path within what the visitor may see,
the cycle's timeline for a page, and what every award template can use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request

from awards import labels
from awards import rules as rules  # registers the award's permission rules by name
from awards.models import SLUG_MAX, Cycle
from awards.services import cycles, results
from core import permissions, templating
from core.errors import NotFound
from core.i18n import gettext as _


def not_found() -> NotFound:
    return NotFound(_("This page does not exist or is not available to you."))


def slug_of(request: Request) -> str | None:
    """The URL's cycle slug, or None when it cannot be one (longer than any slug)."""
    slug = request.path_params["slug"]
    return slug if len(slug) <= SLUG_MAX else None


async def visible_cycle(request: Request) -> Cycle:
    """The cycle of the URL, if this visitor may see it (drafts only to its organizers and
    admins; everyone else gets the same 404 as for a cycle that does not exist)."""
    slug = slug_of(request)
    cycle = await cycles.cycle_of_slug(slug) if slug else None
    if cycle is None:
        raise not_found()
    permissions.require(request.state.user, "awards.view", cycle, visible="awards.view")
    return cycle


async def managed_cycle(request: Request) -> Cycle:
    """The cycle of the URL for its organizers and admins (a 404 for everyone else, as if it
    did not exist; a signed-out organizer is asked to sign in)."""
    permissions.require(request.state.user, "core.signed_in")
    slug = slug_of(request)
    cycle = await cycles.cycle_of_slug(slug) if slug else None
    if cycle is None:
        raise not_found()
    permissions.require(request.state.user, "awards.manage", cycle, visible="awards.manage")
    return cycle


def timeline_items(cycle: Cycle, moment: dt.datetime) -> list[dict[str, Any]]:
    """The cycle's dates in order, named, and whether each has passed."""
    return [
        {"key": key, "label": _(labels.MILESTONES[key]), "when": when, "passed": when <= moment}
        for key, when in cycle.timeline.milestones()
    ]


# called per row and take nothing from the template: the environment calls them directly
templating.plain_helpers(labels.label, results.is_public)


def page_context() -> dict[str, Any]:
    """What every award page can use (awards.plugin offers it)."""
    return {"labels": labels, "label": labels.label, "results_public": results.is_public}
