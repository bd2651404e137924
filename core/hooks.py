"""What a domain package offers the core, found in `<domain>.plugin` as `routes` and `hooks`.

The core imports no domain by name: the installed domains come from settings.domains, and
whatever the core shows or runs on a domain's behalf (the sign-in page, the home page's
sections, CLI commands, demo data) is offered here.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.routing import BaseRoute

from core.security import LanguageSaver, UserLoader
from core.settings import Settings
from core.storage import FilePolicy

SectionProvider = Callable[[], Awaitable[list[dict[str, Any]]]]
DemoLoader = Callable[[Settings], Awaitable[list[str]]]
DataCheck = Callable[[], Awaitable[bool]]  # True when the database holds the domain's data
PageContext = Callable[[], dict[str, Any]]  # what every page of a template folder shows
NavProvider = Callable[[Request], list[tuple[str, str]]]
"""(url, label) links for the header. They may depend only on the language, the site's address
and who is signed in (nobody, or a person with their roles and admin flag): the header keeps
them per these (core.templating.nav_links)."""


@dataclass(frozen=True)
class HomeSection:
    """A section of the home page. `title` and `empty` are marked with N_ in the domain and
    translated when the page is drawn; the items come from `Hooks.home_sections[key]`."""

    key: str
    title: str
    empty: str


@dataclass(frozen=True)
class Command:
    """A `manassa <name>` command a domain offers: `arguments` adds its options to the
    parser, `run` does the work with the settings and the parsed arguments."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, None]]


@dataclass
class AuditLabels:
    """How the audit log names a domain's records: its actions ("judging.round_open"), its
        object types (model names and scope types), the fields of its before/after values, and
        the values of a field ({"state": {"draft": ...}}, or {"Round.state": ...} for one object
    type's field). Marked with N_ in the domain and
        translated when the page is drawn; the core shows a readable fallback for the rest."""

    actions: dict[str, str] = field(default_factory=dict)
    objects: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def merge(self, other: AuditLabels) -> None:
        self.actions.update(other.actions)
        self.objects.update(other.objects)
        self.fields.update(other.fields)
        for name, labels in other.values.items():
            self.values.setdefault(name, {}).update(labels)


@dataclass
class Hooks:
    user_loader: UserLoader | None = None
    language_saver: LanguageSaver | None = None
    sign_in_route: str | None = None  # the route anonymous visitors are sent to
    sections: list[HomeSection] = field(default_factory=list)
    home_sections: dict[str, SectionProvider] = field(default_factory=dict)
    file_policies: dict[str, FilePolicy] = field(default_factory=dict)
    demo: list[DemoLoader] = field(default_factory=list)
    has_data: list[DataCheck] = field(default_factory=list)
    nav: list[NavProvider] = field(default_factory=list)
    page_context: dict[str, PageContext] = field(default_factory=dict)
    commands: list[Command] = field(default_factory=list)
    audit: AuditLabels = field(default_factory=AuditLabels)

    def merge(self, other: Hooks) -> None:
        self.user_loader = other.user_loader or self.user_loader
        self.language_saver = other.language_saver or self.language_saver
        self.sign_in_route = other.sign_in_route or self.sign_in_route
        self.sections.extend(other.sections)
        self.home_sections.update(other.home_sections)
        self.file_policies.update(other.file_policies)
        self.demo.extend(other.demo)
        self.has_data.extend(other.has_data)
        self.nav.extend(other.nav)
        self.page_context.update(other.page_context)
        self.commands.extend(other.commands)
        self.audit.merge(other.audit)


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
