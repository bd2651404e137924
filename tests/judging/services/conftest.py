"""The tests of judging's services check messages in English (the pages' tests check Arabic too)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.i18n import use_locale


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with use_locale("en"):
        yield
