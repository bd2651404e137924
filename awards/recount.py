"""Recount an award cycle from its results bundle: ``python -m awards.recount BUNDLE.zip``.

Uses only the standard library and the pure modules (`awards.bundle`, `awards.tabulation`).
It checks, in this order, and stops at the first difference:

1. every file listed in manifest.json is in the zip with the SHA-256 the manifest states, the
   zip holds no file the manifest does not list, and manifest.json is in canonical form;
2. the seed in config.json is the record digest of the five record files (see `awards.bundle`);
3. counting every category again from config.json and the record files gives result.json byte
   for byte.

It prints ``MATCH`` and the fingerprint (the SHA-256 of manifest.json) and exits 0; otherwise
it prints the first difference and exits 1 (2 for a wrong command line or an unreadable path).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence

from awards.bundle import (
    CONFIG,
    MANIFEST,
    RESULT,
    BundleError,
    manifest_text,
    read_record,
    read_zip,
    record_seed,
    sha256,
    tabulate_record,
)
from awards.tabulation import BallotError, CountError

MATCH = "MATCH"


class Difference(Exception):
    """The first difference between a bundle and its recount."""


def first_line_difference(name: str, expected: bytes, found: bytes) -> str:
    """Where two texts first differ, by line: ``result.json line 12: expected ...; found ...``."""
    ours = expected.decode("utf-8", errors="replace").split("\n")
    theirs = found.decode("utf-8", errors="replace").split("\n")
    for number, (mine, other) in enumerate(zip(ours, theirs, strict=False), start=1):
        if mine != other:
            mine, other = mine.strip(), other.strip()
            return f"{name} line {number}: recount gives {mine!r}; bundle has {other!r}"
    shorter = min(len(ours), len(theirs)) + 1
    which = "bundle" if len(ours) > len(theirs) else "recount"
    return f"{name} line {shorter}: the {which} ends here"


def check_manifest(files: Mapping[str, bytes]) -> None:
    if MANIFEST not in files:
        raise Difference(f"{MANIFEST} is missing")
    try:
        listed = json.loads(files[MANIFEST].decode("utf-8"))["files"]
        if not isinstance(listed, dict):
            raise TypeError("files is not an object")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise Difference(f"{MANIFEST} is not a manifest ({error})") from error
    for name in sorted(listed):
        if name not in files:
            raise Difference(f"{name} is listed in {MANIFEST} but missing from the bundle")
        digest = sha256(files[name])
        if digest != listed[name]:
            raise Difference(f"{name}: SHA-256 {digest} disagrees with {MANIFEST} ({listed[name]})")
    for name in sorted(files):
        if name != MANIFEST and name not in listed:
            raise Difference(f"{name} is in the bundle but not listed in {MANIFEST}")
    others = {name: files[name] for name in sorted(files) if name != MANIFEST}
    if files[MANIFEST] != manifest_text(others):
        raise Difference(f"{MANIFEST} is not in canonical form (its digests agree)")


def recount(data: bytes) -> str:
    """Recount a bundle; return the fingerprint, or raise `Difference` (or `BundleError` when
    the zip cannot be read)."""
    files = read_zip(data)
    check_manifest(files)
    try:
        record = read_record(files)
        seed = record_seed(files)
        if seed != record.seed:
            raise Difference(f"{CONFIG}: seed {record.seed} differs from the record digest {seed}")
        expected, _ = tabulate_record(record.cycle, record.date, seed, record.categories)
    except (BundleError, BallotError, CountError) as error:
        raise Difference(str(error)) from error
    except (ValueError, TypeError, KeyError, csv.Error) as error:
        raise Difference(f"the bundle is not understood: {error!r}") from error
    if RESULT not in files:
        raise Difference(f"{RESULT} is missing")
    if expected != files[RESULT]:
        raise Difference(first_line_difference(RESULT, expected, files[RESULT]))
    return sha256(files[MANIFEST])


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m awards.recount BUNDLE.zip", file=sys.stderr)
        return 2
    try:
        with open(args[0], "rb") as handle:
            data = handle.read()
    except OSError as error:
        print(f"cannot read {args[0]}: {error.strerror}", file=sys.stderr)
        return 2
    try:
        fingerprint = recount(data)
    except (BundleError, Difference) as difference:
        print(f"DIFFERENCE: {difference}")
        return 1
    print(MATCH)
    print(f"fingerprint {fingerprint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
