"""judging.services.shortlisting against the database."""

from __future__ import annotations

from judging.enums import (
    EntryRule,
)
from judging.models import Entry
from judging.services import (
    rounds,
    shortlisting,
)
from tests.judging.factories import make_round, ready_round, score_everything
from tests.judging.services.helpers import LINKS, admin
from tests.judging.sources import SCOPE_ID


async def test_shortlist_copies_the_top_entries_into_the_next_round(db, source):
    round_, seats = await ready_round(source)
    await score_everything(round_, seats)
    actor = await admin()
    await rounds.change_state(actor, round_, "close")
    final = await make_round(entry_rule=EntryRule.SHORTLIST_OF_PREVIOUS, previous=round_)
    chosen = await shortlisting.shortlist(
        actor, round_, source.scopes[SCOPE_ID], LINKS, count=2, per_group=True
    )
    # ranking 104, 103, 102, 106, 101, 105; track a holds the odd ones, track b the even
    assert sorted(e.source_id for e in chosen) == [101, 102, 103, 104]
    assert sorted(await Entry.filter(round=final).values_list("source_id", flat=True)) == [
        101,
        102,
        103,
        104,
    ]
    copied = await Entry.get(round=final, source_id=103)
    assert (copied.title_en, copied.source, copied.members[0]["email"]) == (
        "Initiative 103",
        "test.submission",
        "captain103@team103.org",
    )
