"""The organizer's results: methods side by side, ties, shortlist, winners, publishing, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from core import clock
from core.audit import AuditEntry
from core.i18n import format_datetime, gettext, use_locale
from judging.enums import EntryRule, Method, RoundState
from judging.models import Assignment, Entry, Mark, Round, TieDecision
from judging.services import assignments, entries, sheets
from judging.services import results as results_service
from tests.conftest import body
from tests.factories import sign_in
from tests.judging.factories import (
    follow,
    judge,
    make_round,
    organizer,
    page_text,
    post,
    ready_round,
    score_everything,
)
from tests.judging.sources import standard_source


async def closed_round(source, **fields):  # noqa: ANN001, ANN003, ANN201
    round_, seats = await ready_round(source, **fields)
    await score_everything(round_, seats)
    round_.state = RoundState.CLOSED
    await round_.save()
    return round_, seats


def base(round_: Round) -> str:
    return f"/judging/event/1/rounds/{round_.id}/results"


async def test_the_ranking_under_every_method_with_leniency_and_disagreement(client, source):
    round_, seats = await ready_round(source, judges=4, k=2, spread_threshold=5)
    await score_everything(round_, seats, lenient=3)
    await sign_in(client, await organizer(language="en"))
    page = await client.get(base(round_))
    text = page_text(page.text)
    for name in ("Mean", "Median", "Trimmed mean", "Z-score calibration", "Judge-leniency model"):
        assert name in text
    assert "Leniency of each judge" in text
    lenient = seats[0].name  # the English profile name, as the builder names seats
    assert f"{lenient} 3 " in text  # three scores each
    flagged = page.text.count('class="disagreement"')
    assert flagged == await Assignment.filter(judge=seats[0]).count()
    assert "judges disagree" in text
    results = await results_service.round_results(round_)
    leniency = {row.judge.id: row.leniency for row in results.leniency}
    assert leniency[seats[0].id] > 0 > min(leniency.values())


async def test_no_figure_beyond_the_scale_of_100(client, source):
    """The harsh judge gives 50 where the other gives 100, and alone gives entry 101 full
    marks: the leniency model estimates it at 125, and the page shows 100.0 and says why."""
    round_, seats = await ready_round(source, judges=2, k=2, method=Method.LENIENCY)
    alone = await Entry.get(round=round_, source_id=101)
    await Assignment.filter(entry=alone, judge=seats[1]).delete()
    for seat, marks in ((seats[0], {"c1": 3, "c2": 5}), (seats[1], {"c1": 5, "c2": 10})):
        user = await seat.user
        for row in await Assignment.filter(judge=seat).select_related("entry"):
            full = row.entry_id == alone.id
            seen = await sheets.scoring_for(user, row.entry_id)
            await sheets.save_sheet(
                user,
                seen,
                scores={"c1": 5, "c2": 10, "c3": 3} if full else {**marks, "c3": 3},
                comment="",
                note="",
                version=0,
                submit=True,
            )
    round_.state = RoundState.CLOSED
    await round_.save()
    user = await organizer(language="en")
    notes = {
        "en": "The model placed this entry beyond the scale of 0 to 100",
        "ar": "قدّر النموذج هذه المشاركة خارج المقياس من 0 إلى 100",
    }
    for lang, note in notes.items():
        user.language = lang
        await user.save()
        client.cookies.clear()
        await sign_in(client, user)
        page = await client.get(base(round_))
        ranking = page.text.split('data-testid="ranking"')[1].split("</table>")[0]
        figures = [float(f) for f in re.findall(r'<span dir="ltr">(-?\d+\.\d)</span>', ranking)]
        assert figures and max(figures) == 100.0 and min(figures) >= 0.0
        # the estimate itself appears nowhere (a judge may well be named "User 2125")
        assert not re.search(r"(?<![\w.])125(\.\d+)?(?![\w.])", page_text(ranking))
        assert page.text.count('data-testid="off-scale"') >= 1
        assert note in page_text(page.text)


async def test_the_organizer_picks_the_method(client, source):
    round_, _seats = await ready_round(source)
    await sign_in(client, await organizer(language="en"))
    page = await follow(client, await post(client, base(round_) + "/method", {"method": "zscore"}))
    assert "The method for this round has been saved." in page_text(page.text)
    assert (await Round.get(id=round_.id)).method == Method.ZSCORE
    assert '<option value="zscore" selected>' in page.text
    audit = await AuditEntry.get(action="judging.method_set")
    assert (audit.before, audit.after) == ({"method": "mean"}, {"method": "zscore"})


async def test_ties_are_broken_by_the_organizers_recorded_decision(client):
    source = standard_source(2)
    round_ = await make_round(k=2)
    seats = [await judge(), await judge()]
    await entries.refresh_entries(None, round_, source)
    await assignments.auto_assign(None, round_)
    round_.state = RoundState.OPEN
    await round_.save()
    for seat in seats:
        user = await seat.user
        for row in await Assignment.filter(judge=seat):
            seen = await sheets.scoring_for(user, row.entry_id)
            await sheets.save_sheet(
                user,
                seen,
                scores={"c1": 3, "c2": 5, "c3": 3},
                comment="",
                note="",
                version=0,
                submit=True,
            )
    round_.state = RoundState.CLOSED
    await round_.save()
    first, second = await Entry.filter(round=round_).order_by("id")
    await sign_in(client, await organizer(language="en"))
    text = page_text((await client.get(base(round_))).text)
    assert (
        "These entries are still tied after the tie-break chain (Criteria in priority "
        "order, Count of top scores, The organizer's recorded decision)."
    ) in text
    response = await post(
        client,
        base(round_) + "/ties",
        {f"position_{first.id}": "1", f"position_{second.id}": "1", "reason": "x"},
    )
    assert response.status_code == 422
    assert "Give each tied entry a different position." in page_text(response.text)
    page = await follow(
        client,
        await post(
            client,
            base(round_) + "/ties",
            {
                f"position_{first.id}": "2",
                f"position_{second.id}": "1",
                "reason": "Better pitch on the day",
            },
        ),
    )
    assert "Your decision on the tie has been recorded." in page_text(page.text)
    results = await results_service.round_results(round_)
    assert [r.entry.id for r in results.rows] == [second.id, first.id]
    assert [r.ranks["mean"] for r in results.rows] == [1, 2]
    assert await TieDecision.filter(round=round_).count() == 2


async def test_shortlisting_mails_the_teams_in_their_language(client, source, deliver):
    round_, _seats = await closed_round(source)
    final = await make_round(
        entry_rule=EntryRule.SHORTLIST_OF_PREVIOUS,
        previous=round_,
        name_en="Final",
        name_ar="النهائي",
    )
    await sign_in(client, await organizer(language="en"))
    page = await follow(client, await post(client, base(round_) + "/shortlist", {"count": "2"}))
    text = page_text(page.text)
    assert "2 entries are on the shortlist." in text
    assert text.count("shortlisted") == 2
    assert sorted(await Entry.filter(round=final).values_list("source_id", flat=True)) == [103, 104]
    mails = {m["To"]: m for m in await deliver()}
    assert set(mails) == {"captain103@team103.org", "captain104@team104.org"}
    english = mails["captain103@team103.org"]
    assert english["Subject"] == "Your entry is on the shortlist of Mediathon 2026"
    assert (
        "Congratulations: “Initiative 103” is on the shortlist and goes on to the next "
        "round, Final."
    ) in body(english)
    assert "http://testserver/events/mediathon-2026" in body(english)
    assert "النهائي" in body(mails["captain104@team104.org"])


async def test_shortlisting_needs_a_next_round(client, source):
    round_, _seats = await closed_round(source)
    await sign_in(client, await organizer(language="en"))
    response = await post(client, base(round_) + "/shortlist", {"count": "2"})
    assert response.status_code == 409
    assert (
        "Create the next round first, taking the shortlist of this round as its entries."
        in page_text(response.text)
    )


async def test_a_bad_shortlist_count_is_said_once_and_kept(client, source):
    round_, _seats = await closed_round(source)
    await sign_in(client, await organizer(language="en"))
    for count, message in (
        ("0", "Enter a number from 1 to 10000."),
        ("2.5", "Enter a whole number."),
    ):
        response = await post(client, base(round_) + "/shortlist", {"count": count})
        assert response.status_code == 422
        text = page_text(response.text)
        assert text.count(message) == 1
        assert text.count("Please correct 1 field below.") == 1
        assert f'value="{count}"' in response.text
    assert not await AuditEntry.filter(action="judging.shortlisted").exists()


async def test_winners_and_mentions(client, source):
    round_, _seats = await closed_round(source)
    top, runner, other = [await Entry.get(round=round_, source_id=n) for n in (104, 103, 102)]
    await sign_in(client, await organizer(language="en"))
    page = await follow(
        client, await post(client, base(round_) + "/marks", {"entry_id": str(top.id), "mark": "1"})
    )
    assert "The mark has been saved." in page_text(page.text)
    response = await post(
        client, base(round_) + "/marks", {"entry_id": str(runner.id), "mark": "1"}
    )
    assert response.status_code == 409
    assert "That place is already given to another entry. Remove it there first." in page_text(
        response.text
    )
    await post(
        client,
        base(round_) + "/marks",
        {"entry_id": str(runner.id), "mark": "1", "per_group": "on"},
    )
    await post(client, base(round_) + "/marks", {"entry_id": str(other.id), "mark": "mention"})
    marks = {(m.entry_id, m.kind, m.place, m.group_key) for m in await Mark.all()}
    assert marks == {
        (top.id, "winner", 1, ""),
        (runner.id, "winner", 1, "a"),
        (other.id, "honourable_mention", None, ""),
    }
    preview = await client.get(base(round_) + "/preview")
    text = page_text(preview.text)
    assert "Preview: this is what the public will see" in text
    assert "Winners First place Initiative 104 Team 104" in text
    assert "Winners: Digital media First place Initiative 103" in text
    assert "Honourable mentions Initiative 102" in text
    assert (await client.get("/judging/event/1/results")).status_code == 404


async def test_marks_wait_for_the_round_to_close(client, source):
    round_, _seats = await ready_round(source)
    entry = await Entry.filter(round=round_).first()
    await sign_in(client, await organizer(language="en"))
    response = await post(client, base(round_) + "/marks", {"entry_id": str(entry.id), "mark": "1"})
    assert response.status_code == 409
    assert "Close the round first: results are decided once scoring is over." in page_text(
        response.text
    )
    assert not await Mark.exists()


async def test_publishing_now_sends_the_announcement_and_twice_is_refused(client, source, deliver):
    round_, _seats = await closed_round(source)
    await sign_in(client, await organizer(language="en"))
    page = await follow(client, await post(client, base(round_) + "/publish", {"when": "now"}))
    assert "The results are published and the teams are being told." in page_text(page.text)
    assert "The results are public since" in page_text(page.text)
    mails = await deliver()
    assert sorted(m["To"] for m in mails) == [f"captain{n}@team{n}.org" for n in range(101, 107)]
    english = next(m for m in mails if m["To"] == "captain101@team101.org")
    assert english["Subject"] == "The results of Mediathon 2026 are out"
    assert "http://testserver/judging/event/1/results" in body(english)
    assert "http://testserver/judging/event/1/feedback/101" in body(english)
    response = await post(client, base(round_) + "/publish", {"when": "now"})
    assert response.status_code == 409
    assert (
        "The results of this round are already published: they can no longer change."
        in page_text(response.text)
    )
    assert len(await deliver()) == 6


async def test_publishing_at_a_set_time(client, source, deliver):
    round_, _seats = await closed_round(source)
    await sign_in(client, await organizer(language="en"))
    when = (clock.now() + dt.timedelta(days=2)).astimezone(dt.timezone(dt.timedelta(hours=3)))
    page = await follow(
        client,
        await post(
            client,
            base(round_) + "/publish",
            {"when": "at", "publish_at": when.strftime("%Y-%m-%dT%H:%M")},
        ),
    )
    assert "The results will be published on" in page_text(page.text)
    assert await deliver() == []
    assert (await client.get("/judging/event/1/results")).status_code == 404
    clock.travel(dt.timedelta(days=2, minutes=1))
    assert len(await deliver()) == 6
    assert (await client.get("/judging/event/1/results")).status_code == 200


async def test_a_past_publication_time_is_refused_in_each_language(client, source, deliver):
    round_, _seats = await closed_round(source)
    user = await organizer(language="en")
    past = (clock.now() - dt.timedelta(hours=1)).astimezone(dt.timezone(dt.timedelta(hours=3)))
    typed = past.strftime("%Y-%m-%dT%H:%M")
    refusals = {
        "en": "has already passed. Choose a later time, or choose “Now” to publish at once.",
        "ar": "قد مضى. اختر موعدًا لاحقًا، أو اختر «الآن» للنشر فورًا.",
    }
    for lang, refusal in refusals.items():
        user.language = lang
        await user.save()
        client.cookies.clear()
        await sign_in(client, user)
        response = await post(
            client, base(round_) + "/publish", {"when": "at", "publish_at": typed}
        )
        assert response.status_code == 422
        text = page_text(response.text)
        with use_locale(lang):
            when = format_datetime(past.replace(second=0, microsecond=0), "Asia/Riyadh")
        assert text.count(f"{when} {refusal}") == 1
        assert f'value="{typed}"' in response.text
        assert 'id="f-when-at" name="when" value="at" checked' in response.text
    fresh = await Round.get(id=round_.id)
    assert (fresh.state, fresh.publish_at, fresh.snapshot) == (RoundState.CLOSED, None, None)
    assert not await AuditEntry.filter(action="judging.results_published").exists()
    assert await deliver() == []
    assert (await client.get("/judging/event/1/results")).status_code == 404


async def test_a_scheduled_round_says_when_not_published(client, source, deliver):
    round_, _seats = await closed_round(source)
    user = await organizer(language="en")
    await sign_in(client, user)
    later = (clock.now() + dt.timedelta(days=3)).astimezone(dt.timezone(dt.timedelta(hours=3)))
    await post(
        client,
        base(round_) + "/publish",
        {"when": "at", "publish_at": later.strftime("%Y-%m-%dT%H:%M")},
    )
    moment = later.replace(second=0, microsecond=0)
    pages = ("/judging/event/1", f"/judging/event/1/rounds/{round_.id}", base(round_))
    for lang, published in (("en", "Results published"), ("ar", "النتائج منشورة")):
        user.language = lang
        await user.save()
        client.cookies.clear()
        await sign_in(client, user)
        with use_locale(lang):
            scheduled = gettext(
                "Scheduled for %(when)s", when=format_datetime(moment, "Asia/Riyadh")
            )
        for url in pages:
            text = page_text((await client.get(url)).text)
            assert scheduled in text, (lang, url)
            assert published not in text, (lang, url)
        client.cookies.clear()
        public = await client.get("/judging/event/1/results", headers={"accept-language": lang})
        assert public.status_code == 404
        assert "Initiative" not in public.text
    assert await deliver() == []
    clock.travel(dt.timedelta(days=3, minutes=1))
    await sign_in(client, user)
    text = page_text((await client.get(f"/judging/event/1/rounds/{round_.id}")).text)
    assert "النتائج منشورة" in text and "Scheduled" not in text
    client.cookies.clear()
    assert (await client.get("/judging/event/1/results")).status_code == 200


async def test_publishing_at_a_time_needs_the_time(client, source):
    round_, _seats = await closed_round(source)
    await sign_in(client, await organizer(language="en"))
    response = await post(client, base(round_) + "/publish", {"when": "at", "publish_at": ""})
    assert response.status_code == 422
    assert "This field is required." in page_text(response.text)
    assert (await Round.get(id=round_.id)).state == RoundState.CLOSED


async def test_the_score_sheets_export_opens_in_excel(client, source):
    round_, seats = await closed_round(source)
    await sign_in(client, await organizer(language="ar"))
    response = await client.get(base(round_) + "/export.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 12
    assert rows[0][5:8] == ["القصة", "الإتقان", "الأصالة"]
    first = next(r for r in rows[1:] if r[0] == "مبادرة 101")
    assert first[1] == "الإعلام الرقمي"
    assert first[5:9] == ["2", "1", "3", "20.00"]
    assert first[9].startswith("Comment on 1 from judge number ")


async def test_organizers_read_the_judges_private_notes(client, source):
    round_, seats = await ready_round(source)
    row = await Assignment.filter(judge=seats[0]).first()
    user = await seats[0].user
    seen = await sheets.scoring_for(user, row.entry_id)
    await sheets.save_sheet(
        user,
        seen,
        scores={"c1": 3, "c2": 5, "c3": 3},
        comment="",
        note="The budget is copied from another team",
        version=0,
        submit=True,
    )
    await sign_in(client, await organizer(language="en"))
    text = page_text((await client.get(base(round_))).text)
    assert "Note for organizers: The budget is copied from another team" in text
