"""Actors, regions, quotes and sources through the API, with exact values from the brief."""

from tests.helpers import HEAD_REVISION

BRIEF = "2025-08-15-putin-trump-alaska-summit"
STATEMENT = (
    "in order to approach the issue peacefully, it is necessary to conduct detailed conversations. "
    "And not in public, but this must be done calmly, in the quiet of the negotiation process."
)


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


def test_putin(client):
    assert client.get("/api/v1/actors/vladimir-putin").json() == {
        "id": "vladimir-putin",
        "name": "Vladimir Putin",
        "kind": "person",
        "aliases": ["Vladimir Putin", "Putin"],
        "description": "President of Russia.",
        "affiliation": {"id": "russia", "name": "Russia"},
        "links": {
            "self": "/api/v1/actors/vladimir-putin",
            "events": "/api/v1/actors/vladimir-putin/events",
            "quotes": "/api/v1/actors/vladimir-putin/quotes",
            "mentions": "/api/v1/actors/vladimir-putin/mentions",
            "network": "/api/v1/actors/vladimir-putin/network",
        },
    }


def test_actor_lists(client):
    assert ids(client.get("/api/v1/actors", params={"kind": "organization"})) == [
        "assad-government",
        "bolshevik-government",
        "european-union",
        "nato",
        "russian-sovereign-wealth-fund",
    ]
    assert ids(client.get("/api/v1/actors", params={"q": "moscow"})) == ["russia"]
    assert ids(client.get("/api/v1/actors", params={"q": "zelenskyy"})) == ["volodymyr-zelenskyy"]
    body = client.get("/api/v1/actors", params={"limit": 5, "count": "true"}).json()
    assert body["meta"]["total"] == 22
    assert [a["name"] for a in body["data"]] == ["Anton Siluanov", "Assad government", "Bashar al-Assad",
                                                 "Bolshevik government", "China"]


def test_putins_quoted_statement(client):
    body = client.get("/api/v1/actors/vladimir-putin/quotes").json()
    assert body["data"] == [
        {
            "id": "putin-secret-negotiations-statement",
            "text": STATEMENT,
            "kind": "statement",
            "speaker": {"id": "vladimir-putin", "name": "Vladimir Putin"},
            "source": {"id": BRIEF, "title": "Putin and Trump Met in Alaska to Broker Ceasefire"},
            "span": {"start": 899, "end": 1082},
            "events": [{"id": "putin-calls-for-secret-negotiations",
                        "title": "Putin argues that negotiations should be held in secret"}],
            "links": {"self": "/api/v1/quotes/putin-secret-negotiations-statement",
                      "source": f"/api/v1/sources/{BRIEF}"},
        }
    ]
    assert client.get("/api/v1/actors/donald-trump/quotes").json()["data"] == []


def test_quote_detail_and_lists(client):
    quote = client.get("/api/v1/quotes/china-trade-record").json()
    assert quote["span"] == {"start": 1752, "end": 1878}
    assert quote["kind"] == "excerpt"
    assert [e["id"] for e in quote["events"]] == ["china-supplies-russian-imports", "russia-china-trade-record-2023"]
    first_three = ids(client.get("/api/v1/quotes", params={"limit": 3}))
    assert first_three == ["lead-no-agreement", "summit-details", "no-ceasefire-announced"]
    body = client.get("/api/v1/quotes", params={"kind": "analysis", "count": "true", "limit": 1}).json()
    assert body["meta"]["total"] == 12
    assert ids(client.get("/api/v1/quotes", params={"event": "sykes-picot-agreement"})) == [
        "secrecy-recalls-imperialist-treaties",
        "sykes-picot-concluded",
    ]


def test_region_hierarchy(client):
    site = client.get("/api/v1/regions/joint-base-elmendorf-richardson").json()
    assert site["kind"] == "site"
    assert site["parent"] == {"id": "anchorage", "name": "Anchorage"}
    assert [r["id"] for r in site["path"]] == ["north-america", "united-states", "alaska", "anchorage"]
    assert (site["lat"], site["lon"]) == (61.25, -149.81)
    assert site["children"] == []
    ukraine = client.get("/api/v1/regions/ukraine").json()
    assert ukraine["iso_code"] == "UA"
    assert ukraine["children"] == [{"id": "donetsk-oblast", "name": "Donetsk Oblast"}]
    assert client.get("/api/v1/regions/alaska").json()["iso_code"] == "US-AK"


def test_region_lists(client):
    assert ids(client.get("/api/v1/regions", params={"within": "united-states"})) == [
        "alaska",
        "anchorage",
        "joint-base-elmendorf-richardson",
    ]
    assert ids(client.get("/api/v1/regions", params={"parent": "middle-east"})) == ["iran", "syria"]
    assert ids(client.get("/api/v1/regions", params={"kind": "world_region"})) == [
        "caucasus", "east-asia", "europe", "middle-east", "north-america", "south-asia"]
    assert ids(client.get("/api/v1/regions", params={"q": "britain"})) == ["united-kingdom"]
    assert client.get("/api/v1/regions", params={"count": "true"}).json()["meta"]["total"] == 21


def test_sources(client):
    body = client.get("/api/v1/sources").json()
    listed = {
        "id": BRIEF,
        "title": "Putin and Trump Met in Alaska to Broker Ceasefire",
        "publisher": None,
        "published_date": None,
        "url": None,
        "file_name": f"{BRIEF}.txt",
        "sha256": "fa96f930c16016120ed82a36b956676c24c9cc9a8af13f7fc52e3f3f5e8d1969",
        "length": 3883,
        "event_count": 25,
        "quote_count": 28,
        "links": {
            "self": f"/api/v1/sources/{BRIEF}",
            "events": f"/api/v1/events?source={BRIEF}",
            "quotes": f"/api/v1/quotes?source={BRIEF}",
        },
    }
    assert body["data"] == [listed]
    detail = client.get(f"/api/v1/sources/{BRIEF}").json()
    assert {k: v for k, v in detail.items() if k != "text"} == listed
    assert detail["text"].startswith("Putin and Trump Met in Alaska to Broker Ceasefire\n\n")
    assert detail["text"][899:1082] == STATEMENT


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["schema_revision"] == HEAD_REVISION
