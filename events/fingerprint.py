"""What a team submitted, as canonical JSON, its SHA-256 fingerprint, and what changed between
two submitted versions. Pure functions: the receipt mail and the version history use them."""

from __future__ import annotations

import hashlib
import json
from typing import Any

Snapshot = dict[str, Any]


def canonical(snapshot: Snapshot) -> str:
    """One spelling for one content: sorted keys, no spaces, Unicode kept, files in hash order."""
    ordered = dict(snapshot)
    if isinstance(ordered.get("files"), list):
        ordered["files"] = sorted(
            ordered["files"],
            key=lambda f: json.dumps(
                [f.get("sha256", ""), f.get("name", ""), f], sort_keys=True, ensure_ascii=False
            ),
        )
    return json.dumps(ordered, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(snapshot: Snapshot) -> str:
    return hashlib.sha256(canonical(snapshot).encode("utf-8")).hexdigest()


def changes(before: Snapshot | None, after: Snapshot) -> dict[str, Any]:
    """Fields whose value differs, plus files added and removed (by name and hash)."""
    if before is None:
        return {"fields": [], "added": [], "removed": [], "first": True}
    flat_before, flat_after = _flatten(before), _flatten(after)
    keys = sorted(
        k for k in set(flat_before) | set(flat_after) if flat_before.get(k) != flat_after.get(k)
    )
    old = {(f["sha256"], f["name"]) for f in before.get("files", [])}
    new = {(f["sha256"], f["name"]) for f in after.get("files", [])}
    return {
        "fields": keys,
        "added": sorted(name for sha, name in new - old),
        "removed": sorted(name for sha, name in old - new),
        "first": False,
    }


def _flatten(snapshot: Snapshot) -> dict[str, Any]:
    """Top-level fields, with nested mappings (answers) spelled `answers.<key>`; files apart."""
    flat: dict[str, Any] = {}
    for key, value in snapshot.items():
        if key == "files":
            continue
        if isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat
