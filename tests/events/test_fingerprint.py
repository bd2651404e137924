"""The receipt's fingerprint and the list of what changed between versions."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from events import fingerprint as fp

SNAP = {
    "title": "تحقّق قبل أن تشارك",
    "summary": "s",
    "track": 3,
    "answers": {"7": "yes"},
    "files": [
        {"name": "b.pdf", "sha256": "bb", "size": 2},
        {"name": "a.pdf", "sha256": "aa", "size": 1},
    ],
}


def test_the_fingerprint_is_the_sha256_of_canonical_utf8_json():
    text = fp.canonical(SNAP)
    assert text == (
        '{"answers":{"7":"yes"},"files":[{"name":"a.pdf","sha256":"aa","size":1},'
        '{"name":"b.pdf","sha256":"bb","size":2}],"summary":"s",'
        '"title":"تحقّق قبل أن تشارك","track":3}'
    )
    assert fp.fingerprint(SNAP) == hashlib.sha256(text.encode()).hexdigest()


def test_changes_name_fields_answers_and_files():
    after = {
        **SNAP,
        "title": "New",
        "answers": {"7": "no", "8": "x"},
        "files": [SNAP["files"][0], {"name": "c.pdf", "sha256": "cc", "size": 3}],
    }
    assert fp.changes(SNAP, after) == {
        "fields": ["answers.7", "answers.8", "title"],
        "added": ["c.pdf"],
        "removed": ["a.pdf"],
        "first": False,
    }
    assert fp.changes(None, SNAP)["first"] is True
    assert fp.changes(SNAP, dict(SNAP)) == {
        "fields": [],
        "added": [],
        "removed": [],
        "first": False,
    }


files = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.text(max_size=5),
            "sha256": st.text("0123456789abcdef", min_size=1, max_size=4),
            "size": st.integers(0, 10),
        }
    ),
    max_size=5,
)
snapshots = st.fixed_dictionaries(
    {
        "title": st.text(max_size=20),
        "track": st.none() | st.integers(),
        "answers": st.dictionaries(
            st.text("0123456789", min_size=1, max_size=3), st.text(max_size=5), max_size=3
        ),
        "files": files,
    }
)


@given(snapshots, st.randoms())
def test_order_of_keys_and_files_does_not_change_the_fingerprint(snap, rnd):
    shuffled_files = list(snap["files"])
    rnd.shuffle(shuffled_files)
    keys = list(snap)
    rnd.shuffle(keys)
    other = {k: (shuffled_files if k == "files" else snap[k]) for k in keys}
    assert fp.fingerprint(other) == fp.fingerprint(snap)


@given(snapshots, snapshots)
def test_equal_fingerprints_report_no_change(a, b):
    change = fp.changes(a, b)
    if fp.fingerprint(a) == fp.fingerprint(b):
        assert not (change["fields"] or change["added"] or change["removed"])
    if change["fields"] or change["added"] or change["removed"]:
        assert fp.fingerprint(a) != fp.fingerprint(b)
