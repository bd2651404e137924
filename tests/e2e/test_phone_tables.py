"""The organizer's tables on a phone (390 px wide): a wide table scrolls inside its own box,
which a keyboard can reach, and the page itself never scrolls sideways, so the header and the
footer span the screen. In Arabic and in English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from events.demo import CURRENT
from tests.e2e.conftest import screenshot
from tests.e2e.test_events_journey import ORGANIZER

PHONE = {"width": 390, "height": 844}
PAGES = ("registrants", "teams", "submissions")


def sign_in_as_organizer(page: Any) -> None:
    page.fill("#f-email", ORGANIZER.email)
    page.fill("#f-password", ORGANIZER.password)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=nav-profile]")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_organizer_tables_scroll_in_their_own_box_on_a_phone(
    page: Callable[..., Any], lang: str
) -> None:
    phone = page(lang, f"/login?lang={lang}")
    phone.set_viewport_size(PHONE)
    sign_in_as_organizer(phone)
    for name in PAGES:
        phone.goto(f"/events/{CURRENT}/manage/{name}?lang={lang}")
        assert phone.locator("html").get_attribute("lang") == lang
        table = phone.get_by_test_id(name)
        assert table.locator("tbody tr").count() > 0
        box = phone.locator(".table-scroll", has=table)
        assert box.get_attribute("tabindex") == "0"
        assert box.get_attribute("role") == "region"
        assert box.get_attribute("aria-label")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name} ({lang}) is {width} px wide"
        for part in ("header.site-header", "footer.site-footer"):
            assert phone.locator(part).bounding_box()["width"] == PHONE["width"]
        if name == "registrants":
            # the table is wider than the screen: it scrolls inside its box, and a keyboard
            # reaches the box to scroll it
            assert box.evaluate("b => b.scrollWidth > b.clientWidth")
            box.focus()
            assert phone.evaluate("document.activeElement.classList.contains('table-scroll')")
        screenshot(phone, f"phone-{lang}-{name}")
