"""What the Media Excellence Award offers the core so far: its section of the home page (empty
until award cycles are published)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from core.hooks import HomeSection, Hooks
from core.i18n import N_

__all__ = ["hooks", "routes"]

routes: list[BaseRoute] = []

hooks = Hooks(
    sections=[
        HomeSection(
            "awards", N_("Media Excellence Award"), N_("No award cycle has been published yet.")
        )
    ],
)
