"""Judging follows the scope's timeline (issue 11, item 2): scoring opens once submissions
close, or earlier only with the organizer's explicit, audited override; results are published
only once scoring has closed. Both rules are stated on the round page."""

from __future__ import annotations

import datetime as dt

import pytest

from core import audit_view
from core.audit import AuditEntry
from core.clock import now
from core.errors import Conflict
from core.i18n import use_locale
from judging import plugin as judging_plugin
from judging.enums import RoundState
from judging.models import Round
from judging.services import publication, rounds
from tests.factories import sign_in
from tests.judging.factories import follow, organizer, page_text, post, ready_round
from tests.judging.services.helpers import LINKS, admin
from tests.judging.sources import SCOPE_ID, MemorySource

REFUSED = {
    "en": "Submissions are open until",
    "ar": "التقديم مفتوح حتى",
}
OVERRIDE = {"en": "Open before submissions close", "ar": "افتح قبل إغلاق التقديم"}
OPENED = {
    "en": "The round is open: judges can score now.",
    "ar": "فُتحت الجولة، ويمكن للمحكّمين التقييم الآن.",
}
RULE = {
    "en": "Scoring opens only after submissions close",
    "ar": "لا يُفتح التقييم إلا بعد إغلاق التقديم",
}
PUBLISH_REFUSED = {
    "en": "Close the round first: results are decided once scoring is over.",
    "ar": "أغلق الجولة أولًا: تُحسم النتائج بعد انتهاء التقييم.",
}


def still_open(source: MemorySource) -> dt.datetime:
    deadline = now() + dt.timedelta(days=15)
    source.deadlines[SCOPE_ID] = deadline
    return deadline


def state_url(round_: Round) -> str:
    return f"/judging/event/{SCOPE_ID}/rounds/{round_.id}/state"


async def round_opens(round_: Round) -> list[AuditEntry]:
    return [
        e
        for e in await AuditEntry.filter(action="judging.round_open").order_by("id")
        if e.object_id == str(round_.id)
    ]


async def test_the_service_refuses_to_open_before_submissions_close(db, source):
    still_open(source)
    round_, _seats = await ready_round(source, state=RoundState.DRAFT)
    with pytest.raises(Conflict) as refused:
        await rounds.change_state(await admin(), round_, "open", source=source)
    assert REFUSED["ar"] in refused.value.message  # the default language
    assert (await Round.get(id=round_.id)).state == RoundState.DRAFT
    assert await round_opens(round_) == []


async def test_the_service_opens_early_only_with_the_override_and_audits_it(db, source):
    deadline = still_open(source)
    round_, _seats = await ready_round(source, state=RoundState.DRAFT)
    await rounds.change_state(await admin(), round_, "open", source=source, early=True)
    assert (await Round.get(id=round_.id)).state == RoundState.OPEN
    (opened,) = await round_opens(round_)
    assert opened.after["opened_before_submissions_close"] == deadline.isoformat()
    labels = judging_plugin.hooks.audit
    with use_locale("ar"):  # the audit log names the override in the reader's language
        assert audit_view.field(labels, "opened_before_submissions_close") == (
            "فُتح التقييم قبل إغلاق المشاركات (موعد إغلاقها)"
        )


async def test_after_the_deadline_the_round_opens_without_override(db, source):
    source.deadlines[SCOPE_ID] = now() - dt.timedelta(hours=1)
    round_, _seats = await ready_round(source, state=RoundState.DRAFT)
    await rounds.change_state(await admin(), round_, "open", source=source)
    (opened,) = await round_opens(round_)
    assert "opened_before_submissions_close" not in opened.after


async def test_the_service_refuses_to_publish_an_open_round(db, source):
    round_, _seats = await ready_round(source)
    scope = await source.scope(SCOPE_ID)
    with pytest.raises(Conflict):
        await publication.publish(await admin(), round_, scope, LINKS)
    assert (await Round.get(id=round_.id)).state == RoundState.OPEN


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_the_round_page_states_the_rule_and_refuses_an_early_open(client, source, lang):
    still_open(source)
    round_, _seats = await ready_round(source, state=RoundState.DRAFT)
    await sign_in(client, await organizer(language=lang))
    shown = page_text((await client.get(f"/judging/event/{SCOPE_ID}/rounds/{round_.id}")).text)
    assert RULE[lang] in shown
    assert OVERRIDE[lang] in shown
    response = await post(client, state_url(round_), {"action": "open"})
    assert response.status_code == 409
    assert REFUSED[lang] in page_text(response.text)
    assert (await Round.get(id=round_.id)).state == RoundState.DRAFT
    assert await round_opens(round_) == []


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_the_organizer_may_open_early_by_ticking_the_override(client, source, lang):
    deadline = still_open(source)
    round_, _seats = await ready_round(source, state=RoundState.DRAFT)
    await sign_in(client, await organizer(language=lang))
    page = await follow(
        client, await post(client, state_url(round_), {"action": "open", "early": "1"})
    )
    assert OPENED[lang] in page_text(page.text)
    assert (await Round.get(id=round_.id)).state == RoundState.OPEN
    (opened,) = await round_opens(round_)
    assert opened.after["opened_before_submissions_close"] == deadline.isoformat()


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_publishing_before_scoring_closes_is_refused(client, source, lang):
    round_, _seats = await ready_round(source)
    await sign_in(client, await organizer(language=lang))
    url = f"/judging/event/{SCOPE_ID}/rounds/{round_.id}/results/publish"
    response = await post(client, url, {"when": "now"})
    assert response.status_code == 409
    assert PUBLISH_REFUSED[lang] in page_text(response.text)
    assert (await Round.get(id=round_.id)).state == RoundState.OPEN
    assert not await AuditEntry.filter(action="judging.results_published").exists()
