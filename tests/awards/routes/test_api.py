"""The award's public JSON API and its OpenAPI entries."""

from __future__ import annotations

import datetime as dt
import json
import re

from awards.enums import EvidenceField, NomineeType
from core import clock
from tests.awards.factories import make_category, make_cycle
from tests.factories import make_user, sign_in

OPENS = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


async def test_the_list_has_published_cycles_newest_first_and_no_draft(client):
    clock.travel(OPENS + 5 * DAY - clock.now())
    old = await make_cycle(phase="results", year=2025, name_ar="جائزة 2025", name_en="Award 2025")
    new = await make_cycle(year=2026, name_ar="جائزة 2026", name_en="Award 2026")
    await make_cycle(published=False, year=2027)
    response = await client.get("/api/v1/awards")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    cycles = response.json()["cycles"]
    assert [c["slug"] for c in cycles] == [new.slug, old.slug]
    first = cycles[0]
    assert first["name"] == {"ar": "جائزة 2026", "en": "Award 2026"}
    assert first["year"] == 2026 and first["phase"] == "nominations"
    assert first["time_zone"] == "Asia/Riyadh"
    assert first["url"] == f"http://testserver/awards/{new.slug}"
    assert first["timeline"]["nominations_open"] == new.nominations_open.astimezone(
        dt.UTC
    ).isoformat(timespec="seconds").replace("+00:00", "Z")
    assert list(first["timeline"]) == [
        "nominations_open",
        "nominations_close",
        "screening_ends",
        "appeals_close",
        "jury_starts",
        "jury_ends",
        "shortlist_at",
        "voting_opens",
        "voting_closes",
        "results_at",
    ]
    assert cycles[1]["phase"] == "results"


async def test_a_cycle_with_its_categories_in_order_and_their_rules(client):
    clock.travel(OPENS + 5 * DAY - clock.now())
    cycle = await make_cycle(
        nominations_open=OPENS,
        nominations_close=OPENS + 30 * DAY,
        screening_ends=OPENS + 45 * DAY,
        appeals_close=OPENS + 52 * DAY,
        jury_starts=None,
        jury_ends=None,
        shortlist_at=None,
        voting_opens=None,
        voting_closes=None,
        results_at=OPENS + 100 * DAY,
        description_ar="وصف",
        description_en="About",
        rules_ar="شروط",
        rules_en="Rules",
    )
    second = await make_category(cycle, position=2, name_ar="البودكاست", name_en="Podcast")
    first = await make_category(
        cycle,
        position=1,
        name_ar="التحقيق",
        name_en="Investigation",
        nominee_type=NomineeType.GROUP,
        self_nomination=False,
        published_from=dt.date(2026, 1, 1),
        published_until=None,
        required_fields=[EvidenceField.WORK_TITLE.value],
        min_links=1,
        file_kinds=["pdf"],
        min_files=1,
        max_files=2,
        shortlist_size=3,
        public_vote=True,
        max_per_nominator=2,
    )
    response = await client.get(f"/api/v1/awards/{cycle.slug}")
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == cycle.slug and body["phase"] == "nominations"
    assert body["description"] == {"ar": "وصف", "en": "About"}
    assert body["rules"] == {"ar": "شروط", "en": "Rules"}
    assert body["timeline"]["nominations_open"] == "2026-11-20T06:00:00Z"
    assert body["timeline"]["nominations_close"] == "2026-12-20T06:00:00Z"
    assert body["timeline"]["jury_starts"] is None
    assert [c["id"] for c in body["categories"]] == [first.id, second.id]
    assert body["categories"][0] == {
        "id": first.id,
        "position": 1,
        "name": {"ar": "التحقيق", "en": "Investigation"},
        "description": {"ar": "", "en": ""},
        "citation_guidance": {"ar": "", "en": ""},
        "nominee_type": "group",
        "self_nomination": False,
        "publication_window": {"from": "2026-01-01", "until": None},
        "max_per_nominator": 2,
        "evidence": {
            "required_fields": ["work_title"],
            "min_links": 1,
            "file_kinds": ["pdf"],
            "min_files": 1,
            "max_files": 2,
        },
        "shortlist_size": 3,
        "public_vote": True,
    }


async def test_a_draft_or_unknown_cycle_is_a_404_even_for_its_organizer(client):
    organizer = await make_user()
    draft = await make_cycle(published=False, organizer=organizer)
    for path in (
        f"/api/v1/awards/{draft.slug}",
        "/api/v1/awards/nothing",
        "/api/v1/awards/" + "x" * 300,
    ):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.json() == {"error": "not_found"}
    await sign_in(client, organizer)
    assert (await client.get(f"/api/v1/awards/{draft.slug}")).status_code == 404
    assert (await client.get("/api/v1/awards")).json() == {"cycles": []}


async def test_the_openapi_document_describes_both_award_paths(client):
    document = (await client.get("/api/v1/openapi.json")).json()
    paths = document["paths"]
    listing = paths["/awards"]["get"]
    assert listing["operationId"] == "listAwardCycles"
    schema = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["properties"]["cycles"]["items"] == {
        "$ref": "#/components/schemas/AwardCycleSummary"
    }
    detail = paths["/awards/{slug}"]["get"]
    assert detail["operationId"] == "getAwardCycle"
    assert set(detail["responses"]) == {"200", "404"}
    assert detail["parameters"][0]["name"] == "slug"
    schemas = document["components"]["schemas"]
    for name in ("AwardCycleSummary", "AwardCycle", "AwardCategory", "AwardTimeline", "Bilingual"):
        assert name in schemas
    assert schemas["AwardCycleSummary"]["properties"]["phase"]["enum"][:2] == [
        "upcoming",
        "nominations",
    ]
    assert "Media Excellence Award" in document["info"]["description"]
    # every $ref points at a schema that exists
    for ref in re.findall(r'"#/components/schemas/(\w+)"', json.dumps(document)):
        assert ref in schemas


async def test_the_api_answers_match_the_documented_required_fields(client):
    cycle = await make_cycle()
    await make_category(cycle)
    document = (await client.get("/api/v1/openapi.json")).json()
    schemas = document["components"]["schemas"]
    body = (await client.get(f"/api/v1/awards/{cycle.slug}")).json()
    summary = (await client.get("/api/v1/awards")).json()["cycles"][0]
    assert set(schemas["AwardCycleSummary"]["required"]) == set(summary)
    extra = schemas["AwardCycle"]["allOf"][1]["required"]
    assert set(schemas["AwardCycleSummary"]["required"]) | set(extra) == set(body)
    assert set(schemas["AwardCategory"]["required"]) == set(body["categories"][0])
    assert set(schemas["AwardTimeline"]["required"]) == set(body["timeline"])
