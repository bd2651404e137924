"""Submissions seen by judging through the EntrySource protocol."""

from __future__ import annotations

from core.i18n import use_locale
from core.storage import StoredFile
from events.enums import QuestionKind, QuestionScope
from events.models import Track
from events.services import submissions, teams
from events.services.entry_source import SubmissionSource
from judging.sources import Member, sources
from tests.events.factories import make_event, make_question, make_team
from tests.factories import mail_links, make_user

LINKS = mail_links()
VALUES = {
    "title": "Verify first",
    "summary": "S",
    "problem": "P",
    "solution": "Sol",
    "audience": "A",
    "video_url": "https://v.example.org",
    "prototype_url": "",
}


async def submit(event, team, author, **changes):
    access = await teams.access(event, team)
    track = await Track.get(id=team.track_id)
    stored = await StoredFile.create(
        key=f"k{team.id}{len(changes)}",
        original_name="idea.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=3,
        sha256="ab" * 32,
        purpose="events.submission",
    )
    return await submissions.save(
        LINKS,
        author,
        access,
        values={**VALUES, **changes},
        track=track,
        answers=changes.pop("answers", {}),
        uploads=[(None, stored)],
        submit=True,
    )


async def test_scope_candidates_and_detail(db):
    event = await make_event(title_ar="ميدياثون", title_en="Mediathon")
    tested = await make_question(
        event, QuestionKind.YES_NO, scope=QuestionScope.SUBMISSION, label_en="Tested?"
    )
    one, two = await Track.filter(event=event).order_by("position")
    reem = await make_user(
        "reem@news.example", name_en="Reem", language="ar", organization="Al Ghad"
    )
    omar = await make_user("omar@uni.example", name_en="Omar", language="en", organization="KSU")
    ayn = await make_team(event, reem, omar, name="Ayn", track=one)
    draft_team = await make_team(event, await make_user(), name="Drafty", track=two)
    await submit(event, ayn, reem, answers={str(tested.id): "yes"})
    await submit(event, ayn, reem, title="Verify first, v2", answers={str(tested.id): "yes"})
    access = await teams.access(event, draft_team)
    await submissions.save(
        LINKS,
        draft_team.captain,
        access,
        values=VALUES,
        track=None,
        answers={},
        uploads=[],
        submit=False,
    )
    source = SubmissionSource()
    assert (source.scope_type, source.source) == ("event", "events.submission")
    info = await source.scope(event.id)
    assert (info.title_ar, info.title_en, info.time_zone, info.public_url) == (
        "ميدياثون",
        "Mediathon",
        "Asia/Riyadh",
        f"/events/{event.slug}",
    )
    assert await source.scope(999999) is None
    # several at once (a judge's queue): one statement, the unknown ones left out
    assert await source.scope_infos([event.id, 999999]) == {event.id: info}
    (candidate,) = await source.candidates(event.id)
    assert candidate.title_en == candidate.title_ar == "Verify first, v2"
    assert (candidate.group_key, candidate.group_label_en) == (str(one.id), "Track 1")
    assert (candidate.team_key, candidate.team_label) == (f"team:{ayn.id}", "Ayn")
    assert candidate.members == (
        Member(
            email="reem@news.example", language="ar", name=reem.display_name, organization="Al Ghad"
        ),
        Member(email="omar@uni.example", language="en", name=omar.display_name, organization="KSU"),
    )
    assert candidate.organizations == ("Al Ghad", "KSU")
    with use_locale("en"):
        open_detail = await source.detail(candidate.source_id, blind=False)
    labels = [label for label, _ in open_detail.fields]
    assert ("Title", "Verify first, v2") in open_detail.fields
    assert ("Tested?", "Yes") in open_detail.fields and ("Track", "Track 1") in open_detail.fields
    assert ("Team", "Ayn") in open_detail.fields and "Members" in labels
    assert open_detail.links == [("Video link", "https://v.example.org")]
    assert [f.original_name for f in open_detail.files] == ["idea.pdf", "idea.pdf"]
    blind = await source.detail(candidate.source_id, blind=True)
    assert not any(label in ("Team", "Members") for label, _ in blind.fields)
    assert "Ayn" not in str(blind.fields)


async def test_judges_read_the_submitted_version_not_the_working_copy(db):
    event = await make_event()
    author = await make_user()
    team = await make_team(event, author)
    saved = await submit(event, team, author)
    access = await teams.access(event, team)
    await submissions.save(
        LINKS,
        author,
        access,
        values={**VALUES, "title": "Unsent edit"},
        track=None,
        answers={},
        uploads=[],
        submit=False,
    )
    with use_locale("en"):
        detail = await SubmissionSource().detail(saved.submission.id, blind=True)
    assert ("Title", "Verify first") in detail.fields


async def test_the_source_is_registered_for_events(app):
    assert isinstance(sources.get("event"), SubmissionSource)
