"""The public JSON API and its OpenAPI document."""

from __future__ import annotations

import datetime as dt

from core import clock
from core.openapi import OpenAPIRegistry, registry
from events.enums import Visibility
from events.models import Event, Track
from events.services.entry_source import SubmissionSource
from judging.enums import Method
from judging.models import Entry, Round, ScoreSheet
from judging.services import decisions, publication
from tests.events.factories import make_event
from tests.events.judged import JUDGING_LINKS, judged_event

AT = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
DATES = {
    "registration_opens": AT,
    "registration_closes": AT + dt.timedelta(days=9),
    "submissions_open": AT + dt.timedelta(days=1),
    "submissions_close": AT + dt.timedelta(days=20),
    "judging_starts": None,
    "judging_ends": None,
    "results_at": AT + dt.timedelta(days=40),
}


def freeze_at(moment: dt.datetime) -> None:
    clock.travel(moment - clock.now())


async def published_stamp(round_id: int) -> str:
    """When the round was published, as the API writes it (UTC, to the second, with a Z). The
    clock is moved to AT but keeps running while the test sets the event up, so on a slow
    database the moment can be a second or two past AT."""
    published = (await Round.get(id=round_id)).publish_at
    assert published is not None and AT <= published < AT + dt.timedelta(minutes=1)
    return published.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_the_event_list(client):
    freeze_at(AT + dt.timedelta(days=2))
    event = await make_event(
        slug="mediathon-2026", title_ar="ميدياثون 2026", title_en="Mediathon 2026", **DATES
    )
    await make_event(published=False)
    response = await client.get("/api/v1/events")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "events": [
            {
                "slug": "mediathon-2026",
                "title": {"ar": "ميدياثون 2026", "en": "Mediathon 2026"},
                "phase": "submission",
                "time_zone": "Asia/Riyadh",
                "timeline": {
                    "registration_opens": "2026-11-20T06:00:00Z",
                    "registration_closes": "2026-11-29T06:00:00Z",
                    "submissions_open": "2026-11-21T06:00:00Z",
                    "submissions_close": "2026-12-10T06:00:00Z",
                    "judging_starts": None,
                    "judging_ends": None,
                    "results_at": "2026-12-30T06:00:00Z",
                },
                "url": "http://testserver/events/mediathon-2026",
            }
        ]
    }
    assert event.slug in response.content.decode() and "ميدياثون" in response.content.decode()


async def test_one_event_with_its_tracks(client):
    freeze_at(AT + dt.timedelta(days=2))
    event = await make_event(
        slug="mediathon-2026",
        description_en="About",
        rules_ar="قواعد",
        team_min=2,
        team_max=4,
        **DATES,
    )
    await Track.filter(event=event, position=1).update(
        name_ar="مكافحة الشائعات", name_en="Countering misinformation", description_en="Check news."
    )
    track_ids = await Track.filter(event=event).order_by("position").values_list("id", flat=True)
    body = (await client.get("/api/v1/events/mediathon-2026")).json()
    assert body["description"] == {"ar": "", "en": "About"}
    assert body["rules"] == {"ar": "قواعد", "en": ""}
    assert body["team_size"] == {"min": 2, "max": 4}
    assert body["tracks"] == [
        {
            "id": track_ids[0],
            "name": {"ar": "مكافحة الشائعات", "en": "Countering misinformation"},
            "description": {"ar": "", "en": "Check news."},
        },
        {
            "id": track_ids[1],
            "name": {"ar": "مسار 2", "en": "Track 2"},
            "description": {"ar": "", "en": ""},
        },
    ]
    assert body["phase"] == "submission" and body["slug"] == "mediathon-2026"


async def test_a_draft_or_unknown_event_is_404(client):
    draft = await make_event(published=False)
    for slug in (draft.slug, "nothing-here"):
        response = await client.get(f"/api/v1/events/{slug}")
        assert response.status_code == 404
        assert response.json() == {"error": "not_found"}


async def test_the_openapi_document_describes_these_endpoints(client):
    document = (await client.get("/api/v1/openapi.json")).json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://testserver/api/v1"}]
    assert set(document["paths"]) >= {"/events", "/events/{slug}"}
    detail = document["paths"]["/events/{slug}"]["get"]
    assert detail["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Event"
    }
    assert set(detail["responses"]) == {"200", "404"}
    schemas = document["components"]["schemas"]
    assert schemas["EventSummary"]["properties"]["phase"]["enum"] == [
        "upcoming",
        "registration",
        "preparation",
        "submission",
        "judging",
        "results",
    ]
    assert set(schemas["Timeline"]["required"]) == {
        "registration_opens",
        "registration_closes",
        "submissions_open",
        "submissions_close",
        "judging_starts",
        "judging_ends",
        "results_at",
    }
    refs = _refs(document)
    assert refs and all(r.removeprefix("#/components/schemas/") in schemas for r in refs)


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [
            r for v in node.values() for r in _refs(v)
        ]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_the_registry_takes_more_paths():
    other = OpenAPIRegistry(title="t", version="1")
    other.add_schema("Results", {"type": "object"})
    other.add_path("/events/{slug}/results", "GET", {"operationId": "getResults"})
    document = other.document("https://manassa.example/")
    assert document["paths"] == {"/events/{slug}/results": {"get": {"operationId": "getResults"}}}
    assert document["servers"] == [{"url": "https://manassa.example/api/v1"}]
    assert "/events" in registry.paths


# --- results ------------------------------------------------------------------------------------


def _entry(judged, title: str, team: str, track: int) -> dict:
    chosen = judged.tracks[track - 1]
    return {
        "id": judged.submissions[title].id,
        "title": {"ar": title, "en": title},
        "team": team,
        "track": {"id": chosen.id, "name": {"ar": f"مسار {track}", "en": f"Track {track}"}},
    }


async def test_the_published_results(client):
    freeze_at(AT)
    judged = await judged_event(slug="mediathon-2026")
    published_at = await published_stamp(judged.round.id)
    response = await client.get("/api/v1/events/mediathon-2026/results")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=30"
    verify = _entry(judged, "Verify first", "Ayn", 1)
    copilot = _entry(judged, "Local copilot", "Bots", 2)
    youth = _entry(judged, "Youth stories", "Youth", 1)
    assert response.json() == {
        "slug": "mediathon-2026",
        "title": {"ar": "ميدياثون", "en": "Mediathon"},
        "url": "http://testserver/events/mediathon-2026",
        "results_url": f"http://testserver/judging/event/{judged.event.id}/results",
        "rounds": [
            {
                "id": judged.round.id,
                "name": {"ar": "التحكيم", "en": "Online judging"},
                "published_at": published_at,
                "method": "mean",
                "winners": [
                    {"place": 1, "track": None, "rank": 1, "score": 95.0, "entry": verify},
                    {
                        "place": 1,
                        "track": copilot["track"],
                        "rank": 2,
                        "score": 61.25,
                        "entry": copilot,
                    },
                ],
                "honourable_mentions": [{"rank": 3, "score": 21.25, "entry": youth}],
                "ranking": [
                    {"rank": 1, "score": 95.0, "entry": verify},
                    {"rank": 2, "score": 61.25, "entry": copilot},
                    {"rank": 3, "score": 21.25, "entry": youth},
                ],
            }
        ],
    }


async def test_the_ranking_is_the_one_published_under_the_chosen_method(client):
    freeze_at(AT)
    judged = await judged_event(publish=False, slug="mediathon-2026")
    await judged.round.refresh_from_db()
    await decisions.set_method(judged.organizer, judged.round, Method.MEDIAN)
    scope = await SubmissionSource().scope(judged.event.id)
    await publication.publish(judged.organizer, judged.round, scope, JUDGING_LINKS)
    body = (await client.get("/api/v1/events/mediathon-2026/results")).json()
    (only,) = body["rounds"]
    assert only["method"] == "median"
    assert [(p["entry"]["team"], p["rank"], p["score"]) for p in only["ranking"]] == [
        ("Ayn", 1, 95.0),
        ("Bots", 2, 61.25),
        ("Youth", 3, 21.25),
    ]
    assert only["published_at"] == await published_stamp(judged.round.id)


async def test_results_are_404_until_published_whatever_the_phase(client):
    freeze_at(AT)
    judged = await judged_event(publish=False, slug="mediathon-2026")
    url = "/api/v1/events/mediathon-2026/results"
    for day, phase in ((0, "submission"), (16, "judging"), (30, "results")):
        freeze_at(AT + dt.timedelta(days=day))
        assert judged.event.phase(clock.now()).value == phase
        response = await client.get(url)
        assert response.status_code == 404
        assert response.json() == {"error": "not_found"}
    scope = await SubmissionSource().scope(judged.event.id)
    await publication.publish(
        judged.organizer, judged.round, scope, JUDGING_LINKS, at=AT + dt.timedelta(days=70)
    )
    assert (await client.get(url)).status_code == 404  # scheduled, not yet public
    freeze_at(AT + dt.timedelta(days=70))
    body = (await client.get(url)).json()
    assert body["rounds"][0]["published_at"] == "2027-01-29T06:00:00Z"


async def test_the_results_of_a_draft_or_unknown_event_are_404(client):
    freeze_at(AT)
    judged = await judged_event(slug="mediathon-2026")
    await Event.filter(id=judged.event.id).update(visibility=Visibility.DRAFT)
    for slug in ("mediathon-2026", "nothing-here"):
        response = await client.get(f"/api/v1/events/{slug}/results")
        assert response.status_code == 404
        assert response.json() == {"error": "not_found"}


async def test_an_entry_marked_without_scores_has_no_rank(client):
    freeze_at(AT)
    judged = await judged_event(publish=False, slug="mediathon-2026")
    await judged.round.refresh_from_db()
    # A mention for an entry nobody could score (all its judges found a conflict).
    entry = await Entry.get(round=judged.round, source_id=judged.submissions["Youth stories"].id)
    await ScoreSheet.filter(assignment__entry_id=entry.id).delete()
    scope = await SubmissionSource().scope(judged.event.id)
    await publication.publish(judged.organizer, judged.round, scope, JUDGING_LINKS)
    body = (await client.get("/api/v1/events/mediathon-2026/results")).json()
    (mention,) = body["rounds"][0]["honourable_mentions"]
    assert (mention["rank"], mention["score"], mention["entry"]["team"]) == (None, None, "Youth")
    assert [p["entry"]["team"] for p in body["rounds"][0]["ranking"]] == ["Ayn", "Bots"]


async def test_the_openapi_document_describes_the_results(client):
    document = (await client.get("/api/v1/openapi.json")).json()
    operation = document["paths"]["/events/{slug}/results"]["get"]
    assert operation["operationId"] == "getEventResults"
    assert set(operation["responses"]) == {"200", "404"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EventResults"
    }
    schemas = document["components"]["schemas"]
    assert schemas["ResultsRound"]["properties"]["method"]["enum"] == [
        "mean",
        "median",
        "trimmed_mean",
        "zscore",
        "leniency",
    ]
    assert set(schemas["EventResults"]["required"]) == {
        "slug",
        "title",
        "url",
        "results_url",
        "rounds",
    }
    refs = _refs(document)
    assert all(r.removeprefix("#/components/schemas/") in schemas for r in refs)
