"""The flags raised on a public vote when it is cast: flag, don't block (every flagged vote
counts until the organizer's fraud review voids it).

Pure: only the standard library. The service (awards.services.public_vote) gathers the signals
(`Signals`) and stores the flags' names in `VoteLog.flags`; the fraud review groups votes by them.

The declared thresholds:
- `disposable`: the address's domain, or a parent domain of it, is on the
  ``disposable-email-domains`` blocklist (decided when the code is asked for, by
  `awards.voters.domain_listed`).
- `fast`: the vote came less than `FAST_SECONDS` after its code was sent. In that time a person
  cannot open the mail, type six digits, read the shortlist and choose (the usual signal is a
  vote completed in under 2 s; the code's trip through the mail adds more). Only the votes
  that follow a code are timed: a signed-in voter with a verified account has none.
- `burst`: `BURST_ADDRESS` votes or more from one client address, or `BURST_SUBNET` or more
  from its /24 (IPv4) or /48 (IPv6), within one window of `BURST_WINDOW` seconds, this vote
  included (one real case: 68 votes from one address within seconds).
- `sequential`: `SEQUENTIAL_OTHERS` or more other voters of the cycle share this address's
  shape (`email_shape`: the local part without digits, dots and +tag, at the same domain), as
  voter1@, voter2@, v.oter@ at one domain do.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

FAST_SECONDS = 5
BURST_WINDOW = 60
BURST_ADDRESS = 10
BURST_SUBNET = 30
SEQUENTIAL_OTHERS = 2

DISPOSABLE = "disposable"
FAST = "fast"
BURST = "burst"
SEQUENTIAL = "sequential"
FLAGS = (DISPOSABLE, FAST, BURST, SEQUENTIAL)

_SHAPE_DROPS = re.compile(r"[0-9.]")


@dataclass(frozen=True)
class Signals:
    """What is known of a vote when it is cast."""

    disposable: bool = False
    seconds_from_code: int | None = None  # None: no code (a verified account)
    address_votes: int = 1  # votes from the client address in the burst window, this one too
    subnet_votes: int = 1  # votes from its /24 or /48 in the window, this one too
    same_shape_voters: int = 0  # other voters of the cycle with the same e-mail shape


def flags(signals: Signals) -> list[str]:
    """The flags a vote raises, in the order of `FLAGS`."""
    raised = []
    if signals.disposable:
        raised.append(DISPOSABLE)
    if signals.seconds_from_code is not None and signals.seconds_from_code < FAST_SECONDS:
        raised.append(FAST)
    if signals.address_votes >= BURST_ADDRESS or signals.subnet_votes >= BURST_SUBNET:
        raised.append(BURST)
    if signals.same_shape_voters >= SEQUENTIAL_OTHERS:
        raised.append(SEQUENTIAL)
    return raised


def email_shape(canonical: str) -> str:
    """The shape of a canonical address (`awards.voters.canonical_email`: lower case, +tag and
    Gmail dots already gone): its local part without digits and dots, at its domain.
    ``"voter12@example.org"`` and ``"vo.ter7@example.org"`` both give ``"voter@example.org"``."""
    local, _at, domain = canonical.rpartition("@")
    local = _SHAPE_DROPS.sub("", local.split("+", 1)[0])
    return f"{local}@{domain}"


def subnet(address: str) -> str:
    """The client address's network: its /24 for IPv4, its /48 for IPv6 (an IPv4-mapped IPv6
    address counts as IPv4); the text itself when it is not an IP address."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
