"""What events offers the core: its routes (the most visited first: the router tries them
in order) and its hooks (home page section, navigation, file policies, demo data); and the
entry source it registers with judging (a Mediathon's submissions are judged)."""

from __future__ import annotations

from core.hooks import HomeSection, Hooks
from core.i18n import N_
from core.routing import form_pages
from events import audit_labels, demo
from events.routes import api, common, manage, participant, public
from events.services import downloads, entry_source, home
from judging.sources import sources

__all__ = ["hooks", "routes"]

# Every POST-only action, and the page its form sits on: a GET of the action's address (where
# a refusal re-renders that page) leads back to it instead of answering 405 (core.routing).
FORM_PAGES = {
    "events:unregister": "events:detail",
    "events:team_invite": "events:team",
    "events:team_revoke": "events:team",
    "events:team_remove": "events:team",
    "events:team_captain": "events:team",
    "events:team_code": "events:team",
    "events:team_withdraw": "events:team",
    "events:team_leave": "events:team",
    "events:submission_withdraw": "events:team",
    "events:submission_file_delete": "events:submission",
    "events:invitation_accept": "events:invitation",
    "events:invitation_decline": "events:invitation",
    "events:visibility": "events:manage",
    "events:extend": "events:manage",
    "events:track_move": "events:tracks",
    "events:track_delete": "events:tracks",
    "events:question_move": "events:questions",
    "events:question_delete": "events:questions",
}

routes = form_pages(
    [
        *manage.routes_before_slug,  # /events/new before /events/{slug}
        *public.routes,
        *api.routes,
        *participant.routes,
        *manage.routes,
    ],
    FORM_PAGES,
)

hooks = Hooks(
    audit=audit_labels.AUDIT,
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
