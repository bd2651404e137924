"""Judging tests run against an in-memory entry source registered with judging
for the test."""

from __future__ import annotations

import pytest

from judging.sources import sources
from tests.judging.sources import MemorySource, standard_source


@pytest.fixture
def source() -> MemorySource:
    return standard_source()


@pytest.fixture
def app(app, source: MemorySource):  # noqa: ANN001, ANN201 - extends the root fixture
    with sources.replaced(source):
        yield app
