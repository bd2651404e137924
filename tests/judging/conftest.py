"""Judging tests run against an in-memory entry source registered in the test app's hooks."""

from __future__ import annotations

import pytest

from tests.judging.sources import MemorySource, standard_source


@pytest.fixture
def source() -> MemorySource:
    return standard_source()


@pytest.fixture
def app(app, source: MemorySource):  # noqa: ANN001, ANN201 - extends the root fixture
    app.state.hooks.entry_sources["event"] = source
    return app
