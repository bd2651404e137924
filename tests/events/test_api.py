"""The public JSON API and its OpenAPI document."""

from __future__ import annotations

import datetime as dt

from core import clock
from events.api import OpenAPIRegistry, registry
from events.models import Track
from tests.events.builders import make_event

AT = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
DATES = {"registration_opens": AT, "registration_closes": AT + dt.timedelta(days=9),
         "submissions_open": AT + dt.timedelta(days=1),
         "submissions_close": AT + dt.timedelta(days=20), "judging_starts": None,
         "judging_ends": None, "results_at": AT + dt.timedelta(days=40)}


def freeze_at(moment: dt.datetime) -> None:
    clock.travel(moment - clock.now())


async def test_the_event_list(client):
    freeze_at(AT + dt.timedelta(days=2))
    event = await make_event(slug="mediathon-2026", title_ar="ميدياثون 2026",
                             title_en="Mediathon 2026", **DATES)
    await make_event(published=False)
    response = await client.get("/api/v1/events")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"events": [{
        "slug": "mediathon-2026",
        "title": {"ar": "ميدياثون 2026", "en": "Mediathon 2026"},
        "phase": "submission",
        "time_zone": "Asia/Riyadh",
        "timeline": {"registration_opens": "2026-11-20T06:00:00Z",
                     "registration_closes": "2026-11-29T06:00:00Z",
                     "submissions_open": "2026-11-21T06:00:00Z",
                     "submissions_close": "2026-12-10T06:00:00Z",
                     "judging_starts": None, "judging_ends": None,
                     "results_at": "2026-12-30T06:00:00Z"},
        "url": "http://testserver/events/mediathon-2026",
    }]}
    assert event.slug in response.content.decode() and "ميدياثون" in response.content.decode()


async def test_one_event_with_its_tracks(client):
    freeze_at(AT + dt.timedelta(days=2))
    event = await make_event(slug="mediathon-2026", description_en="About", rules_ar="قواعد",
                             team_min=2, team_max=4, **DATES)
    await Track.filter(event=event, position=1).update(name_ar="مكافحة الشائعات",
                                                       name_en="Countering misinformation",
                                                       description_en="Check news.")
    track_ids = await Track.filter(event=event).order_by("position").values_list("id", flat=True)
    body = (await client.get("/api/v1/events/mediathon-2026")).json()
    assert body["description"] == {"ar": "", "en": "About"}
    assert body["rules"] == {"ar": "قواعد", "en": ""}
    assert body["team_size"] == {"min": 2, "max": 4}
    assert body["tracks"] == [
        {"id": track_ids[0], "name": {"ar": "مكافحة الشائعات", "en": "Countering misinformation"},
         "description": {"ar": "", "en": "Check news."}},
        {"id": track_ids[1], "name": {"ar": "مسار 2", "en": "Track 2"},
         "description": {"ar": "", "en": ""}}]
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
        "$ref": "#/components/schemas/Event"}
    assert set(detail["responses"]) == {"200", "404"}
    schemas = document["components"]["schemas"]
    assert schemas["EventSummary"]["properties"]["phase"]["enum"] == [
        "upcoming", "registration", "preparation", "submission", "judging", "results"]
    assert set(schemas["Timeline"]["required"]) == {
        "registration_opens", "registration_closes", "submissions_open", "submissions_close",
        "judging_starts", "judging_ends", "results_at"}
    refs = _refs(document)
    assert refs and all(r.removeprefix("#/components/schemas/") in schemas for r in refs)


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [
            r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_the_registry_takes_more_paths():
    other = OpenAPIRegistry(title="t", version="1")
    other.add_schema("Results", {"type": "object"})
    other.add_path("/events/{slug}/results", "GET", {"operationId": "getResults"})
    document = other.document("https://manassa.example/")
    assert document["paths"] == {"/events/{slug}/results": {"get": {"operationId":
                                                                    "getResults"}}}
    assert document["servers"] == [{"url": "https://manassa.example/api/v1"}]
    assert "/events" in registry.paths
