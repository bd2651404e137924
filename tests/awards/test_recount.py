"""awards/bundle.py and `python -m awards.recount`: a deterministic bundle recounts to MATCH;
a tampered file, seed or result gives the first difference and exit 1."""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
import unicodedata
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards.bundle import (
    CategoryRecord,
    FraudCount,
    JuryScore,
    PublicVote,
    build_bundle,
    manifest_text,
    record_seed,
    sha256,
    zip_bytes,
)
from awards.recount import Difference
from awards.recount import recount as recount_bundle
from awards.tabulation import Ballot, CategoryConfig, Fallback, Method, Outcome

ROOT = Path(__file__).resolve().parents[2]


def records() -> list[CategoryRecord]:
    documentary = CategoryRecord(
        CategoryConfig("documentary", ("n1", "n2", "n3"), Method.IRV, Fraction(3, 5), quorum=2),
        (
            Ballot("j-aa", ("n1", "n2", "n3")),
            Ballot("j-bb", ("n2", "n1")),
            Ballot("j-cc", ("n3", "n2"), frozenset({"n1"})),
            Ballot("j-dd", ("n1", "n3")),
        ),
        {"n1": Fraction(83, 10), "n2": 8, "n3": Fraction(77, 10)},
        (JuryScore("j-aa", "n1", 9), JuryScore("j-aa", "n2", Fraction(15, 2))),
        tuple(
            PublicVote(
                f"v-{i:04d}",
                ("n1", "n2", "n3")[i % 3 if i < 30 else 1],
                f"2026-05-{1 + i % 3:02d}T1{i % 10}",
            )
            for i in range(45)
        ),
        (FraudCount("burst", "void", 12), FraudCount("fast", "keep", 3)),
    )
    podcast = CategoryRecord(
        CategoryConfig(
            "podcast", ("p1", "p2"), Method.MODIFIED_BORDA, Fraction(1, 2), public_vote=False,
            quorum=5, quorum_fallback=Fallback.NO_AWARD,
        ),
        (Ballot("j-aa", ("p1",)), Ballot("j-bb", ("p2", "p1"))),
        {"p1": 5, "p2": 5},
    )  # fmt: skip
    return [documentary, podcast]


def recount(tmp_path: Path, data: bytes) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    return subprocess.run(
        [sys.executable, "-m", "awards.recount", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def rewrite(data: bytes, **changes: bytes) -> bytes:
    """The bundle with some files replaced (names with '.' spelled '_')."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    for key, value in changes.items():
        files[key.replace("_json", ".json").replace("_csv", ".csv")] = value
    return zip_bytes(files)


def test_the_bundle_is_deterministic_and_complete():
    first = build_bundle("جائزة التميز ٢٠٢٦", "2026-05-31", records(), "0.1.0")
    second = build_bundle("جائزة التميز ٢٠٢٦", "2026-05-31", list(reversed(records())), "0.1.0")
    assert first.data == second.data
    assert first.fingerprint == sha256(first.files["manifest.json"])
    with zipfile.ZipFile(io.BytesIO(first.data)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == [
        "ballots.csv", "calibrated_scores.csv", "config.json", "fraud.csv", "jury_scores.csv",
        "manifest.json", "public_votes.csv", "result.json",
    ]  # fmt: skip
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    for name, content in first.files.items():
        text = content.decode("utf-8")
        assert "\r" not in text and text.endswith("\n")
        assert unicodedata.normalize("NFC", text) == text
    assert first.files["ballots.csv"].decode() == (
        "category,juror,ranking,conflicts\n"
        "documentary,j-aa,n1 n2 n3,\n"
        "documentary,j-bb,n2 n1,\n"
        "documentary,j-cc,n3 n2,n1\n"
        "documentary,j-dd,n1 n3,\n"
        "podcast,j-aa,p1,\n"
        "podcast,j-bb,p2 p1,\n"
    )
    assert first.files["fraud.csv"].decode() == (
        "category,reason,action,votes\ndocumentary,burst,void,12\ndocumentary,fast,keep,3\n"
    )
    manifest = json.loads(first.files["manifest.json"])
    assert manifest["files"]["result.json"] == sha256(first.files["result.json"])
    assert "manifest.json" not in manifest["files"]


def test_the_seed_is_the_digest_of_the_record_files_and_is_stated_in_config():
    bundle = build_bundle("Award", "2026-05-31", records(), "0.1.0")
    record = {n: bundle.files[n] for n in ("ballots.csv", "calibrated_scores.csv", "fraud.csv",
                                           "jury_scores.csv", "public_votes.csv")}  # fmt: skip
    assert bundle.seed == sha256(manifest_text(record)) == record_seed(bundle.files)
    config = json.loads(bundle.files["config.json"])
    assert config["seed"]["value"] == bundle.seed
    assert config["tieRule"] == ["earlier-round", "jury-score", "lot"]
    assert config["software"] == {"name": "manassa-awards", "version": "0.1.0"}
    assert [c["juryWeight"] for c in config["categories"]] == ["3/5", "1/2"]


def test_the_results_inside_the_bundle():
    bundle = build_bundle("Award", "2026-05-31", records(), "0.1.0")
    documentary = bundle.results["documentary"]
    # Jury IRV: n1 2, n2 1, n3 1 (threshold 3); n2/n3 tie, calibrated n3 7.7 < n2 8 so n3 goes,
    # its ballot (n3 n2) to n2; round 2: n1 2, n2 2 (threshold 3); round 1 had n1 2 > n2 1,
    # so n2 goes; round 3: n1 2 of 2 continuing ballots.
    assert documentary.jury.winner == "n1"
    assert documentary.public_counts == {"n1": 10, "n2": 25, "n3": 10}
    assert documentary.outcome == Outcome.BLEND
    # Jury n1 3, n2 2, n3 1; public n2 3, n1 2 (jury rank breaks n1/n3), n3 1; w = 3/5:
    # n1 = 9/5 + 4/5 = 13/5, n2 = 6/5 + 6/5 = 12/5, n3 = 3/5 + 2/5 = 1.
    assert [(r.finalist, r.total) for r in documentary.blend] == [
        ("n1", Fraction(13, 5)), ("n2", Fraction(12, 5)), ("n3", 1)
    ]  # fmt: skip
    podcast = bundle.results["podcast"]
    assert (podcast.outcome, podcast.winner) == (Outcome.NO_AWARD, None)
    result = json.loads(bundle.files["result.json"])
    assert result["categories"]["documentary"]["fraudDecisions"] == [
        {"action": "void", "reason": "burst", "votes": 12},
        {"action": "keep", "reason": "fast", "votes": 3},
    ]
    assert result["seed"] == bundle.seed


def test_recount_prints_match(tmp_path):
    bundle = build_bundle("Award", "2026-05-31", records(), "0.1.0")
    done = recount(tmp_path, bundle.data)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"MATCH\nfingerprint {bundle.fingerprint}\n"


def test_a_tampered_vote_file_is_the_first_difference(tmp_path):
    bundle = build_bundle("Award", "2026-05-31", records(), "0.1.0")
    votes = bundle.files["public_votes.csv"].replace(b"v-0001,n2", b"v-0001,n3")
    done = recount(tmp_path, rewrite(bundle.data, public_votes_csv=votes))
    listed = json.loads(bundle.files["manifest.json"])["files"]["public_votes.csv"]
    assert done.returncode == 1
    assert done.stdout == (
        f"DIFFERENCE: public_votes.csv: SHA-256 {sha256(votes)} disagrees with manifest.json "
        f"({listed})\n"
    )


def test_a_tampered_result_with_a_matching_manifest_is_caught_by_the_recount(tmp_path):
    bundle = build_bundle("Award", "2026-05-31", records(), "0.1.0")
    result = bundle.files["result.json"].replace(b'"winner": "n1"', b'"winner": "n2"', 1)
    files = {**bundle.files, "result.json": result}
    del files["manifest.json"]
    files["manifest.json"] = manifest_text(files)
    done = recount(tmp_path, zip_bytes(files))
    lines = bundle.files["result.json"].decode().split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if '"winner": "n1"' in text)
    assert done.returncode == 1
    assert done.stdout == (
        f'DIFFERENCE: result.json line {line}: recount gives \'"winner": "n1"\'; '
        'bundle has \'"winner": "n2"\'\n'
    )


def test_a_changed_record_with_a_forged_manifest_is_caught_by_the_seed(tmp_path):
    bundle = build_bundle("Award", "2026-05-31", records(), "0.1.0")
    files = dict(bundle.files)
    files["fraud.csv"] = files["fraud.csv"].replace(b"burst,void,12", b"burst,void,2")
    del files["manifest.json"]
    files["manifest.json"] = manifest_text(files)
    done = recount(tmp_path, zip_bytes(files))
    assert done.returncode == 1
    assert done.stdout == (
        f"DIFFERENCE: config.json: seed {bundle.seed} differs from the record digest "
        f"{record_seed(files)}\n"
    )


def test_an_extra_file_and_a_non_zip_are_differences(tmp_path):
    bundle = build_bundle("Award", "2026-05-31", records(), "0.1.0")
    done = recount(tmp_path, zip_bytes({**bundle.files, "notes.txt": b"hello\n"}))
    assert (done.returncode, done.stdout) == (
        1,
        "DIFFERENCE: notes.txt is in the bundle but not listed in manifest.json\n",
    )
    done = recount(tmp_path, b"not a zip")
    assert done.returncode == 1
    assert done.stdout == "DIFFERENCE: not a readable zip file: File is not a zip file\n"


PURE_MODULES = (
    "tabulation.py",
    "matching.py",
    "voters.py",
    "bundle.py",
    "recount.py",
    "timeline.py",
)


@pytest.mark.parametrize("module", PURE_MODULES)
def test_the_pure_modules_import_only_the_standard_library_and_each_other(module):
    tree = ast.parse((ROOT / "awards" / module).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported - sys.stdlib_module_names - {"awards", "__future__"} == set()


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_any_changed_byte_of_any_file_is_a_difference(data):
    bundle = BUNDLE
    name = data.draw(st.sampled_from(sorted(bundle.files)))
    content = bytearray(bundle.files[name])
    at = data.draw(st.integers(0, len(content) - 1))
    content[at] = data.draw(st.integers(0, 255).filter(lambda b: b != content[at]))
    with pytest.raises(Difference):
        recount_bundle(zip_bytes({**bundle.files, name: bytes(content)}))


BUNDLE = build_bundle("Award", "2026-05-31", records(), "0.1.0")


def test_a_reformatted_manifest_is_a_difference():
    files = dict(BUNDLE.files)
    files["manifest.json"] = files["manifest.json"].replace(b'"sha256"', b'"SHA256"')
    with pytest.raises(Difference) as difference:
        recount_bundle(zip_bytes(files))
    assert str(difference.value) == "manifest.json is not in canonical form (its digests agree)"
