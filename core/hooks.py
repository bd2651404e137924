"""What a domain package offers the core, found in `<domain>.plugin` as `routes` and `hooks`.

The core imports no domain by name: the installed domains come from settings.domains.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.routing import BaseRoute

from core.security import LanguageSaver, UserLoader
from core.settings import Settings
from core.storage import FilePolicy

SectionProvider = Callable[[], Awaitable[list[dict[str, Any]]]]
DemoLoader = Callable[[Settings], Awaitable[list[str]]]
NavProvider = Callable[[Request], list[tuple[str, str]]]  # (url, label) links for the header


@dataclass
class Hooks:
    user_loader: UserLoader | None = None
    language_saver: LanguageSaver | None = None
    home_sections: dict[str, SectionProvider] = field(default_factory=dict)
    file_policies: dict[str, FilePolicy] = field(default_factory=dict)
    demo: list[DemoLoader] = field(default_factory=list)
    nav: list[NavProvider] = field(default_factory=list)
    # Things that can be judged, by scope type ("event", "award_cycle"): see judging/sources.py
    entry_sources: dict[str, Any] = field(default_factory=dict)

    def merge(self, other: Hooks) -> None:
        self.user_loader = other.user_loader or self.user_loader
        self.language_saver = other.language_saver or self.language_saver
        self.home_sections.update(other.home_sections)
        self.file_policies.update(other.file_policies)
        self.demo.extend(other.demo)
        self.nav.extend(other.nav)
        self.entry_sources.update(other.entry_sources)


def module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def installed(settings: Settings) -> list[str]:
    """Installed domains that exist as packages with a plugin module."""
    return [d for d in settings.domains if module_exists(f"{d}.plugin")]


def collect(settings: Settings) -> tuple[list[BaseRoute], Hooks]:
    routes: list[BaseRoute] = []
    hooks = Hooks()
    for domain in installed(settings):
        module = importlib.import_module(f"{domain}.plugin")
        routes.extend(getattr(module, "routes", []))
        if isinstance(getattr(module, "hooks", None), Hooks):
            hooks.merge(module.hooks)
    return routes, hooks
