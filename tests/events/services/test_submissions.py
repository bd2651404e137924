"""The submission: drafts, submits as versions with receipts, the deadline, files, withdrawal."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from core import clock
from core.audit import AuditEntry
from core.mail.models import OutboxMessage
from core.storage import StoredFile
from events import fingerprint as fp
from events.enums import QuestionKind, QuestionScope, SubmissionState
from events.models import Submission, SubmissionFile, SubmissionVersion, Track
from tests.conftest import body, csrf, html_body
from tests.events.factories import (
    error_of,
    grant_organizer,
    make_event,
    make_question,
    make_team,
    text_of,
    value_of,
)
from tests.events.samples import ACCEPTED, PDF, PNG, REFUSED
from tests.factories import make_user, sign_in

FULL = {
    "title": "تحقّق قبل أن تشارك",
    "summary": "A WhatsApp checker.",
    "problem": "Rumours spread faster than corrections.",
    "solution": "Forward a message, get sources back.",
    "audience": "Messaging users",
    "video_url": "https://video.example.org/v",
    "prototype_url": "",
}


async def setup(client, *, phase="submission", members=1, **fields):
    event = await make_event(phase=phase, **fields)
    captain = await make_user(language="en", name_en="Reem")
    others = [await make_user(language="ar") for _ in range(members - 1)]
    team = await make_team(event, captain, *others, name="Ayn")
    await sign_in(client, captain)
    return event, team, captain, others


def url(event, team) -> str:
    return f"/events/{event.slug}/teams/{team.id}/submission"


async def send(client, target, data, files=None, action="save"):
    token = await csrf(client)
    payload = {"csrf_token": token, **data, "action": action}
    if files:
        return await client.post(target, data=payload, files=files)
    return await client.post(target, data=payload, files={"attachments": ("", b"", "")})


async def test_a_draft_needs_only_a_title(client):
    event, team, *_ = await setup(client)
    response = await send(client, url(event, team), {"summary": "kept"})
    assert response.status_code == 422
    assert error_of(response.text, "title") == "Give your idea a title, even a working one."
    assert value_of(response.text, "summary") == "kept"
    response = await send(client, url(event, team), {"title": "Working title"})
    assert response.status_code == 303
    submission = await Submission.get(team=team)
    assert (submission.state, submission.title, submission.version_count) == (
        SubmissionState.DRAFT,
        "Working title",
        0,
    )
    page = await client.get(f"/events/{event.slug}/teams/{team.id}")
    assert "Your draft has been saved. It is not submitted yet." in text_of(page.text)


async def test_submitting_needs_every_field_and_saves_nothing_otherwise(client):
    event, team, *_ = await setup(client)
    response = await send(
        client, url(event, team), {"title": "Only a title", "video_url": "ftp://x"}, action="submit"
    )
    assert response.status_code == 422
    html = response.text
    for name in ("summary", "problem", "solution", "audience"):
        assert error_of(html, name) == "This field is required.", name
    assert error_of(html, "track") == "Choose one of the options."
    assert error_of(html, "video_url") == "Enter a full web address starting with https://."
    assert value_of(html, "title") == "Only a title"
    assert await Submission.all().count() == 0


async def test_submit_keeps_a_version_and_mails_every_member_a_receipt(client, deliver):
    event, team, captain, others = await setup(client, members=2)
    track = await Track.filter(event=event).first()
    response = await send(
        client,
        url(event, team),
        {**FULL, "track": str(track.id)},
        files={"attachments": ("idea.pdf", PDF, "application/pdf")},
        action="submit",
    )
    assert response.status_code == 303
    submission = await Submission.get(team=team)
    version = await SubmissionVersion.get(submission=submission)
    stored = await StoredFile.get()
    assert (submission.state, submission.version_count, version.number) == (
        SubmissionState.SUBMITTED,
        1,
        1,
    )
    assert version.snapshot == {
        **FULL,
        "track": track.id,
        "answers": {},
        "files": [{"name": "idea.pdf", "sha256": stored.sha256, "size": len(PDF)}],
    }
    digest = hashlib.sha256(fp.canonical(version.snapshot).encode()).hexdigest()
    assert version.fingerprint == submission.fingerprint == digest
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    page = await client.get(f"/events/{event.slug}/teams/{team.id}")
    assert (
        f"Version 1 is submitted. Fingerprint: {digest}. A receipt is on its way to every member."
    ) in text_of(page.text)
    mails = {m["To"]: m for m in await deliver()}
    assert set(mails) == {captain.email, others[0].email}
    english = mails[captain.email]
    assert english["Subject"] == "Receipt: Ayn submitted version 1"
    assert digest in body(english) and digest in html_body(english)
    assert f"idea.pdf (SHA-256 {stored.sha256})" in body(english)
    assert "Title: تحقّق قبل أن تشارك" in body(english)
    assert mails[others[0].email]["Subject"] != english["Subject"]  # in Arabic


async def test_resubmitting_records_what_changed(client, deliver):
    event, team, *_ = await setup(client)
    track = await Track.filter(event=event).first()
    data = {**FULL, "track": str(track.id)}
    await send(client, url(event, team), data, action="submit")
    response = await send(client, url(event, team), data, action="submit")
    page = await client.get(f"/events/{event.slug}/teams/{team.id}")
    assert "Nothing has changed since your last submission." in text_of(page.text)
    await send(
        client,
        url(event, team),
        {**data, "summary": "Sharper."},
        files={"attachments": ("slides.png", PNG, "image/png")},
        action="save",
    )
    page = await client.get(f"/events/{event.slug}/teams/{team.id}")
    assert "You have changes that are not submitted yet." in text_of(page.text)
    response = await send(
        client, url(event, team), {**data, "summary": "Sharper."}, action="submit"
    )
    assert response.status_code == 303
    versions = await SubmissionVersion.all().order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].changes == {
        "fields": ["summary"],
        "added": ["slides.png"],
        "removed": [],
        "first": False,
    }
    assert versions[0].fingerprint != versions[1].fingerprint
    assert len(await deliver()) == 2  # one receipt per submit that changed something
    page = await client.get(f"/events/{event.slug}/teams/{team.id}")
    text = text_of(page.text)
    assert "Version 2" in text and "Changed: Summary. Files added: slides.png." in text
    # the sentences are apart in the page itself, not only once tags become spaces
    assert "Summary.</span> <span>Files added: slides.png." in page.text


async def test_the_deadline_holds_to_the_second(client):
    event, team, *_ = await setup(client)
    track = await Track.filter(event=event).first()
    data = {**FULL, "track": str(track.id)}
    await send(client, url(event, team), data, action="submit")
    clock.travel(event.submissions_close - clock.now() - dt.timedelta(seconds=1))
    response = await send(
        client, url(event, team), {**data, "title": "Last second"}, action="submit"
    )
    assert response.status_code == 303
    clock.travel(dt.timedelta(seconds=1))
    response = await send(
        client,
        url(event, team),
        {**data, "title": "Too late"},
        files={"attachments": ("late.pdf", PDF, "application/pdf")},
        action="submit",
    )
    assert response.status_code == 409
    text = text_of(response.text)
    assert re.search(
        r"The submission deadline passed on \d+ \w+ \d{4}, \d\d:\d\d \(.+\)\. "
        r"Nothing was changed\.",
        text,
    )
    assert value_of(response.text, "title") == "Too late"  # what was typed stays on screen
    submission = await Submission.get(team=team)
    assert (submission.title, submission.version_count) == ("Last second", 2)
    assert await StoredFile.all().count() == 0
    assert await SubmissionVersion.all().count() == 2


async def test_an_extension_reopens_the_door(client):
    event, team, *_ = await setup(client)
    organizer = await make_user()
    await grant_organizer(organizer, event)
    clock.travel(event.submissions_close - clock.now() + dt.timedelta(minutes=5))
    response = await send(client, url(event, team), {"title": "After"})
    assert response.status_code == 409
    from events.enums import Deadline
    from events.services.editions import extend_deadline

    await extend_deadline(
        organizer,
        event,
        Deadline.SUBMISSIONS_CLOSE,
        event.submissions_close + dt.timedelta(hours=1),
    )
    response = await send(client, url(event, team), {"title": "After"})
    assert response.status_code == 303


@pytest.mark.parametrize("kind", sorted(ACCEPTED))
async def test_each_accepted_kind_is_stored(client, kind):
    event, team, *_ = await setup(client)
    name, data, stored_name = ACCEPTED[kind]
    response = await send(
        client,
        url(event, team),
        {"title": "Files"},
        files={"attachments": (name, data, "application/octet-stream")},
    )
    assert response.status_code == 303
    stored = await StoredFile.get()
    assert (stored.kind, stored.original_name, stored.size, stored.purpose) == (
        kind,
        stored_name,
        len(data),
        "events.submission",
    )
    download = await client.get(f"/files/{stored.id}")
    assert download.status_code == 200 and download.content == data


@pytest.mark.parametrize("case", sorted(REFUSED))
async def test_each_refused_kind_is_refused_by_content(client, case):
    event, team, *_ = await setup(client)
    name, data = REFUSED[case]
    response = await send(
        client,
        url(event, team),
        {"title": "Kept title"},
        files={"attachments": (name, data, "application/pdf")},
    )
    assert response.status_code == 422
    assert error_of(response.text, "attachments") == (
        "This type of file is not accepted. "
        "Accepted: DOCX, JPG, MP4, PDF, PNG, PPTX, WEBP, or XLSX."
    )
    assert value_of(response.text, "title") == "Kept title"
    assert await Submission.all().count() == 0 and await StoredFile.all().count() == 0


async def test_empty_too_large_too_many_and_tricky_names(client, settings):
    event, team, *_ = await setup(client, max_attachment_mb=1, max_attachments=2)
    target = url(event, team)
    response = await send(
        client, target, {"title": "T"}, files={"attachments": ("empty.pdf", b"", "application/pdf")}
    )
    assert error_of(response.text, "attachments") == "The file is empty."
    big = PDF + b"0" * (1024 * 1024)
    response = await send(
        client, target, {"title": "T"}, files={"attachments": ("big.pdf", big, "application/pdf")}
    )
    assert response.status_code == 422
    assert error_of(response.text, "attachments") == "The file is larger than 1 MB."
    three = [("attachments", (f"{n}.pdf", PDF, "application/pdf")) for n in "abc"]
    response = await send(client, target, {"title": "T"}, files=three)
    assert error_of(response.text, "attachments") == (
        "A submission can have at most 2 attachments; it has 0."
    )
    response = await send(
        client,
        target,
        {"title": "T"},
        files={
            "attachments": ("..\\..\\windows/\u202eevil\u200bname.exe.pdf", PDF, "application/pdf")
        },
    )
    assert response.status_code == 303
    assert (await StoredFile.get()).original_name == "evilname.exe.pdf"
    assert await StoredFile.all().count() == 1
    response = await send(client, target, {"title": "T"}, files=three[:2])
    assert error_of(response.text, "attachments") == (
        "A submission can have at most 2 attachments; it has 1."
    )
    assert await StoredFile.all().count() == 1


async def test_a_body_over_the_cap_is_refused_while_streaming(client):
    event, team, *_ = await setup(client, max_attachment_mb=1, max_attachments=1)
    huge = PDF + b"0" * (4 * 1024 * 1024)
    response = await send(
        client,
        url(event, team),
        {"title": "T"},
        files={"attachments": ("huge.pdf", huge, "application/pdf")},
    )
    assert response.status_code == 413
    assert "The upload is too large. Each file may be at most 1 MB." in text_of(response.text)
    assert await StoredFile.all().count() == 0


async def test_submission_questions_with_a_file_answer(client):
    event, team, *_ = await setup(client)
    budget = await make_question(
        event, QuestionKind.FILE, scope=QuestionScope.SUBMISSION, required=True, label_en="Budget"
    )
    tested = await make_question(
        event,
        QuestionKind.YES_NO,
        scope=QuestionScope.SUBMISSION,
        required=True,
        label_en="Tested?",
    )
    track = await Track.filter(event=event).first()
    data = {**FULL, "track": str(track.id)}
    response = await send(client, url(event, team), data, action="submit")
    assert error_of(response.text, budget.field_name) == "Attach a file."
    assert error_of(response.text, tested.field_name) == "Choose one of the options."
    response = await send(
        client,
        url(event, team),
        {**data, tested.field_name: "yes"},
        files={budget.field_name: ("b.pdf", PDF, "application/pdf")},
        action="submit",
    )
    assert response.status_code == 303
    version = await SubmissionVersion.get()
    stored = await StoredFile.get()
    assert version.snapshot["answers"] == {
        str(budget.id): {"name": "b.pdf", "size": len(PDF), "sha256": stored.sha256},
        str(tested.id): "yes",
    }
    assert version.snapshot["files"] == []  # a file answer is not an attachment
    assert version.files[0]["question"] == budget.id
    # resubmitting without a new file keeps the answer
    response = await send(
        client, url(event, team), {**data, tested.field_name: "no"}, action="submit"
    )
    assert response.status_code == 303
    latest = await SubmissionVersion.get(number=2)
    assert latest.changes["fields"] == [f"answers.{tested.id}"]


async def test_a_team_below_the_minimum_cannot_submit(client):
    event, team, *_ = await setup(client, team_min=2)
    track = await Track.filter(event=event).first()
    response = await send(
        client, url(event, team), {**FULL, "track": str(track.id)}, action="submit"
    )
    assert response.status_code == 409
    assert "Your team needs at least 2 members before it can submit." in text_of(response.text)
    assert await Submission.all().count() == 0


async def test_withdrawing_and_removing_files(client):
    event, team, *_ = await setup(client)
    track = await Track.filter(event=event).first()
    data = {**FULL, "track": str(track.id)}
    await send(
        client,
        url(event, team),
        data,
        files={"attachments": ("kept.pdf", PDF, "application/pdf")},
        action="submit",
    )
    await send(
        client, url(event, team), data, files={"attachments": ("draft.png", PNG, "image/png")}
    )
    kept, draft = await SubmissionFile.all().order_by("id").select_related("file")
    token = await csrf(client)
    for link in (kept, draft):
        response = await client.post(
            f"{url(event, team)}/files/{link.id}/delete", data={"csrf_token": token}
        )
        assert response.status_code == 303
    # the submitted one stays for the history, the draft one is gone
    assert (await SubmissionFile.get(id=kept.id)).detached_at is not None
    assert not await SubmissionFile.filter(id=draft.id).exists()
    assert await StoredFile.filter(id=kept.file_id).exists()
    assert not await StoredFile.filter(id=draft.file_id).exists()
    response = await client.post(f"{url(event, team)}/withdraw", data={"csrf_token": token})
    assert response.status_code == 303
    assert (await Submission.get()).state == SubmissionState.WITHDRAWN
    response = await send(client, url(event, team), data, action="submit")
    assert (await Submission.get()).state == SubmissionState.SUBMITTED


async def test_nobody_else_reads_or_changes_a_teams_draft_or_files(client):
    event, team, *_ = await setup(client)
    await send(
        client,
        url(event, team),
        {"title": "Secret draft"},
        files={"attachments": ("secret.pdf", PDF, "application/pdf")},
    )
    stored = await StoredFile.get()
    link = await SubmissionFile.get()
    intruder = await make_user(language="en")
    await make_team(event, intruder, name="Other")
    client.cookies.clear()
    await sign_in(client, intruder)
    token = await csrf(client)
    assert (await client.get(url(event, team))).status_code == 404
    assert (await client.get(f"/events/{event.slug}/teams/{team.id}")).status_code == 404
    assert (await client.get(f"/files/{stored.id}")).status_code == 404
    response = await client.post(url(event, team), data={"csrf_token": token, "title": "Mine"})
    assert response.status_code == 404
    response = await client.post(
        f"{url(event, team)}/files/{link.id}/delete", data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert (await Submission.get()).title == "Secret draft"
    assert await SubmissionFile.filter(id=link.id).exists()
    client.cookies.clear()
    assert (await client.get(f"/files/{stored.id}")).status_code == 404
    organizer = await make_user()
    await grant_organizer(organizer, event)
    await sign_in(client, organizer)
    assert (await client.get(f"/files/{stored.id}")).status_code == 200


async def test_an_assigned_judge_reads_the_files_and_nobody_else(client, settings):
    """judging.services.access.judge_may_read decides for judges (events.services.downloads
    asks it)."""
    event, team, *_ = await setup(client)
    await send(
        client,
        url(event, team),
        {"title": "Judged"},
        files={"attachments": ("idea.pdf", PDF, "application/pdf")},
    )
    stored = await StoredFile.get()
    submission = await Submission.get()
    judge, stranger = await make_user(language="en"), await make_user(language="en")
    from judging.enums import JudgeState, RoundState
    from judging.models import Assignment, Entry, Judge, Round

    rnd = await Round.create(scope_type="event", scope_id=event.id, state=RoundState.OPEN)
    entry = await Entry.create(round=rnd, source="events.submission", source_id=submission.id)
    seat = await Judge.create(
        scope_type="event",
        scope_id=event.id,
        email=judge.email,
        user=judge,
        state=JudgeState.ACCEPTED,
        token_hash="h" * 64,
    )
    await Assignment.create(round=rnd, entry=entry, judge=seat)
    client.cookies.clear()
    await sign_in(client, stranger)
    assert (await client.get(f"/files/{stored.id}")).status_code == 404
    client.cookies.clear()
    await sign_in(client, judge)
    response = await client.get(f"/files/{stored.id}")
    assert response.status_code == 200 and response.content == PDF


async def test_no_audit_noise_and_no_mail_for_drafts(client):
    event, team, *_ = await setup(client)
    await send(client, url(event, team), {"title": "Draft"})
    assert await OutboxMessage.all().count() == 0
    assert await AuditEntry.filter(action__startswith="events.submission").count() == 0


@pytest.mark.parametrize(
    ("lang", "size", "limit", "kinds"),
    [
        ("en", f"({len(PDF)} B)", "at most 2 MB each", "Accepted: DOCX, JPG, MP4, PDF, PNG, PPTX"),
        ("ar", f"({len(PDF)} بايت)", "2 م.ب", "DOCX أو JPG أو MP4 أو PDF أو PNG أو PPTX"),
    ],
)
async def test_sizes_and_file_types_read_in_the_pages_language(client, lang, size, limit, kinds):
    event, team, *_ = await setup(client, max_attachment_mb=2)
    files = {"attachments": ("a.pdf", PDF, "application/pdf")}
    assert (await send(client, url(event, team), {"title": "T"}, files=files)).status_code == 303

    page = text_of((await client.get(f"{url(event, team)}?lang={lang}")).text)
    refused = await send(
        client,
        f"{url(event, team)}?lang={lang}",
        {"title": "T"},
        files={"attachments": ("a.exe", b"MZ\x90\x00", "application/pdf")},
    )

    assert size in page
    assert limit in page
    assert kinds in text_of(refused.text)
    if lang == "ar":
        assert " B)" not in page and " MB" not in page
