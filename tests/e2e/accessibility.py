"""axe-core on every page the browser journeys show.

The journeys never call this module: the conftest watches every page of every browser context
it opens (`watch`), and before each action a test takes on a page (a click, a fill, a goto ...)
the document that page shows is checked once with axe-core, the version shipped inside the
`axe-playwright-python` package (nothing is fetched at run time); a document of the same shape
as one checked before (see SHAPE) is not checked again. After the test body, every
page still open is checked too, and the test fails on any violation of impact "serious" or
"critical", with the rule, its impact, the elements (CSS selectors) and the page's address.

The app's Content-Security-Policy (`script-src 'self'`) forbids an injected script. Playwright's
`evaluate`, which injects axe-core here, is not held to it in Chromium, but the test contexts
are opened with `bypass_csp=True` all the same, so that the check never depends on how the
script gets in (the app's policy itself is untouched).

Checking "before the next action" rather than on the `load` event is what makes it
deterministic: a `load` handler runs beside the test, which may already be leaving the page.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

FAILING_IMPACTS = ("critical", "serious")
# Set on a document's window once it is checked: a new document (navigation, form post,
# reload) starts without it, the same document after a click that stays on it keeps it.
MARK = "__manassaAxeChecked"
ATTEMPTS = 3
# What a document is made of, for skipping one already checked: every element with its
# attributes (values included, but not of those that only hold data: links, form values) and
# whether it has text. Two documents of the same shape give axe-core the same answer (the same
# round page after a reload, the score sheet of the next entry), so each shape is checked once.
SHAPE = """() => {
  const data = new Set(["value", "href", "src", "action", "content", "datetime", "nonce"]);
  return Array.from(document.querySelectorAll("*"), (e) =>
    e.tagName + " " +
    e.getAttributeNames().filter((n) => !data.has(n)).map((n) => n + "=" + e.getAttribute(n))
      .join(" ") +
    (e.childElementCount === 0 && e.textContent.trim() ? " +text" : "")
  ).join("\\n");
}"""
# Playwright's actions that a user takes on a page: the document is checked just before.
PAGE_ACTIONS = (
    "goto",
    "reload",
    "go_back",
    "go_forward",
    "click",
    "dblclick",
    "tap",
    "fill",
    "type",
    "press",
    "check",
    "uncheck",
    "set_checked",
    "select_option",
    "set_input_files",
)
LOCATOR_ACTIONS = (
    "click",
    "dblclick",
    "tap",
    "fill",
    "clear",
    "type",
    "press",
    "press_sequentially",
    "check",
    "uncheck",
    "set_checked",
    "select_option",
    "set_input_files",
)


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    url: str
    targets: tuple[str, ...]

    def describe(self) -> str:
        where = "; ".join(self.targets[:8]) + (" ..." if len(self.targets) > 8 else "")
        return f"- {self.rule} ({self.impact}) on {self.url}: {self.help}\n    at {where}"


def violations_in(response: dict[str, Any], url: str) -> list[Violation]:
    """The serious and critical violations of one axe-core run."""
    found = []
    for violation in response["violations"]:
        if violation.get("impact") not in FAILING_IMPACTS:
            continue
        targets = tuple(
            " >> ".join(str(part) for part in node["target"]) for node in violation["nodes"]
        )
        found.append(
            Violation(violation["id"], violation["impact"], violation["help"], url, targets)
        )
    return found


def report(violations: list[Violation]) -> str:
    """The failure message: one entry per rule, page and set of elements."""
    unique = list(dict.fromkeys(violations))
    lines = [f"axe-core found {len(unique)} serious or critical accessibility violation(s):"]
    lines += [violation.describe() for violation in unique]
    return "\n".join(lines)


@dataclass
class Audit:
    """The pages watched during a test, and what axe-core found on them."""

    axe: Axe = field(default_factory=Axe)
    pages: list[Page] = field(default_factory=list)
    found: list[Violation] = field(default_factory=list)
    documents: int = 0
    shapes: set[str] = field(default_factory=set)
    seconds: float = 0.0
    busy: bool = False

    def watch(self, page: Page) -> None:
        if page not in self.pages:
            self.pages.append(page)

    def check(self, page: Page) -> None:
        """Check the document the page shows now, unless it was checked already."""
        if self.busy or page not in self.pages or page.is_closed():
            return
        self.busy = True
        try:
            for attempt in range(ATTEMPTS):
                try:
                    self._check_once(page)
                    return
                except PlaywrightError:
                    # the page was navigating: check the document it lands on
                    if attempt == ATTEMPTS - 1 or page.is_closed():
                        raise
        finally:
            self.busy = False

    def _check_once(self, page: Page) -> None:
        page.wait_for_load_state("load")
        if not page.url.startswith(("http://", "https://")):
            return  # about:blank before the first goto: not a page of the app
        if page.evaluate(f"() => window.{MARK} === true"):
            return
        url = page.url
        shape = hashlib.sha256(page.evaluate(SHAPE).encode()).hexdigest()
        if shape not in self.shapes:  # else: a page just like it was checked already
            started = time.perf_counter()
            results = self.axe.run(page)
            self.seconds += time.perf_counter() - started
            self.documents += 1
            self.found.extend(violations_in(results.response, url))
            self.shapes.add(shape)
        page.evaluate(f"() => {{ window.{MARK} = true; }}")

    def finish(self) -> list[Violation]:
        """Check the pages still open, and hand over (and forget) what was found."""
        for page in self.pages:
            if not page.is_closed():
                self.check(page)
        found, self.found, self.pages = self.found, [], []
        return found

    def forget(self) -> None:
        self.found, self.pages = [], []


AUDIT = Audit()


def _before(action: Callable[..., Any], page_of: Callable[[Any], Page]) -> Callable[..., Any]:
    @functools.wraps(action)
    def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
        AUDIT.check(page_of(self))
        return action(self, *args, **kwargs)

    return checked


def install() -> None:
    """Check before every user action (once per session; idempotent)."""
    if getattr(Page, MARK, False):
        return
    for name in PAGE_ACTIONS:
        setattr(Page, name, _before(getattr(Page, name), lambda page: page))
    for name in LOCATOR_ACTIONS:
        setattr(Locator, name, _before(getattr(Locator, name), lambda locator: locator.page))
    setattr(Page, MARK, True)
