"""The participant's dashboard: my events, my team, invitations, the submission, a countdown."""

from __future__ import annotations

import datetime as dt

from core import clock
from events.enums import InvitationState
from events.models import Submission, TeamInvitation
from tests.conftest import post_form
from tests.events.factories import QueryCounter, make_event, make_team, register, text_of
from tests.factories import make_user, sign_in


async def test_my_events_show_team_members_invitations_submission_and_time_left(client):
    event = await make_event(phase="submission", title_en="Mediathon 2026")
    reem = await make_user(language="en", name_en="Reem")
    omar = await make_user(language="en", name_en="Omar")
    team = await make_team(event, reem, omar, name="Ayn")
    await Submission.create(event=event, team=team, title="Verify first")
    clock.travel(
        event.submissions_close
        - clock.now()
        - dt.timedelta(days=2, hours=3, minutes=30, seconds=30)
    )
    await TeamInvitation.create(
        event=event,
        team=team,
        email="lina@example.org",
        token="a" * 32,
        expires_at=clock.now() + dt.timedelta(days=3),
    )
    other = await make_event(phase="registration", title_en="Mediathon Next")  # as of now
    await register(reem, other)
    foreign = await make_team(other, await make_user(), name="Bots")
    invite = await TeamInvitation.create(
        event=other,
        team=foreign,
        email=reem.email,
        token="b" * 32,
        expires_at=clock.now() + dt.timedelta(days=3),
    )
    await sign_in(client, reem)
    response = await client.get("/me/events")
    text = text_of(response.text)
    assert "Mediathon 2026" in text and "Mediathon Next" in text
    assert "Team Ayn" in text and "Reem (captain), Omar" in text
    assert "Invitations waiting for an answer: lina@example.org" in text
    assert "Submission: Draft · Verify first" in text
    assert "Submissions close: " in text and "in 2 days 3 hours 30 minutes" in text
    assert "You are registered but not in a team yet." in text
    assert "Invitations for you" in text and "Team Bots" in text
    link = f"/events/{other.slug}/invitations/"
    assert f'href="{link}' in response.text
    invite.state = InvitationState.DECLINED
    await invite.save()
    assert "Invitations for you" not in text_of((await client.get("/me/events")).text)
    # each card is kept by every value it shows (events.views): a minute of the clock, an
    # idea renamed and an invitation answered show on the very next visit
    clock.travel(dt.timedelta(minutes=1))
    await Submission.filter(team=team).update(title="Check twice")
    await TeamInvitation.filter(team=team).update(state=InvitationState.DECLINED)
    text = text_of((await client.get("/me/events")).text)
    assert "in 2 days 3 hours 29 minutes" in text and "Submission: Draft · Check twice" in text
    assert "lina@example.org" not in text


async def test_my_events_run_a_fixed_number_of_queries(client):
    user = await make_user(language="en")
    await sign_in(client, user)
    for _ in range(2):
        event = await make_event()
        await make_team(event, user, await make_user())
    with QueryCounter() as few:
        await client.get("/me/events")
    for n in range(6):
        event = await make_event()
        team = await make_team(event, user, await make_user())
        await Submission.create(event=event, team=team, title=f"Idea {n}", version_count=n % 2)
    with QueryCounter() as many:
        response = await client.get("/me/events")
    assert response.text.count("event-card") == 8
    assert few.count == many.count
    # the person; my events with my teams, tracks, ideas and where the judges' feedback on
    # them is (submitted ideas); my teams' members, their pending invitations and the
    # invitations to me
    assert many.count == 3, many.statements


async def test_nothing_yet(client):
    await sign_in(client, await make_user(language="en"))
    text = text_of((await client.get("/me/events")).text)
    assert "You have not registered for an event yet." in text
    client.cookies.clear()
    response = await client.get("/me/events")
    assert response.status_code == 303 and "/login" in response.headers["location"]


async def test_only_the_captain_sees_and_may_withdraw_the_submission(client):
    event = await make_event(phase="submission")
    captain = await make_user(language="en")
    member = await make_user(language="en")
    team = await make_team(event, captain, member, name="Ayn")
    await Submission.create(event=event, team=team, title="Verify first")
    page = f"/events/{event.slug}/teams/{team.id}"
    withdraw = f"{page}/submission/withdraw"

    await sign_in(client, member)
    html = (await client.get(page)).text
    assert "Edit the idea" in text_of(html)  # a member still edits the idea
    assert withdraw not in html and "Withdraw the submission" not in text_of(html)
    refused = await post_form(client, withdraw, {}, page=page)
    assert refused.status_code == 403
    assert "You do not have permission to do this." in text_of(refused.text)
    assert (await Submission.get(team=team)).state == "draft"

    client.cookies.clear()
    await sign_in(client, captain)
    html = (await client.get(page)).text
    assert f'action="http://testserver{withdraw}"' in html
    assert "Withdraw the submission" in text_of(html)
    done = await post_form(client, withdraw, {}, page=page)
    assert done.status_code == 303
    assert (await Submission.get(team=team)).state == "withdrawn"


async def test_my_events_newest_deadline_first_track_names_and_invitations_newest_first(client):
    earlier = await make_event(phase="registration", title_en="Earlier", title_ar="")
    later = await make_event(phase="submission", title_en="", title_ar="لاحقة")
    later.submissions_close = earlier.submissions_close + dt.timedelta(days=30)
    await later.save()
    reem = await make_user(language="en", name_en="", name_ar="ريم")
    omar = await make_user(language="en", name_en="Omar", email="omar.h@example.org")
    team = await make_team(earlier, reem, omar, name="Ayn")
    await register(reem, later)
    for n, email in enumerate(["first@example.org", "second@example.org"]):
        await TeamInvitation.create(
            event=earlier,
            team=team,
            email=email,
            token=str(n) * 32,
            expires_at=clock.now() + dt.timedelta(days=3),
        )
        clock.travel(dt.timedelta(minutes=1))
    for n, (name, days) in enumerate([("Old", 3), ("Gone", 0), ("New", 3)]):
        other = await make_team(later, await make_user(), name=name)
        await TeamInvitation.create(
            event=later,
            team=other,
            email=reem.email,
            token=str(n + 5) * 32,
            expires_at=clock.now() + dt.timedelta(days=days, seconds=30),
        )
        clock.travel(dt.timedelta(minutes=1))
    await sign_in(client, reem)
    html = (await client.get("/me/events")).text
    text = text_of(html)
    assert text.index("لاحقة") < text.index("Earlier")  # the later deadline first
    assert '<bdi dir="auto" lang="ar">لاحقة</bdi>' in html  # the other language, marked
    assert "Team Ayn · Track 1" in text
    assert "ريم (captain), Omar" in text
    waiting = '<span dir="ltr">second@example.org</span>, <span dir="ltr">first@example.org</span>'
    assert "Invitations waiting for an answer" in text and waiting in html
    assert text.index("Team New") < text.index("Team Old") and "Team Gone" not in text
