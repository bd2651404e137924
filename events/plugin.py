"""What events offers the core: its routes (the most visited first: the router tries them
in order) and its hooks (home page section, navigation, file policies, demo data); and the
entry source it registers with judging (a Mediathon's submissions are judged)."""

from __future__ import annotations

from core.hooks import HomeSection, Hooks
from core.i18n import N_
from events import demo
from events.routes import api, common, manage, participant, public
from events.services import downloads, entry_source, home
from judging.sources import sources

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
    page_context={"events": common.page_context},
    sections=[
        HomeSection(
            "events", N_("Mediathon events"), N_("No Mediathon event has been published yet.")
        )
    ],
)

sources.register(entry_source.SubmissionSource())
