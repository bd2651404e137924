"""Nominations as judging entries: which enter, grouped by category, with the nominee and the
nominators for conflicts; what a judge reads, blind or not."""

from __future__ import annotations

from accounts.enums import ScopeType
from awards.enums import NominationState
from awards.models import CategoryQuestion, NominationCredit
from awards.services.entry_source import NominationSource, group_key
from core.questions import QuestionKind
from judging.models import Conflict, Entry
from judging.services import conflicts, entries
from judging.sources import sources
from tests.awards.factories import make_category, make_cycle
from tests.awards.jury import category_round, eligible, jury_judges
from tests.factories import make_user


async def test_only_eligible_nominations_are_candidates_grouped_by_category(db):
    cycle = await make_cycle(phase="jury")
    first, second = await make_category(cycle), await make_category(cycle)
    nominator = await make_user()
    kept = await eligible(cycle, first, nominator)
    other = await eligible(cycle, second, nominator)
    for state in (
        NominationState.DRAFT,
        NominationState.AWAITING_NOMINEE,
        NominationState.SUBMITTED,
        NominationState.DECLINED,
        NominationState.INELIGIBLE,
        NominationState.MERGED,
    ):
        await eligible(cycle, first, nominator, state=state)
    elsewhere = await make_cycle(phase="jury")
    await eligible(elsewhere, await make_category(elsewhere), nominator)
    found = await NominationSource().candidates(cycle.id)
    assert [(c.source_id, c.group_key) for c in found] == [
        (kept.id, group_key(first)),
        (other.id, group_key(second)),
    ]
    assert found[0].group_label_en == first.name_en
    assert found[0].team_label == f"{kept.nominee_name_ar} / {kept.nominee_name_en}"


async def test_the_nominee_and_every_nominator_are_members_for_conflicts(db):
    cycle = await make_cycle(phase="jury")
    category = await make_category(cycle)
    nominator = await make_user("editor@daily.example", organization="Al-Madina Daily")
    second = await make_user("friend@gmail.com", language="en")
    nomination = await eligible(
        cycle,
        category,
        nominator,
        nominee_email="sara@riyadh-daily.example",
        nominee_organization="Al-Riyadh Daily",
        work_outlet="Riyadh TV",
    )
    await NominationCredit.create(nomination=nomination, user=second)
    (found,) = await NominationSource().candidates(cycle.id)
    assert [(m.email, m.language) for m in found.members] == [
        ("sara@riyadh-daily.example", "ar"),
        ("editor@daily.example", "ar"),
        ("friend@gmail.com", "en"),
    ]
    assert found.organizations == ("Al-Madina Daily", "Al-Riyadh Daily", "Riyadh TV")


async def test_a_judge_sharing_an_outlet_or_domain_with_a_nominee_or_nominator_is_conflicted(
    db,
):
    organizer = await make_user()
    cycle = await make_cycle(phase="jury", organizer=organizer)
    category = await make_category(cycle)
    nominator = await make_user("editor@daily.example")
    await eligible(cycle, category, nominator, nominee_email="sara@riyadh-daily.example")
    (by_domain,) = await jury_judges(cycle, category, 1)
    by_domain.email = "critic@riyadh-daily.example"
    await by_domain.save()
    (colleague,) = await jury_judges(cycle, category, 1)
    colleague.email = "other@daily.example"
    await colleague.save()
    (clean,) = await jury_judges(cycle, category, 1)
    round_ = await category_round(organizer, cycle, category)
    await entries.refresh_entries(organizer, round_, NominationSource())
    await conflicts.detect_conflicts(None, ScopeType.AWARD_CYCLE.value, cycle.id)
    found = {c.judge_id: c.value for c in await Conflict.all()}
    assert found == {by_domain.id: "riyadh-daily.example", colleague.id: "daily.example"}
    assert clean.id not in found


async def test_a_judge_reads_the_work_and_in_a_blind_round_no_names(db):
    cycle = await make_cycle(phase="jury")
    category = await make_category(cycle)
    nominator = await make_user(name_en="Huda Editor", name_ar="هدى المحررة")
    nomination = await eligible(cycle, category, nominator, nominee_name_en="Sara Almutairi")
    source = NominationSource()
    full = await source.detail(nomination.id, blind=False)
    blind = await source.detail(nomination.id, blind=True)
    assert ("The work's title", nomination.work_title) in full.fields
    assert ("Nominee", "Sara Almutairi") in full.fields
    assert ("Nominated by", "Huda Editor") in full.fields
    text = " ".join(value for _label, value in blind.fields)
    assert nomination.work_title in text and "Sara" not in text and "Huda" not in text
    assert blind.links == [("Link 1", nomination.work_links[0])]


async def test_a_judge_reads_the_answers_to_the_categorys_questions(db):
    cycle = await make_cycle(phase="jury")
    category = await make_category(cycle)
    question = await CategoryQuestion.create(
        category=category,
        kind=QuestionKind.YES_NO,
        label_ar="هل نُشر العمل باسم المرشح؟",
        label_en="Was the work published under the nominee's name?",
        position=1,
    )
    nomination = await eligible(cycle, category, await make_user())
    nomination.answers = {str(question.id): "yes"}
    await nomination.save()
    blind = await NominationSource().detail(nomination.id, blind=True)
    assert ("Was the work published under the nominee's name?", "Yes") in blind.fields


async def test_the_source_is_registered_for_award_cycles(app):
    source = sources.get(ScopeType.AWARD_CYCLE.value)
    assert isinstance(source, NominationSource)
    cycle = await make_cycle(phase="jury")
    scope = await source.scope(cycle.id)
    assert (scope.title_en, scope.public_url, scope.public) == (
        cycle.name_en,
        f"/awards/{cycle.slug}",
        True,
    )
    assert await source.submissions_close(cycle.id) == cycle.appeals_close
    # several at once (a judge's queue): one statement, the unknown ones left out
    other = await make_cycle(phase="jury")
    found = await source.scope_infos([cycle.id, other.id, 999999])
    assert found == {cycle.id: scope, other.id: await source.scope(other.id)}
    assert found[other.id].title_en == other.name_en


async def test_a_categorys_round_takes_only_its_nominations(db):
    organizer = await make_user()
    cycle = await make_cycle(phase="jury", organizer=organizer)
    first, second = await make_category(cycle), await make_category(cycle)
    nominator = await make_user()
    mine = [await eligible(cycle, first, nominator) for _ in range(2)]
    await eligible(cycle, second, nominator)
    round_ = await category_round(organizer, cycle, first)
    await entries.refresh_entries(organizer, round_, NominationSource())
    assert sorted(await Entry.filter(round=round_).values_list("source_id", flat=True)) == [
        n.id for n in mine
    ]
