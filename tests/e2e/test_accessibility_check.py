"""The accessibility check of the browser journeys can fail: a page with known serious and
critical violations, served at the live server's address by the browser itself, is reported
with each rule, its impact, the elements and the page's address; a moderate one is not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.e2e import accessibility
from tests.e2e.conftest import LiveServer

BROKEN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Broken on purpose</title></head>
<body><main>
<h1>Results</h1>
<p id="first" class="place-1" style="color:#c8963e;background:#fff">First place</p>
<img id="logo" src="/static/none.png">
<form><input id="code" type="text"><button id="go" type="button">Go</button></form>
</main>
<h4>a heading level skipped (moderate only)</h4>
</body></html>"""


def test_a_page_with_serious_violations_fails_the_check(
    page: Callable[..., Any], live_server: LiveServer
) -> None:
    browser_page = page("en")
    browser_page.route(
        "**/axe-broken-on-purpose",
        lambda route: route.fulfill(body=BROKEN, content_type="text/html; charset=utf-8"),
    )
    url = live_server.url("/axe-broken-on-purpose")
    browser_page.goto(url)
    browser_page.fill("#code", "x")  # an action on the page: the central check runs before it
    found = accessibility.AUDIT.finish()  # what the test would fail with; taken, so it passes

    by_rule = {violation.rule: violation for violation in found}
    assert set(by_rule) == {"color-contrast", "image-alt", "label"}
    assert (by_rule["color-contrast"].impact, by_rule["color-contrast"].targets) == (
        "serious",
        ("#first",),
    )
    assert (by_rule["image-alt"].impact, by_rule["image-alt"].targets) == ("critical", ("#logo",))
    assert by_rule["label"].targets == ("#code",)
    assert {violation.url for violation in found} == {url}

    message = accessibility.report(found)
    assert "color-contrast (serious) on " + url in message
    assert "image-alt (critical)" in message
    assert "at #logo" in message
    assert "heading-order" not in message  # moderate: reported by axe, not failing


def test_each_page_is_checked_once_in_each_shape(
    page: Callable[..., Any], live_server: LiveServer
) -> None:
    """A document is checked once; the same address showing the same elements again (a reload)
    is not checked twice; the same address showing other elements (an error) is."""
    shown = {"html": '<p id="a">one</p>'}
    browser_page = page("en")
    browser_page.route(
        "**/axe-shapes",
        lambda route: route.fulfill(
            body=f"<!doctype html><html lang=en><title>t</title><main>{shown['html']}</main>",
            content_type="text/html; charset=utf-8",
        ),
    )
    browser_page.goto(live_server.url("/axe-shapes"))
    before = accessibility.AUDIT.documents
    browser_page.click("#a")
    browser_page.click("#a")  # the same document: not checked again
    assert accessibility.AUDIT.documents == before + 1
    browser_page.reload()
    browser_page.click("#a")  # a new document of the same shape
    assert accessibility.AUDIT.documents == before + 1
    shown["html"] = '<p id="a">one</p><img id="b" src="/x.png">'
    browser_page.reload()
    browser_page.click("#a")
    assert accessibility.AUDIT.documents == before + 2
    assert [(v.rule, v.targets) for v in accessibility.AUDIT.finish()] == [("image-alt", ("#b",))]
