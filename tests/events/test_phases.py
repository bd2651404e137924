"""The phase of an event from its timeline and the clock, and the timeline's order rules."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from events import phases
from events.enums import Phase
from events.phases import Timeline

T0 = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)  # 09:00 in Riyadh
H = dt.timedelta(hours=1)


def example() -> Timeline:
    return Timeline(
        registration_opens=T0,
        registration_closes=T0 + 240 * H,
        submissions_open=T0 + 300 * H,
        submissions_close=T0 + 500 * H,
        judging_starts=T0 + 520 * H,
        judging_ends=T0 + 600 * H,
        results_at=T0 + 700 * H,
    )


def test_each_phase_starts_at_its_date_to_the_second():
    t = example()
    second = dt.timedelta(seconds=1)
    assert phases.phase(t, T0 - second) == Phase.UPCOMING
    assert phases.phase(t, T0) == Phase.REGISTRATION
    assert phases.phase(t, t.registration_closes - second) == Phase.REGISTRATION
    assert phases.phase(t, t.registration_closes) == Phase.PREPARATION
    assert phases.phase(t, t.submissions_open) == Phase.SUBMISSION
    assert phases.phase(t, t.submissions_close - second) == Phase.SUBMISSION
    assert phases.phase(t, t.submissions_close) == Phase.JUDGING
    assert phases.phase(t, t.results_at - second) == Phase.JUDGING
    assert phases.phase(t, t.results_at) == Phase.RESULTS


def test_the_same_instant_in_another_zone_is_the_same_phase():
    t = example()
    riyadh = dt.timezone(dt.timedelta(hours=3))
    closing_local = t.submissions_close.astimezone(riyadh)
    assert (t.submissions_close.hour, closing_local.hour) == (2, 5)  # 02:00 UTC, 05:00 Riyadh
    assert phases.submissions_open(t, closing_local - dt.timedelta(microseconds=1))
    assert not phases.submissions_open(t, closing_local)


def test_without_a_results_date_judging_lasts():
    t = Timeline(
        registration_opens=T0,
        registration_closes=T0 + H,
        submissions_open=T0,
        submissions_close=T0 + 2 * H,
    )
    assert phases.phase(t, T0 + 1000 * H) == Phase.JUDGING
    assert phases.next_deadline(t, T0 + 3 * H) is None


def test_next_deadline_and_remaining():
    t = example()
    assert phases.next_deadline(t, T0 + H) == ("registration_closes", t.registration_closes)
    assert phases.next_deadline(t, T0 + 250 * H) == ("submissions_open", t.submissions_open)
    assert phases.remaining(T0 + 49 * H + dt.timedelta(minutes=30), T0) == (2, 1, 30)
    assert phases.remaining(T0 - H, T0) == (0, 0, 0)


def test_timeline_problems_name_the_date_to_follow():
    values = {
        "registration_opens": T0,
        "registration_closes": T0 - H,
        "submissions_open": T0,
        "submissions_close": T0 + H,
        "judging_starts": None,
        "judging_ends": None,
        "results_at": T0,
    }
    assert phases.timeline_problems(values) == {
        "registration_closes": "registration_opens",
        "results_at": "submissions_close",
    }
    assert (
        phases.timeline_problems(
            {**values, "registration_closes": T0 + H, "results_at": T0 + 2 * H}
        )
        == {}
    )


hours = st.integers(min_value=0, max_value=2000)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    """Any timeline in order (some optional dates left out)."""
    a = draw(hours)
    b = a + 1 + draw(hours)
    c = a + draw(hours)
    d = max(b, c + 1) + draw(hours)
    e, f, g = d + draw(hours), 0, 0
    f = e + 1 + draw(hours)
    g = f + draw(hours)
    keep = draw(st.booleans())
    return Timeline(
        registration_opens=T0 + a * H,
        registration_closes=T0 + b * H,
        submissions_open=T0 + c * H,
        submissions_close=T0 + d * H,
        judging_starts=T0 + e * H if keep else None,
        judging_ends=T0 + f * H if keep else None,
        results_at=T0 + g * H,
    )


@given(
    timelines(),
    st.integers(min_value=-100, max_value=8000),
    st.integers(min_value=0, max_value=8000),
)
def test_the_phase_never_goes_back_in_time(t, start, step):
    earlier, later = T0 + start * H, T0 + (start + step) * H
    order = phases.PHASE_ORDER
    assert order.index(phases.phase(t, earlier)) <= order.index(phases.phase(t, later))


@given(timelines(), st.integers(min_value=-100, max_value=8000))
def test_the_windows_agree_with_the_dates(t, offset):
    now = T0 + offset * H + dt.timedelta(minutes=offset % 60)
    assert phases.registration_open(t, now) == (t.registration_opens <= now < t.registration_closes)
    assert phases.submissions_open(t, now) == (phases.phase(t, now) == Phase.SUBMISSION)
    assert phases.teams_open(t, now) == (t.registration_opens <= now < t.submissions_close)
    upcoming = phases.next_deadline(t, now)
    future = [w for _, w in t.milestones() if w > now]
    assert (upcoming is None) == (not future)
    if upcoming:
        assert upcoming[1] == min(future)


@given(timelines())
def test_generated_timelines_are_in_order(t):
    values = {name: getattr(t, name) for name in Timeline.__dataclass_fields__}
    assert phases.timeline_problems(values) == {}
