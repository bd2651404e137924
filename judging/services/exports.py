"""Score sheets of a round as a spreadsheet for organizers."""

from __future__ import annotations

import csv
import io

from core.i18n import gettext as _
from core.i18n import localized
from judging.enums import SheetState
from judging.models import Assignment, Entry, ScoreSheet
from judging.services.common import fmt_number
from judging.services.ranking import RoundData


def export_csv(data: RoundData) -> str:
    """Every score sheet of the round, UTF-8 with a BOM so Excel reads the Arabic."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Entry"),
            _("Group"),
            _("Judge"),
            _("E-mail"),
            _("State"),
            *[localized(c, "name") for c in data.criteria],
            _("Weighted total"),
            _("Comment for the team"),
            _("Note for organizers"),
            _("Submitted at"),
        ]
    )
    entries = {e.id: e for e in data.entries}
    for row in data.assignments:
        sheet = data.sheets.get(row.id)
        if sheet is not None:
            writer.writerow(_sheet_row(data, entries[row.entry_id], row, sheet))
    return "\ufeff" + buffer.getvalue()


def _sheet_row(data: RoundData, entry: Entry, row: Assignment, sheet: ScoreSheet) -> list[str]:
    judge = data.judges[row.judge_id]
    return [
        localized(entry, "title"),
        localized(entry, "group_label") or entry.group_key,
        judge.label,
        judge.email,
        _state_label(sheet.state),
        *[fmt_number(sheet.scores[c.key]) if c.key in sheet.scores else "" for c in data.criteria],
        f"{sheet.total:.2f}" if sheet.total is not None else "",
        sheet.comment_for_team,
        sheet.note_for_organizers,
        sheet.submitted_at.isoformat() if sheet.submitted_at else "",
    ]


def _state_label(state: str) -> str:
    return _("Submitted") if state == SheetState.SUBMITTED else _("Draft")
