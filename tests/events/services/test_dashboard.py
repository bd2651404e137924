"""The organizer's dashboard: counts, lists with a fixed number of queries, details, CSV
exports and a mail to a group."""

from __future__ import annotations

import csv
import io

from core.audit import AuditEntry
from core.mail.models import OutboxMessage
from events import fingerprint as fp
from events.enums import QuestionKind, QuestionScope, SubmissionState
from events.models import Submission, SubmissionVersion, Track
from tests.conftest import body, post_form
from tests.events.factories import (
    QueryCounter,
    error_of,
    make_event,
    make_question,
    make_team,
    register,
    text_of,
)
from tests.factories import make_user, sign_in


async def organizer_of(client, **fields):
    organizer = await make_user(language="en")
    event = await make_event(organizer=organizer, **fields)
    await sign_in(client, organizer)
    return event, organizer


async def submitted(event, team, title="Idea", state=SubmissionState.SUBMITTED):
    snap = {"title": title, "track": team.track_id, "answers": {}, "files": []}
    submission = await Submission.create(
        event=event,
        team=team,
        title=title,
        track_id=team.track_id,
        state=state,
        version_count=1 if state != "draft" else 0,
        fingerprint=fp.fingerprint(snap),
    )
    if state != SubmissionState.DRAFT:
        from core.clock import now

        await SubmissionVersion.create(
            submission=submission,
            number=1,
            snapshot=snap,
            fingerprint=fp.fingerprint(snap),
            created_at=now(),
            changes=fp.changes(None, snap),
        )
    return submission


async def test_counts_at_a_glance(client):
    event, _ = await organizer_of(client, team_min=2)
    one, two = await Track.filter(event=event).order_by("position")
    full = await make_team(event, await make_user(), await make_user(), track=one)
    short = await make_team(event, await make_user(), track=two)
    await make_team(event, await make_user(), await make_user(), track=two)
    await register(await make_user(), event)
    await submitted(event, full)
    await submitted(event, short, state=SubmissionState.DRAFT)
    page = await client.get(f"/events/{event.slug}/manage")
    html = page.text

    def count(name: str) -> str:
        import re

        return re.search(rf'data-testid="count-{name}">([^<]+)<', html).group(1)

    assert (
        count("registrants"),
        count("teams"),
        count("incomplete"),
        count("without-team"),
        count("submitted"),
        count("draft"),
    ) == ("6", "3", "1", "1", "1", "1")
    text = text_of(html)
    assert "Track 1 1 0 1 0" in text and "Track 2 2 1 0 0" in text


async def test_the_counts_at_a_glance_run_a_fixed_number_of_queries(client):
    event, _ = await organizer_of(client, team_min=2)
    one, two = await Track.filter(event=event).order_by("position")
    await submitted(event, await make_team(event, await make_user(), track=one))
    with QueryCounter() as few:
        assert (await client.get(f"/events/{event.slug}/manage")).status_code == 200
    for track in (one, two, two, one, two):
        team = await make_team(event, await make_user(), await make_user(), track=track)
        await submitted(event, team)
    await register(await make_user(), event)
    with QueryCounter() as many:
        page = await client.get(f"/events/{event.slug}/manage")
    html = page.text
    assert 'data-testid="count-teams">6<' in html and 'data-testid="count-submitted">6<' in html
    assert few.count == many.count
    # the person; the event; the counts, the submissions and teams per track, the tracks;
    # whether judging published results
    assert many.count == 6, many.statements


async def test_lists_search_filter_and_page(client):
    event, _ = await organizer_of(client, team_min=2)
    one, two = await Track.filter(event=event).order_by("position")
    fact = await make_team(
        event,
        await make_user(name_en="Lina", organization="KSU"),
        await make_user(),
        name="Fact Finders",
        track=one,
    )
    await make_team(event, await make_user(), name="Bots", track=two)
    await register(await make_user(email="alone@example.org"), event)
    await submitted(event, fact, title="Verify first")
    base = f"/events/{event.slug}/manage"
    text = text_of((await client.get(f"{base}/registrants?q=ksu")).text)
    assert "Lina" in text and "Fact Finders" in text and "alone@example.org" not in text
    text = text_of((await client.get(f"{base}/registrants?in_team=no")).text)
    assert "alone@example.org" in text and "Lina" not in text
    text = text_of((await client.get(f"{base}/teams?show=incomplete")).text)
    assert "Bots" in text and "Fact Finders" not in text
    text = text_of((await client.get(f"{base}/teams?show=not_submitted&track={two.id}")).text)
    assert "Bots" in text and "Fact Finders" not in text
    text = text_of((await client.get(f"{base}/teams?q=fact")).text)
    assert "Fact Finders" in text and "Bots" not in text
    text = text_of((await client.get(f"{base}/submissions?state=submitted&q=verify")).text)
    assert "Verify first" in text
    text = text_of((await client.get(f"{base}/submissions?state=draft")).text)
    assert "No submission matches." in text
    for n in range(30):
        await register(await make_user(email=f"r{n:02}@example.org"), event)
    page_two = await client.get(f"{base}/registrants?page=2")
    assert "Page 2 of 2" in text_of(page_two.text)


async def fill(event, n: int) -> None:
    tracks = list(await Track.filter(event=event).order_by("position"))
    for i in range(n):
        team = await make_team(event, await make_user(), await make_user(), track=tracks[i % 2])
        await submitted(event, team, title=f"Idea {i}")
        await register(await make_user(), event)


async def test_list_pages_run_a_fixed_number_of_queries(client):
    event, _ = await organizer_of(client)
    base = f"/events/{event.slug}/manage"
    pages = ("registrants", "teams", "submissions")
    await fill(event, 5)
    few = {}
    for name in pages:
        with QueryCounter() as counter:
            response = await client.get(f"{base}/{name}")
        assert response.status_code == 200
        few[name] = counter.count
    await fill(event, 45)
    for name in pages:
        with QueryCounter() as counter:
            response = await client.get(f"{base}/{name}?page=1")
        rows = response.text.count("<tr>") - 1
        assert rows == 25, name  # a full page, five times the rows of before
        assert counter.count == few[name], (name, counter.statements)
    with QueryCounter() as counter:
        await client.get(f"{base}")
    dashboard_queries = counter.count
    await fill(event, 10)
    with QueryCounter() as counter:
        await client.get(f"{base}")
    assert counter.count == dashboard_queries


async def test_team_and_submission_detail_show_every_version(client):
    event, _ = await organizer_of(client)
    question = await make_question(
        event, QuestionKind.SHORT_TEXT, label_en="Budget", scope=QuestionScope.SUBMISSION
    )
    member = await make_user(name_en="Reem")
    team = await make_team(event, member, name="Ayn")
    submission = await Submission.create(
        event=event, team=team, title="v2 title", state=SubmissionState.SUBMITTED, version_count=2
    )
    first = {
        "title": "v1 title",
        "summary": "same",
        "track": None,
        "answers": {str(question.id): "100"},
        "files": [],
    }
    second = {**first, "title": "v2 title", "answers": {str(question.id): "200"}}
    from core.clock import now

    for number, (before, snap) in enumerate(((None, first), (first, second)), start=1):
        await SubmissionVersion.create(
            submission=submission,
            number=number,
            snapshot=snap,
            fingerprint=fp.fingerprint(snap),
            created_at=now(),
            author=member,
            changes=fp.changes(before, snap),
        )
    text = text_of(
        (await client.get(f"/events/{event.slug}/manage/submissions/{submission.id}")).text
    )
    assert "Version 2" in text and "Version 1" in text
    assert "Changed: Title, 1 answer." in text and "First submission." in text
    assert "v1 title" in text and "Budget changed 200" in text and "Budget 100" in text
    assert fp.fingerprint(first) in text
    text = text_of((await client.get(f"/events/{event.slug}/manage/teams/{team.id}")).text)
    assert "Reem" in text and "v2 title" in text and "Version 2" in text


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


async def test_csv_exports_open_in_excel_with_arabic(client):
    event, _ = await organizer_of(client)
    role = await make_question(
        event,
        QuestionKind.SINGLE_CHOICE,
        label_en="Role",
        options=[{"key": "o1", "ar": "صحفي", "en": "Journalist"}],
    )
    reem = await make_user(
        "reem@example.org", name_ar="ريم الزهراني", name_en="Reem", organization='=HYPERLINK("x")'
    )
    team = await make_team(event, reem, name="عين الحقيقة")
    from events.models import Registration

    await Registration.filter(user=reem).update(answers={str(role.id): "o1"})
    await submitted(event, team, title="تحقّق قبل أن تشارك")
    response = await client.get(f"/events/{event.slug}/manage/export/registrants.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith(
        f'attachment; filename="{event.slug}-registrants-'
    )
    assert response.content.startswith("\ufeffName (Arabic),Name (English),E-mail".encode())
    rows = read_csv(response.content)
    assert rows[0] == [
        "Name (Arabic)",
        "Name (English)",
        "E-mail",
        "Organization",
        "Job title",
        "Phone",
        "Registered",
        "Team",
        "Role",
    ]
    assert rows[1][:4] == ["ريم الزهراني", "Reem", "reem@example.org", '\'=HYPERLINK("x")']
    assert rows[1][7:] == ["عين الحقيقة", "Journalist"]
    assert "ريم الزهراني".encode() in response.content  # UTF-8, not escaped
    rows = read_csv((await client.get(f"/events/{event.slug}/manage/export/teams.csv")).content)
    assert rows[1][:6] == [
        "عين الحقيقة",
        "Track 1",
        "Active",
        "reem@example.org",
        "reem@example.org",
        "1",
    ]
    assert rows[1][7] == "Submitted"
    rows = read_csv(
        (await client.get(f"/events/{event.slug}/manage/export/submissions.csv")).content
    )
    assert rows[1][:4] == ["عين الحقيقة", "تحقّق قبل أن تشارك", "Track 1", "Submitted"]
    assert (await client.get(f"/events/{event.slug}/manage/export/users.csv")).status_code == 404


async def test_mail_to_a_group_is_previewed_then_queued(client, deliver):
    event, organizer = await organizer_of(client)
    one, two = await Track.filter(event=event).order_by("position")
    reem = await make_user("reem@example.org", language="ar", name_ar="ريم")
    omar = await make_user("omar@example.org", language="en", name_en="Omar")
    done = await make_team(event, reem, name="عين", track=one)
    await make_team(event, omar, name="Bots", track=two)
    await register(await make_user("solo@example.org", language="en", name_en="Solo"), event)
    await submitted(event, done)
    base = f"/events/{event.slug}/manage/mail"
    letter = {
        "group": "without_submission",
        "subject_en": "{team}: one week left",
        "body_en": "Hello {name},\n\n{event} closes soon.",
        "subject_ar": "",
        "body_ar": "",
    }
    response = await post_form(client, base, {**letter, "action": "preview"})
    assert response.status_code == 200
    text = text_of(response.text)
    assert "This mail will go to 1 person." in text
    assert "For omar@example.org:" in text and "Bots: one week left" in text
    assert f"Hello Omar, {event.title_en} closes soon." in text
    assert await OutboxMessage.all().count() == 0
    response = await post_form(client, base, {**letter, "action": "send"})
    assert response.status_code == 303
    (mail,) = await deliver()
    assert mail["To"] == "omar@example.org" and mail["Subject"] == "Bots: one week left"
    assert body(mail).startswith("Hello Omar,")
    entry = await AuditEntry.get(action="events.mail_group")
    assert entry.after["recipients"] == 1 and entry.scope_id == event.id
    # everyone registered, each in their language, falling back to the one written
    await post_form(
        client,
        base,
        {
            **letter,
            "group": "registrants",
            "subject_ar": "تذكير {name}",
            "body_ar": "مرحبًا",
            "action": "send",
        },
    )
    queued = {
        m.recipient: m
        for m in await OutboxMessage.filter(template="events/announcement", state="queued")
    }
    assert set(queued) == {"reem@example.org", "omar@example.org", "solo@example.org"}
    assert queued["reem@example.org"].subject == "تذكير ريم"
    assert queued["solo@example.org"].subject == ": one week left"
    await post_form(
        client, base, {**letter, "group": "track", "track": str(one.id), "action": "send"}
    )
    assert await OutboxMessage.filter(recipient="reem@example.org").count() == 2


async def test_a_bad_template_is_explained(client):
    event, _ = await organizer_of(client)
    response = await post_form(
        client,
        f"/events/{event.slug}/manage/mail",
        {
            "group": "track",
            "track": "",
            "subject_en": "Hi {nme}",
            "body_en": "",
            "subject_ar": "",
            "body_ar": "",
            "action": "preview",
        },
    )
    assert response.status_code == 422
    html = response.text
    assert error_of(html, "track") == "Choose one of the options."
    assert error_of(html, "subject_en") == (
        "Unknown placeholder {nme}. Use {name}, {team} or {event}."
    )
    assert error_of(html, "body_en") == "Write the subject and the message in the same language."
