"""The event's own submissions deadline governs its judging (issue 11, item 2): the events
entry source tells judging when submissions close, so an organizer cannot open scoring while
teams may still submit, unless they tick the audited override."""

from __future__ import annotations

import datetime as dt

import pytest

from core.audit import AuditEntry
from core.clock import now
from events.enums import SubmissionState
from events.models import Event, Submission, SubmissionVersion
from events.services.entry_source import SubmissionSource
from judging.enums import RoundState
from judging.models import Assignment, Entry, Round
from judging.services import entries
from tests.conftest import csrf
from tests.events.factories import make_event, make_team, text_of
from tests.events.services.test_entry_source import VALUES, submit
from tests.factories import make_user, sign_in
from tests.judging.factories import follow, judge, make_round, post

REFUSED = {"en": "Submissions are open until", "ar": "التقديم مفتوح حتى"}
RULE = {
    "en": "Scoring opens only after submissions close",
    "ar": "لا يُفتح التقييم إلا بعد إغلاق التقديم",
}


async def a_ready_round(event: Event) -> tuple[Round, object]:
    team = await make_team(event, await make_user(), name="Ayn")
    await submit(event, team, await team.captain)
    round_ = await make_round(event.id, k=1)
    seat = await judge(scope_id=event.id, language="en", email="judge@jury.example")
    organizer = await make_user(admin=True, language="en")
    await entries.refresh_entries(organizer, round_, SubmissionSource())
    await Assignment.create(round=round_, entry=await Entry.get(round=round_), judge=seat)
    return round_, organizer


async def test_the_source_gives_the_events_submissions_deadline(db):
    event = await make_event(phase="submission")
    assert await SubmissionSource().submissions_close(event.id) == event.submissions_close
    assert await SubmissionSource().submissions_close(event.id + 1000) is None


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_scoring_waits_for_the_events_submissions_to_close(client, lang):
    event = await make_event(phase="submission")
    round_, organizer = await a_ready_round(event)
    organizer.language = lang
    await organizer.save()
    await sign_in(client, organizer)
    url = f"/judging/event/{event.id}/rounds/{round_.id}"
    assert RULE[lang] in text_of((await client.get(url)).text)
    refused = await post(client, url + "/state", {"action": "open"})
    assert refused.status_code == 409
    assert REFUSED[lang] in text_of(refused.text)
    assert (await Round.get(id=round_.id)).state == RoundState.DRAFT
    opened = await follow(
        client, await post(client, url + "/state", {"action": "open", "early": "1"})
    )
    assert opened.status_code == 200
    assert (await Round.get(id=round_.id)).state == RoundState.OPEN
    audit = await AuditEntry.get(action="judging.round_open", object_id=str(round_.id))
    assert audit.after["opened_before_submissions_close"] == event.submissions_close.isoformat()


async def test_after_the_deadline_scoring_opens_without_override(client):
    event = await make_event(phase="submission")
    round_, organizer = await a_ready_round(event)
    await Event.filter(id=event.id).update(submissions_close=now() - dt.timedelta(minutes=1))
    await sign_in(client, organizer)
    url = f"/judging/event/{event.id}/rounds/{round_.id}"
    await follow(client, await post(client, url + "/state", {"action": "open"}))
    assert (await Round.get(id=round_.id)).state == RoundState.OPEN


FROZEN = {
    "en": "Judging has begun: submissions are frozen at the version the judges read. "
    "Nothing was changed.",
    "ar": "بدأ التحكيم: جُمِّدت المشاركات عند النسخة التي يقرؤها المحكّمون. لم يُغيَّر شيء.",
}

FROZEN_NOTE = {
    "en": "Judging has begun: your submission is frozen at the version the judges read.",
    "ar": "بدأ التحكيم: جُمِّدت مشاركتكم عند النسخة التي يقرؤها المحكّمون.",
}


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_once_scoring_opens_submissions_are_frozen(client, lang):
    event = await make_event(phase="submission")
    captain = await make_user(language=lang)
    team = await make_team(event, captain, name="Ayn")
    saved = await submit(event, team, captain, title="Version one")
    round_ = await make_round(event.id, k=1)
    await entries.refresh_entries(await make_user(admin=True), round_, SubmissionSource())
    round_.state = RoundState.OPEN  # opened early, with the organizer's override
    await round_.save()

    await sign_in(client, captain)
    page = f"/events/{event.slug}/teams/{team.id}"
    shown = text_of((await client.get(page)).text)
    assert FROZEN_NOTE[lang] in shown  # the team sees why, and no action it may not take
    assert page + "/submission/withdraw" not in (await client.get(page)).text
    form = text_of((await client.get(page + "/submission")).text)
    assert FROZEN_NOTE[lang] in form
    token = await csrf(client, page)
    changed = await client.post(
        page + "/submission",
        data={"csrf_token": token, **VALUES, "title": "Version two", "action": "submit"},
        files={"attachments": ("", b"", "")},
    )
    assert changed.status_code == 409
    assert FROZEN[lang] in text_of(changed.text)
    withdrawn = await client.post(page + "/submission/withdraw", data={"csrf_token": token})
    assert withdrawn.status_code == 409
    assert FROZEN[lang] in text_of(withdrawn.text)
    submission = await Submission.get(id=saved.submission.id)
    assert (submission.state, submission.version_count) == (SubmissionState.SUBMITTED, 1)
    assert await SubmissionVersion.filter(submission=submission).count() == 1
    detail = await SubmissionSource().detail(submission.id, blind=True)
    assert detail.fields[0][1] == "Version one"
