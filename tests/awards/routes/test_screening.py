"""The organizer's screening pages: the queue (filtered, paginated), rulings one at a time and
in bulk with a coded reason, appeals decided once, likely duplicates merged or rejected and
merges undone; every bad input refused with a clear message and nothing changed."""

from __future__ import annotations

import re

import httpx
import pytest

from accounts.models import User
from awards.enums import AppealState, MergeReason, NominationState, Ruling
from awards.models import (
    Appeal,
    Category,
    Cycle,
    DuplicateDismissal,
    Nomination,
    NominationCredit,
    NominationMerge,
    ScreeningRuling,
)
from awards.services import duplicates, screening
from awards.services.nominations import save_nomination
from core import clock
from core.audit import AuditEntry
from tests.awards.factories import DAY, colleague, make_category, make_cycle
from tests.conftest import CSRF_INPUT, body
from tests.events.factories import QueryCounter, text_of
from tests.factories import make_user, sign_in

TO_SCREENING = 25 * DAY  # the builders' cycles open on day 10 of 0..30; screening is day 30..45


@pytest.fixture(autouse=True)
def pages_choose_their_language():  # noqa: ANN201
    """Pages take their language from the request (the signed-in organizer's profile here)."""
    yield


class Desk:
    """An organizer signed in on a client, with their cycle."""

    def __init__(self, client: httpx.AsyncClient, organizer: User, cycle: Cycle) -> None:
        self.client, self.organizer, self.cycle = client, organizer, cycle

    def path(self, tail: str) -> str:
        return f"/awards/{self.cycle.slug}/manage/{tail}"

    async def post(self, tail: str, data: dict | list) -> httpx.Response:
        page = await self.client.get(self.path("screening"))
        token = CSRF_INPUT.search(page.text).group(1)
        form: dict[str, list[str]] = {"csrf_token": [token]}
        for name, value in data.items() if isinstance(data, dict) else data:
            form.setdefault(name, []).append(value)
        return await self.client.post(self.path(tail), data=form)


async def desk(client: httpx.AsyncClient, language: str = "en") -> tuple[Desk, Category]:
    organizer = await make_user(language=language)
    cycle = await make_cycle(organizer=organizer)
    category = await make_category(cycle, name_en="Podcast", name_ar="البودكاست")
    await sign_in(client, organizer)
    return Desk(client, organizer, cycle), category


async def nominate(settings, category: Category, n: int, language: str = "en", **fields):  # noqa: ANN001, ANN003, ANN201
    """A self-nomination (no acceptance needed): submitted, waiting on a ruling."""
    user = await make_user(f"nominator{n}-{category.id}@example.org", language=language)
    values = colleague(n, self_nomination=True, nominee_email="", **fields)
    return (await save_nomination(settings, user, category, values, submit=True)).nomination


def notice(response: httpx.Response) -> str:
    found = re.search(r'<div class="notice notice-error"[^>]*>(.*?)</div>', response.text, re.S)
    return text_of(found.group(1)) if found else ""


# --- the queue and rulings -----------------------------------------------------------------


async def test_the_queue_lists_what_waits_on_a_ruling_by_category_and_page(client, settings):
    room, podcast = await desk(client)
    other = await make_category(room.cycle, name_en="Documentary", name_ar="الفيلم الوثائقي")
    first = await nominate(settings, podcast, 1)
    second = await nominate(settings, other, 2)
    creator = await make_user()
    for i in range(50):  # 51 in the podcast category: two pages
        await Nomination.create(
            cycle=room.cycle,
            category=podcast,
            created_by=creator,
            state=NominationState.SUBMITTED,
            nominee_name_en=f"Bulk nominee {i}",
        )
    clock.travel(TO_SCREENING)
    page = await client.get(room.path("screening"))
    assert page.status_code == 200
    assert "Screening is open until" in text_of(page.text)
    assert f'data-testid="nomination-{first.id}"' in page.text
    assert "Page 1 of 2" in text_of(page.text)
    filtered = await client.get(room.path(f"screening?category={other.id}"))
    assert f'data-testid="nomination-{second.id}"' in filtered.text
    assert f'data-testid="nomination-{first.id}"' not in filtered.text
    assert "Page 1 of" not in text_of(filtered.text)
    last = await client.get(room.path(f"screening?category={podcast.id}&page=2"))
    assert "Page 2 of 2" in text_of(last.text)
    # the reasons are offered in the reader's language
    assert "WINDOW · The work was published outside the window" in text_of(page.text)


async def test_the_queue_in_arabic_offers_the_reasons_in_arabic(client, settings):
    room, podcast = await desk(client, language="ar")
    await nominate(settings, podcast, 1)
    clock.travel(TO_SCREENING)
    page = await client.get(room.path("screening"))
    assert 'dir="rtl"' in page.text
    assert "WINDOW · نُشر العمل خارج فترة الأهلية" in text_of(page.text)
    assert "الفرز مفتوح حتى" in text_of(page.text)


async def test_a_ruling_with_a_reason_is_saved_audited_and_mailed(client, settings, deliver):
    room, podcast = await desk(client)
    row = await nominate(settings, podcast, 1, language="ar")
    clock.travel(TO_SCREENING)
    response = await room.post(
        "screening",
        {
            "nomination": str(row.id),
            "ruling": "ineligible",
            "reason": "WINDOW",
            "note": "Published in 2024.",
        },
    )
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "1 nomination ruled ineligible; its nominators are told by mail." in text_of(page.text)
    assert f'data-testid="nomination-{row.id}"' not in page.text
    assert (await Nomination.get(id=row.id)).state == NominationState.INELIGIBLE
    ruling = await ScreeningRuling.get(nomination_id=row.id).select_related("reason")
    assert (ruling.reason.code, ruling.note) == ("WINDOW", "Published in 2024.")
    entry = await AuditEntry.get(action="awards.rule")
    assert entry.actor_id == room.organizer.id
    [mail] = [m for m in await deliver() if m["To"] == f"nominator1-{podcast.id}@example.org"][-1:]
    assert mail["Subject"] == "تقرر أن ترشيحك لـسارة المطيري 1 غير مؤهل"
    assert "السبب: نُشر العمل خارج فترة الأهلية" in body(mail)


async def test_bulk_rulings_rule_every_ticked_nomination(client, settings):
    room, podcast = await desk(client)
    rows = [await nominate(settings, podcast, i) for i in range(3)]
    clock.travel(TO_SCREENING)
    response = await room.post(
        "screening",
        [("bulk", "1"), ("ruling", "eligible"), ("reason", ""), ("note", "")]
        + [("nomination", str(r.id)) for r in rows[:2]],
    )
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "2 nominations ruled eligible; their nominators are told by mail." in text_of(page.text)
    states = [(await Nomination.get(id=r.id)).state for r in rows]
    assert states == [NominationState.ELIGIBLE, NominationState.ELIGIBLE, NominationState.SUBMITTED]
    assert await AuditEntry.filter(action="awards.rule").count() == 2


async def test_ruling_outside_screening_is_refused_and_changes_nothing(client, settings):
    room, podcast = await desk(client)
    row = await nominate(settings, podcast, 1)
    data = {"nomination": str(row.id), "ruling": "eligible"}
    page = await client.get(room.path("screening"))  # still open for nominations
    assert "Screening opens when nominations close" in text_of(page.text)
    assert 'data-testid="bulk-form"' not in page.text
    response = await room.post("screening", data)
    assert response.status_code == 409
    assert notice(response).startswith("Nominations can be ruled on only during screening")
    clock.travel(TO_SCREENING + 11 * DAY)  # screening ended on day 45
    response = await room.post("screening", data)
    assert response.status_code == 409
    assert "Nothing was changed." in notice(response)
    assert "Screening ended on" in text_of(response.text)
    assert await ScreeningRuling.all().count() == 0
    assert (await Nomination.get(id=row.id)).state == NominationState.SUBMITTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ruling": "ineligible", "reason": "NOPE"}, "Choose one of the cycle's reasons."),
        ({"ruling": "ineligible", "reason": ""}, "Choose the reason the nomination is ineligible."),
        ({"ruling": "maybe"}, "Choose one of the options."),
    ],
)
async def test_a_bad_ruling_is_refused_and_changes_nothing(client, settings, data, message):
    room, podcast = await desk(client)
    row = await nominate(settings, podcast, 1)
    clock.travel(TO_SCREENING)
    response = await room.post("screening", {"nomination": str(row.id), **data})
    assert response.status_code == 422
    assert notice(response) == message
    assert await ScreeningRuling.all().count() == 0
    assert (await Nomination.get(id=row.id)).state == NominationState.SUBMITTED


async def test_no_nomination_ticked_is_refused(client, settings):
    room, podcast = await desk(client)
    await nominate(settings, podcast, 1)
    clock.travel(TO_SCREENING)
    response = await room.post("screening", {"bulk": "1", "ruling": "eligible"})
    assert response.status_code == 422
    assert notice(response) == "Choose at least one nomination."


@pytest.mark.parametrize("tampered", ["other-cycle", "not-a-number"])
async def test_a_nomination_id_of_another_cycle_is_refused(client, settings, tampered):
    room, podcast = await desk(client)
    mine = await nominate(settings, podcast, 1)
    other_cycle = await make_cycle()
    theirs = await nominate(settings, await make_category(other_cycle), 2)
    clock.travel(TO_SCREENING)
    wrong = str(theirs.id) if tampered == "other-cycle" else "1 OR 1=1"
    response = await room.post(
        "screening",
        [
            ("bulk", "1"),
            ("ruling", "eligible"),
            ("nomination", str(mine.id)),
            ("nomination", wrong),
        ],
    )
    assert response.status_code == 404
    assert notice(response) == (
        "A chosen nomination does not exist in this cycle. Nothing was changed."
    )
    assert await ScreeningRuling.all().count() == 0


# --- appeals -------------------------------------------------------------------------------


async def appealed(settings, room: Desk, podcast: Category) -> Appeal:  # noqa: ANN001
    row = await nominate(settings, podcast, 1)
    clock.travel(TO_SCREENING)
    await screening.rule(
        settings,
        room.organizer,
        room.cycle,
        [row.id],
        ruling=Ruling.INELIGIBLE,
        reason_code="EVIDENCE",
    )
    nominator = await User.get(id=row.created_by_id)
    return await screening.file_appeal(
        settings, nominator, row, statement="The links show the full series."
    )


async def test_the_organizer_upholds_an_appeal_once(client, settings, deliver):
    room, podcast = await desk(client)
    appeal = await appealed(settings, room, podcast)
    page = await client.get(room.path("appeals"))
    card = text_of(page.text)
    assert "The links show the full series." in card
    assert "Original ruling Ineligible : EVIDENCE · The evidence is insufficient" in card
    response = await room.post(
        f"appeals/{appeal.id}", {"decision": "uphold", "decision_note": "Fair point."}
    )
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "The appeal is upheld: the nomination is eligible." in text_of(page.text)
    assert f'data-testid="decided-{appeal.id}"' in page.text
    row = await Nomination.get(id=appeal.nomination_id)
    assert (row.state, row.final) == (NominationState.ELIGIBLE, True)
    assert (await AuditEntry.get(action="awards.appeal_decide")).after["state"] == "upheld"
    mails = [m for m in await deliver() if m["To"] == f"nominator1-{podcast.id}@example.org"]
    assert "Fair point." in body(mails[-1])
    again = await room.post(f"appeals/{appeal.id}", {"decision": "dismiss"})
    assert again.status_code == 409
    assert notice(again) == "This appeal was already decided; the decision is final."
    assert (await Appeal.get(id=appeal.id)).state == AppealState.UPHELD
    assert (await Nomination.get(id=row.id)).state == NominationState.ELIGIBLE


async def test_an_appeal_needs_a_decision_and_cannot_be_decided_once_the_jury_starts(
    client, settings
):
    room, podcast = await desk(client)
    appeal = await appealed(settings, room, podcast)
    response = await room.post(f"appeals/{appeal.id}", {"decision": ""})
    assert response.status_code == 422
    assert notice(response) == "Choose one of the options."
    clock.travel(21 * DAY)  # day 56: the jury started on day 55
    response = await room.post(f"appeals/{appeal.id}", {"decision": "uphold"})
    assert response.status_code == 409
    assert notice(response).startswith("Appeals can be decided until the jury starts")
    assert (await Appeal.get(id=appeal.id)).state == AppealState.PENDING


async def test_an_appeal_of_another_cycle_is_not_found(client, settings):
    room, podcast = await desk(client)
    other = await make_user()
    other_cycle = await make_cycle(organizer=other)
    other_room = Desk(client, other, other_cycle)
    appeal = await appealed(settings, other_room, await make_category(other_cycle))
    response = await room.post(f"appeals/{appeal.id}", {"decision": "uphold"})
    assert response.status_code == 404
    assert (await Appeal.get(id=appeal.id)).state == AppealState.PENDING


# --- duplicates ----------------------------------------------------------------------------


async def likely_pair(settings, podcast: Category) -> tuple[Nomination, Nomination]:  # noqa: ANN001
    a = await nominate(settings, podcast, 1)
    b = await nominate(settings, podcast, 2, nominee_name_en="Sara Almutairi 1", work_links=())
    return a, b


async def test_the_organizer_confirms_a_likely_duplicate_and_undoes_it(client, settings):
    room, podcast = await desk(client)
    a, b = await likely_pair(settings, podcast)
    clock.travel(TO_SCREENING)
    page = await client.get(room.path("duplicates"))
    pair = text_of(page.text)
    assert f'data-testid="pair-{a.id}-{b.id}"' in page.text
    assert "Sara Almutairi 1" in pair and "سارة المطيري 2" in pair
    assert "similar nominee names" in pair
    response = await room.post("duplicates/merge", {"kept": str(a.id), "merged": str(b.id)})
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert f"Nomination {b.id} is merged into nomination {a.id}" in text_of(page.text)
    merge = await NominationMerge.get(merged_id=b.id)
    assert merge.reason == MergeReason.CONFIRMED
    assert f'data-testid="undo-{merge.id}"' in page.text
    credited = await NominationCredit.filter(nomination_id=a.id).count()
    assert credited == 2
    response = await room.post(f"merges/{merge.id}/undo", {})
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert f"The merge is undone: nomination {b.id} is back on its own." in text_of(page.text)
    assert (await Nomination.get(id=b.id)).state == NominationState.SUBMITTED
    assert await AuditEntry.filter(action="awards.merge_undo").count() == 1


async def test_a_rejected_pair_is_not_offered_again(client, settings):
    room, podcast = await desk(client)
    a, b = await likely_pair(settings, podcast)
    clock.travel(TO_SCREENING)
    response = await room.post("duplicates/reject", {"first": str(b.id), "second": str(a.id)})
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert f"Nominations {b.id} and {a.id} are kept apart" in text_of(page.text)
    assert f'data-testid="pair-{a.id}-{b.id}"' not in page.text
    assert "No likely duplicate to review." in text_of(page.text)
    assert await duplicates.likely_duplicates(room.cycle) == []
    entry = await AuditEntry.get(action="awards.duplicate_reject")
    assert entry.after == {"nomination": a.id, "other": b.id}
    again = await room.post("duplicates/reject", {"first": str(a.id), "second": str(b.id)})
    assert again.status_code == 409
    assert notice(again) == "This pair was already marked as not duplicates."
    assert await DuplicateDismissal.all().count() == 1


async def test_a_merge_cannot_be_undone_after_screening_ends(client, settings):
    room, podcast = await desk(client)
    a, b = await likely_pair(settings, podcast)
    clock.travel(TO_SCREENING)
    merge = await duplicates.confirm_duplicate(room.organizer, room.cycle, a.id, b.id)
    clock.travel(11 * DAY)  # day 46: screening ended on day 45
    page = await client.get(room.path("duplicates"))
    assert f'data-testid="undo-{merge.id}"' not in page.text
    assert "Merges can be changed only until screening ends" in text_of(page.text)
    response = await room.post(f"merges/{merge.id}/undo", {})
    assert response.status_code == 409
    assert notice(response).startswith("Merges can be changed only until screening ends")
    assert (await Nomination.get(id=b.id)).state == NominationState.MERGED
    assert (await NominationMerge.get(id=merge.id)).undone_at is None
    response = await room.post("duplicates/reject", {"first": str(a.id), "second": str(b.id)})
    assert response.status_code == 409
    assert await DuplicateDismissal.all().count() == 0


@pytest.mark.parametrize("route", ["duplicates/merge", "duplicates/reject"])
async def test_duplicate_ids_of_another_cycle_are_refused(client, settings, route):
    room, podcast = await desk(client)
    a, _b = await likely_pair(settings, podcast)
    other_cycle = await make_cycle()
    theirs = await nominate(settings, await make_category(other_cycle), 3)
    clock.travel(TO_SCREENING)
    names = ("kept", "merged") if route.endswith("merge") else ("first", "second")
    for wrong in (str(theirs.id), "x1"):
        response = await room.post(route, {names[0]: str(a.id), names[1]: wrong})
        assert response.status_code == 422
        assert notice(response) == "Choose two different nominations of this cycle."
    assert await NominationMerge.all().count() == 0
    assert await DuplicateDismissal.all().count() == 0
    assert (await Nomination.get(id=theirs.id)).state == NominationState.SUBMITTED


async def test_a_merge_of_another_cycle_cannot_be_undone_here(client, settings):
    room, _podcast = await desk(client)
    other = await make_user()
    other_cycle = await make_cycle(organizer=other)
    a, b = await likely_pair(settings, await make_category(other_cycle))
    clock.travel(TO_SCREENING)
    merge = await duplicates.confirm_duplicate(other, other_cycle, a.id, b.id)
    response = await room.post(f"merges/{merge.id}/undo", {})
    assert response.status_code == 404
    assert (await NominationMerge.get(id=merge.id)).undone_at is None


async def test_the_pages_run_as_many_queries_for_many_rows_as_for_few(client, settings):
    room, podcast = await desk(client)
    creator = await make_user()

    async def grow(n: int) -> None:
        for i in range(n):
            row = await Nomination.create(
                cycle=room.cycle,
                category=podcast,
                created_by=creator,
                state=NominationState.INELIGIBLE,
                nominee_name_en=f"Nominee {n}-{i}",
                work_title=f"Work {n}-{i}",
            )
            await NominationCredit.create(nomination=row, user=creator)
            ruling = await ScreeningRuling.create(
                nomination=row,
                ruling=Ruling.INELIGIBLE,
                ruled_by=room.organizer,
                ruled_at=clock.now(),
            )
            await Appeal.create(
                nomination=row,
                ruling=ruling,
                statement="Why",
                filed_by=creator,
                filed_at=clock.now(),
            )
            twin = await Nomination.create(
                cycle=room.cycle,
                category=podcast,
                created_by=creator,
                state=NominationState.SUBMITTED,
                nominee_name_en=f"Nominee {n}-{i}",
                work_title=f"Work {n}-{i}",
            )
            await NominationCredit.create(nomination=twin, user=creator)
            await duplicates.confirm_duplicate(room.organizer, room.cycle, row.id, twin.id)
            await duplicates.undo_merge(
                settings, room.organizer, room.cycle, await NominationMerge.get(merged_id=twin.id)
            )

    async def counts() -> list[int]:
        found = []
        for tail in ("screening", "appeals", "duplicates"):
            with QueryCounter() as counter:
                assert (await client.get(room.path(tail))).status_code == 200
            found.append(counter.count)
        return found

    clock.travel(TO_SCREENING)
    await grow(2)
    few = await counts()
    await grow(12)
    assert await counts() == few


ODD = ("\x00", "x" * 100_000, "1e309", "NaN", "9" * 30, "<script>x</script>", "-1", "")


async def test_odd_values_in_every_screening_form_give_no_500(client, settings):
    room, podcast = await desk(client)
    a, b = await likely_pair(settings, podcast)
    clock.travel(TO_SCREENING)
    await screening.rule(
        settings, room.organizer, room.cycle, [a.id], ruling=Ruling.INELIGIBLE, reason_code="WINDOW"
    )
    appeal = await screening.file_appeal(
        settings, await User.get(id=a.created_by_id), a, statement="Please"
    )
    forms = {
        "screening": ("nomination", "ruling", "reason", "note", "category", "bulk"),
        f"appeals/{appeal.id}": ("decision", "decision_note"),
        "duplicates/merge": ("kept", "merged"),
        "duplicates/reject": ("first", "second"),
    }
    for tail, names in forms.items():
        for name in names:
            for value in ODD:
                response = await room.post(tail, {name: value})
                assert response.status_code in (404, 409, 422), (tail, name, value[:20])
    assert (await Nomination.get(id=b.id)).state == NominationState.SUBMITTED
    assert (await Appeal.get(id=appeal.id)).state == AppealState.PENDING
