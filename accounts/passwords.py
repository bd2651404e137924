"""Argon2id hashing; the cheapest profile exists for tests only (settings refuse it in
production).

A hash or a verification costs about 140 ms of CPU with the default profile: requests use
`hashed()` and `verified()`, which run it in a thread (Argon2 releases the GIL), so a sign-in
does not stall every other request of its worker. The plain functions are for scripts and
demo data."""

from __future__ import annotations

import asyncio
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

COMMON = frozenset(
    """
password password1 password123 passw0rd 123456789 1234567890 12345678910 qwertyuiop
qwerty12345 iloveyou123 1q2w3e4r5t 11111111111 00000000000 abcdefghij abc1234567
letmein123 welcome123 admin12345 manassa123 football12 princess12 sunshine12 a1234567890
password12 password1234 0123456789 0987654321 1q2w3e4r5t6y qwerty123456 abcd123456 qwertyuiop1
1qaz2wsx3edc zaq12wsxcde asdfghjkl1 iloveyou12 welcome1234 changeme123 manassa2026 mediathon2026
""".split()
)


@cache
def hasher(profile: str) -> PasswordHasher:
    if profile == "test":
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, hash_len=16, salt_len=8)
    return PasswordHasher()


def hash_password(password: str, profile: str) -> str:
    return hasher(profile).hash(password)


def verify_password(stored: str, password: str, profile: str) -> bool:
    try:
        return hasher(profile).verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def hashed(password: str, profile: str) -> str:
    """hash_password, off the event loop."""
    return await asyncio.to_thread(hash_password, password, profile)


async def verified(stored: str, password: str, profile: str) -> bool:
    """verify_password, off the event loop."""
    return await asyncio.to_thread(verify_password, stored, password, profile)


@cache
def dummy_hash(profile: str) -> str:
    """Verified against when the e-mail is unknown, so both answers take the same time."""
    return hasher(profile).hash("not-a-real-password-at-all")


MIN_LENGTH = 10
MAX_LENGTH = 128


def weakness(password: str, email: str = "") -> str | None:
    """Why a password is too weak, as a message key ("short", "long", "email", "guessable");
    None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return "short"
    if len(password) > MAX_LENGTH:
        return "long"
    lowered = password.lower()
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in lowered:
        return "email"
    if lowered in COMMON or len(set(password)) < 4:
        return "guessable"
    return None
