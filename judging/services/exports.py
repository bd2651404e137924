"""Score sheets of a round as a spreadsheet for organizers."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from core.i18n import gettext as _
from core.i18n import localized
from core.spreadsheet import to_csv
from judging.enums import SheetState
from judging.models import Entry
from judging.services.common import fmt_number
from judging.services.ranking import AssignmentRow, RoundData, SheetRow


def export_csv(data: RoundData, time_zone: str) -> bytes:
    """Every score sheet of the round, written by the one CSV writer (core.spreadsheet); times
    in ISO 8601 with the offset of the scope's time zone, like the events' exports."""
    header = [
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
    entries = {e.id: e for e in data.entries}
    zone = ZoneInfo(time_zone)
    rows = (
        _sheet_row(data, entries[row.entry_id], row, sheet, zone)
        for row in data.assignments
        if (sheet := data.sheets.get(row.id)) is not None
    )
    return to_csv(header, rows)


def _sheet_row(
    data: RoundData, entry: Entry, row: AssignmentRow, sheet: SheetRow, zone: ZoneInfo
) -> list[Any]:
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
        sheet.submitted_at.astimezone(zone) if sheet.submitted_at else None,
    ]


def _state_label(state: str) -> str:
    return _("Submitted") if state == SheetState.SUBMITTED else _("Draft")
