"""A judge reads an entry's files for as long as they may read the entry: while the round is
open, once it is closed and once its results are published, through the scoring page's links
and through the file route alike; a judge who may not read the entry gets no link and no file
(issue 11, item 5)."""

from __future__ import annotations

import re

from core.storage import StoredFile, upload_dir
from judging.enums import ConflictKind, ConflictOrigin, RoundState
from judging.models import Conflict, Judge, Round
from tests.events.factories import text_of
from tests.events.test_blind_file_names import a_judged_file
from tests.factories import sign_in
from tests.judging.factories import judge

FILE_LINK = re.compile(r'href="(?:http://testserver)?(/(?:judging/entries/\d+/)?files/[^"]*)"')


async def set_state(entry, state: RoundState) -> None:  # noqa: ANN001
    await Round.filter(id=entry.round_id).update(state=state)


async def test_every_attachment_link_opens_while_and_after_the_round_runs(client, settings):
    entry, user = await a_judged_file(settings, blind=False)
    stored = await StoredFile.get()
    await sign_in(client, user)
    for state in (RoundState.OPEN, RoundState.CLOSED, RoundState.PUBLISHED):
        await set_state(entry, state)
        page = await client.get(f"/judging/entries/{entry.id}")
        assert page.status_code == 200, state
        links = FILE_LINK.findall(page.text)
        assert links == [f"/judging/entries/{entry.id}/files/1"], state
        for link in links:
            download = await client.get(link)
            assert download.status_code == 200, (state, link)
            assert download.content == b"%PDF-1.4 team Ayn"
        # the events' own file route follows the same rule
        assert (await client.get(f"/files/{stored.id}")).status_code == 200, state


async def test_a_file_missing_from_storage_is_named_without_a_link(client, settings):
    entry, user = await a_judged_file(settings, blind=False)
    stored = await StoredFile.get()
    (upload_dir(settings) / stored.key).unlink()
    await set_state(entry, RoundState.CLOSED)
    await sign_in(client, user)
    page = await client.get(f"/judging/entries/{entry.id}")
    assert FILE_LINK.findall(page.text) == []
    assert "mediathon-2026-ayn.pdf (missing from storage: tell the organizers)" in text_of(
        page.text
    )
    assert (await client.get(f"/judging/entries/{entry.id}/files/1")).status_code == 404
    page = await client.get(f"/judging/entries/{entry.id}?lang=ar")
    assert "الملف غير موجود في التخزين: أبلغ المنظّمين" in text_of(page.text)


async def test_a_judge_who_may_not_read_the_entry_gets_no_file(client, settings):
    entry, user = await a_judged_file(settings, blind=False)
    stored = await StoredFile.get()
    round_ = await Round.get(id=entry.round_id)
    await set_state(entry, RoundState.PUBLISHED)
    # a judge of the same event who is not assigned to this entry
    stranger = await judge(scope_id=round_.scope_id, language="en")
    # the assigned judge, once they declare a conflict with the entry
    seat = await Judge.get(user_id=user.id)
    await Conflict.create(
        judge=seat,
        scope_type=round_.scope_type,
        scope_id=round_.scope_id,
        kind=ConflictKind.ENTRY,
        value=str(entry.source_id),
        origin=ConflictOrigin.DECLARED,
    )
    for person in (await stranger.user, user):
        client.cookies.clear()
        await sign_in(client, person)
        page = await client.get(f"/judging/entries/{entry.id}")
        assert page.status_code == 404
        assert FILE_LINK.findall(page.text) == []
        assert (await client.get(f"/judging/entries/{entry.id}/files/1")).status_code == 404
        assert (await client.get(f"/files/{stored.id}")).status_code in (403, 404)
