"""Arabic read as a native reader reads it: one label for one meaning, a state that does not
read like a button, sentences that read naturally (issue 11, item 12)."""

from __future__ import annotations

import pytest

from core.i18n import translations

AR = translations("ar")


def test_the_slug_field_and_the_web_address_question_have_different_names():
    slug_label = AR.gettext("Page address")
    question_kind = AR.gettext("Web address")
    assert slug_label == "اسم الفعالية في الرابط"
    assert question_kind == "رابط إلكتروني"
    assert slug_label != question_kind


def test_an_open_rounds_state_reads_as_a_state_not_as_the_button():
    state = AR.gettext("Scoring open")
    button = AR.gettext("Open for scoring")
    assert state == "التقييم مفتوح"
    assert state != button


def test_the_team_size_reads_as_a_count_with_its_limits():
    sentence = AR.gettext("%(n)s of %(min)s to %(max)s members") % {"n": 1, "min": 2, "max": 4}
    assert sentence == "عدد الأعضاء 1 (المسموح من 2 إلى 4)"


def test_every_arabic_catalog_counts_with_one_plural_formula():
    """The domains' catalogs are merged into one translation, which counts with one formula:
    a catalog whose forms were written for another formula picks the wrong word at 11 or 100
    ("11 شخص", "100 شخصًا")."""
    import re
    from pathlib import Path

    headers = {
        path.name: re.search(r'"Plural-Forms:(.*?)\\n"', path.read_text(encoding="utf-8"), re.S)
        .group(1)
        .replace('"\n"', "")
        for path in sorted(Path("locale/ar/LC_MESSAGES").glob("*.po"))
    }
    assert len(set(headers.values())) == 1, headers


@pytest.mark.parametrize(
    ("singular", "plural", "n", "expected"),
    [
        ("In Arabic, to %(num)s person", "In Arabic, to %(num)s people", 11, "إلى 11 شخصًا"),
        ("In Arabic, to %(num)s person", "In Arabic, to %(num)s people", 100, "إلى 100 شخص"),
        (
            "Your team needs %(num)s more member before it can submit.",
            "Your team needs %(num)s more members before it can submit.",
            11,
            "إلى 11 عضوًا آخر قبل",
        ),
        ("%(num)s day", "%(num)s days", 11, "11 يومًا"),
        ("%(num)s day", "%(num)s days", 100, "100 يوم"),
    ],
)
def test_counted_words_take_the_right_form(singular, plural, n, expected):
    assert expected in AR.ngettext(singular, plural, n) % {"num": n}
