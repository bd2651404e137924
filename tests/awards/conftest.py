"""The award's service tests read messages in English unless a test says otherwise (the pages
set the locale from the request; services translate into it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.i18n import use_locale


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with use_locale("en"):
        yield
