"""In a blind round a judge sees and downloads an entry's files named by entry and position,
never by the team's own file name (issue 13, item 11)."""

from __future__ import annotations

from core.storage import StoredFile, upload_dir
from events.services.entry_source import SubmissionSource
from judging.enums import RoundState
from judging.models import Assignment, Entry
from judging.services import entries
from tests.events.factories import make_event, make_team, text_of
from tests.events.services.test_entry_source import submit
from tests.factories import make_user, sign_in
from tests.judging.factories import judge, make_round


async def a_judged_file(settings, *, blind: bool):  # noqa: ANN001, ANN201
    event = await make_event(phase="submission")
    team = await make_team(event, await make_user(), name="Ayn")
    saved = await submit(event, team, await team.captain)
    stored = await StoredFile.get()
    await StoredFile.filter(id=stored.id).update(original_name="mediathon-2026-ayn.pdf")
    upload_dir(settings).mkdir(parents=True, exist_ok=True)
    (upload_dir(settings) / stored.key).write_bytes(b"%PDF-1.4 team Ayn")
    round_ = await make_round(event.id, k=1, blind=blind)
    seat = await judge(scope_id=event.id, language="en", email="judge@jury.example")
    admin = await make_user(admin=True)
    await entries.refresh_entries(admin, round_, SubmissionSource())
    entry = await Entry.get(round=round_, source_id=saved.submission.id)
    await Assignment.create(round=round_, entry=entry, judge=seat)
    round_.state = RoundState.OPEN
    await round_.save()
    return entry, await seat.user


async def test_a_blind_round_names_files_by_entry_and_position(client, settings):
    entry, user = await a_judged_file(settings, blind=True)
    await sign_in(client, user)
    page = await client.get(f"/judging/entries/{entry.id}")
    assert page.status_code == 200, text_of(page.text)
    name = f"entry-{entry.id}-attachment-1.pdf"
    assert name in text_of(page.text)
    assert "mediathon-2026-ayn" not in page.text
    link = f'href="http://testserver/judging/entries/{entry.id}/files/1">{name}</a>'
    assert link in page.text
    download = await client.get(f"/judging/entries/{entry.id}/files/1")
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 team Ayn"
    assert download.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert (await client.get(f"/judging/entries/{entry.id}/files/2")).status_code == 404


async def test_an_open_round_keeps_the_teams_file_name(client, settings):
    entry, user = await a_judged_file(settings, blind=False)
    await sign_in(client, user)
    page = await client.get(f"/judging/entries/{entry.id}")
    assert "mediathon-2026-ayn.pdf" in text_of(page.text)
    download = await client.get(f"/judging/entries/{entry.id}/files/1")
    assert download.headers["content-disposition"] == (
        'attachment; filename="mediathon-2026-ayn.pdf"'
    )


async def test_someone_not_judging_the_entry_gets_no_file(client, settings):
    entry, _user = await a_judged_file(settings, blind=True)
    await sign_in(client, await make_user())
    assert (await client.get(f"/judging/entries/{entry.id}/files/1")).status_code == 404
