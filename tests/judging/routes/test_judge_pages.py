"""The judge's queue and scoring form."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from core import clock
from core.audit import AuditEntry
from judging.enums import ConflictKind, ConflictOrigin, JudgeState, RoundState, SheetState
from judging.models import Assignment, Entry, ScoreSheet
from judging.services import entries, queues
from tests.factories import make_user, sign_in
from tests.judging.factories import (
    conflict,
    follow,
    judge,
    make_round,
    page_text,
    post,
    ready_round,
)
from tests.judging.sources import OTHER_SCOPE_ID, SCOPE_ID, candidate

FULL = {
    "score_c1": "4",
    "score_c2": "7.5",
    "score_c3": "2",
    "comment_for_team": "Clear story",
    "note_for_organizers": "Budget looks thin",
    "version": "0",
}


async def english_judge(seat):  # noqa: ANN001, ANN201
    user = await seat.user
    user.language = "en"
    await user.save()
    return user


async def first_entry(seat) -> Entry:  # noqa: ANN001
    row = await Assignment.filter(judge=seat).select_related("entry").order_by("id").first()
    return row.entry


async def test_the_queue_shows_progress_deadline_and_a_personal_order(client, source):
    ends = dt.datetime(2026, 12, 10, 15, 0, tzinfo=dt.UTC)
    round_, seats = await ready_round(source, judges=2, k=2, ends_at=ends)
    await sign_in(client, await english_judge(seats[0]))
    text = page_text((await client.get("/judging/queue")).text)
    assert "Mediathon 2026 · First round" in text
    assert "0 of 6 submitted" in text
    assert "Deadline: 10 December 2026, 18:00" in text
    titles = re.findall(r"Initiative \d+", text)
    expected = sorted(
        (await Entry.filter(round=round_)),
        key=lambda e: queues.queue_order(seats[0].id, round_.id, e.id),
    )
    assert titles == [e.title_en for e in expected]
    other = sorted(expected, key=lambda e: queues.queue_order(seats[1].id, round_.id, e.id))
    assert [e.id for e in other] != [e.id for e in expected]  # each judge has their own order
    entry = expected[0]
    await post(client, f"/judging/entries/{entry.id}", {**FULL, "action": "submit"})
    assert "1 of 6 submitted" in page_text((await client.get("/judging/queue")).text)


async def test_the_queue_lists_started_rounds_and_every_seat_in_both_languages(client, source):
    """What the queue reads in one statement (queues.QUEUE): rounds with work by deadline, a
    draft round's assignments left out, a closed round's notice and every accepted seat with
    its conflicts page, a declined one not; Arabic titles on the Arabic page."""
    late = dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)
    round_, seats = await ready_round(source, judges=2, k=2, ends_at=late)
    user = await english_judge(seats[0])
    admin = await make_user(admin=True)
    draft = await make_round(SCOPE_ID, name_en="Draft round")
    await entries.refresh_entries(admin, draft, source)
    await Assignment.create(
        round=draft, entry=await Entry.filter(round=draft).first(), judge=seats[0]
    )
    closed = await make_round(OTHER_SCOPE_ID, name_en="Earlier round")
    source.add(OTHER_SCOPE_ID, candidate(301))
    await entries.refresh_entries(admin, closed, source)
    closed.state = RoundState.CLOSED
    await closed.save()
    other_seat = await judge(user=user, scope_id=OTHER_SCOPE_ID)
    closed_entry = await Entry.get(round=closed)
    await Assignment.create(round=closed, entry=closed_entry, judge=other_seat)
    await judge(user=user, scope_id=3, state=JudgeState.DECLINED)
    await sign_in(client, user)
    html = (await client.get("/judging/queue")).text
    text = page_text(html)
    assert "Draft round" not in text
    # the closed round has no deadline and comes after the one ending in December
    assert text.index("Mediathon 2026 · First round") < text.index("Mediathon 2025 · Earlier round")
    assert "Deadline: 20 December 2026, 12:00" in text
    assert "0 of 1 submitted" in text and "0 of 6 submitted" in text
    assert text.count("This round is closed: you can read your scores") == 1
    assert f'href="http://testserver/judging/entries/{closed_entry.id}"' in html
    assert "Initiative 301 · Team 301 — Not started" in text
    assert text.endswith(
        "Competitions you judge Mediathon 2026 · Declare a conflict of interest "
        "Mediathon 2025 · Declare a conflict of interest"
    )
    assert "/judging/event/2/my-conflicts" in html and "/judging/event/3/" not in html
    assert '<bdi dir="auto" lang="en">Mediathon 2025</bdi>' in html
    user.language = "ar"
    await user.save()
    html = (await client.get("/judging/queue?lang=ar")).text
    assert '<bdi dir="auto" lang="ar">ميدياثون 2025</bdi>' in html
    assert '<bdi dir="auto" lang="ar">مبادرة 301</bdi>' in html


async def test_the_queue_shows_at_once_what_changed_since_the_last_visit(client, source):
    """Each round's section is kept by every value it shows (judging.views): a renamed entry,
    a round made blind, a round closed by the clock (no write at all) and the other language
    each show on the very next visit."""
    ends = clock.now() + dt.timedelta(hours=1)
    round_, seats = await ready_round(source, judges=2, k=2, ends_at=ends)
    entry = await first_entry(seats[0])
    await sign_in(client, await english_judge(seats[0]))
    text = page_text((await client.get("/judging/queue")).text)
    assert "Deadline:" in text and "This round is closed" not in text
    assert f"{entry.title_en} · {entry.team_label} — Not started" in text
    entry.title_en = "A renamed initiative"
    await entry.save()
    round_.blind = True
    await round_.save()
    text = page_text((await client.get("/judging/queue")).text)
    assert "A renamed initiative — Not started" in text and entry.team_label not in text
    clock.travel(dt.timedelta(hours=2))
    text = page_text((await client.get("/judging/queue")).text)
    assert "This round is closed: you can read your scores but no longer change them." in text
    assert "Deadline:" not in text
    text = page_text((await client.get("/judging/queue?lang=ar")).text)
    assert "هذه الجولة مغلقة" in text and "This round is closed" not in text


async def test_a_judge_without_work_reads_that_nothing_waits(client, source):
    await sign_in(client, await english_judge(await judge(language="en")))
    text = page_text((await client.get("/judging/queue")).text)
    assert "Nothing to judge right now." in text
    assert "Competitions you judge Mediathon 2026 · Declare a conflict of interest" in text


async def test_conflicted_entries_never_appear_in_the_queue(client, source):
    _round, seats = await ready_round(source, judges=2, k=2)
    await conflict(seats[0], ConflictKind.ORGANIZATION, "team101.org", ConflictOrigin.DETECTED)
    await sign_in(client, await english_judge(seats[0]))
    text = page_text((await client.get("/judging/queue")).text)
    assert "0 of 5 submitted" in text
    assert "Initiative 101" not in text and "Initiative 102" in text


async def test_a_conflict_found_after_a_visit_takes_the_entry_off_the_next_one(client, source):
    """The page is kept by its read (judging.views.SHOWN_QUEUES): a conflict detected after
    the judge's visit, which changes only the conflicts part of the read, shows on the next
    visit, and the entry comes back when the conflict is set aside."""
    _round, seats = await ready_round(source, judges=2, k=2)
    await sign_in(client, await english_judge(seats[0]))
    text = page_text((await client.get("/judging/queue")).text)
    assert "Initiative 101" in text and "0 of 6 submitted" in text
    found = await conflict(seats[0], ConflictKind.ORGANIZATION, "team101.org")
    text = page_text((await client.get("/judging/queue")).text)
    assert "Initiative 101" not in text and "0 of 5 submitted" in text
    found.active = False
    await found.save()
    text = page_text((await client.get("/judging/queue")).text)
    assert "Initiative 101" in text and "0 of 6 submitted" in text


async def test_the_scoring_form_shows_guidance_and_the_entry(client, source):
    round_, seats = await ready_round(source)
    entry = await first_entry(seats[0])
    await sign_in(client, await english_judge(seats[0]))
    text = page_text((await client.get(f"/judging/entries/{entry.id}")).text)
    assert f"Summary of {entry.title_en}" in text
    assert f"Team {entry.team_label}" in text
    assert "Story How clear the idea is 5 Excellent 1 Weak Score from 1 to 5 · step 1" in text
    assert "Originality not counted in the total" in text
    assert "Weighted total (out of 100): —" in text
    assert source.blind_requests == [False]


async def test_a_blind_round_hides_the_team(client, source):
    _round, seats = await ready_round(source, blind=True)
    entry = await first_entry(seats[0])
    await sign_in(client, await english_judge(seats[0]))
    text = page_text((await client.get(f"/judging/entries/{entry.id}")).text)
    assert "Blind round: the team and its members are not shown." in text
    assert entry.team_label not in text and "Captain" not in text
    assert entry.team_label not in page_text((await client.get("/judging/queue")).text)
    assert source.blind_requests == [True]


async def test_save_a_draft_then_submit_then_revise(client, source):
    _round, seats = await ready_round(source)
    entry = await first_entry(seats[0])
    await sign_in(client, await english_judge(seats[0]))
    url = f"/judging/entries/{entry.id}"
    page = await follow(
        client, await post(client, url, {"score_c1": "٣", "version": "0", "action": "draft"})
    )
    text = page_text(page.text)
    assert "Your draft has been saved." in text
    assert 'value="3"' in page.text and 'name="version" value="1"' in page.text
    page = await follow(
        client, await post(client, url, {**FULL, "version": "1", "action": "submit"})
    )
    text = page_text(page.text)
    assert "Your scores have been submitted." in text
    assert "Weighted total (out of 100): 75.0" in text
    assert "Submit changes" in text and "Save draft" not in text
    page = await follow(
        client,
        await post(client, url, {**FULL, "score_c1": "5", "version": "2", "action": "submit"}),
    )
    assert "Weighted total (out of 100): 91.7" in page_text(page.text)
    sheet = await ScoreSheet.get(assignment__entry_id=entry.id, assignment__judge_id=seats[0].id)
    assert (sheet.state, sheet.version, sheet.scores) == (
        SheetState.SUBMITTED,
        3,
        {"c1": 5, "c2": 7.5, "c3": 2},
    )
    entries = await AuditEntry.filter(object_type="ScoreSheet").order_by("id")
    assert [e.action for e in entries] == [
        "judging.score_saved",
        "judging.score_submitted",
        "judging.score_submitted",
    ]
    last = entries[-1]
    assert (last.object_id, last.actor_id) == (str(sheet.id), (await seats[0].user).id)
    assert last.before == {
        "scores": {"c1": 4, "c2": 7.5, "c3": 2},
        "total": 75.0,
        "state": "submitted",
        "version": 2,
    }
    assert last.after == {
        "scores": {"c1": 5, "c2": 7.5, "c3": 2},
        "total": pytest.approx(91.67, abs=0.01),
        "state": "submitted",
        "version": 3,
    }


async def test_saving_and_submitting_say_each_thing_once(client, source):
    _round, seats = await ready_round(source)
    entry = await first_entry(seats[0])
    await sign_in(client, await english_judge(seats[0]))
    url = f"/judging/entries/{entry.id}"
    page = await follow(client, await post(client, url, {**FULL, "action": "draft"}))
    text = page_text(page.text)
    assert text.count("Your draft has been saved.") == 1
    assert text.count("saved") == 1 and text.count("draft:") == 1
    page = await follow(
        client, await post(client, url, {**FULL, "version": "1", "action": "submit"})
    )
    text = page_text(page.text)
    assert text.count("Your scores have been submitted.") == 1
    assert text.count("You can revise") == 1 and text.count("until the round closes") == 1
    page = await follow(
        client, await post(client, url, {**FULL, "version": "2", "action": "submit"})
    )
    text = page_text(page.text)
    assert text.count("submitted") == 1 and text.count("You can revise") == 1
    page = await client.get(url)  # a later visit still says how things stand
    text = page_text(page.text)
    assert "Submitted on" in text and text.count("You can revise") == 1


async def test_bad_scores_come_back_with_a_message_and_the_input(client, source):
    _round, seats = await ready_round(source)
    entry = await first_entry(seats[0])
    await sign_in(client, await english_judge(seats[0]))
    url = f"/judging/entries/{entry.id}"
    response = await post(
        client,
        url,
        {**FULL, "score_c1": "9", "score_c2": "7.3", "score_c3": "abc", "action": "submit"},
    )
    assert response.status_code == 422
    text = page_text(response.text)
    assert "Please correct 3 fields below." in text
    assert "Enter a number, like 4 or 7.5." in text
    assert "Enter a score from 1 to 5." in text
    assert "Scores for this criterion go in steps of 0.5 from 0." in text
    assert 'value="9"' in response.text and 'value="7.3"' in response.text
    assert 'value="abc"' in response.text and "Clear story" in response.text
    response = await post(
        client, url, {**FULL, "score_c1": "9", "score_c2": "7.3", "action": "submit"}
    )
    text = page_text(response.text)
    assert "Enter a score from 1 to 5." in text
    assert "Scores for this criterion go in steps of 0.5 from 0." in text
    response = await post(client, url, {**FULL, "score_c3": "", "action": "submit"})
    assert "Give a score for this criterion before submitting." in page_text(response.text)
    assert not await ScoreSheet.exists()


async def test_every_bad_score_is_reported_at_once_in_each_language(client, source):
    _round, seats = await ready_round(source)
    entry = await first_entry(seats[0])
    user = await seats[0].user
    url = f"/judging/entries/{entry.id}"
    bad = {**FULL, "score_c1": "7", "score_c2": "3.3", "score_c3": "abc"}
    expected = {
        "en": (
            "Please correct 3 fields below.",
            "Enter a score from 1 to 5.",
            "Scores for this criterion go in steps of 0.5 from 0.",
            "Enter a number, like 4 or 7.5.",
        ),
        "ar": (
            "يرجى تصحيح 3 حقول أدناه.",
            "أدخل درجة من 1 إلى 5.",
            "درجات هذا المعيار تتدرّج بمقدار 0.5 بدءًا من 0.",
            "أدخل رقمًا، مثل 4 أو 7.5.",
        ),
    }
    for lang, messages in expected.items():
        user.language = lang
        await user.save()
        client.cookies.clear()
        await sign_in(client, user)
        for action in ("draft", "submit"):
            response = await post(client, url, {**bad, "action": action})
            assert response.status_code == 422
            errors = re.findall(r'<p class="error" id="e-score_(c\d)">(.*?)</p>', response.text)
            assert [key for key, _message in errors] == ["c1", "c2", "c3"]
            text = page_text(response.text)
            for message in messages:
                assert message in text, (lang, message)
            for typed in ("7", "3.3", "abc"):
                assert f'value="{typed}"' in response.text
    assert not await ScoreSheet.exists()
    assert not await AuditEntry.filter(object_type="ScoreSheet").exists()


async def test_two_tabs_keep_the_submitted_sheet(client, source):
    _round, seats = await ready_round(source)
    entry = await first_entry(seats[0])
    await sign_in(client, await english_judge(seats[0]))
    url = f"/judging/entries/{entry.id}"
    # both tabs opened the empty sheet (version 0); the first one submits
    await post(client, url, {**FULL, "action": "submit"})
    response = await post(
        client,
        url,
        {"score_c1": "1", "comment_for_team": "Stale", "version": "0", "action": "draft"},
    )
    assert response.status_code == 409
    text = page_text(response.text)
    assert (
        "This score sheet was saved in another tab or window after you opened it. Nothing "
        "was changed: the newer version is shown below."
    ) in text
    assert "Clear story" in response.text and "Stale" not in response.text
    assert 'name="version" value="1"' in response.text
    sheet = await ScoreSheet.get()
    assert (sheet.state, sheet.scores["c1"], sheet.comment_for_team) == (
        SheetState.SUBMITTED,
        4,
        "Clear story",
    )


async def test_two_tabs_saving_at_the_same_moment_keep_exactly_one(client, source):
    """Both tabs show version 1 and send at once (on SQLite they share one group commit):
    one save is kept, the other is refused whole, and the audit log has only the kept one."""
    import asyncio

    from tests.conftest import csrf

    _round, seats = await ready_round(source)
    entry = await first_entry(seats[0])
    await sign_in(client, await english_judge(seats[0]))
    url = f"/judging/entries/{entry.id}"
    await post(client, url, {**FULL, "action": "draft"})
    token = await csrf(client, "/login")
    saved_before = await AuditEntry.filter(action="judging.score_submitted").count()
    tabs = [
        {
            **FULL,
            "csrf_token": token,
            "version": "1",
            "action": "submit",
            "comment_for_team": f"From tab {n}",
        }
        for n in (1, 2)
    ]
    answers = await asyncio.gather(*(client.post(url, data=tab) for tab in tabs))
    assert sorted(a.status_code for a in answers) == [303, 409]
    kept = next(n for n, a in zip((1, 2), answers, strict=True) if a.status_code == 303)
    sheet = await ScoreSheet.get()
    assert (sheet.version, sheet.state, sheet.comment_for_team) == (
        2,
        SheetState.SUBMITTED,
        f"From tab {kept}",
    )
    assert await AuditEntry.filter(action="judging.score_submitted").count() == saved_before + 1
    refused = next(a for a in answers if a.status_code == 409)
    assert f"From tab {kept}" in refused.text  # the newer sheet is shown to the other tab


async def test_after_the_round_closes_scores_are_read_only(client, source):
    ends = clock.now() + dt.timedelta(hours=1)
    _round, seats = await ready_round(source, ends_at=ends)
    entry = await first_entry(seats[0])
    await sign_in(client, await english_judge(seats[0]))
    url = f"/judging/entries/{entry.id}"
    await post(client, url, {**FULL, "action": "submit"})
    clock.travel(dt.timedelta(hours=2))
    page = await client.get(url)
    assert "This round is closed: scores can no longer be changed." in page_text(page.text)
    assert "Submit changes" not in page_text(page.text) and " disabled" in page.text
    response = await post(
        client, url, {**FULL, "score_c1": "1", "version": "1", "action": "submit"}
    )
    assert response.status_code == 409
    assert (await ScoreSheet.get()).scores["c1"] == 4


async def test_unassigned_and_conflicted_entries_are_not_found(client, source):
    round_, seats = await ready_round(source)
    mine = {a.entry_id for a in await Assignment.filter(judge=seats[0])}
    other = next(e for e in await Entry.filter(round=round_) if e.id not in mine)
    await sign_in(client, await english_judge(seats[0]))
    response = await post(client, f"/judging/entries/{other.id}", {**FULL, "action": "submit"})
    assert response.status_code == 404
    assert "This entry is not assigned to you." in page_text(response.text)
    entry = await first_entry(seats[0])
    await conflict(seats[0], ConflictKind.ENTRY, str(entry.source_id), ConflictOrigin.ORGANIZER)
    response = await client.get(f"/judging/entries/{entry.id}")
    assert response.status_code == 404
    assert "You have a conflict of interest with this entry" in page_text(response.text)
    assert not await ScoreSheet.exists()


async def test_a_judge_never_sees_another_judges_scores(client, source):
    _round, seats = await ready_round(source, judges=2, k=2)
    entry = await first_entry(seats[0])
    first = await english_judge(seats[0])
    await sign_in(client, first)
    await post(
        client,
        f"/judging/entries/{entry.id}",
        {
            **FULL,
            "comment_for_team": "Secret comment one",
            "note_for_organizers": "Private one",
            "action": "submit",
        },
    )
    client.cookies.clear()
    await sign_in(client, await english_judge(seats[1]))
    page = await client.get(f"/judging/entries/{entry.id}")
    text = page_text(page.text)
    assert "Secret comment one" not in text and "Private one" not in text
    assert "75.0" not in text and "Weighted total (out of 100): —" in text
    assert first.email not in page.text


async def test_the_scoring_form_in_arabic(client, source):
    _round, seats = await ready_round(source)
    entry = await first_entry(seats[0])
    user = await seats[0].user
    user.language = "ar"
    await user.save()
    await sign_in(client, user)
    url = f"/judging/entries/{entry.id}"
    page = await client.get(url)
    assert '<html lang="ar" dir="rtl">' in page.text
    text = page_text(page.text)
    assert "القصة وضوح الفكرة 5 ممتاز 1 ضعيف الدرجة من 1 إلى 5 · بتدرّج 1" in text
    assert "المجموع المرجّح (من 100): —" in text
    response = await post(client, url, {**FULL, "score_c1": "٧", "action": "submit"})
    assert response.status_code == 422
    assert "أدخل درجة من 1 إلى 5." in page_text(response.text)
    page = await follow(client, await post(client, url, {**FULL, "action": "submit"}))
    assert page_text(page.text).count("أُرسلت درجاتك.") == 1


async def test_the_scoring_page_has_no_inline_script(client, source):
    _round, seats = await ready_round(source)
    entry = await first_entry(seats[0])
    await sign_in(client, await english_judge(seats[0]))
    page = await client.get(f"/judging/entries/{entry.id}")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts and all("/static/js/" in attrs and not body.strip() for attrs, body in scripts)
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'data-weight="2.0" data-min="1.0" data-max="5.0"' in page.text


async def test_the_queue_isolates_arabic_titles_and_team_names_on_english_pages(client, source):
    source.items[SCOPE_ID] = [
        replace(c, title_en="", team_label="فريق العين") for c in source.items[SCOPE_ID]
    ]
    round_, seats = await ready_round(source)
    await sign_in(client, await seats[0].user)
    html = (await client.get("/judging/queue?lang=en")).text
    assert '<bdi dir="auto" lang="ar">مبادرة 1' in html  # only in Arabic, and marked so
    assert '<bdi dir="auto">فريق العين</bdi>' in html
    assert '<bdi dir="auto" lang="en">Mediathon 2026</bdi>' in html
