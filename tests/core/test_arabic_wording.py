"""Arabic read as a native reader reads it: one label for one meaning, a state that does not
read like a button, sentences that read naturally (issue 11, item 12)."""

from __future__ import annotations

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
