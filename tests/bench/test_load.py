"""bench/load.py: the percentiles a benchmark records stay within what it measured."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bench.load import percentiles


@given(st.lists(st.floats(min_value=0.01, max_value=5000), min_size=2, max_size=200))
def test_a_percentile_is_never_beyond_the_fastest_or_the_slowest_request(latencies):
    found = percentiles(latencies)
    assert min(latencies) - 0.01 <= found["50"] <= found["90"] <= found["99"]
    assert found["99"] <= max(latencies) + 0.01  # rounded to hundredths


def test_forty_requests_have_their_slowest_as_the_ceiling_of_their_p99():
    latencies = [float(ms) for ms in range(1, 41)]
    assert percentiles(latencies)["99"] == 39.61
