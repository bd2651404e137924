"""The public vote's pages (awards/routes/vote.py) as a visitor uses them: the shortlist's Vote
action, the code by mail, verification, casting and changing a vote, and every refusal (with
a clear message, changing nothing)."""

from __future__ import annotations

import base64
import datetime as dt
import re

import httpx

from awards.models import PublicVote, VoteLog
from core import clock
from tests.awards.factories import make_category, make_voting_cycle, shortlisted
from tests.conftest import CSRF_INPUT, body
from tests.factories import make_user, sign_in

EMAIL = "Visitor.One+award@example.org"
BASE = "http://testserver"
CODE = re.compile(r"\b(\d{6})\b")


def _token(html: str) -> str:
    return CSRF_INPUT.search(html).group(1)


async def _ask_code(client, cycle, email=EMAIL, lang="en"):  # noqa: ANN001, ANN202
    page = await client.get(f"/awards/{cycle.slug}/vote?lang={lang}")
    assert page.status_code == 200, page.text
    return await client.post(
        f"/awards/{cycle.slug}/vote/code",
        data={"csrf_token": _token(page.text), "email": email, "then": ""},
    )


async def _verify(client, deliver, cycle, email=EMAIL, lang="en"):  # noqa: ANN001, ANN202
    assert (await _ask_code(client, cycle, email, lang)).status_code == 303
    mail = [m for m in await deliver() if m["To"] == email.lower()][-1]
    code = CODE.search(body(mail)).group(1)
    page = await client.get(f"/awards/{cycle.slug}/vote")
    answer = await client.post(
        f"/awards/{cycle.slug}/vote/verify",
        data={"csrf_token": _token(page.text), "code": code, "then": ""},
    )
    assert answer.status_code == 303, answer.text
    return mail, code


async def _vote(client, cycle, category, nomination):  # noqa: ANN001, ANN202
    page = await client.get(f"/awards/{cycle.slug}/vote/{category.id}")
    return await client.post(
        f"/awards/{cycle.slug}/vote/{category.id}",
        data={"csrf_token": _token(page.text), "nomination": str(nomination.id)},
    )


def _session(client: httpx.AsyncClient) -> str:
    cookie = client.cookies.get("session", "")
    data = cookie.split(".")[0]
    return base64.b64decode(data + "=" * (-len(data) % 4)).decode()


async def test_a_visitor_verifies_by_code_votes_and_changes_the_vote(client, deliver):
    cycle, category, (first, second, _third) = await make_voting_cycle()
    shortlist = await client.get(f"/awards/{cycle.slug}/shortlist?lang=en")
    assert f'href="{BASE}/awards/{cycle.slug}/vote/{category.id}"' in shortlist.text
    assert "The public vote is open until" in shortlist.text
    detail = await client.get(f"/awards/{cycle.slug}")
    assert f'href="{BASE}/awards/{cycle.slug}/vote"' in detail.text

    # the Vote action, before verification, leads to the e-mail form
    ballot = await client.get(f"/awards/{cycle.slug}/vote/{category.id}")
    assert ballot.status_code == 303
    assert ballot.headers["location"].endswith(f"/vote?category={category.id}")
    mail, code = await _verify(client, deliver, cycle)
    assert mail["Subject"] == f"Your code to vote: {code}"
    assert f"http://testserver/awards/{cycle.slug}/vote" in body(mail)

    page = await client.get(f"/awards/{cycle.slug}/vote")
    assert "Your e-mail is verified for this cycle." in page.text
    answer = await _vote(client, cycle, category, first)
    assert answer.status_code == 303
    page = await client.get(answer.headers["location"])
    assert f"Your vote for {first.nominee_name_ar}" not in page.text  # English page
    assert f"Your vote for {first.nominee_name_en} is recorded." in page.text
    assert f'You voted for <bdi dir="auto" lang="en">{first.nominee_name_en}</bdi>.' in page.text

    answer = await _vote(client, cycle, category, second)
    page = await client.get(answer.headers["location"])
    assert f"Your vote is changed: you now vote for {second.nominee_name_en}." in page.text
    assert f'You voted for <bdi dir="auto" lang="en">{second.nominee_name_en}</bdi>.' in page.text
    votes = await PublicVote.filter(category=category)
    assert [(v.nomination_id, v.changes) for v in votes] == [(second.id, 1)]
    assert await VoteLog.filter(category=category).count() == 2

    # no count anywhere, and the session holds hashes only
    for url in (
        f"/awards/{cycle.slug}/shortlist",
        f"/api/v1/awards/{cycle.slug}/shortlist",
        f"/api/v1/awards/{cycle.slug}",
    ):
        text = (await client.get(url)).text
        assert "votes" not in text.lower().replace("vote/", "")
    assert "visitor" not in _session(client).lower()
    assert "example.org" not in _session(client).lower()


async def test_the_code_comes_in_arabic_to_an_arabic_visitor(client, deliver):
    cycle, category, finalists = await make_voting_cycle()
    mail, code = await _verify(client, deliver, cycle, lang="ar")
    assert mail["Subject"] == f"رمزك للتصويت: {code}"
    page = await client.get(f"/awards/{cycle.slug}/vote/{category.id}")
    assert 'lang="ar"' in page.text and "المرشحون النهائيون" in page.text


async def test_the_cached_shortlist_is_the_same_for_every_anonymous_visitor(client, deliver):
    cycle, category, finalists = await make_voting_cycle()
    before = (await client.get(f"/awards/{cycle.slug}/shortlist")).text
    await _verify(client, deliver, cycle)
    await _vote(client, cycle, category, finalists[0])
    async with httpx.AsyncClient(
        transport=client._transport, base_url="http://testserver"
    ) as stranger:
        after = (await stranger.get(f"/awards/{cycle.slug}/shortlist")).text
    assert after == before and "You voted" not in after
    mine = (await client.get(f"/awards/{cycle.slug}/shortlist")).text
    assert "You voted" not in mine


async def test_a_wrong_code_says_how_many_tries_are_left(client, deliver):
    cycle, _category, _finalists = await make_voting_cycle()
    await _ask_code(client, cycle)
    mail = (await deliver())[-1]
    code = CODE.search(body(mail)).group(1)
    wrong = "123456" if code != "123456" else "654321"
    page = await client.get(f"/awards/{cycle.slug}/vote")
    answer = await client.post(
        f"/awards/{cycle.slug}/vote/verify",
        data={"csrf_token": _token(page.text), "code": wrong},
    )
    assert answer.status_code == 422
    assert "This code is wrong. 4 tries left." in answer.text
    assert "Your e-mail is verified" not in answer.text


async def test_an_unverified_visitor_cannot_vote(client):
    cycle, category, finalists = await make_voting_cycle()
    page = await client.get(f"/awards/{cycle.slug}/vote?lang=en")
    answer = await client.post(
        f"/awards/{cycle.slug}/vote/{category.id}",
        data={"csrf_token": _token(page.text), "nomination": str(finalists[0].id)},
    )
    assert answer.status_code == 404
    assert "Verify your e-mail first: then you can vote." in answer.text
    assert await PublicVote.all().count() == 0


async def test_a_forged_or_replayed_form_is_refused(client, deliver, app):
    cycle, category, finalists = await make_voting_cycle()
    await _verify(client, deliver, cycle)
    page = await client.get(f"/awards/{cycle.slug}/vote/{category.id}")
    token = _token(page.text)
    forged = await client.post(
        f"/awards/{cycle.slug}/vote/{category.id}",
        data={"csrf_token": "forged", "nomination": str(finalists[0].id)},
    )
    assert forged.status_code == 403
    assert "The form expired or was sent from another site." in forged.text
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        await other.get(f"/awards/{cycle.slug}/vote")
        replayed = await other.post(
            f"/awards/{cycle.slug}/vote/{category.id}",
            data={"csrf_token": token, "nomination": str(finalists[0].id)},
        )
    assert replayed.status_code == 403
    assert await PublicVote.all().count() == 0


async def test_a_non_finalist_or_a_category_without_a_public_vote_is_refused(client, deliver):
    cycle, category, finalists = await make_voting_cycle()
    other = await make_category(cycle, public_vote=False)
    stranger = (await shortlisted(cycle, other, 1))[0]
    await _verify(client, deliver, cycle)
    answer = await _vote(client, cycle, category, stranger)
    assert answer.status_code == 422
    assert "Choose one of the finalists." in answer.text
    page = await client.get(f"/awards/{cycle.slug}/vote/{category.id}")
    answer = await client.post(
        f"/awards/{cycle.slug}/vote/{other.id}",
        data={"csrf_token": _token(page.text), "nomination": str(stranger.id)},
    )
    assert answer.status_code == 404
    assert "This category has no public vote." in answer.text
    assert await PublicVote.all().count() == 0


async def test_a_closed_vote_is_refused(client, deliver):
    cycle, category, finalists = await make_voting_cycle()
    await _verify(client, deliver, cycle)
    page = await client.get(f"/awards/{cycle.slug}/vote/{category.id}")
    clock.travel(dt.timedelta(days=6))
    answer = await client.post(
        f"/awards/{cycle.slug}/vote/{category.id}",
        data={"csrf_token": _token(page.text), "nomination": str(finalists[0].id)},
    )
    assert answer.status_code == 409
    assert "The public vote is closed." in answer.text
    assert await PublicVote.all().count() == 0
    shortlist = await client.get(f"/awards/{cycle.slug}/shortlist")
    assert "/vote/" not in shortlist.text


async def test_too_many_codes_says_when_to_try_again(client):
    cycle, _category, _finalists = await make_voting_cycle()
    for _ in range(5):
        assert (await _ask_code(client, cycle)).status_code == 303
    answer = await _ask_code(client, cycle, lang="ar")
    assert answer.status_code == 429
    assert int(answer.headers["retry-after"]) > 3500
    assert "طلبات كثيرة. حاول مرة أخرى بعد 60 دقيقة." in answer.text


async def test_a_signed_in_person_with_a_verified_email_needs_no_code(client):
    cycle, category, finalists = await make_voting_cycle()
    await client.get("/?lang=en")
    await sign_in(client, await make_user("reader@example.org", language="en"))
    page = await client.get(f"/awards/{cycle.slug}/vote/{category.id}")
    assert page.status_code == 200 and "The finalists" in page.text
    answer = await _vote(client, cycle, category, finalists[0])
    assert answer.status_code == 303
    assert await PublicVote.filter(nomination=finalists[0]).count() == 1
