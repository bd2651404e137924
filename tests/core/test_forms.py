"""core.forms: one Form for every domain, with what was typed (`values`) kept apart from the
parsed values (`clean`), and one set of parsers."""

from __future__ import annotations

import datetime as dt

from core.forms import Form, local_input, number_text, parse_local
from core.i18n import use_locale


def test_numbers_typed_with_arabic_indic_digits_and_separators():
    form = Form({"weight": "١٢٫٥", "step": "0,5", "low": "٣"})
    with use_locale("en"):
        assert form.number("weight", invalid="not a number") == 12.5
        assert form.number("step", invalid="not a number") == 0.5
        assert form.number("low", invalid="not a number", minimum=5, maximum=9) is None
    assert form.values == {"weight": "12.5", "step": "0.5", "low": "3"}
    assert form.clean == {"weight": 12.5, "step": 0.5}
    assert form.errors == {"low": "Enter a number from 5 to 9."}
    assert number_text(" ٤٫٢٥ ") == "4.25"


def test_a_number_that_is_not_one_gets_the_domains_message():
    form = Form({"weight": "lots"})
    assert form.number("weight", invalid="Enter a number, like 4.") is None
    assert form.errors == {"weight": "Enter a number, like 4."}
    assert form.values == {"weight": "lots"} and form.clean == {}


def test_local_date_times_are_read_in_the_scopes_time_zone():
    form = Form({"at": "٢٠٢٦-١٢-٠١T09:00", "other": "2026-12-01 18:00:30", "bad": "tomorrow"})
    riyadh = form.moment("at", "Asia/Riyadh", invalid="no")
    assert riyadh == dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
    assert form.moment("other", "UTC", invalid="no") == dt.datetime(
        2026, 12, 1, 18, 0, tzinfo=dt.UTC
    )
    assert form.moment("bad", "UTC", invalid="Enter a date and time.") is None
    assert form.errors == {"bad": "Enter a date and time."}
    assert form.clean["at"] == riyadh
    assert local_input(riyadh, "Asia/Riyadh") == "2026-12-01T09:00"
    assert local_input(None, "Asia/Riyadh") == ""
    assert parse_local("2026-02-30T10:00", "UTC") is None


def test_bilingual_fields_need_one_language_when_asked():
    form = Form({"title_ar": "  ", "title_en": "", "about_en": "Hello"})
    assert form.bilingual("title", max_length=20, missing="Write it in one language.") == {
        "title_ar": "",
        "title_en": "",
    }
    form.bilingual("about", max_length=20)
    assert form.errors == {"title_ar": "Write it in one language."}
    assert form.clean["about_en"] == "Hello" and form.clean["about_ar"] == ""


def test_prefilled_shows_values_before_anything_is_submitted():
    form = Form.prefilled({"language": "ar"})
    assert form.values == {"language": "ar"} and form.ok and form.clean == {}
