"""The public vote's service (awards/services/public_vote.py): codes, verification, votes,
the log and its flags, rate limits, refusals that change nothing, and the voter's privacy."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from awards.models import PublicVote, VoteCode, VoteLog, Voter
from awards.services import public_vote
from awards.voters import keyed_hash, voter_key
from core import clock
from core.errors import Conflict, Invalid, NotFound, TooManyRequests
from core.mail.models import OutboxMessage
from tests.awards.factories import make_category, make_voting_cycle, shortlisted
from tests.factories import make_user

SECRET = "test-secret-key"
BASE = "http://testserver"
ADDRESS = "198.51.100.7"
CODE = re.compile(r"\b(\d{6})\b")


async def _code(cycle, email, lang="en", address=ADDRESS):  # noqa: ANN001, ANN202
    pending = await public_vote.request_code(cycle, email, lang, address, SECRET, BASE)
    mail = await OutboxMessage.filter(recipient=email).order_by("-id").first()
    return pending, CODE.search(mail.body_text).group(1), mail


async def _verified(cycle, email, address=ADDRESS):  # noqa: ANN001, ANN202
    pending, code, _mail = await _code(cycle, email, address=address)
    return await public_vote.verify_code(cycle, pending, code, SECRET)


async def _cast(cycle, category, nomination, voter, address=ADDRESS):  # noqa: ANN001, ANN202
    return await public_vote.cast(
        cycle, category.id, nomination.id, voter, address, "Mozilla/5.0 test", SECRET
    )


async def test_the_code_goes_by_mail_in_the_voters_language_and_verifies_once(db):
    cycle, _category, _finalists = await make_voting_cycle()
    pending, code, mail = await _code(cycle, "huda@example.org", lang="ar")
    assert mail.locale == "ar" and code in mail.subject and "رمز" in mail.subject
    assert f"{BASE}/awards/{cycle.slug}/vote" in mail.body_text
    assert pending.key == voter_key(SECRET.encode(), "huda@example.org")

    voter = await public_vote.verify_code(cycle, pending, code, SECRET)
    assert (await Voter.get(id=voter.voter_id)).key == pending.key
    with pytest.raises(Invalid) as used:
        await public_vote.verify_code(cycle, pending, code, SECRET)
    assert "already used" in used.value.errors["code"]
    assert await Voter.filter(cycle=cycle).count() == 1


async def test_a_code_expires_after_ten_minutes(db):
    cycle, _category, _finalists = await make_voting_cycle()
    pending, code, _mail = await _code(cycle, "omar@example.org")
    clock.travel(dt.timedelta(minutes=10, seconds=1))
    with pytest.raises(Invalid) as expired:
        await public_vote.verify_code(cycle, pending, code, SECRET)
    assert "expired" in expired.value.errors["code"]
    assert await Voter.all().count() == 0


async def test_after_five_wrong_tries_even_the_right_code_is_refused(db):
    cycle, _category, _finalists = await make_voting_cycle()
    pending, code, _mail = await _code(cycle, "omar@example.org")
    wrong = "000000" if code != "000000" else "111111"
    messages = []
    for _ in range(public_vote.CODE_TRIES):
        with pytest.raises(Invalid) as refused:
            await public_vote.verify_code(cycle, pending, wrong, SECRET)
        messages.append(refused.value.errors["code"])
    assert messages[0] == "This code is wrong. 4 tries left."
    assert messages[3] == "This code is wrong. 1 try left."
    assert "Ask for a new code" in messages[4]
    with pytest.raises(Invalid):
        await public_vote.verify_code(cycle, pending, code, SECRET)
    # a new code works
    pending, code, _mail = await _code(cycle, "omar@example.org")
    assert (await public_vote.verify_code(cycle, pending, code, SECRET)).voter_id


async def test_one_vote_per_voter_per_category_the_last_one_counts_and_every_change_is_logged(db):
    cycle, category, (first, second, _third) = await make_voting_cycle()
    voter = await _verified(cycle, "huda@example.org")
    done = await _cast(cycle, category, first, voter)
    assert not done.changed
    done = await _cast(cycle, category, second, voter)
    assert done.changed and done.nomination.id == second.id
    votes = await PublicVote.filter(category=category)
    assert [(v.nomination_id, v.changes, v.voided) for v in votes] == [(second.id, 1, False)]
    log = await VoteLog.filter(category=category).order_by("id")
    assert [row.nomination_id for row in log] == [first.id, second.id]
    secret = SECRET.encode()
    assert log[0].address_hash == keyed_hash(secret, "address", ADDRESS)
    assert log[0].subnet_hash == keyed_hash(secret, "subnet", "198.51.100.0/24")
    assert log[0].agent_hash == keyed_hash(secret, "agent", "Mozilla/5.0 test")
    assert log[0].shape_hash == keyed_hash(secret, "shape", "huda@example.org")
    assert 0 <= log[0].seconds_from_code < 5
    assert log[0].flags == ["fast"]


async def test_canonical_addresses_are_one_voter(db):
    cycle, category, (first, second, _third) = await make_voting_cycle()
    one = await _verified(cycle, "John.Doe+award@GoogleMail.com")
    other = await _verified(cycle, "johndoe@gmail.com")
    assert one.voter_id == other.voter_id
    await _cast(cycle, category, first, one)
    await _cast(cycle, category, second, other)
    assert await PublicVote.filter(category=category).count() == 1


async def test_refusals_change_nothing(db):
    cycle, category, finalists = await make_voting_cycle()
    voter = await _verified(cycle, "huda@example.org")
    outsider = (await shortlisted(cycle, await make_category(cycle), 1))[0]
    with pytest.raises(Invalid) as not_finalist:
        await _cast(cycle, category, outsider, voter)
    assert not_finalist.value.errors == {"nomination": "Choose one of the finalists."}
    silent = await make_category(cycle, public_vote=False)
    silent_finalist = (await shortlisted(cycle, silent, 1))[0]
    with pytest.raises(NotFound):
        await _cast(cycle, silent, silent_finalist, voter)
    clock.travel(dt.timedelta(days=6))  # the vote closed
    with pytest.raises(Conflict) as closed:
        await _cast(cycle, category, finalists[0], voter)
    assert closed.value.message == "The public vote is closed."
    with pytest.raises(Conflict):
        await public_vote.request_code(cycle, "x@example.org", "en", ADDRESS, SECRET, BASE)
    assert await PublicVote.all().count() == 0 and await VoteLog.all().count() == 0


async def test_a_vote_that_has_not_opened_is_refused(db):
    cycle, _category, _finalists = await make_voting_cycle(phase="jury")
    with pytest.raises(Conflict) as early:
        await public_vote.request_code(cycle, "x@example.org", "en", ADDRESS, SECRET, BASE)
    assert early.value.message.startswith("The public vote opens on ")
    assert await VoteCode.all().count() == 0


async def test_a_bad_address_is_refused(db):
    cycle, _category, _finalists = await make_voting_cycle()
    with pytest.raises(Invalid) as bad:
        await public_vote.request_code(cycle, "not-an-address", "en", ADDRESS, SECRET, BASE)
    assert bad.value.errors == {"email": "Enter a valid e-mail address."}
    assert await OutboxMessage.all().count() == 0


async def test_codes_per_voter_are_limited_and_the_refusal_says_when(db):
    cycle, _category, _finalists = await make_voting_cycle()
    for _ in range(public_vote.CODES_PER_VOTER):
        await _code(cycle, "huda@example.org")
    with pytest.raises(TooManyRequests) as refused:
        await _code(cycle, "Huda+again@example.org")
    assert refused.value.message == "Too many requests. Try again in 60 minutes."
    assert refused.value.retry_after > 3500
    assert await VoteCode.all().count() == public_vote.CODES_PER_VOTER
    # the refused code did not use up one of the address's codes
    from core import ratelimit

    assert await ratelimit.counted("vote-code-address", ADDRESS, 3600) == 5


async def test_codes_per_address_are_limited(db):
    cycle, _category, _finalists = await make_voting_cycle()
    for n in range(public_vote.CODES_PER_ADDRESS):
        await _code(cycle, f"person{n}@example.org")
    with pytest.raises(TooManyRequests):
        await _code(cycle, "one.more@example.org")


async def test_votes_per_address_per_minute_are_limited(db):
    cycle, category, finalists = await make_voting_cycle()
    voters = [
        await _verified(cycle, f"v{n}@example{n}.org", address=f"203.0.113.{n}")
        for n in range(public_vote.VOTES_PER_ADDRESS + 1)
    ]
    for voter in voters[:-1]:
        await _cast(cycle, category, finalists[0], voter, address="192.0.2.1")
    with pytest.raises(TooManyRequests) as refused:
        await _cast(cycle, category, finalists[0], voters[-1], address="192.0.2.1")
    assert re.fullmatch(
        r"Too many requests\. Try again in (\d+ seconds?|1 minute)\.", refused.value.message
    )
    assert await PublicVote.filter(voter_id=voters[-1].voter_id).count() == 0
    clock.travel(dt.timedelta(seconds=61))
    await _cast(cycle, category, finalists[0], voters[-1], address="192.0.2.1")


async def test_flags_disposable_burst_and_sequential(db):
    cycle, category, finalists = await make_voting_cycle()
    throwaway = await _verified(cycle, "someone@mailinator.com")
    assert throwaway.disposable
    clock.travel(dt.timedelta(minutes=1))
    assert (await _cast(cycle, category, finalists[0], throwaway)).flags == ["disposable"]

    clock.travel(dt.timedelta(minutes=2))  # a new burst window
    crowd = [
        await _verified(cycle, f"fan{n}@club.example", address=f"203.0.113.{n}") for n in range(10)
    ]
    clock.travel(dt.timedelta(minutes=1))
    raised = [
        (await _cast(cycle, category, finalists[1], voter, address="192.0.2.9")).flags
        for voter in crowd
    ]
    assert raised[0] == [] and raised[1] == []  # the first two voters of the shape
    assert raised[2] == ["sequential"]
    assert raised[9] == ["burst", "sequential"]  # the 10th vote from one address in a minute


async def test_a_verified_account_needs_no_code(db):
    cycle, category, finalists = await make_voting_cycle()
    user = await make_user("reader@example.org")
    voter = await public_vote.account_pass(cycle, user, SECRET)
    assert voter is not None and voter.code_sent is None
    assert voter.key == voter_key(SECRET.encode(), "reader@example.org")
    done = await _cast(cycle, category, finalists[0], voter)
    assert done.flags == []
    assert await public_vote.account_pass(cycle, await make_user(verified=False), SECRET) is None
    assert await public_vote.account_pass(cycle, None, SECRET) is None


async def test_the_raw_address_is_stored_nowhere_but_the_outbox(db):
    cycle, category, finalists = await make_voting_cycle()
    voter = await _verified(cycle, "Secret.Person+vote@example.org")
    await _cast(cycle, category, finalists[0], voter)
    from tortoise import connections

    conn = connections.get("default")
    stored = []
    for table in (
        "awards_voter",
        "awards_vote_code",
        "awards_public_vote",
        "awards_vote_log",
        "core_rate_limit",
        "core_audit_entry",
    ):
        stored.append(repr(await conn.execute_query_dict(f"SELECT * FROM {table}")))  # noqa: S608
    assert "secret" not in " ".join(stored).lower()
    assert await OutboxMessage.filter(recipient="Secret.Person+vote@example.org").count() == 1


async def test_counts_are_nothing_while_the_vote_is_open(db):
    cycle, category, (first, second, _third) = await make_voting_cycle()
    for n, chosen in enumerate((first, first, second)):
        voter = await _verified(cycle, f"voter{n}@example{n}.org")
        await _cast(cycle, category, chosen, voter)
    assert await public_vote.counts(cycle, category) == {}
    await PublicVote.filter(nomination=second).update(voided=True)
    clock.travel(dt.timedelta(days=6))
    assert await public_vote.counts(cycle, category) == {first.id: 2}
