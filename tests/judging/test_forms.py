"""Parsing judging forms: numbers typed on an Arabic keyboard, times in the scope's zone."""

from __future__ import annotations

import datetime as dt

from core.i18n import use_locale
from judging import forms
from judging.enums import ConflictKind, EntryRule, MarkKind


def test_a_round_form_reads_times_in_the_scopes_time_zone():
    with use_locale("en"):
        form = forms.round_form(
            {
                "name_en": "Final",
                "starts_at": "2026-12-01T21:30",
                "judges_per_entry": "٣",
                "min_scores_for_zscore": "3",
                "spread_threshold": "12٫5",
                "previous_id": "7",
                "tiebreak_decision": "on",
            },
            "Asia/Dubai",
            [7],
        )
    assert form.ok, form.errors
    assert form.clean["starts_at"] == dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)
    assert form.clean["judges_per_entry"] == 3
    assert form.clean["spread_threshold"] == 12.5
    assert form.clean["entry_rule"] == EntryRule.ALL_SUBMITTED
    assert form.clean["previous_id"] == 7
    assert form.clean["tiebreak"] == ["decision"]


def test_a_round_form_needs_a_name_and_a_real_time():
    with use_locale("en"):
        form = forms.round_form(
            {
                "starts_at": "tomorrow",
                "judges_per_entry": "3",
                "min_scores_for_zscore": "3",
                "spread_threshold": "20",
                "previous_id": "99",
            },
            "Asia/Riyadh",
            [1],
        )
    assert form.errors == {
        "name_ar": "Give the round a name in Arabic or English.",
        "starts_at": "Enter a date and time, like 2026-12-01 18:00.",
        "previous_id": "Choose one of the options.",
    }


def test_levels_are_merged_by_score_across_languages():
    with use_locale("en"):
        form = forms.criterion_form(
            {
                "name_ar": "الأثر",
                "weight": "1",
                "min_score": "0",
                "max_score": "10",
                "step": "0.5",
                "levels_ar": "١٠: أثر واسع\n٢٫٥ - أثر محدود",
                "levels_en": "10: Wide\n2.5: Narrow\n\n",
            }
        )
    assert form.ok, form.errors
    assert form.clean["levels"] == [
        {"score": 10.0, "ar": "أثر واسع", "en": "Wide"},
        {"score": 2.5, "ar": "أثر محدود", "en": "Narrow"},
    ]


def test_an_independent_criterion_may_have_no_weight():
    with use_locale("en"):
        form = forms.criterion_form(
            {
                "name_en": "Cinematography",
                "weight": "0",
                "min_score": "1",
                "max_score": "5",
                "step": "1",
                "independent": "on",
            }
        )
    assert form.ok, form.errors


def test_scores_accept_arabic_digits_and_separators():
    criteria = [type("C", (), {"key": "c1"})(), type("C", (), {"key": "c2"})()]
    form = forms.sheet_form(
        {
            "score_c1": "٤٫٥",
            "score_c2": "",
            "version": "2",
            "action": "submit",
            "comment_for_team": " Good \r\n work ",
        },
        criteria,
    )
    assert form.ok
    assert form.clean["scores"] == {"c1": 4.5, "c2": None}
    assert (form.clean["version"], form.clean["submit"], form.clean["comment"]) == (
        2,
        True,
        "Good \n work",
    )


def test_marks_and_conflicts():
    mark = forms.mark_form({"entry_id": "5", "mark": "mention", "per_group": "on"})
    assert (mark.clean["kind"], mark.clean["place"]) == (MarkKind.HONOURABLE_MENTION, None)
    second = forms.mark_form({"entry_id": "5", "mark": "2"})
    assert (second.clean["kind"], second.clean["place"]) == (MarkKind.WINNER, 2)
    with use_locale("en"):
        conflict = forms.conflict_form(
            {"kind": "entry", "value": "x", "reason": "y"},
            [ConflictKind.TEAM, ConflictKind.ORGANIZATION],
        )
    assert conflict.errors == {"kind": "Choose one of the options."}


def test_a_stored_time_goes_back_into_the_input_in_the_scopes_zone():
    value = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)
    assert forms.local_input(value, "Asia/Riyadh") == "2026-12-01T20:30"
    assert forms.local_input(None, "Asia/Riyadh") == ""
