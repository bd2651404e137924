"""What "my nominations" reads in one statement: the same nominations, rulings, reasons and
appeals as the ORM reads for a nomination's own page."""

from __future__ import annotations

from awards.enums import NominationState, Ruling
from awards.services import mine, screening
from awards.services.nominations import save_nomination
from core import clock
from tests.awards.factories import DAY, colleague, make_category, make_cycle
from tests.factories import make_user


def _self(n: int):  # noqa: ANN202
    return colleague(n, self_nomination=True, nominee_email="")


async def test_my_nominations_read_as_the_nominations_own_page_reads_them(settings, db):
    cycle = await make_cycle()
    first, second = await make_category(cycle), await make_category(cycle)
    me, other = await make_user(), await make_user()
    ruled = (await save_nomination(settings, me, first, _self(1), submit=True)).nomination
    appealed = (await save_nomination(settings, me, second, _self(2), submit=True)).nomination
    waiting = (await save_nomination(settings, me, second, colleague(3), submit=True)).nomination
    draft = (await save_nomination(settings, me, first, colleague(4))).nomination
    await save_nomination(settings, other, second, colleague(5), submit=True)  # not mine
    await save_nomination(settings, other, first, colleague(6))  # someone else's draft
    organizer = await make_user(admin=True)
    clock.travel(cycle.nominations_close - clock.now() + DAY)
    for ruling, code, note in ((Ruling.INELIGIBLE, "WINDOW", "2024."), (Ruling.ELIGIBLE, "", "")):
        await screening.rule(
            settings, organizer, cycle, [ruled.id], ruling=ruling, reason_code=code, note=note
        )
    await screening.rule(
        settings, organizer, cycle, [appealed.id], ruling=Ruling.INELIGIBLE, reason_code="EVIDENCE"
    )
    await screening.file_appeal(settings, me, appealed, statement="See the attachment.")

    listed = await mine.my_nominations(me)
    assert [r.id for r in listed] == [draft.id, waiting.id, appealed.id, ruled.id]
    for r in listed:
        row = await mine.nomination(r.id)
        assert row is not None
        ruling, appeal = mine.latest_ruling(row), mine.appeal_of(row)
        reason = ruling.reason if ruling else None
        assert (r.state, r.created_by_id, r.final, r.work_title) == (
            row.state,
            row.created_by_id,  # type: ignore[attr-defined]
            row.final,
            row.work_title,
        )
        assert (r.nominee_name_ar, r.nominee_name_en) == (row.nominee_name_ar, row.nominee_name_en)
        assert (r.category_id, r.category_name_ar, r.category_name_en) == (
            row.category.id,
            row.category.name_ar,
            row.category.name_en,
        )
        assert (r.ruling, r.ruled_at, r.ruling_note) == (
            (ruling.ruling, ruling.ruled_at, ruling.note) if ruling else (None, None, "")
        )
        assert (r.reason_ar, r.reason_en) == (
            (reason.label_ar, reason.label_en) if reason else ("", "")
        )
        assert (r.appeal_state, r.appeal_note) == (
            (appeal.state, appeal.decision_note) if appeal else (None, "")
        )
        assert r.shortlist is None  # the shortlist is not published
        y = r.cycle
        assert (y.id, y.slug, y.name_ar, y.name_en, y.time_zone, y.published) == (
            cycle.id,
            cycle.slug,
            cycle.name_ar,
            cycle.name_en,
            cycle.time_zone,
            True,
        )
        assert (y.appeals_close, y.phase(clock.now())) == (
            cycle.appeals_close,
            cycle.phase(clock.now()),
        )
    by_id = {r.id: r for r in listed}
    assert by_id[ruled.id].ruling == Ruling.ELIGIBLE and by_id[ruled.id].reason_en == ""
    assert by_id[appealed.id].appeal_state == "pending"
    assert by_id[draft.id].state == NominationState.DRAFT
    assert await mine.my_nominations(await make_user()) == []
