"""The demo data loads after the accounts demo, once."""

from __future__ import annotations

from accounts import demo as accounts_demo
from core.clock import now
from core.storage import StoredFile, upload_dir
from events import demo
from events.enums import Phase, SubmissionState
from events.fingerprint import canonical, fingerprint
from events.models import Event, Submission, SubmissionVersion, Team, Track


async def test_the_demo_loads_once_with_both_editions(settings, db):
    assert await demo.load(settings) == [
        "Mediathon demo data skipped: load the accounts demo first."
    ]
    await accounts_demo.load(settings)
    lines = await demo.load(settings)
    assert any("/events/mediathon-2026" in line for line in lines)
    current = await Event.get(slug="mediathon-2026")
    past = await Event.get(slug="mediathon-2025")
    assert current.published and current.phase(now()) == Phase.SUBMISSION
    assert past.phase(now()) == Phase.RESULTS
    names = await Track.filter(event=current).order_by("position").values_list("name_en", flat=True)
    assert names == ["Countering misinformation", "Digital media for youth", "AI in the newsroom"]
    assert await Team.filter(event=current).count() == 3
    states = sorted(await Submission.filter(event=current).values_list("state", flat=True))
    assert states == [SubmissionState.DRAFT, SubmissionState.SUBMITTED]
    assert await Submission.filter(event=past, state="submitted").count() == 3
    for version in await SubmissionVersion.all():
        assert version.fingerprint == fingerprint(version.snapshot)
        assert canonical(version.snapshot)
    for stored in await StoredFile.all():
        assert (upload_dir(settings) / stored.key).read_bytes().startswith(b"%PDF-1.4")
    assert await demo.load(settings) == ["Mediathon demo data is already there."]
    assert await Event.all().count() == 2
