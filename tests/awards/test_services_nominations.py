"""Nominating: drafts, submits as versions with receipts, the category's rules, the deadline,
and the races (two nominators at once, one nominator twice)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from awards.enums import EvidenceField, NominationState, Relation
from awards.models import (
    CategoryQuestion,
    Nomination,
    NominationCredit,
    NominationMerge,
    NominationVersion,
)
from awards.services import nominations
from awards.services.common import DeadlinePassed, PhaseClosed
from awards.services.nominations import NominationInput, save_nomination
from core.clock import now
from core.errors import Forbidden, Invalid
from core.mail.models import OutboxMessage
from tests.awards.factories import colleague, mails_to, make_category, make_cycle
from tests.factories import make_user


async def nothing_saved() -> None:
    assert await Nomination.all().count() == 0
    assert await OutboxMessage.all().count() == 0


async def test_a_nomination_of_a_colleague_waits_on_the_nominee_and_mails_both(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle, name_en="Documentary", name_ar="الفيلم الوثائقي")
    nominator = await make_user("reem@example.org", language="en", name_en="Reem", name_ar="ريم")
    saved = await save_nomination(settings, nominator, category, colleague(), submit=True)
    row = await Nomination.get(id=saved.nomination.id)
    assert row.state == NominationState.AWAITING_NOMINEE
    assert row.version_count == 1 and row.fingerprint == saved.version.fingerprint
    assert len(row.fingerprint) == 64
    assert [c.user_id for c in await NominationCredit.filter(nomination_id=row.id)] == [
        nominator.id
    ]
    receipt = (await mails_to("reem@example.org"))[0]
    assert receipt.subject == "Receipt: your nomination of Sara Almutairi 1, version 1"
    assert row.fingerprint in receipt.body_text
    assert "We have asked the nominee by e-mail to accept the nomination." in receipt.body_text
    invitation = (await mails_to("sara1@news.example.sa"))[0]
    assert invitation.locale == "ar"
    assert invitation.subject == f"رُشّحت في {cycle.name_ar}"
    assert "رشّحك ريم في فئة «الفيلم الوثائقي»" in invitation.body_text
    assert f"http://testserver/awards/{cycle.slug}/accept/" in invitation.body_text


async def test_a_self_nomination_is_ready_for_screening_without_asking_anyone(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle)
    me = await make_user("huda@example.org", name_ar="هدى", name_en="Huda")
    saved = await save_nomination(
        settings, me, category, colleague(self_nomination=True, nominee_email=""), submit=True
    )
    row = await Nomination.get(id=saved.nomination.id)
    assert (row.state, row.self_nomination, row.relation) == (
        NominationState.SUBMITTED,
        True,
        Relation.SELF,
    )
    assert (row.nominee_email, row.nominee_user_id) == ("huda@example.org", me.id)
    assert [m.recipient for m in await OutboxMessage.all()] == ["huda@example.org"]


async def test_a_draft_is_edited_then_each_changed_submit_is_a_version(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle)
    user = await make_user()
    draft = await save_nomination(settings, user, category, colleague(work_title="مسودة"))
    assert draft.nomination.state == NominationState.DRAFT
    assert await OutboxMessage.all().count() == 0
    first = await save_nomination(
        settings, user, category, colleague(), nomination=draft.nomination, submit=True
    )
    again = await save_nomination(
        settings, user, category, colleague(), nomination=draft.nomination, submit=True
    )
    assert again.unchanged and again.version is None
    edited = await save_nomination(
        settings,
        user,
        category,
        colleague(statement="Two years, not one."),
        nomination=draft.nomination,
        submit=True,
    )
    versions = await NominationVersion.filter(nomination_id=draft.nomination.id)
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].fingerprint == first.version.fingerprint
    assert versions[1].fingerprint == edited.version.fingerprint != first.version.fingerprint
    assert versions[1].snapshot["statement"] == "Two years, not one."
    # One invitation for the nominee, however often the nominator edits.
    assert len(await mails_to("sara1@news.example.sa")) == 1


async def test_a_work_published_outside_the_window_is_refused(settings, db):
    cycle = await make_cycle()
    category = await make_category(
        cycle, published_from=dt.date(2026, 1, 1), published_until=dt.date(2026, 12, 31)
    )
    user = await make_user(language="en")
    with pytest.raises(Invalid) as refused:
        await save_nomination(
            settings,
            user,
            category,
            colleague(work_published_on=dt.date(2025, 12, 31)),
            submit=True,
        )
    message = refused.value.errors["work_published_on"]
    assert message.startswith("This category accepts works published from")
    assert message.endswith("Nothing was saved.")
    await nothing_saved()


async def test_a_self_nomination_where_the_category_forbids_it_is_refused(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle, self_nomination=False)
    user = await make_user("me@example.org", language="en")
    for values in (colleague(self_nomination=True), colleague(nominee_email="ME@example.org")):
        with pytest.raises(Invalid) as refused:
            await save_nomination(settings, user, category, values, submit=True)
        assert refused.value.errors == {
            "self_nomination": "This category does not accept self-nominations. Nothing was saved."
        }
    await nothing_saved()


async def test_more_nominations_than_the_limit_are_refused(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle, max_per_nominator=1)
    user = await make_user(language="en")
    await save_nomination(settings, user, category, colleague(1), submit=True)
    mails = await OutboxMessage.all().count()
    with pytest.raises(Invalid) as refused:
        await save_nomination(settings, user, category, colleague(2), submit=True)
    assert refused.value.errors == {
        "category": "You have made 1 nominations in this category, the most it allows. "
        "Nothing was saved."
    }
    assert await Nomination.all().count() == 1
    assert await OutboxMessage.all().count() == mails


async def test_missing_evidence_is_refused_field_by_field(settings, db):
    cycle = await make_cycle()
    category = await make_category(
        cycle, required_fields=[EvidenceField.STATEMENT.value], min_links=2, min_files=1
    )
    user = await make_user(language="en")
    with pytest.raises(Invalid) as refused:
        await save_nomination(settings, user, category, colleague(statement=""), submit=True)
    assert refused.value.errors == {
        "statement": "This category requires this field.",
        "work_links": "This category asks for at least 2 links to the work.",
        "files": "This category asks for at least 1 files; this nomination has 0.",
    }
    await nothing_saved()


async def test_a_nominee_without_name_or_e_mail_is_refused(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle)
    user = await make_user(language="en")
    values = colleague(nominee_name_ar="", nominee_name_en="", nominee_email="not-an-address")
    with pytest.raises(Invalid) as refused:
        await save_nomination(settings, user, category, values, submit=True)
    assert refused.value.errors == {
        "nominee_name_ar": "Give the nominee's name in Arabic or in English.",
        "nominee_email": "Give the nominee's e-mail address, so they can accept.",
    }
    await nothing_saved()


async def test_a_nomination_a_second_after_the_deadline_is_refused(settings, db):
    cycle = await make_cycle(nominations_close=now() - dt.timedelta(seconds=1))
    category = await make_category(cycle)
    user = await make_user(language="en")
    for submit in (False, True):
        with pytest.raises(DeadlinePassed) as refused:
            await save_nomination(settings, user, category, colleague(), submit=submit)
        assert refused.value.message.startswith("Nominations closed on ")
        assert refused.value.message.endswith("Nothing was changed.")
    await nothing_saved()


async def test_a_nomination_before_nominations_open_is_refused(settings, db):
    cycle = await make_cycle(phase="upcoming")
    category = await make_category(cycle)
    user = await make_user(language="en")
    with pytest.raises(PhaseClosed) as refused:
        await save_nomination(settings, user, category, colleague(), submit=True)
    assert refused.value.message.startswith("Nominations open on ")
    await nothing_saved()


async def test_an_unverified_nominator_is_refused(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle)
    user = await make_user(verified=False, language="en")
    with pytest.raises(Forbidden) as refused:
        await save_nomination(settings, user, category, colleague(), submit=True)
    assert refused.value.message == "Verify your e-mail address before you nominate."
    await nothing_saved()


async def test_two_nominators_at_the_same_moment_end_as_one_nomination_crediting_both(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle)
    first, second = await make_user(language="en"), await make_user(language="ar")
    results = await asyncio.gather(
        save_nomination(settings, first, category, colleague(statement="A"), submit=True),
        save_nomination(settings, second, category, colleague(statement="B"), submit=True),
    )
    in_race = await Nomination.filter(state=NominationState.AWAITING_NOMINEE)
    assert len(in_race) == 1
    kept = in_race[0]
    credited = await NominationCredit.filter(nomination_id=kept.id).order_by("user_id")
    assert sorted(c.user_id for c in credited) == sorted([first.id, second.id])
    merged = await Nomination.get(state=NominationState.MERGED)
    assert merged.merged_into_id == kept.id
    assert {r.merged_into.id for r in results if r.merged_into} == {kept.id}
    merge = await NominationMerge.get(merged_id=merged.id)
    assert merge.reason.value == "same_email"
    assert len(await mails_to("sara1@news.example.sa")) == 1  # one invitation, not two


async def test_the_same_nominator_submitting_twice_at_once_makes_one_nomination(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle, max_per_nominator=1)
    user = await make_user(language="en")
    results = await asyncio.gather(
        save_nomination(settings, user, category, colleague(), submit=True),
        save_nomination(settings, user, category, colleague(), submit=True),
    )
    assert await Nomination.all().count() == 1
    assert {r.nomination.id for r in results} == {(await Nomination.get()).id}
    assert [r.unchanged for r in results].count(True) == 1
    assert await NominationVersion.all().count() == 1


async def test_a_repeated_save_with_the_same_form_key_keeps_one_draft(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle)
    user = await make_user()
    await asyncio.gather(
        *(save_nomination(settings, user, category, colleague(), form_key="k1") for _ in range(2))
    )
    assert await Nomination.filter(state=NominationState.DRAFT).count() == 1


async def test_my_nominations_lists_what_credits_me_including_merges(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle)
    first, second = await make_user(), await make_user()
    kept = await save_nomination(settings, first, category, colleague(), submit=True)
    await save_nomination(settings, second, category, colleague(), submit=True)
    mine = await nominations.my_nominations(second, cycle)
    assert [n.id for n in mine] == [kept.nomination.id]
    assert await nominations.my_nominations(await make_user()) == []


def test_the_fingerprint_is_the_same_for_the_same_content_in_any_order():
    a = {"work_links": ["x"], "statement": "ب", "files": []}
    b = {"files": [], "statement": "ب", "work_links": ["x"]}
    assert nominations.fingerprint(a) == nominations.fingerprint(b)
    assert nominations.fingerprint(a) != nominations.fingerprint({**a, "statement": "ت"})


def test_a_self_nomination_takes_the_nominators_identity():
    from accounts.models import User

    user = User(email="A@Example.org", name_ar="أ", name_en="A", language="en")
    data = nominations._own_values(user, NominationInput(self_nomination=True))
    assert (data["nominee_email"], data["nominee_name_en"], data["relation"]) == (
        "a@example.org",
        "A",
        Relation.SELF,
    )


async def test_a_refusal_reads_in_the_nominators_language(settings, db):
    from core.i18n import use_locale

    cycle = await make_cycle()
    category = await make_category(cycle, self_nomination=False)
    user = await make_user()
    with use_locale("ar"), pytest.raises(Invalid) as refused:
        await save_nomination(settings, user, category, colleague(self_nomination=True))
    assert refused.value.errors == {
        "self_nomination": "لا تقبل هذه الفئة الترشيح الذاتي. لم يُحفظ شيء."
    }


async def test_a_required_question_left_unanswered_refuses_a_submit_not_a_draft(settings, db):
    cycle = await make_cycle()
    category = await make_category(cycle)
    asked = await CategoryQuestion.create(
        category=category, kind="yes_no", label_en="Broadcast live?", required=True
    )
    nominator = await make_user()
    with pytest.raises(Invalid) as refused:
        await save_nomination(settings, nominator, category, colleague(), submit=True)
    assert refused.value.errors == {asked.field_name: "This field is required."}
    await nothing_saved()
    draft = await save_nomination(settings, nominator, category, colleague())
    assert draft.version is None and draft.nomination.answers == {}
    answered = colleague(answers={str(asked.id): "yes"})
    saved = await save_nomination(
        settings, nominator, category, answered, nomination=draft.nomination, submit=True
    )
    assert saved.version is not None
    assert saved.version.snapshot["answers"] == {str(asked.id): "yes"}
    assert (await Nomination.get()).answers == {str(asked.id): "yes"}
