"""What the Media Excellence Award offers the core: its public routes (the most visited
first: the router tries them in order) and its hooks (the home page's award section, the
header link, the page context of its templates, and demo data)."""

from __future__ import annotations

from starlette.requests import Request

from awards import audit_labels, commands, demo
from awards.routes import (
    api,
    category_questions,
    common,
    fraud,
    jury,
    manage,
    nominations,
    nominator,
    nominee,
    public,
    results,
    screening,
    vote,
    voting,
)
from awards.services import entry_source, mine
from awards.services import public as public_service
from core.hooks import HomeSection, Hooks
from core.i18n import N_
from core.i18n import gettext as _
from core.routing import form_pages
from judging.sources import sources

__all__ = ["hooks", "routes"]

routes = [
    *results.routes_before_slug,
    *manage.routes_before_slug,
    *public.routes,
    *api.routes,
    *manage.routes,
    *nominee.routes,
    *nominator.routes,
    *screening.routes,
    *nominations.routes,
    *form_pages(jury.routes, jury.FORM_PAGES),
    *category_questions.routes,
    *voting.routes,
    *form_pages(results.routes, results.FORM_PAGES),
    *form_pages(fraud.routes, fraud.FORM_PAGES),
    *form_pages(vote.routes, vote.FORM_PAGES),
]


def nav_links(request: Request) -> list[tuple[str, str]]:
    links = [(str(request.url_for("awards:list")), _("Award"))]
    if getattr(request.state, "user", None) is not None:
        links.append((str(request.url_for("awards:mine")), _("My nominations")))
    return links


hooks = Hooks(
    audit=audit_labels.AUDIT,
    commands=[commands.RECOUNT],
    home_sections={"awards": public_service.home_items},
    demo=[demo.load],
    file_policies=mine.FILE_POLICIES,
    nav=[nav_links],
    page_context={"awards": common.page_context},
    sections=[
        HomeSection(
            "awards", N_("Media Excellence Award"), N_("No award cycle has been published yet.")
        )
    ],
)

sources.register(entry_source.NominationSource())
