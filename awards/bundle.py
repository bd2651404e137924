"""The results bundle: a zip anyone can download beside an award cycle's results and recount
with ``python -m awards.recount BUNDLE.zip`` (see `awards.recount`).

Pure: built in memory from plain values, only the standard library and `awards.tabulation`.

Contents (every text UTF-8 in NFC, LF line endings, rows sorted, CSV with a header row):

- ``ballots.csv``: category, juror pseudonym, ranking (finalists from first preference down,
  separated by spaces), conflicts (the finalists the juror was conflicted with, same form);
- ``jury_scores.csv``: category, juror pseudonym, finalist, score (the scoring round);
- ``calibrated_scores.csv``: category, finalist, calibrated jury score (tie rule 2);
- ``public_votes.csv``: category, voter pseudonym, finalist, hour bucket (``YYYY-MM-DDTHH``),
  the votes that count after fraud review;
- ``fraud.csv``: category, reason code, action (void or keep), number of votes;
- ``config.json``: the bundle format, software and version, cycle, date, the tie rule chain,
  the seed and how it is derived, and per category the method, jury weight, point scale,
  quorum and fallback, and whether the public vote was voided or "no award" recorded;
- ``result.json``: every category's count (`awards.tabulation.result_document`);
- ``manifest.json``: the SHA-256 of each file above.

Figures are ints or exact fractions written "n/d". JSON is canonical (sorted keys).

The seed and the fingerprint
----------------------------
- The *record* is the five CSV files: the votes and decisions fixed when voting closes and
  fraud review is signed off. The *record digest* is the SHA-256 of the canonical JSON text
  ``{"algorithm": "sha256", "files": {name: SHA-256 of the file, ...}}`` over those five files
  (the same form as manifest.json, before config.json and result.json exist). It is the
  **seed** of the tie-break lot (`awards.tabulation.lot_order`), stored in config.json, and a
  recount derives it again from the files.
- The **fingerprint** is the SHA-256 of manifest.json, which covers the record, config.json
  and result.json. The result is a function of the record and the configuration (both fixed
  when voting closes), so the fingerprint is fixed then too; it is published with the results.

Zip entries carry a fixed timestamp (1980-01-01 00:00), fixed permissions and sorted names, so
the same contents give the same archive with the same zlib.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from awards.tabulation import (
    TIE_CHAIN,
    Ballot,
    CategoryConfig,
    CategoryResult,
    Fallback,
    Method,
    Number,
    TieContext,
    canonical_json,
    json_number,
    point_scale,
    result_document,
    tabulate_category,
)

BUNDLE_FORMAT = 1
SOFTWARE = "manassa-awards"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
BALLOTS = "ballots.csv"
JURY_SCORES = "jury_scores.csv"
CALIBRATED = "calibrated_scores.csv"
PUBLIC_VOTES = "public_votes.csv"
FRAUD = "fraud.csv"
CONFIG = "config.json"
RESULT = "result.json"
MANIFEST = "manifest.json"
RECORD_FILES = (BALLOTS, CALIBRATED, FRAUD, JURY_SCORES, PUBLIC_VOTES)
HEADERS = {
    BALLOTS: ("category", "juror", "ranking", "conflicts"),
    JURY_SCORES: ("category", "juror", "finalist", "score"),
    CALIBRATED: ("category", "finalist", "score"),
    PUBLIC_VOTES: ("category", "voter", "finalist", "hour"),
    FRAUD: ("category", "reason", "action", "votes"),
}
SEED_DERIVATION = (
    "SHA-256 of the canonical JSON {algorithm: sha256, files: {name: SHA-256}} over "
    + ", ".join(RECORD_FILES)
)
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*\Z")
HOUR = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}\Z")
FRAUD_ACTIONS = ("keep", "void")


class BundleError(ValueError):
    """Inputs that cannot make a bundle, or a bundle that cannot be read."""


@dataclass(frozen=True)
class PublicVote:
    """One counted public vote: the voter's pseudonym, the finalist and the hour bucket."""

    voter: str
    finalist: str
    hour: str


@dataclass(frozen=True)
class JuryScore:
    """A juror's score of a finalist in the scoring round."""

    juror: str
    finalist: str
    score: Number


@dataclass(frozen=True)
class FraudCount:
    """How many votes a fraud decision with this reason code voided or kept."""

    reason: str
    action: str
    votes: int


@dataclass(frozen=True)
class CategoryRecord:
    """Everything a category contributes to the bundle."""

    config: CategoryConfig
    ballots: tuple[Ballot, ...] = ()
    calibrated: Mapping[str, Number] = field(default_factory=dict)
    jury_scores: tuple[JuryScore, ...] = ()
    public_votes: tuple[PublicVote, ...] = ()
    fraud: tuple[FraudCount, ...] = ()

    def public_counts(self) -> dict[str, int]:
        return dict(Counter(vote.finalist for vote in self.public_votes))


@dataclass(frozen=True)
class Bundle:
    """A built bundle: the zip, its files, the fingerprint, the seed and each category's
    result."""

    data: bytes
    files: dict[str, bytes]
    fingerprint: str
    seed: str
    results: dict[str, CategoryResult]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def nfc(text: str) -> str:
    """Unicode NFC (ASCII text is already in NFC)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def manifest_text(files: Mapping[str, bytes]) -> bytes:
    """The canonical manifest of `files`: their SHA-256 digests by name."""
    document = {"algorithm": "sha256", "files": {name: sha256(files[name]) for name in files}}
    return canonical_json(document).encode("utf-8")


def record_seed(files: Mapping[str, bytes]) -> str:
    """The tie-break seed: the SHA-256 of the manifest of the record files alone."""
    missing = [name for name in RECORD_FILES if name not in files]
    if missing:
        raise BundleError(f"missing record file(s): {', '.join(missing)}")
    return sha256(manifest_text({name: files[name] for name in RECORD_FILES}))


def csv_text(name: str, rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV file: the header, then the rows sorted, UTF-8 NFC, LF endings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS[name])
    writer.writerows(sorted(tuple(nfc(value) for value in row) for row in rows))
    return out.getvalue().encode("utf-8")


def _identifier(value: str, what: str) -> str:
    if not IDENTIFIER.match(value):
        raise BundleError(f"{what} {value!r} must be letters, digits, '.', '_', ':' or '-'")
    return value


def _check(record: CategoryRecord) -> None:
    config = record.config
    _identifier(config.category, "category")
    for name in config.finalists:
        _identifier(name, "finalist")
    for ballot in record.ballots:
        _identifier(ballot.juror, "juror pseudonym")
    known = set(config.finalists)
    voters: set[str] = set()
    for vote in record.public_votes:
        _identifier(vote.voter, "voter pseudonym")
        if vote.finalist not in known:
            raise BundleError(f"a public vote in {config.category} for unknown {vote.finalist!r}")
        if not HOUR.match(vote.hour):
            raise BundleError(f"hour bucket {vote.hour!r} is not YYYY-MM-DDTHH")
        if vote.voter in voters:
            raise BundleError(f"voter {vote.voter} voted twice in {config.category}")
        voters.add(vote.voter)
    for item in record.fraud:
        _identifier(item.reason, "fraud reason code")
        if item.action not in FRAUD_ACTIONS or item.votes < 0:
            raise BundleError(f"fraud decision {item!r} is not keep/void with a count >= 0")


def record_files(categories: Sequence[CategoryRecord]) -> dict[str, bytes]:
    """The five record files of the bundle."""
    seen: set[str] = set()
    for record in categories:
        _check(record)
        if record.config.category in seen:
            raise BundleError(f"category {record.config.category} appears twice")
        seen.add(record.config.category)
    return {
        BALLOTS: csv_text(
            BALLOTS,
            (
                (r.config.category, b.juror, " ".join(b.ranking), " ".join(sorted(b.conflicts)))
                for r in categories
                for b in r.ballots
            ),
        ),
        JURY_SCORES: csv_text(
            JURY_SCORES,
            (
                (r.config.category, s.juror, s.finalist, str(json_number(s.score)))
                for r in categories
                for s in r.jury_scores
            ),
        ),
        CALIBRATED: csv_text(
            CALIBRATED,
            (
                (r.config.category, name, str(json_number(score)))
                for r in categories
                for name, score in r.calibrated.items()
            ),
        ),
        PUBLIC_VOTES: csv_text(
            PUBLIC_VOTES,
            (
                (r.config.category, v.voter, v.finalist, v.hour)
                for r in categories
                for v in r.public_votes
            ),
        ),
        FRAUD: csv_text(
            FRAUD,
            (
                (r.config.category, f.reason, f.action, str(f.votes))
                for r in categories
                for f in r.fraud
            ),
        ),
    }


def config_document(
    cycle: str, date: str, software_version: str, seed: str, configs: Sequence[CategoryConfig]
) -> dict[str, Any]:
    return {
        "bundleFormat": BUNDLE_FORMAT,
        "software": {"name": SOFTWARE, "version": software_version},
        "cycle": nfc(cycle),
        "date": date,
        "tieRule": [str(rule) for rule in TIE_CHAIN],
        "seed": {"value": seed, "derivation": SEED_DERIVATION},
        "categories": [
            {
                "category": c.category,
                "finalists": list(c.finalists),
                "method": str(c.method),
                "juryWeight": json_number(c.jury_weight),
                "pointScale": list(point_scale(len(c.finalists))),
                "publicVote": c.public_vote,
                "publicVoided": c.public_voided,
                "quorum": c.quorum,
                "quorumFallback": str(c.quorum_fallback),
                "partialBallots": c.partial,
                "noAward": c.no_award,
            }
            for c in sorted(configs, key=lambda c: c.category)
        ],
    }


def tabulate_record(
    cycle: str, date: str, seed: str, categories: Sequence[CategoryRecord]
) -> tuple[bytes, dict[str, CategoryResult]]:
    """Count every category and give result.json's bytes with the results."""
    results: dict[str, CategoryResult] = {}
    for record in sorted(categories, key=lambda r: r.config.category):
        context = TieContext(record.config.category, seed, dict(record.calibrated))
        results[record.config.category] = tabulate_category(
            record.config, record.ballots, record.public_counts(), context
        )
    documents = {name: result_document(r, date) for name, r in results.items()}
    for record in categories:
        documents[record.config.category]["fraudDecisions"] = [
            {"reason": f.reason, "action": f.action, "votes": f.votes}
            for f in sorted(record.fraud, key=lambda f: (f.reason, f.action, f.votes))
        ]
    document = {"cycle": nfc(cycle), "date": date, "seed": seed, "categories": documents}
    return canonical_json(document).encode("utf-8"), results


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A deterministic zip of `files`: sorted names, fixed time and permissions."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return out.getvalue()


def build_bundle(
    cycle: str, date: str, categories: Sequence[CategoryRecord], software_version: str
) -> Bundle:
    """Build the bundle of an award cycle from its categories' records (pseudonyms already
    applied: see `awards.voters.pseudonym`)."""
    files = record_files(categories)
    seed = record_seed(files)
    configs = [record.config for record in categories]
    config = config_document(cycle, date, software_version, seed, configs)
    files[CONFIG] = canonical_json(config).encode("utf-8")
    files[RESULT], results = tabulate_record(cycle, date, seed, categories)
    files = dict(sorted(files.items()))
    files[MANIFEST] = manifest_text(files)
    return Bundle(zip_bytes(files), files, sha256(files[MANIFEST]), seed, results)


def read_zip(data: bytes) -> dict[str, bytes]:
    """The files of a bundle by name."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError) as error:
        raise BundleError(f"not a readable zip file: {error}") from error


def _rows(files: Mapping[str, bytes], name: str) -> list[list[str]]:
    try:
        text = files[name].decode("utf-8")
    except KeyError as error:
        raise BundleError(f"{name} is missing") from error
    except UnicodeDecodeError as error:
        raise BundleError(f"{name} is not UTF-8") from error
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or tuple(rows[0]) != HEADERS[name]:
        raise BundleError(f"{name} does not start with {','.join(HEADERS[name])}")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(HEADERS[name]):
            raise BundleError(f"{name} line {number} has {len(row)} fields")
    return rows[1:]


def _number(text: str, where: str) -> Number:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError) as error:
        raise BundleError(f"{where}: {text!r} is not a number") from error
    return int(value) if value.denominator == 1 else value


def _config(entry: Mapping[str, Any]) -> CategoryConfig:
    try:
        return CategoryConfig(
            category=str(entry["category"]),
            finalists=tuple(str(name) for name in entry["finalists"]),
            method=Method(entry["method"]),
            jury_weight=Fraction(str(entry["juryWeight"])),
            public_vote=bool(entry["publicVote"]),
            quorum=int(entry["quorum"]),
            quorum_fallback=Fallback(entry["quorumFallback"]),
            partial=bool(entry["partialBallots"]),
            public_voided=bool(entry["publicVoided"]),
            no_award=bool(entry["noAward"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BundleError(f"config.json: category entry not understood ({error})") from error


@dataclass(frozen=True)
class ReadBundle:
    """A bundle read back: the cycle, date, seed stated in config.json and the records."""

    cycle: str
    date: str
    seed: str
    categories: tuple[CategoryRecord, ...]


def read_record(files: Mapping[str, bytes]) -> ReadBundle:
    """Parse config.json and the record files back into category records."""
    try:
        config = json.loads(files[CONFIG].decode("utf-8"))
        cycle, date, seed = config["cycle"], config["date"], config["seed"]["value"]
        entries = config["categories"]
    except KeyError as error:
        raise BundleError(f"config.json: {error} is missing") from error
    except (UnicodeDecodeError, ValueError, TypeError) as error:
        raise BundleError(f"config.json is not valid JSON: {error}") from error
    configs = {c.category: c for c in (_config(entry) for entry in entries)}
    ballots: dict[str, list[Ballot]] = {name: [] for name in configs}
    jury: dict[str, list[JuryScore]] = {name: [] for name in configs}
    calibrated: dict[str, dict[str, Number]] = {name: {} for name in configs}
    votes: dict[str, list[PublicVote]] = {name: [] for name in configs}
    fraud: dict[str, list[FraudCount]] = {name: [] for name in configs}

    def category(name: str, file: str) -> str:
        if name not in configs:
            raise BundleError(f"{file} names category {name!r}, absent from config.json")
        return name

    for cat, juror, ranking, conflicts in _rows(files, BALLOTS):
        ballots[category(cat, BALLOTS)].append(
            Ballot(juror, tuple(ranking.split()), frozenset(conflicts.split()))
        )
    for cat, juror, finalist, score in _rows(files, JURY_SCORES):
        jury[category(cat, JURY_SCORES)].append(
            JuryScore(juror, finalist, _number(score, JURY_SCORES))
        )
    for cat, finalist, score in _rows(files, CALIBRATED):
        calibrated[category(cat, CALIBRATED)][finalist] = _number(score, CALIBRATED)
    for cat, voter, finalist, hour in _rows(files, PUBLIC_VOTES):
        votes[category(cat, PUBLIC_VOTES)].append(PublicVote(voter, finalist, hour))
    for cat, reason, action, count in _rows(files, FRAUD):
        fraud[category(cat, FRAUD)].append(FraudCount(reason, action, int(_number(count, FRAUD))))
    records = tuple(
        CategoryRecord(
            configs[name],
            tuple(ballots[name]),
            calibrated[name],
            tuple(jury[name]),
            tuple(votes[name]),
            tuple(fraud[name]),
        )
        for name in sorted(configs)
    )
    for record in records:
        _check(record)
    return ReadBundle(str(cycle), str(date), str(seed), records)
