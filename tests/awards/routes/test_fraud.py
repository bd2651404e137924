"""The organizer's public-vote pages: turnout and votes per hour, and the fraud review."""

from __future__ import annotations

import re

from awards.models import Category, FraudDecision, PublicVote
from core.audit import AuditEntry
from tests.awards.factories import make_cycle
from tests.awards.fraud_seed import seed
from tests.conftest import csrf
from tests.factories import make_user, sign_in


async def _organizer(client, phase: str, language: str = "en"):  # noqa: ANN001, ANN202
    organizer = await make_user(language=language)
    cycle = await make_cycle(phase=phase, organizer=organizer)
    s = await seed(cycle)
    await sign_in(client, organizer)
    return cycle, s


def _review(cycle, s) -> str:  # noqa: ANN001
    return f"/awards/{cycle.slug}/manage/votes/{s.category.id}/review"


async def test_the_votes_page_shows_turnout_and_the_plot_but_no_finalist(client):
    cycle, s = await _organizer(client, "voting")
    response = await client.get(f"/awards/{cycle.slug}/manage/votes")
    assert response.status_code == 200
    html = response.text
    assert re.search(r'data-testid="verified-voters">10<', html)
    assert re.search(r'data-testid="votes">10<', html)
    assert '<svg role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert 'data-testid="hours"' in html  # the table fallback
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []  # no inline script
    for finalist in s.finalists:
        assert finalist.nominee_name_en not in html


async def test_the_review_shows_clusters_without_naming_finalists_while_voting(client):
    cycle, s = await _organizer(client, "voting")
    response = await client.get(_review(cycle, s))
    assert response.status_code == 200
    html = response.text
    assert "burst:net-burst" in html and 'data-testid="share">100%' in html
    assert "not named while voting is open" in html
    for finalist in s.finalists:
        assert finalist.nominee_name_en not in html
    assert "@example.org" not in html  # never an address
    assert 'data-testid="sign-off"' not in html


async def test_voiding_a_cluster_with_a_reason_then_undo(client):
    cycle, s = await _organizer(client, "voting")
    token = await csrf(client, _review(cycle, s))
    url = _review(cycle, s) + "/cluster"
    refused = await client.post(
        url, data={"csrf_token": token, "cluster": "burst:net-burst", "action": "void"}
    )
    assert refused.status_code == 422
    assert "Choose one of the options." in refused.text
    assert await PublicVote.filter(voided=True).count() == 0

    done = await client.post(
        url,
        data={
            "csrf_token": token,
            "cluster": "burst:net-burst",
            "action": "void",
            "reason": "burst",
        },
    )
    assert done.status_code == 303
    page = await client.get(done.headers["location"])
    assert "Voided: 4 votes no longer count." in page.text
    assert re.search(r'data-testid="voided">4<', page.text)
    assert await PublicVote.filter(voided=True).count() == 4
    decision = await FraudDecision.get()
    undone = await client.post(
        _review(cycle, s) + f"/decisions/{decision.id}/undo", data={"csrf_token": token}
    )
    assert undone.status_code == 303
    assert await PublicVote.filter(voided=True).count() == 0
    assert await AuditEntry.filter(action="awards.fraud_undo").count() == 1


async def test_sign_off_after_voting_then_posts_are_refused_and_nothing_changes(client):
    cycle, s = await _organizer(client, "counting")
    token = await csrf(client, _review(cycle, s))
    page = await client.get(_review(cycle, s))
    assert s.finalists[1].nominee_name_en in page.text  # named once voting has closed
    signed = await client.post(_review(cycle, s) + "/sign-off", data={"csrf_token": token})
    assert signed.status_code == 303
    assert (await Category.get(id=s.category.id)).fraud_review_signed_at is not None
    refused = await client.post(
        _review(cycle, s) + "/vote",
        data={
            "csrf_token": token,
            "vote": str(s.honest[0].id),
            "action": "void",
            "reason": "burst",
        },
    )
    assert refused.status_code == 409
    assert "its decisions are final. Nothing was changed." in refused.text
    assert await PublicVote.filter(voided=True).count() == 0
    assert await FraudDecision.all().count() == 0


async def test_sign_off_is_refused_while_voting_is_open(client):
    cycle, s = await _organizer(client, "voting")
    token = await csrf(client, _review(cycle, s))
    refused = await client.post(_review(cycle, s) + "/sign-off", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "once voting closes" in refused.text
    assert (await Category.get(id=s.category.id)).fraud_review_signed_at is None


async def test_the_review_in_arabic(client):
    cycle, s = await _organizer(client, "voting", "ar")
    response = await client.get(_review(cycle, s))
    assert response.status_code == 200
    assert 'lang="ar"' in response.text
    assert "مراجعة الاحتيال" in response.text
