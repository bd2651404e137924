"""The award's demo data loads through the services, with every state the issue asks for."""

from __future__ import annotations

import re

import pytest

from accounts import demo as accounts_demo
from awards import demo
from awards.enums import AppealState, NominationState
from awards.models import Appeal, Category, CategoryQuestion, Cycle, Nomination
from awards.services import duplicates
from core.cli import main
from core.clock import now
from tests.conftest import TEST_DATABASE_URL


async def test_the_demo_has_last_years_cycle_screened_and_this_years_open(settings, db):
    await accounts_demo.load(settings)
    started = now()
    lines = await demo.load(settings)
    assert abs((now() - started).total_seconds()) < 60  # the clock is back where it was
    assert "Media Excellence Award:" in lines
    last, current = (
        await Cycle.filter(slug__startswith="media-excellence-")
        .exclude(slug__endswith="-spring")
        .order_by("year", "id")
    )
    assert last.phase(now()).value == "results" and current.phase(now()).value == "nominations"
    names = await Category.filter(cycle_id=current.id).values_list("name_en", flat=True)
    assert names == [
        "Investigative report",
        "Documentary",
        "Photography",
        "Creative video",
        "Podcast",
        "AI-generated content",
        "Media personality of the year",
    ]
    old = await Nomination.filter(cycle_id=last.id).values_list("state", flat=True)
    assert sorted(old) == sorted(["eligible"] * 6 + ["ineligible"])
    states = await Nomination.filter(cycle_id=current.id).values_list("state", flat=True)
    assert states.count(NominationState.AWAITING_NOMINEE) == 3  # two of them likely twins
    assert NominationState.INELIGIBLE in states and NominationState.SUBMITTED in states
    appeal = await Appeal.get(nomination__cycle_id=current.id)
    assert appeal.state == AppealState.PENDING
    twins = await Nomination.filter(cycle_id=current.id, work_title="طرق بلا نهاية")
    assert len(twins) == 2 and twins[0].nominee_email != twins[1].nominee_email
    pairs = await duplicates.likely_duplicates(current)
    if duplicates.matching is not None:  # the similarity matcher is installed
        assert (twins[0].id, twins[1].id) in [(p.first, p.second) for p in pairs]
    # categories ask their own questions, in both languages, and the demo answers them
    asked = await CategoryQuestion.filter(category__cycle_id=current.id)
    assert len(asked) >= 2 and all(q.label_ar and q.label_en for q in asked)
    investigative = await Category.get(cycle_id=current.id, name_en="Investigative report")
    required = await CategoryQuestion.get(category=investigative, required=True)
    for twin in twins:
        assert twin.answers[str(required.id)] == "yes"


async def test_the_demo_loads_once_and_its_cycles_show_on_the_pages(settings, app, client):
    await accounts_demo.load(settings)
    await demo.load(settings)
    assert await demo.load(settings) == ["Award demo data is already there."]
    assert await Cycle.filter(slug__startswith="media-excellence-").count() == 3  # spring too
    last, current = (
        await Cycle.filter(slug__startswith="media-excellence-")
        .exclude(slug__endswith="-spring")
        .order_by("year", "id")
    )
    archive = (await client.get("/awards?lang=en")).text
    assert archive.index(current.name_en) < archive.index(last.name_en)
    page = (await client.get(f"/awards/{current.slug}?lang=ar")).text
    assert "التحقيق الاستقصائي" in page and "الشخصية الإعلامية للعام" in page
    assert "سجّل الدخول للترشيح" in page
    home = re.sub(r"<bdi[^>]*>|</bdi>", "", (await client.get("/?lang=en")).text)
    assert f'<a href="/awards/{current.slug}">{current.name_en}</a>' in home
    assert f'<a href="/awards/{last.slug}">{last.name_en}</a>' in home
    api = (await client.get(f"/api/v1/awards/{last.slug}")).json()
    assert api["phase"] == "results" and len(api["categories"]) == 7


@pytest.mark.skipif(
    bool(TEST_DATABASE_URL),
    reason="SQLite in this process: the PostgreSQL run would share Tortoise's per-process cache of "
    "insert statements (keyed by connection name, not dialect) with the tests after it",
)
def test_manassa_demo_on_a_fresh_database_loads_the_award(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path / 'demo.sqlite3'}")
    monkeypatch.setenv("UPLOADS_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("MAIL_DEV_SINK_DIR", str(tmp_path / "mail"))
    monkeypatch.setenv("SECURITY_ARGON2_PROFILE", "test")
    assert main(["migrate"]) == 0
    assert main(["demo", "--if-empty"]) == 0
    out = capsys.readouterr().out
    assert "Media Excellence Award:" in out
    assert "/awards/media-excellence-" in out
    assert main(["demo", "--if-empty"]) == 0
    assert "demo data not loaded" in capsys.readouterr().out


async def test_last_years_cycle_is_judged_per_category_and_its_shortlist_published(
    settings, app, client
):
    from judging.models import Round, ScoreSheet

    await accounts_demo.load(settings)
    lines = await demo.load(settings)
    last = await Cycle.filter(year__lt=now().year).get()
    assert last.shortlist_published_at is not None
    rounds = await Round.filter(scope_type="award_cycle", scope_id=last.id)
    # one closed round per category with eligible nominations (photography's was ruled out)
    assert len(rounds) == 5 and {r.state for r in rounds} == {"closed"}
    assert await ScoreSheet.filter(assignment__round__scope_id=last.id, state="submitted").count()
    assert any("last year's jury: judge@manassa.local" in line for line in lines)
    for lang, heading in (("ar", "القائمة القصيرة"), ("en", "The shortlist")):
        page = await client.get(f"/awards/{last.slug}/shortlist?lang={lang}")
        assert page.status_code == 200 and heading in page.text
        assert "Sara Almutairi" in page.text or "سارة المطيري" in page.text
    api = (await client.get(f"/api/v1/awards/{last.slug}/shortlist")).json()
    assert len(api["categories"]) == 5


async def test_the_demo_has_declared_vote_rules_and_jury_ballots(settings, db):
    from awards.models import JuryBallot
    from awards.services import voting
    from awards.tabulation import check_ballot

    await accounts_demo.load(settings)
    await demo.load(settings)
    last = await Cycle.get(slug__startswith="media-excellence-", year=now().year - 1)
    spring = await Cycle.get(slug__endswith="-spring")
    assert spring.phase(now()).value == "voting"
    # last year: every shortlisted category has declared rules and a valid ballot per juror
    counted = 0
    for category in await Category.filter(cycle=last):
        finalists = await voting.finalist_ids(category)
        if not finalists:
            continue
        ballots = await voting.ballots_for_count(category)
        config = voting.config_for(category, finalists)
        assert len(ballots) == config.quorum  # every juror who may rank a finalist voted
        for ballot in ballots:
            assert ballot.ranking
            check_ballot(ballot, config.finalists, partial=config.partial)
        counted += 1
    assert counted >= 3
    methods = set(await Category.filter(cycle=last).values_list("jury_method", flat=True))
    assert len(methods) > 1
    # the open vote: some jurors voted, not all
    for row in await voting.turnout(spring):
        assert row.finalists >= 3 and row.seats == 2 and row.cast == 1
    assert await JuryBallot.filter(category__cycle=spring).count() == 2


async def test_last_years_public_vote_is_reviewed_with_a_burst_voided(settings, db):
    from awards.models import FraudDecision, PublicVote
    from awards.services import fraud

    await accounts_demo.load(settings)
    await demo.load(settings)
    last = (await Cycle.all().order_by("year", "id"))[0]
    voted = await Category.filter(cycle_id=last.id, public_vote=True).order_by("position")
    assert voted and all(fraud.signed_off(c) for c in voted)
    (decision,) = await FraudDecision.all()
    assert (decision.action, decision.reason, decision.votes) == ("void", "burst", demo.DEMO_BURST)
    assert await fraud.fraud_counts(voted[0]) == [
        fraud.FraudCount("burst", "void", demo.DEMO_BURST)
    ]
    counted = await fraud.counted_votes(voted[0])
    assert sum(counted.values()) == demo.DEMO_VOTERS
    assert (
        await PublicVote.filter(category_id=voted[0].id).count()
        == demo.DEMO_VOTERS + demo.DEMO_BURST
    )


async def test_the_demos_public_vote_is_open_with_flagged_clusters(settings, app, client):
    from awards.models import PublicVote, VoteLog

    await accounts_demo.load(settings)
    lines = await demo.load(settings)
    cycle = await Cycle.get(slug__startswith="public-vote-")
    assert cycle.phase(now()).value == "voting" and cycle.shortlist_published_at is not None
    assert any(f"/awards/{cycle.slug}/vote" in line and "var/mail" in line for line in lines)
    logged = await VoteLog.filter(category__cycle_id=cycle.id)
    assert 300 <= len(logged) <= 600
    assert await PublicVote.filter(category__cycle_id=cycle.id).count() == len(logged)
    flags = [set(row.flags) for row in logged]
    assert sum("burst" in f for f in flags) >= 30
    assert sum("sequential" in f for f in flags) >= 10
    assert sum("disposable" in f for f in flags) >= 10
    assert sum(not f for f in flags) > len(flags) / 2
    assert all(cycle.voting_opens <= row.at <= now() for row in logged)
    # a newcomer finds the vote from the cycle's page and the shortlist
    page = (await client.get(f"/awards/{cycle.slug}?lang=en")).text
    assert f"/awards/{cycle.slug}/vote" in page
    shortlist = (await client.get(f"/awards/{cycle.slug}/shortlist?lang=en")).text
    assert shortlist.count('data-testid="vote-action"') == 2
