"""Duplicates: the same work URL merges automatically; the organizer confirms a likely
duplicate; every merge is audited and can be undone until screening ends."""

from __future__ import annotations

import pytest

from awards.enums import MergeReason, NominationState
from awards.models import Nomination, NominationCredit, NominationMerge
from awards.services import duplicates
from awards.services.common import PhaseClosed
from awards.services.nominations import save_nomination
from core import clock
from core.audit import AuditEntry
from core.errors import Conflict, Invalid
from tests.awards.factories import DAY, colleague, mails_to, make_category, make_cycle
from tests.factories import make_user


async def two_of_the_same_work(settings):
    organizer = await make_user(language="en")
    cycle = await make_cycle(organizer=organizer)
    category = await make_category(cycle)
    first, second = await make_user(), await make_user()
    kept = await save_nomination(
        settings,
        first,
        category,
        colleague(1, work_links=("https://www.news.example.sa/water/",)),
        submit=True,
    )
    merged = await save_nomination(
        settings,
        second,
        category,
        colleague(2, work_links=("http://news.example.sa/water",)),
        submit=True,
    )
    return organizer, cycle, kept.nomination, merged, first, second


async def test_the_same_work_url_merges_automatically_and_is_audited(settings, db):
    _organizer, _cycle, kept, merged, first, second = await two_of_the_same_work(settings)
    assert merged.merged_into.id == kept.id
    row = await Nomination.get(id=merged.nomination.id)
    assert (row.state, row.merged_into_id) == (NominationState.MERGED, kept.id)
    credits = await NominationCredit.filter(nomination_id=kept.id).order_by("id")
    assert [(c.user_id, c.source_id) for c in credits] == [(first.id, None), (second.id, row.id)]
    merge = await NominationMerge.get()
    assert (merge.reason, merge.previous_state) == (
        MergeReason.SAME_URL,
        NominationState.AWAITING_NOMINEE,
    )
    entry = await AuditEntry.get(action="awards.merge")
    assert entry.after == {"kept": kept.id, "merged": row.id, "reason": "same_url"}


async def test_a_merge_is_undone_during_screening_and_the_pair_is_offered_again(settings, db):
    organizer, cycle, kept, merged, _first, second = await two_of_the_same_work(settings)
    clock.travel(25 * DAY)
    merge = await NominationMerge.get()
    restored = await duplicates.undo_merge(settings, organizer, cycle, merge)
    assert (restored.state, restored.merged_into_id) == (NominationState.AWAITING_NOMINEE, None)
    # Its nominee never heard of it: now they are asked.
    invitations = await mails_to("sara2@news.example.sa")
    assert [m.subject for m in invitations] == [f"رُشّحت في {cycle.name_ar}"]
    pairs = await duplicates.likely_duplicates(cycle)
    assert [(p.first, p.second) for p in pairs] == [(kept.id, restored.id)]
    assert pairs[0].reasons == ("url",)
    credited = await NominationCredit.filter(nomination_id=kept.id).values_list(
        "user_id", flat=True
    )
    assert second.id not in credited
    entry = await AuditEntry.get(action="awards.merge_undo")
    assert entry.after == {"restored": restored.id, "state": "awaiting_nominee"}
    with pytest.raises(Conflict) as refused:
        await duplicates.undo_merge(settings, organizer, cycle, merge)
    assert refused.value.message == "This merge was already undone."


async def test_a_merge_cannot_be_undone_after_screening_ends(settings, db):
    organizer, cycle, _kept, merged, _first, _second = await two_of_the_same_work(settings)
    clock.travel(36 * DAY)  # screening ended on day 45
    with pytest.raises(PhaseClosed) as refused:
        await duplicates.undo_merge(settings, organizer, cycle, await NominationMerge.get())
    assert refused.value.message.startswith("Merges can be changed only until screening ends")
    row = await Nomination.get(id=merged.nomination.id)
    assert row.state == NominationState.MERGED
    assert (await NominationMerge.get()).undone_at is None


async def test_the_organizer_confirms_a_likely_duplicate_and_sees_exact_pairs(settings, db):
    organizer = await make_user(language="en")
    cycle = await make_cycle(organizer=organizer)
    category, other = await make_category(cycle), await make_category(cycle)
    a = await save_nomination(settings, await make_user(), category, colleague(1), submit=True)
    b = await save_nomination(
        settings,
        await make_user(),
        category,
        colleague(2, nominee_name_en="Sara Almutairi 1", work_links=()),
        submit=True,
    )
    c = await save_nomination(settings, await make_user(), other, colleague(3), submit=True)
    with pytest.raises(Invalid) as refused:
        await duplicates.confirm_duplicate(organizer, cycle, a.nomination.id, c.nomination.id)
    assert refused.value.errors == {
        "merged": "Only nominations of the same category can be merged."
    }
    record = await duplicates.confirm_duplicate(organizer, cycle, a.nomination.id, b.nomination.id)
    assert record.reason == MergeReason.CONFIRMED and record.merged_by_id == organizer.id
    assert (await Nomination.get(id=b.nomination.id)).state == NominationState.MERGED
    with pytest.raises(Conflict):
        await duplicates.confirm_duplicate(organizer, cycle, a.nomination.id, b.nomination.id)


def test_the_same_e_mail_or_canonical_url_pairs_nominations():
    facts = [
        duplicates.NominationFacts(1, 1, ("سارة",), ("الماء",), "S@x.org", "", "", ()),
        duplicates.NominationFacts(2, 1, ("Sara",), ("Water",), "s@x.org", "", "", ()),
        duplicates.NominationFacts(3, 1, ("Ali",), ("Roads",), "a@x.org", "", "", ("x.org/r/",)),
        duplicates.NominationFacts(
            4, 1, ("Omar",), ("Roads",), "o@x.org", "", "", ("https://www.x.org/r",)
        ),
    ]
    assert duplicates._match(facts) == [
        duplicates.Pair(1, 2, ("email",)),
        duplicates.Pair(3, 4, ("url",)),
    ]
