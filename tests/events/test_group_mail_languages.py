"""The mail to a group, written the way an organizer writes it: the page opens with a greeting
in each message field; writing in one language only sends that language to everyone, writing
in both gives each person their own; "nobody is in this group" only for an empty group."""

from __future__ import annotations

import html as html_lib
import re

from core.mail.models import OutboxMessage
from tests.conftest import body, post_form
from tests.events.factories import error_of, make_event, register, text_of
from tests.factories import make_user, sign_in

NOBODY = "Nobody is in this group yet: there is nobody to write to."


async def nine_registrants(client, language="en"):
    """An event with nine registrants (five read Arabic, four English); the mail page's form
    as the browser holds it when it opens."""
    organizer = await make_user(language=language)
    event = await make_event(organizer=organizer)
    for i in range(9):
        language = "ar" if i % 2 == 0 else "en"
        person = await make_user(
            f"p{i}@example.org", language=language, name_ar=f"مشارك {i}", name_en=f"Person {i}"
        )
        await register(person, event)
    await sign_in(client, organizer)
    url = f"/events/{event.slug}/manage/mail"
    page = (await client.get(url)).text
    opened = {"group": "registrants", "subject_ar": "", "subject_en": ""}
    for name in ("body_ar", "body_en"):
        match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
        assert match, name
        # what a browser sends: the text with CR LF line ends
        opened[name] = html_lib.unescape(match.group(1)).lstrip("\n").replace("\n", "\r\n")
    assert opened["body_en"].startswith("Hello {name},")
    assert opened["body_ar"].startswith("مرحبًا {name}،")
    return event, url, opened


async def queued():
    return {m.recipient: m for m in await OutboxMessage.filter(template="events/announcement")}


async def test_an_arabic_only_mail_goes_to_everyone_in_arabic(client, deliver):
    _event, url, opened = await nine_registrants(client)
    letter = {**opened, "subject_ar": "تذكير يا {name}", "body_ar": "مرحبًا {name}، بقي أسبوع."}
    response = await post_form(client, url, {**letter, "action": "preview"})
    assert response.status_code == 200, error_of(response.text, "body_en")
    text = text_of(response.text)
    assert "This mail will go to 9 people." in text
    assert "In Arabic, to 9 people" in text and "In English" not in text
    assert "تذكير يا مشارك 0" in text
    assert NOBODY not in text
    response = await post_form(client, url, {**letter, "action": "send"})
    assert response.status_code == 303
    mails = await queued()
    assert len(mails) == 9
    for i in range(9):
        mail = mails[f"p{i}@example.org"]
        assert mail.locale == "ar"
        assert mail.subject == f"تذكير يا مشارك {i}"
    sent = await deliver()
    assert len(sent) == 9
    assert {m["Subject"] for m in sent} == {f"تذكير يا مشارك {i}" for i in range(9)}
    assert all(body(m).startswith("مرحبًا مشارك") for m in sent)


async def test_an_english_only_mail_goes_to_everyone_in_english(client):
    _event, url, opened = await nine_registrants(client)
    letter = {**opened, "subject_en": "Reminder", "body_en": "Hello {name}, one week left."}
    response = await post_form(client, url, {**letter, "action": "preview"})
    assert response.status_code == 200
    text = text_of(response.text)
    assert "In English, to 9 people" in text and "In Arabic" not in text
    response = await post_form(client, url, {**letter, "action": "send"})
    assert response.status_code == 303
    mails = await queued()
    assert len(mails) == 9
    assert {m.locale for m in mails.values()} == {"en"}
    assert mails["p0@example.org"].body_text.startswith("Hello Person 0, one week left.")


async def test_both_languages_give_each_person_their_own(client):
    _event, url, opened = await nine_registrants(client)
    letter = {
        **opened,
        "subject_ar": "تذكير",
        "body_ar": "مرحبًا {name}",
        "subject_en": "Reminder",
        "body_en": "Hello {name}",
    }
    response = await post_form(client, url, {**letter, "action": "preview"})
    text = text_of(response.text)
    assert "In Arabic, to 5 people" in text and "In English, to 4 people" in text
    await post_form(client, url, {**letter, "action": "send"})
    mails = await queued()
    for i in range(9):
        mail = mails[f"p{i}@example.org"]
        assert (mail.locale, mail.subject) == (
            ("ar", "تذكير") if i % 2 == 0 else ("en", "Reminder")
        )


async def test_the_untouched_greetings_alone_are_no_message(client):
    _event, url, opened = await nine_registrants(client)
    response = await post_form(client, url, {**opened, "action": "preview"})
    assert response.status_code == 422
    assert error_of(response.text, "subject_ar") == "Write it in Arabic, in English, or both."
    # a refused form is not an empty group
    assert NOBODY not in text_of(response.text)
    assert await OutboxMessage.all().count() == 0


async def test_half_a_language_is_still_refused(client):
    _event, url, opened = await nine_registrants(client)
    letter = {**opened, "subject_ar": "تذكير", "body_ar": "نص", "body_en": "Hello, a real text"}
    response = await post_form(client, url, {**letter, "action": "preview"})
    assert response.status_code == 422
    assert error_of(response.text, "subject_en") == (
        "Write the subject and the message in the same language."
    )
    assert NOBODY not in text_of(response.text)


async def test_an_empty_group_is_reported_only_when_empty(client):
    organizer = await make_user(language="en")
    event = await make_event(organizer=organizer)
    await sign_in(client, organizer)
    url = f"/events/{event.slug}/manage/mail"
    letter = {"group": "registrants", "subject_ar": "تذكير", "body_ar": "نص", "action": "preview"}
    response = await post_form(client, url, letter)
    assert response.status_code == 200
    text = text_of(response.text)
    assert NOBODY in text and "This mail will go to" not in text
    assert 'value="send"' not in response.text


async def test_the_arabic_page_names_each_language(client):
    _event, url, opened = await nine_registrants(client, language="ar")
    letter = {**opened, "subject_ar": "تذكير", "body_ar": "نص", "subject_en": "Hi", "body_en": "x"}
    text = text_of((await post_form(client, url, {**letter, "action": "preview"})).text)
    assert "بالعربية، إلى 5 أشخاص" in text and "بالإنجليزية، إلى 4 أشخاص" in text
    only_ar = {**opened, "subject_ar": "تذكير", "body_ar": "نص"}
    response = await post_form(client, url, {**only_ar, "action": "preview"})
    assert response.status_code == 200
    assert "بالعربية، إلى 9 أشخاص" in text_of(response.text)
