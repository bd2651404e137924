"""A category's own questions: the organizer edits them from the category's page (before
nominations open, never after), the nomination form asks them and requires the required ones,
and the answers are kept on a refused form, stored with the nomination and its version, and
shown on its page, on the organizer's detail and in the CSV."""

from __future__ import annotations

import csv
import io

import pytest

from accounts.enums import Role, ScopeType
from awards.models import CategoryQuestion, Nomination, NominationVersion
from core.audit import AuditEntry
from tests.awards.factories import make_category, make_cycle
from tests.awards.routes.test_nominator import FIELDS, _form_key, location
from tests.conftest import post_form
from tests.events.factories import error_of, text_of
from tests.factories import grant, make_user, sign_in


@pytest.fixture(autouse=True)
def pages_choose_their_language():  # noqa: ANN201
    yield


async def _organizer(client, phase: str = "upcoming", language: str = "en"):  # noqa: ANN001, ANN202
    organizer = await make_user(language=language)
    cycle = await make_cycle(phase=phase, organizer=organizer)
    category = await make_category(cycle, name_en="Podcast", name_ar="البودكاست")
    await sign_in(client, organizer)
    return cycle, category


def _url(cycle, category) -> str:  # noqa: ANN001
    return f"/awards/{cycle.slug}/manage/categories/{category.id}/questions"


async def _ask(category, **fields) -> CategoryQuestion:  # noqa: ANN001, ANN003
    values = {"kind": "short_text", "label_en": "Question", "required": False, **fields}
    last = await CategoryQuestion.filter(category_id=category.id).count()
    return await CategoryQuestion.create(category=category, position=last + 1, **values)


async def test_the_organizer_adds_edits_moves_and_deletes_questions(client):
    cycle, category = await _organizer(client)
    edit_page = await client.get(f"/awards/{cycle.slug}/manage/categories/{category.id}")
    assert f'href="{_url(cycle, category)}"' in edit_page.text.replace("http://testserver", "")
    page = await client.get(_url(cycle, category))
    assert page.status_code == 200
    assert 'value="file"' not in page.text  # a nomination's files are its evidence
    added = await post_form(
        client,
        _url(cycle, category),
        {
            "kind": "single_choice",
            "label_ar": "هل بُثّ العمل على الهواء؟",
            "label_en": "Was it broadcast live?",
            "help_en": "Choose one.",
            "options": "نعم | Yes\nلا | No",
            "required": "on",
        },
    )
    assert location(added) == _url(cycle, category)
    await post_form(client, _url(cycle, category), {"kind": "number", "label_en": "Episodes"})
    first, second = await CategoryQuestion.filter(category_id=category.id).order_by("position")
    assert (first.kind, first.required, first.label_en) == (
        "single_choice",
        True,
        "Was it broadcast live?",
    )
    assert first.options == [
        {"key": "o1", "ar": "نعم", "en": "Yes"},
        {"key": "o2", "ar": "لا", "en": "No"},
    ]
    listed = text_of((await client.get(_url(cycle, category))).text)
    assert "The question has been added." in listed
    assert listed.index("Was it broadcast live?") < listed.index("Episodes")

    edit = f"{_url(cycle, category)}/{second.id}"
    shown = await client.get(edit)
    assert 'value="Episodes"' in shown.text
    saved = await post_form(client, edit, {"kind": "number", "label_en": "Episodes aired"})
    assert location(saved) == _url(cycle, category)
    assert (await CategoryQuestion.get(id=second.id)).label_en == "Episodes aired"

    await post_form(client, f"{edit}/move", {"direction": "up"})
    order = [q.id for q in await CategoryQuestion.filter(category_id=category.id)]
    assert order == [second.id, first.id]

    await post_form(client, f"{edit}/delete", {})
    assert [q.id for q in await CategoryQuestion.filter(category_id=category.id)] == [first.id]
    actions = {e.action for e in await AuditEntry.all()}
    assert {
        "awards.question_add",
        "awards.question_update",
        "awards.question_move",
        "awards.question_delete",
    } <= actions


@pytest.mark.parametrize(
    ("lang", "label_message", "options_message"),
    [
        ("en", "Write it in Arabic, in English, or both.", "Give at least two options"),
        ("ar", "اكتبه بالعربية أو بالإنجليزية أو بكلتيهما.", "خيارين على الأقل"),
    ],
)
async def test_a_bad_question_is_refused_in_the_readers_language_and_nothing_changes(
    client, lang, label_message, options_message
):
    cycle, category = await _organizer(client, language=lang)
    kept = await _ask(category, label_en="Kept")
    bad = {"kind": "single_choice", "label_ar": "", "label_en": "", "options": "only one"}
    refused = await post_form(client, _url(cycle, category), bad)
    assert refused.status_code == 422
    assert error_of(refused.text, "label_ar") == label_message
    assert options_message in error_of(refused.text, "options")
    assert "only one" in refused.text  # what was typed is kept
    file_kind = await post_form(client, _url(cycle, category), {"kind": "file", "label_en": "F"})
    assert file_kind.status_code == 422
    edited = await post_form(
        client, f"{_url(cycle, category)}/{kept.id}", {"kind": "url", "label_en": ""}
    )
    assert edited.status_code == 422
    assert error_of(edited.text, "label_ar") == label_message
    assert [(q.id, q.kind, q.label_en) for q in await CategoryQuestion.all()] == [
        (kept.id, "short_text", "Kept")
    ]


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "can no longer change"), ("ar", "لم يعد ممكنًا تغيير أسئلة الفئة")],
)
async def test_once_nominations_open_the_questions_no_longer_change(client, lang, said):
    cycle, category = await _organizer(client, phase="nominations", language=lang)
    question = await _ask(category, label_en="Kept")
    page = await client.get(_url(cycle, category))
    assert page.status_code == 200 and 'data-testid="questions-closed"' in page.text
    assert 'data-testid="question-form"' not in page.text
    tries = [
        (_url(cycle, category), {"kind": "short_text", "label_en": "New"}),
        (f"{_url(cycle, category)}/{question.id}", {"kind": "short_text", "label_en": "Changed"}),
        (f"{_url(cycle, category)}/{question.id}/delete", {}),
    ]
    for url, data in tries:
        refused = await post_form(client, url, data)
        assert refused.status_code == 409
        assert said in text_of(refused.text)
    assert [(q.id, q.label_en) for q in await CategoryQuestion.all()] == [(question.id, "Kept")]


async def _nominator(client, lang: str = "en"):  # noqa: ANN001, ANN202
    cycle = await make_cycle()
    category = await make_category(cycle, name_en="Podcast", name_ar="البودكاست")
    live = await _ask(
        category,
        kind="yes_no",
        label_ar="هل بُثّ مباشرة؟",
        label_en="Was it broadcast live?",
        required=True,
    )
    genre = await _ask(
        category,
        kind="single_choice",
        label_en="Genre",
        label_ar="النوع",
        options=[{"key": "o1", "ar": "حوار", "en": "Interview"}, {"key": "o2", "en": "Story"}],
    )
    user = await make_user("reem@example.org", language=lang, name_en="Reem", name_ar="ريم")
    await sign_in(client, user)
    return cycle, category, live, genre


async def _send(client, url: str, action: str = "submit", **fields: str):  # noqa: ANN001, ANN202
    token, key = await _form_key(client, url)
    data = {"csrf_token": token, **FIELDS, **fields, "form_key": key, "action": action}
    return await client.post(url, data=data, files={"files": ("", b"", "")})


@pytest.mark.parametrize(
    ("lang", "required"), [("en", "Choose one of the options."), ("ar", "اختر أحد الخيارات.")]
)
async def test_the_form_asks_the_questions_and_requires_the_required_ones(client, lang, required):
    cycle, category, live, genre = await _nominator(client, lang)
    url = f"/awards/{cycle.slug}/nominate/{category.id}"
    form = await client.get(url)
    assert 'data-testid="category-questions"' in form.text
    assert f'name="{live.field_name}"' in form.text and f'name="{genre.field_name}"' in form.text
    refused = await _send(client, url, **{genre.field_name: "o2"})
    assert refused.status_code == 422
    assert error_of(refused.text, live.field_name) == required
    assert f'name="{genre.field_name}" value="o2" checked' in refused.text  # the answer is kept
    assert await Nomination.all().count() == 0
    odd = await _send(client, url, **{live.field_name: "maybe", genre.field_name: "o2"})
    assert odd.status_code == 422 and error_of(odd.text, live.field_name)
    assert await Nomination.all().count() == 0

    draft = await _send(client, url, action="save", **{genre.field_name: "o1"})
    assert draft.status_code == 303  # a draft may leave a required question for later
    row = await Nomination.get()
    assert row.answers == {str(genre.id): "o1"}
    edit = await client.get(f"/me/nominations/{row.id}/edit")
    assert f'name="{genre.field_name}" value="o1" checked' in edit.text


async def test_answers_are_stored_versioned_and_shown_everywhere(client, app):
    cycle, category, live, genre = await _nominator(client)
    url = f"/awards/{cycle.slug}/nominate/{category.id}"
    sent = await _send(client, url, **{live.field_name: "yes", genre.field_name: "o1"})
    row = await Nomination.get()
    assert location(sent) == f"/me/nominations/{row.id}"
    assert row.answers == {str(live.id): "yes", str(genre.id): "o1"}
    version = await NominationVersion.get(nomination_id=row.id)
    assert version.snapshot["answers"] == row.answers
    first_print = row.fingerprint

    page = text_of((await client.get(f"/me/nominations/{row.id}")).text)
    assert "Was it broadcast live? Yes" in page and "Genre Interview" in page
    changed = await post_form(
        client,
        f"/me/nominations/{row.id}/edit",
        {**FIELDS, live.field_name: "no", genre.field_name: "o1", "action": "submit"},
    )
    assert changed.status_code == 303
    row = await Nomination.get()
    assert row.version_count == 2 and row.fingerprint != first_print  # the answers count

    organizer = await make_user(language="ar")
    await grant(organizer, Role.ORGANIZER, ScopeType.AWARD_CYCLE, cycle.id)
    await sign_in(client, organizer)
    detail = await client.get(f"/awards/{cycle.slug}/manage/nominations/{row.id}")
    assert detail.status_code == 200
    shown = text_of(detail.text)
    assert "هل بُثّ مباشرة؟ لا" in shown and "النوع حوار" in shown
    export = await client.get(f"/awards/{cycle.slug}/manage/nominations.csv?category={category.id}")
    header, line = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    cells = dict(zip(header, line, strict=True))
    assert cells["هل بُثّ مباشرة؟"] == "لا" and cells["النوع"] == "حوار"
