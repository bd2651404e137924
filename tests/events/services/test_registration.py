"""Registering for an event by answering its questions."""

from __future__ import annotations

from accounts.models import Membership
from core.mail.models import OutboxMessage
from core.storage import StoredFile
from events.enums import QuestionKind as K
from events.models import Registration, RegistrationFile
from tests.conftest import body, csrf, post_form
from tests.events.factories import error_of, make_event, make_question, make_team, text_of
from tests.factories import make_user, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHOICES = [
    {"key": "o1", "ar": "طالب", "en": "Student"},
    {"key": "o2", "ar": "صحفي", "en": "Journalist"},
    {"key": "o3", "ar": "مصمم", "en": "Designer"},
]


async def every_kind(event):
    return {
        "short": await make_question(event, K.SHORT_TEXT, required=True, label_en="Your field"),
        "long": await make_question(event, K.LONG_TEXT, label_en="Why you?"),
        "one": await make_question(
            event, K.SINGLE_CHOICE, required=True, options=CHOICES, label_en="Your role"
        ),
        "many": await make_question(event, K.MULTIPLE_CHOICE, options=CHOICES, label_en="Skills"),
        "yes": await make_question(event, K.YES_NO, required=True, label_en="Arabic speaker?"),
        "url": await make_question(event, K.URL, label_en="Portfolio"),
        "num": await make_question(event, K.NUMBER, label_en="Years of experience"),
        "file": await make_question(event, K.FILE, required=True, label_en="CV"),
    }


async def test_a_participant_registers_answering_every_kind_of_question(client, deliver):
    event = await make_event(phase="registration")
    q = await every_kind(event)
    user = await make_user(language="en", name_en="Omar")
    await sign_in(client, user)
    page = await client.get(f"/events/{event.slug}/register")
    assert 'enctype="multipart/form-data"' in page.text
    token = await csrf(client)
    data = {
        "csrf_token": token,
        q["short"].field_name: "  Data journalism ",
        q["long"].field_name: "Line one\nLine two",
        q["one"].field_name: "o2",
        q["many"].field_name: ["o3", "o1"],
        q["yes"].field_name: "yes",
        q["url"].field_name: "https://example.org/me",
        q["num"].field_name: "١٢٫٥",
    }
    response = await client.post(
        f"/events/{event.slug}/register",
        data=data,
        files={q["file"].field_name: ("../../etc/cv.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 303, response.text
    registration = await Registration.get(event=event, user=user)
    stored = await StoredFile.get(purpose="events.registration")
    assert registration.answers == {
        str(q["short"].id): "Data journalism",
        str(q["long"].id): "Line one\nLine two",
        str(q["one"].id): "o2",
        str(q["many"].id): ["o1", "o3"],
        str(q["yes"].id): "yes",
        str(q["url"].id): "https://example.org/me",
        str(q["num"].id): 12.5,
        str(q["file"].id): {
            "file": str(stored.id),
            "name": "cv.pdf",
            "size": len(PDF),
            "sha256": stored.sha256,
        },
    }
    assert stored.owner_id == user.id and stored.original_name == "cv.pdf"
    assert await RegistrationFile.filter(registration=registration, file=stored).exists()
    assert await Membership.filter(user=user, scope_id=event.id, role="participant").exists()
    (mail,) = await deliver()
    assert mail["Subject"] == f"You are registered for {event.title_en}"
    assert "Next: create your team or join one" in body(mail)
    page = await client.get(f"/events/{event.slug}")
    assert "You are registered for this event." in text_of(page.text)
    download = await client.get(f"/files/{stored.id}")
    assert download.status_code == 200 and download.content == PDF


async def test_bad_answers_get_messages_next_to_each_field_and_are_kept(client):
    event = await make_event(phase="registration")
    q = await every_kind(event)
    await sign_in(client, await make_user(language="en"))
    token = await csrf(client)
    data = {
        "csrf_token": token,
        q["short"].field_name: "x" * 301,
        q["one"].field_name: "o9",
        q["many"].field_name: ["o1", "zz"],
        q["url"].field_name: "javascript:alert(1)",
        q["num"].field_name: "twelve",
        q["long"].field_name: "kept text",
    }
    response = await client.post(
        f"/events/{event.slug}/register",
        data=data,
        files={"unused": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 422
    html = response.text
    assert error_of(html, q["short"].field_name) == "Use at most 300 characters (you used 301)."
    assert error_of(html, q["one"].field_name) == "Choose one of the options."
    assert error_of(html, q["many"].field_name) == "Choose among the options shown."
    assert error_of(html, q["yes"].field_name) == "Choose one of the options."
    assert error_of(html, q["url"].field_name) == "Enter a full web address starting with https://."
    assert error_of(html, q["num"].field_name) == "Enter a number, like 12 or 3.5."
    assert error_of(html, q["file"].field_name) == "Attach a file."
    assert "kept text</textarea>" in html and 'value="twelve"' in html
    assert "Please correct 7 fields below." in text_of(html)
    assert await Registration.all().count() == 0


async def test_a_refused_file_saves_nothing(client, settings):
    event = await make_event(phase="registration")
    q = await every_kind(event)
    await sign_in(client, await make_user(language="en"))
    token = await csrf(client)
    data = {
        "csrf_token": token,
        q["short"].field_name: "Design",
        q["one"].field_name: "o1",
        q["yes"].field_name: "no",
    }
    response = await client.post(
        f"/events/{event.slug}/register",
        data=data,
        files={q["file"].field_name: ("cv.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
    )
    assert response.status_code == 422
    assert error_of(response.text, q["file"].field_name).startswith(
        "This type of file is not accepted. Accepted: DOCX, JPG, MP4, PDF"
    )
    assert 'value="Design"' in response.text
    assert await Registration.all().count() == 0 and await StoredFile.all().count() == 0


async def test_changing_answers_keeps_the_file_and_sends_no_second_mail(client, deliver):
    event = await make_event(phase="registration")
    field = await make_question(event, K.SHORT_TEXT, required=True)
    user = await make_user(language="en")
    await sign_in(client, user)
    await post_form(client, f"/events/{event.slug}/register", {field.field_name: "One"})
    response = await client.get(f"/events/{event.slug}/register")
    assert 'value="One"' in response.text
    await post_form(client, f"/events/{event.slug}/register", {field.field_name: "Two"})
    assert (await Registration.get(user=user)).answers == {str(field.id): "Two"}
    assert len(await deliver()) == 1


async def test_registration_outside_its_window_is_refused_and_saves_nothing(client):
    closed = await make_event(phase="submission_only")
    early = await make_event(phase="upcoming")
    await sign_in(client, await make_user(language="en"))
    response = await post_form(client, f"/events/{closed.slug}/register", {})
    assert response.status_code == 409
    assert "Registration for this event has closed." in text_of(response.text)
    response = await client.get(f"/events/{early.slug}/register")
    assert response.status_code == 409
    assert "Registration has not opened yet." in text_of(response.text)
    assert await Registration.all().count() == 0


async def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client):
    event = await make_event(phase="registration")
    response = await client.get(f"/events/{event.slug}/register")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"http://testserver/login?next=%2Fevents%2F{event.slug}%2Fregister"
    )


async def test_next_brings_the_participant_back(client):
    event = await make_event(phase="registration")
    await sign_in(client, await make_user(language="en"))
    response = await post_form(
        client, f"/events/{event.slug}/register", {"next": f"/events/{event.slug}/join"}
    )
    assert response.headers["location"] == f"/events/{event.slug}/join"
    response = await post_form(
        client, f"/events/{event.slug}/register", {"next": "https://evil.example/"}
    )
    assert response.headers["location"] == f"http://testserver/events/{event.slug}"


async def test_cancelling_a_registration(client):
    event = await make_event(phase="registration")
    user = await make_user(language="en")
    await sign_in(client, user)
    await post_form(client, f"/events/{event.slug}/register", {})
    await post_form(client, f"/events/{event.slug}/unregister", {})
    assert not await Registration.filter(user=user).exists()
    assert not await Membership.filter(user=user, role="participant").exists()
    other = await make_user(language="en")
    await make_team(event, other)
    client.cookies.clear()
    await sign_in(client, other)
    await post_form(client, f"/events/{event.slug}/unregister", {})
    page = await client.get(f"/events/{event.slug}")
    assert "Leave your team before you cancel your registration." in text_of(page.text)
    assert await Registration.filter(user=other).exists()


async def test_the_registration_mail_is_in_the_participants_language(client, deliver):
    event = await make_event(phase="registration")
    await sign_in(client, await make_user(language="ar"))
    await post_form(client, f"/events/{event.slug}/register", {})
    assert (await OutboxMessage.get()).locale == "ar"
