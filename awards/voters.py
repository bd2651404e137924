"""The public vote's voter identities: canonical e-mail, identity key, domain blocklist match and
the pseudonyms of the results bundle.

Pure: only the standard library. Keys and pseudonyms are HMAC-SHA256 (RFC 2104) with a secret,
never plain hashes: a plain hash of an e-mail is reversed by hashing a list of addresses.

- Canonical e-mail: lower case; a ``+tag`` removed from the local part; dots removed from the
  local part at providers that ignore them (Gmail); a domain's aliases folded into one
  (`DOMAIN_ALIASES`: googlemail.com is gmail.com).
- Blocklists such as the ``disposable-email-domains`` package list registrable domains, so an
  address matches when its domain or any parent domain of it is listed (``a.b.example.com``
  matches ``example.com``).
"""

from __future__ import annotations

import hmac
from collections.abc import Collection

# Domains whose addresses reach the same mailbox as at another: alias -> canonical domain. Only
# true aliases belong here (hotmail.com and outlook.com, say, are separate mailboxes).
DOMAIN_ALIASES: dict[str, str] = {
    "googlemail.com": "gmail.com",
    "me.com": "icloud.com",
    "mac.com": "icloud.com",
    "pm.me": "proton.me",
    "protonmail.com": "proton.me",
    "protonmail.ch": "proton.me",
}
# Canonical domains whose mailboxes ignore dots in the local part.
DOTLESS_DOMAINS = frozenset({"gmail.com"})


class AddressError(ValueError):
    """Not an e-mail address (no single @, or an empty part)."""


def canonical_email(address: str) -> str:
    """The address voters are counted by: ``"John.Doe+award@GoogleMail.com "`` gives
    ``"johndoe@gmail.com"``. Raises `AddressError` for something that is not an address."""
    text = address.strip().lower()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or "@" in local:
        raise AddressError(f"not an e-mail address: {address!r}")
    domain = domain.rstrip(".")
    domain = DOMAIN_ALIASES.get(domain, domain)
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
    if not local:
        raise AddressError(f"not an e-mail address: {address!r}")
    return f"{local}@{domain}"


def keyed_hash(secret: bytes, purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` under `secret`, separated per `purpose` (the same value gives
    unrelated digests for two purposes), as 64 hex digits."""
    message = f"{purpose}\n{value}".encode()
    return hmac.digest(secret, message, "sha256").hex()  # hmac.new(...).hexdigest(), one call


def voter_key(secret: bytes, address: str) -> str:
    """The voter's identity key: the HMAC of the canonical e-mail."""
    return keyed_hash(secret, "voter", canonical_email(address))


def pseudonym(secret: bytes, kind: str, identity: str, length: int = 16) -> str:
    """A bundle pseudonym (``kind`` is "juror" or "voter", `identity` a stable id such as the
    voter key or the juror's account id): the first `length` hex digits of its HMAC, prefixed by
    the kind's initial ("j-3f2a..."). Without the secret it cannot be linked back."""
    return f"{kind[:1]}-{keyed_hash(secret, 'pseudonym:' + kind, identity)[:length]}"


def email_domain(address: str) -> str:
    """The domain of an address, lower case, without a trailing dot."""
    return address.strip().lower().rpartition("@")[2].rstrip(".")


def domain_listed(address: str, blocklist: Collection[str]) -> bool:
    """Whether the address's domain or any of its parent domains is in `blocklist` (registrable
    domains, lower case): ``x@a.b.example.com`` matches ``example.com``."""
    labels = email_domain(address).split(".")
    return any(".".join(labels[start:]) in blocklist for start in range(len(labels) - 1))
