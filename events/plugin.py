"""What events offers the core: its routes (the most visited first: the router tries them in
order) and its hooks (home page section, navigation, file policies, demo data), and the entry
source it registers with judging."""

from __future__ import annotations

from core.hooks import Hooks
from events import demo
from events.routes import api, manage, participant, public
from events.services import downloads, entry_source, home

__all__ = ["hooks", "routes"]

routes = [
    *manage.routes_before_slug,  # /events/new before /events/{slug}
    *public.routes,
    *api.routes,
    *participant.routes,
    *manage.routes,
]

hooks = Hooks(
    home_sections={"events": home.published_events},
    file_policies=downloads.FILE_POLICIES,
    demo=[demo.load],
    nav=[home.nav_links],
    entry_sources={"event": entry_source.SubmissionSource()},
)
