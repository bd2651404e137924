"""The organizer's assignment and progress page."""

from __future__ import annotations

from collections import Counter

from core.audit import AuditEntry
from judging.enums import ConflictKind, ConflictOrigin, JudgeState, RoundState
from judging.models import Assignment, Entry, Judge
from judging.services import entries, sheets
from tests.factories import sign_in
from tests.judging.factories import (
    conflict,
    follow,
    judge,
    make_round,
    organizer,
    page_text,
    post,
    ready_round,
)
from tests.judging.sources import SCOPE_ID, standard_source


async def test_the_assign_button_gives_every_entry_its_judges(client, source):
    round_ = await make_round(k=2)
    await entries.refresh_entries(None, round_, source)
    for _ in range(4):
        await judge()
    await sign_in(client, await organizer(language="en"))
    base = f"/judging/event/1/rounds/{round_.id}/assignments"
    page = await follow(client, await post(client, base + "/auto"))
    text = page_text(page.text)
    assert "12 assignments added." in text
    assert "Scores submitted: 0 of 12" in text
    loads = Counter(await Assignment.filter(round=round_).values_list("judge_id", flat=True))
    assert sorted(loads.values()) == [3, 3, 3, 3]
    assert "needs" not in text


async def test_the_assign_button_says_when_judges_are_too_few(client):
    source = standard_source(2)
    round_ = await make_round(k=3)
    await entries.refresh_entries(None, round_, source)
    seats = [await judge(), await judge(), await judge()]
    await conflict(seats[2], ConflictKind.ENTRY, "101", ConflictOrigin.ORGANIZER)
    await sign_in(client, await organizer(language="en"))
    base = f"/judging/event/1/rounds/{round_.id}/assignments"
    page = await follow(client, await post(client, base + "/auto"))
    text = page_text(page.text)
    assert "5 assignments added." in text
    assert (
        "1 entry could not get 3 judges: there are too few judges without a conflict. "
        "Invite more judges or lower the number of judges per entry."
    ) in text
    assert "Initiative 101 needs 1 more judge" in text


async def test_assigning_with_nobody_to_assign_is_explained(client, source):
    round_ = await make_round()
    await sign_in(client, await organizer(language="en"))
    base = f"/judging/event/1/rounds/{round_.id}/assignments"
    response = await post(client, base + "/auto")
    assert response.status_code == 409
    assert "This round has no entries yet." in page_text(response.text)
    await entries.refresh_entries(None, round_, source)
    response = await post(client, base + "/auto")
    assert "No judge has accepted an invitation yet." in page_text(response.text)


async def test_assign_and_remove_by_hand(client, source):
    round_, seats = await ready_round(source, judges=3, k=1, state=RoundState.DRAFT)
    entry = await Entry.get(round=round_, source_id=101)
    panel = set(await Assignment.filter(entry=entry).values_list("judge_id", flat=True))
    extra = next(s for s in seats if s.id not in panel)
    await sign_in(client, await organizer(language="en"))
    base = f"/judging/event/1/rounds/{round_.id}/assignments"
    page = await follow(
        client,
        await post(client, base + "/add", {"entry_id": str(entry.id), "judge_id": str(extra.id)}),
    )
    assert "The judge has been assigned." in page_text(page.text)
    response = await post(
        client, base + "/add", {"entry_id": str(entry.id), "judge_id": str(extra.id)}
    )
    assert response.status_code == 409
    assert f"{extra.name} already judges this entry." in page_text(response.text)
    row = await Assignment.get(entry=entry, judge=extra)
    page = await follow(client, await post(client, f"{base}/{row.id}/remove"))
    assert "The assignment has been removed." in page_text(page.text)
    assert [e.action for e in await AuditEntry.filter(object_type="Assignment").order_by("id")] == [
        "judging.assignment_added",
        "judging.assignment_removed",
    ]


async def test_a_submitted_assignment_cannot_be_removed(client, source):
    round_, seats = await ready_round(source)
    row = await Assignment.filter(judge=seats[0]).first()
    user = await seats[0].user
    seen = await sheets.scoring_for(user, row.entry_id)
    await sheets.save_sheet(
        user, seen, scores={"c1": 1, "c2": 1, "c3": 1}, comment="", note="", version=0, submit=True
    )
    await sign_in(client, await organizer(language="en"))
    base = f"/judging/event/1/rounds/{round_.id}/assignments"
    response = await post(client, f"{base}/{row.id}/remove")
    assert response.status_code == 409
    assert "has already submitted a score for this entry; it cannot be taken away." in (
        page_text(response.text)
    )
    assert await Assignment.filter(id=row.id).exists()


async def test_progress_per_judge_and_per_entry(client, source):
    round_, seats = await ready_round(source, judges=2, k=2)
    user = await seats[0].user
    rows = await Assignment.filter(judge=seats[0]).order_by("id")
    seen = await sheets.scoring_for(user, rows[0].entry_id)
    await sheets.save_sheet(
        user, seen, scores={"c1": 1, "c2": 1, "c3": 1}, comment="", note="", version=0, submit=True
    )
    seen = await sheets.scoring_for(user, rows[1].entry_id)
    await sheets.save_sheet(
        user, seen, scores={"c1": 1}, comment="", note="", version=0, submit=False
    )
    await sign_in(client, await organizer(language="en"))
    text = page_text((await client.get(f"/judging/event/1/rounds/{round_.id}/assignments")).text)
    assert f"{seats[0].name} Accepted 6 1 1" in text
    assert f"{seats[1].name} Accepted 6 0 0" in text
    assert "Scores submitted: 1 of 12" in text
    assert f"{seats[0].name} · Submitted" in text and f"{seats[0].name} · Draft" in text


async def test_judges_appear_by_their_own_name_in_the_page_language(client, source):
    """A judge who accepted is shown by their profile name, Arabic on Arabic pages and English
    on English ones; one still invited, by the name the organizer gave."""
    round_, seats = await ready_round(source, judges=2, k=2)
    user = await seats[0].user
    user.name_ar, user.name_en = "نورة الشامسي", "Noura Al Shamsi"
    await user.save()
    seats[0].name = "Dr Noura"  # typed by the organizer when inviting
    await seats[0].save()
    await Judge.create(
        scope_type="event",
        scope_id=SCOPE_ID,
        email="expert@example.org",
        name="خبير مدعو",
        token_hash="0" * 64,
    )  # invited, no account yet
    lead = await organizer(language="ar")
    await sign_in(client, lead)
    url = f"/judging/event/1/rounds/{round_.id}/assignments"
    arabic = page_text((await client.get(url)).text)
    judges_page = page_text((await client.get("/judging/event/1/judges")).text)
    assert "نورة الشامسي" in arabic and "Noura Al Shamsi" not in arabic
    assert "Dr Noura" not in arabic
    assert "نورة الشامسي" in judges_page and "خبير مدعو" in judges_page
    lead.language = "en"
    await lead.save()
    english = page_text((await client.get(url)).text)
    assert "Noura Al Shamsi" in english and "نورة الشامسي" not in english


async def test_replacing_a_judge_from_the_page(client, source):
    round_, seats = await ready_round(source, judges=3, k=2)
    leaving = seats[0]
    count = await Assignment.filter(judge=leaving).count()
    await sign_in(client, await organizer(language="en"))
    base = f"/judging/event/1/rounds/{round_.id}/assignments"
    page = await follow(
        client, await post(client, base + "/replace", {"judge_id": str(leaving.id)})
    )
    assert f"{leaving.name} has been replaced: {count} entries moved to other judges." in page_text(
        page.text
    )
    assert not await Assignment.filter(judge=leaving).exists()
    assert (await Judge.get(id=leaving.id)).state == JudgeState.WITHDRAWN
    per_entry = Counter(await Assignment.filter(round=round_).values_list("entry_id", flat=True))
    assert set(per_entry.values()) == {2}
