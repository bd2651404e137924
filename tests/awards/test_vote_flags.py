"""The flags raised on a public vote (awards/vote_flags.py): plain cases at each declared
threshold, and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from awards import vote_flags
from awards.vote_flags import Signals, email_shape, flags, subnet


def test_a_plain_vote_raises_no_flag():
    assert flags(Signals(seconds_from_code=300)) == []


def test_each_flag_at_its_declared_threshold():
    assert flags(Signals(disposable=True)) == ["disposable"]
    assert flags(Signals(seconds_from_code=vote_flags.FAST_SECONDS - 1)) == ["fast"]
    assert flags(Signals(seconds_from_code=vote_flags.FAST_SECONDS)) == []
    assert flags(Signals(seconds_from_code=None)) == []  # no code: a verified account
    assert flags(Signals(address_votes=vote_flags.BURST_ADDRESS)) == ["burst"]
    assert flags(Signals(address_votes=vote_flags.BURST_ADDRESS - 1)) == []
    assert flags(Signals(subnet_votes=vote_flags.BURST_SUBNET)) == ["burst"]
    assert flags(Signals(same_shape_voters=vote_flags.SEQUENTIAL_OTHERS)) == ["sequential"]
    assert flags(Signals(same_shape_voters=vote_flags.SEQUENTIAL_OTHERS - 1)) == []


def test_all_flags_in_their_declared_order():
    raised = flags(Signals(True, 0, 100, 100, 100))
    assert raised == list(vote_flags.FLAGS)


def test_sequential_and_near_identical_addresses_share_a_shape():
    assert email_shape("voter12@example.org") == "voter@example.org"
    assert email_shape("vo.ter7@example.org") == "voter@example.org"
    assert email_shape("voter+x@example.org") == "voter@example.org"
    assert email_shape("voter@example.net") != email_shape("voter@example.org")
    assert email_shape("huda@example.org") != email_shape("omar@example.org")


def test_subnet_is_the_slash_24_or_the_slash_48():
    assert subnet("192.0.2.61") == subnet("192.0.2.200") == "192.0.2.0/24"
    assert subnet("192.0.3.1") != subnet("192.0.2.1")
    assert subnet("2001:db8:1:2::5") == subnet("2001:db8:1:ffff::1") == "2001:db8:1::/48"
    assert subnet("::ffff:192.0.2.9") == "192.0.2.0/24"
    assert subnet("unknown") == "unknown"


@given(
    st.booleans(),
    st.one_of(st.none(), st.integers(0, 10_000)),
    st.integers(1, 200),
    st.integers(1, 200),
    st.integers(0, 50),
)
def test_flags_are_known_names_without_repeats_and_more_signal_never_drops_one(
    disposable, seconds, address, net, shape
):
    raised = flags(Signals(disposable, seconds, address, net, shape))
    assert set(raised) <= set(vote_flags.FLAGS) and len(raised) == len(set(raised))
    more = flags(Signals(disposable, seconds, address + 1, net + 1, shape + 1))
    assert set(raised) <= set(more)


@given(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.integers(0, 10**6))
def test_a_number_added_to_an_address_keeps_its_shape(name, number):
    assert email_shape(f"{name}{number}@example.org") == email_shape(f"{name}@example.org")
