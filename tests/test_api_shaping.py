"""Shaping event lists: multi-key sorting, counts, field selection, embeds, Link headers, citations."""

import pytest


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("title", ["sykes-picot-agreement", "china-supplies-russian-imports", "iran-cut-off-from-proxies"]),
        ("-title", ["zelenskyy-rejects-donetsk-offer", "world-war-one", "trump-zelenskyy-meeting"]),
        ("type,-id", ["bolsheviks-expose-secret-treaties", "wwi-secret-treaties", "sykes-picot-agreement",
                      "nato-eu-arms-agreement", "eu-arms-for-ukraine"]),
        ("-date,title", ["trump-zelenskyy-meeting", "putin-trump-alaska-summit", "russia-china-trade-record-2023",
                         "sykes-picot-agreement", "china-supplies-russian-imports"]),
        ("date,-title", ["sykes-picot-agreement", "russia-china-trade-record-2023", "putin-trump-alaska-summit",
                         "trump-zelenskyy-meeting", "zelenskyy-rejects-donetsk-offer"]),
        ("status,-date", ["putin-trump-alaska-summit", "russia-china-trade-record-2023", "sykes-picot-agreement",
                          "zelenskyy-rejects-donetsk-offer"]),
    ],
)
def test_multi_key_sort(client, sort, first):
    assert ids(client.get("/api/v1/events", params={"sort": sort, "limit": len(first)})) == first


@pytest.mark.parametrize("sort", ["type", "-status,date", "date,title", "-end", "updated,-id"])
def test_cursors_never_skip_or_repeat_on_ties_and_nulls(client, sort):
    whole = ids(client.get("/api/v1/events", params={"sort": sort, "limit": 500}))
    assert sorted(whole) == sorted(set(whole)) and len(whole) == 25
    seen, url = [], f"/api/v1/events?sort={sort}&limit=3"
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["data"]]
        url = body["links"]["next"]
    assert seen == whole


def test_link_header_points_at_the_next_page(client):
    response = client.get("/api/v1/events", params={"limit": 2})
    assert response.headers["link"] == f'<{response.json()["links"]["next"]}>; rel="next"'
    last = client.get("/api/v1/events", params={"limit": 25})
    assert "link" not in last.headers


@pytest.mark.parametrize(("count", "total"), [("exact", 25), ("estimated", 25), ("true", 25)])
def test_counts(client, count, total):
    meta = client.get("/api/v1/events", params={"count": count, "limit": 1}).json()["meta"]
    assert (meta["total"], meta["total_exact"]) == (total, True)


def test_no_count_by_default(client):
    assert set(client.get("/api/v1/events", params={"limit": 1}).json()["meta"]) == {"limit", "next_cursor"}


def test_field_selection(client):
    body = client.get("/api/v1/events", params={"fields": "title,date", "limit": 2}).json()
    assert body["data"] == [
        {"id": "trump-zelenskyy-meeting", "title": "Trump to meet Zelenskyy on 18 August",
         "date": {"start": "2025-08-18", "end": "2025-08-18", "precision": "day"}},
        {"id": "putin-trump-alaska-summit", "title": "Putin and Trump meet in Alaska",
         "date": {"start": "2025-08-15", "end": "2025-08-15", "precision": "day"}},
    ]
    repeated = client.get("/api/v1/events", params={"fields": ["title", "date"], "limit": 2}).json()
    assert repeated["data"] == body["data"]


def test_include_narrows_and_widens_embeds(client):
    summit = "/api/v1/events?region=alaska"
    only_actors = client.get(summit + "&include=actors").json()["data"][0]
    assert set(only_actors) == {"id", "title", "summary", "type", "status", "date", "location", "source", "actors",
                                "links"}
    nothing = client.get(summit + "&include=").json()["data"][0]
    assert "actors" not in nothing and "quotes" not in nothing
    places = client.get(summit + "&include=countries,point").json()["data"][0]
    assert places["countries"] == ["US"]
    assert places["point"] == {"lon": -149.81, "lat": 61.25,
                               "region": {"id": "joint-base-elmendorf-richardson", "kind": "site"}}


def test_point_is_the_finest_located_region(client):
    body = client.get("/api/v1/events", params={"include": "point,countries", "region": "china"}).json()["data"]
    trade = next(e for e in body if e["id"] == "russia-china-trade-record-2023")
    # Two countries: the one coded first gives the point; both are listed as countries.
    assert trade["point"] == {"lon": 105.32, "lat": 61.52, "region": {"id": "russia", "kind": "country"}}
    assert trade["countries"] == ["CN", "RU"]


def test_citation(client):
    citation = client.get("/api/v1/events/putin-calls-for-secret-negotiations").json()["citation"]
    assert citation == {
        "source": {"id": "2025-08-15-putin-trump-alaska-summit",
                   "title": "Putin and Trump Met in Alaska to Broker Ceasefire",
                   "publisher": None, "published_date": None, "url": None},
        "spans": [{"start": 829, "end": 896}, {"start": 899, "end": 1082}, {"start": 2964, "end": 3047}],
        "text": "“Putin and Trump Met in Alaska to Broker Ceasefire”, n.d. Evidence at characters 829–896, "
        "899–1082, 2964–3047.",
    }
