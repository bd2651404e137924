"""core.questions and core.answers: an organizer's own questions, shared by the Mediathon and
the award. The editor's form reads a question (only of the kinds a form may ask), and answers
are read from a form with a message per field and shown back in the reader's language, for
any question-like object."""

from __future__ import annotations

from types import SimpleNamespace

from starlette.datastructures import MultiDict

from core import answers, questions
from core.forms import Form
from core.i18n import use_locale
from core.questions import QuestionKind


def question(id_: int, kind: QuestionKind, required: bool = False, options=None):  # noqa: ANN001, ANN201
    return SimpleNamespace(
        id=id_,
        kind=kind,
        required=required,
        options=options or [],
        field_name=f"q{id_}",
        label_ar="",
        label_en=f"Question {id_}",
    )


def test_the_editor_reads_a_choice_question_with_its_options():
    form = questions.editor(
        Form(
            {
                "kind": "multiple_choice",
                "label_ar": "اللغات",
                "label_en": "",
                "options": "العربية | Arabic\n\n  | English\nفرنسية",
                "required": "on",
            }
        )
    )
    assert form.ok, form.errors
    assert form.values["option_list"] == [
        {"key": "o1", "ar": "العربية", "en": "Arabic"},
        {"key": "o2", "ar": "", "en": "English"},
        {"key": "o3", "ar": "فرنسية", "en": ""},
    ]
    assert form.values["required"] is True
    assert questions.options_text(form.values["option_list"]) == (
        "العربية | Arabic\nEnglish\nفرنسية"
    )


def test_the_editor_refuses_in_the_readers_language():
    with use_locale("ar"):
        form = questions.editor(Form({"kind": "single_choice", "options": "واحد"}))
        assert form.errors["label_ar"] == "اكتبه بالعربية أو بالإنجليزية أو بكلتيهما."
        assert "خيارين" in form.errors["options"]
    with use_locale("en"):
        many = "\n".join(f"o{i}" for i in range(51))
        form = questions.editor(Form({"kind": "single_choice", "label_en": "A", "options": many}))
        assert form.errors == {"options": "Give at most 50 options."}


def test_a_form_may_leave_out_kinds():
    allowed = [k for k in QuestionKind if k != QuestionKind.FILE]
    with use_locale("en"):
        form = questions.editor(Form({"kind": "file", "label_en": "CV"}), allowed)
    assert "kind" in form.errors


def test_answers_are_parsed_required_kept_and_shown():
    yes_no = question(1, QuestionKind.YES_NO, required=True)
    number = question(2, QuestionKind.NUMBER)
    many = question(
        3,
        QuestionKind.MULTIPLE_CHOICE,
        options=[{"key": "o1", "ar": "أ", "en": "A"}, {"key": "o2", "ar": "ب", "en": "B"}],
    )
    data = MultiDict([("q2", "٣٫٥"), ("q3", "o2"), ("q3", "o1"), ("q3", "o2")])
    with use_locale("en"):
        form = Form(data)
        parsed = answers.parse(form, [yes_no, number, many], {})
        assert form.errors == {"q1": "Choose one of the options."}
        assert parsed.answers == {"2": 3.5, "3": ["o1", "o2"]}  # the organizer's order, once
        draft = Form(data)
        assert answers.parse(draft, [yes_no], {}, enforce_required=False).answers == {}
        assert draft.ok
        bad = Form({"q2": "twelve", "q3": "o9"})
        answers.parse(bad, [number, many], {})
        assert bad.errors == {
            "q2": "Enter a number, like 12 or 3.5.",
            "q3": "Choose among the options shown.",
        }
        assert answers.display(many, ["o1", "o2"]) == "A, B"
        assert answers.display(yes_no, "yes") == "Yes"
    with use_locale("ar"):
        assert answers.display(many, ["o2"]) == "ب"
        assert answers.display(yes_no, "no") == "لا"
    assert answers.initial_values([number, many], {"2": 3.5, "3": ["o1"]}) == {
        "q2": "3.5",
        "q3": ["o1"],
    }
