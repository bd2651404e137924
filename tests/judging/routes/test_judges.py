"""Inviting judges, their answer, and conflicts declared, detected, added and lifted."""

from __future__ import annotations

import re

from accounts.models import Membership
from core.audit import AuditEntry
from judging.enums import ConflictKind, ConflictOrigin, JudgeState
from judging.models import Assignment, Conflict, Judge
from tests.conftest import body, first_link
from tests.factories import make_user, sign_in
from tests.judging.factories import follow, judge, organizer, page_text, post, ready_round
from tests.judging.sources import SCOPE_ID, candidate, member


async def test_an_invited_judge_accepts_from_the_mail_and_gets_the_role(client, deliver):
    invitee = await make_user("reem@media.example", language="ar", name_ar="ريم")
    await sign_in(client, await organizer(language="en"))
    page = await follow(
        client,
        await post(
            client,
            "/judging/event/1/judges",
            {"email": "Reem@Media.example", "name": "Reem", "language": "en"},
        ),
    )
    assert "The invitation has been sent to reem@media.example." in page_text(page.text)
    assert "reem@media.example Invited" in page_text(page.text)
    (mail,) = [m for m in await deliver() if m["To"] == "reem@media.example"]
    # the invitee has an account in Arabic: the mail follows their profile
    assert mail["Subject"] == "دعوة إلى تحكيم ميدياثون 2026"
    link = first_link(mail)
    assert link.startswith("http://testserver/judging/invitations/")
    client.cookies.clear()
    anonymous = await client.get(link + "?lang=en")
    assert "Sign in with it, or create an account with it, to answer." in page_text(anonymous.text)
    await sign_in(client, invitee)
    path = link.removeprefix("http://testserver")
    page = await follow(client, await post(client, path, {"answer": "accept"}))
    assert page.url.path == "/judging/queue"
    seat = await Judge.get(email="reem@media.example")
    assert (seat.state, seat.user_id) == (JudgeState.ACCEPTED, invitee.id)
    assert await Membership.filter(
        user=invitee, scope_type="event", scope_id=SCOPE_ID, role="judge"
    ).exists()
    assert await AuditEntry.filter(action="judging.invitation_accepted").exists()
    again = await client.get(path + "?lang=en")
    assert "This invitation has been accepted." in page_text(again.text)


async def test_an_invitation_answers_only_its_own_address(client, deliver):
    await sign_in(client, await organizer(language="en"))
    await post(client, "/judging/event/1/judges", {"email": "new@judge.example", "language": "en"})
    (mail,) = await deliver()
    assert mail["Subject"] == "You are invited to judge Mediathon 2026"
    assert "The organizers of Mediathon 2026 invite you to be a judge." in body(mail)
    path = first_link(mail).removeprefix("http://testserver")
    client.cookies.clear()
    await sign_in(client, await make_user("someone@else.example", language="en"))
    page = await client.get(path)
    assert (
        "This invitation was sent to new@judge.example. Sign in with that address to answer it."
    ) in page_text(page.text)
    response = await post(client, path, {"answer": "accept"})
    assert response.status_code == 403
    assert (await Judge.get(email="new@judge.example")).state == JudgeState.INVITED


async def test_a_judge_declines(client, deliver):
    invitee = await make_user("busy@judge.example", language="en")
    await sign_in(client, await organizer(language="en"))
    await post(client, "/judging/event/1/judges", {"email": invitee.email, "language": "en"})
    path = first_link((await deliver())[0]).removeprefix("http://testserver")
    client.cookies.clear()
    await sign_in(client, invitee)
    page = await follow(client, await post(client, path, {"answer": "decline"}))
    assert "You have declined the invitation." in page_text(page.text)
    assert (await Judge.get(email=invitee.email)).state == JudgeState.DECLINED
    assert not await Membership.filter(user=invitee, role="judge").exists()


async def test_inviting_an_accepted_judge_again_is_refused(client):
    seat = await judge()
    await sign_in(client, await organizer(language="en"))
    response = await post(
        client, "/judging/event/1/judges", {"email": seat.email, "language": "en"}
    )
    assert response.status_code == 409
    assert f"{seat.email} is already a judge here." in page_text(response.text)


async def test_a_bad_invitation_link_is_a_clear_404(client):
    response = await client.get("/judging/invitations/not-a-token?lang=en")
    assert response.status_code == 404
    assert "This invitation link is not valid. Ask the organizer for a new one." in page_text(
        response.text
    )


async def test_organizers_add_and_lift_conflicts_with_an_audit_trail(client, source):
    _round, seats = await ready_round(source)
    actor = await organizer(language="en")
    await sign_in(client, actor)
    response = await post(
        client,
        "/judging/event/1/conflicts",
        {
            "judge_id": str(seats[0].id),
            "kind": "organization",
            "value": "  Gulf   Media ",
            "reason": "Works there",
        },
    )
    page = await follow(client, response)
    assert "The conflict has been recorded." in page_text(page.text)
    conflict = await Conflict.get(judge=seats[0])
    assert (conflict.kind, conflict.value, conflict.origin) == (
        ConflictKind.ORGANIZATION,
        "gulf media",
        ConflictOrigin.ORGANIZER,
    )
    assert "Added by an organizer" in page_text(page.text)
    lift = f"/judging/event/1/conflicts/{conflict.id}/lift"
    page = await follow(client, await post(client, lift))
    assert "The conflict has been lifted." in page_text(page.text)
    assert (await Conflict.get(id=conflict.id)).active is False
    actions = [e.action for e in await AuditEntry.filter(actor_id=actor.id).order_by("id")]
    assert actions == ["judging.conflict_added", "judging.conflict_lifted"]


async def test_an_organizers_conflict_needs_a_reason_and_a_real_entry(client, source):
    _round, seats = await ready_round(source)
    await sign_in(client, await organizer(language="en"))
    response = await post(
        client,
        "/judging/event/1/conflicts",
        {"judge_id": str(seats[0].id), "kind": "entry", "value": "999", "reason": "x"},
    )
    assert response.status_code == 422
    assert "Choose an entry of this competition." in page_text(response.text)
    response = await post(
        client,
        "/judging/event/1/conflicts",
        {"judge_id": str(seats[0].id), "kind": "entry", "value": "101", "reason": ""},
    )
    assert response.status_code == 422
    assert "This field is required." in page_text(response.text)
    assert not await Conflict.exists()


async def test_a_judge_declares_a_team_conflict_and_the_entry_leaves_the_queue(client, source):
    round_, seats = await ready_round(source)
    user = await seats[0].user
    user.language = "en"
    await user.save()
    row = await Assignment.filter(judge=seats[0]).select_related("entry").first()
    await sign_in(client, user)
    response = await post(
        client,
        "/judging/event/1/my-conflicts",
        {"kind": "team", "value": row.entry.team_label.upper(), "reason": "My brother is in it"},
    )
    page = await follow(client, response)
    assert "Your conflict has been recorded." in page_text(page.text)
    assert f"Team: {row.entry.team_label} — My brother is in it" in page_text(page.text)
    queue = page_text((await client.get("/judging/queue")).text)
    assert row.entry.title_en not in queue
    assert (await client.get(f"/judging/entries/{row.entry_id}")).status_code == 404


async def test_a_judge_declares_a_conflict_from_the_scoring_page(client, source):
    round_, seats = await ready_round(source)
    user = await seats[0].user
    row = await Assignment.filter(judge=seats[0]).select_related("entry").first()
    await sign_in(client, user)
    url = f"/judging/entries/{row.entry_id}/conflict"
    refused = await post(client, url, {"reason": ""})
    assert refused.status_code == 422
    assert "Please correct 1 field below." in page_text(refused.text)
    # the field with the error is in a section that opens, not in a collapsed one
    box = re.search(r"<details[^>]*>(.*?)</details>", refused.text, flags=re.S)
    assert box and box.group(0).startswith('<details class="conflict-box" open>')
    assert 'aria-invalid="true"' in box.group(1) and 'id="e-reason"' in box.group(1)
    assert 'class="conflict-box">' in (await client.get(f"/judging/entries/{row.entry_id}")).text
    page = await follow(client, await post(client, url, {"reason": "I coached this team"}))
    assert page.url.path == "/judging/queue"
    conflict = await Conflict.get(judge=seats[0])
    assert (conflict.kind, conflict.value, conflict.reason, conflict.origin) == (
        ConflictKind.ENTRY,
        str(row.entry.source_id),
        "I coached this team",
        ConflictOrigin.DECLARED,
    )
    assert not await Assignment.filter(id=row.id).exists()


async def test_detection_from_the_judges_page(client):
    from judging.services import entries
    from tests.judging.factories import make_round
    from tests.judging.sources import standard_source

    source = standard_source(0)
    source.add(SCOPE_ID, candidate(7, members=(member("lead@newsroom.sa", "Lead"),)))
    round_ = await make_round()
    await entries.refresh_entries(None, round_, source)
    await judge(email="editor@newsroom.sa")
    await sign_in(client, await organizer(language="en"))
    page = await follow(client, await post(client, "/judging/event/1/conflicts/detect"))
    text = page_text(page.text)
    assert "1 new conflict detected." in text
    assert "Organization or e-mail domain: newsroom.sa" in text
    assert "Detected: shared organization or e-mail domain" in text
