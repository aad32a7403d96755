"""Events through the API: exact facts of the seed brief, every filter, sorting and paging."""

import pytest

BRIEF = "2025-08-15-putin-trump-alaska-summit"
UNDATED_NEWEST_FIRST = [
    "zelenskyy-rejects-donetsk-offer",
    "wwi-secret-treaties",
    "world-war-one",
    "us-takes-control-of-zangezur-corridor",
    "twelve-day-war",
    "trump-threatens-tariffs",
    "trump-reframes-talks-as-peace-deal",
    "trump-demands-immediate-ceasefire",
    "secondary-sanctions-on-india",
    "sanctions-on-russia",
    "russian-war-in-ukraine",
    "russia-seeks-rapprochement-with-us",
    "russia-iran-alliance",
    "putin-offers-front-line-freeze",
    "putin-calls-for-secret-negotiations",
    "nato-eu-arms-agreement",
    "iran-cut-off-from-proxies",
    "eu-arms-for-ukraine",
    "china-supplies-russian-imports",
    "bolsheviks-expose-secret-treaties",
    "assad-government-collapse",
]
DATED_NEWEST_FIRST = [
    "trump-zelenskyy-meeting",
    "putin-trump-alaska-summit",
    "russia-china-trade-record-2023",
    "sykes-picot-agreement",
]


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


def test_the_summit_as_served(client):
    response = client.get("/api/v1/events/putin-trump-alaska-summit")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    event = response.json()
    assert event["title"] == "Putin and Trump meet in Alaska"
    assert event["type"] == "CONSULT"
    assert event["status"] == "occurred"
    assert event["date"] == {"start": "2025-08-15", "end": "2025-08-15", "precision": "day"}
    assert event["location"] == "Joint Base Elmendorf-Richardson, Anchorage, Alaska"
    assert event["actors"] == [
        {"id": "vladimir-putin", "name": "Vladimir Putin", "role": "participant"},
        {"id": "donald-trump", "name": "Donald Trump", "role": "participant"},
        {"id": "anton-siluanov", "name": "Anton Siluanov", "role": "participant"},
        {"id": "kirill-dmitriev", "name": "Kirill Dmitriev", "role": "participant"},
    ]
    assert event["regions"] == [{"id": "joint-base-elmendorf-richardson", "name": "Joint Base Elmendorf-Richardson"}]
    assert event["figures"] == [
        {"value": 3, "unit": "hours", "text": "roughly three hours", "span": {"start": 342, "end": 361}}
    ]
    assert event["source"] == {"id": BRIEF, "title": "Putin and Trump Met in Alaska to Broker Ceasefire"}
    assert [q["id"] for q in event["quotes"]] == [
        "summit-details",
        "lead-no-agreement",
        "no-ceasefire-announced",
        "siluanov-dmitriev-present",
        "summit-followed-defeats",
        "talks-no-genuine-peace",
        "summit-same-process",
        "negotiations-serve-capital",
    ]
    assert event["quotes"][0] == {
        "id": "summit-details",
        "text": "On August 15, 2025, Presidents Vladimir Putin and Donald Trump met for roughly three "
        "hours at Joint Base Elmendorf-Richardson in Anchorage, joined by top aides.",
        "kind": "excerpt",
        "speaker": None,
        "span": {"start": 271, "end": 431},
    }
    assert event["links"] == {
        "self": "/api/v1/events/putin-trump-alaska-summit",
        "source": f"/api/v1/sources/{BRIEF}",
    }


def test_every_span_is_the_exact_text_of_the_source(client):
    text = client.get(f"/api/v1/sources/{BRIEF}").json()["text"]
    events = client.get("/api/v1/events", params={"limit": 500}).json()["data"]
    assert len(events) == 25
    checked = 0
    for event in events:
        for quote in event["quotes"]:
            assert text[quote["span"]["start"] : quote["span"]["end"]] == quote["text"]
            checked += 1
        for figure in event["figures"]:
            assert text[figure["span"]["start"] : figure["span"]["end"]] == figure["text"]
            checked += 1
    assert checked == 43 + 7  # evidence quotes cited by events, and figures


def test_list_by_putin_returns_the_summit_with_evidence(client):
    response = client.get("/api/v1/events", params={"actor": "vladimir-putin"})
    assert ids(response) == [
        "putin-trump-alaska-summit",
        "zelenskyy-rejects-donetsk-offer",
        "putin-offers-front-line-freeze",
        "putin-calls-for-secret-negotiations",
    ]
    summit = response.json()["data"][0]
    assert len(summit["quotes"]) == 8
    assert summit["regions"][0]["id"] == "joint-base-elmendorf-richardson"


def test_default_order_is_newest_first_with_undated_last(client):
    assert ids(client.get("/api/v1/events", params={"limit": 500})) == DATED_NEWEST_FIRST + UNDATED_NEWEST_FIRST


def test_oldest_first(client):
    response = client.get("/api/v1/events", params={"limit": 500, "sort": "date"})
    assert ids(response) == DATED_NEWEST_FIRST[::-1] + UNDATED_NEWEST_FIRST[::-1]


@pytest.mark.parametrize("sort", ["-date", "date"])
@pytest.mark.parametrize("limit", [1, 2, 7])
def test_paging_visits_every_event_once_in_order(client, sort, limit):
    whole = ids(client.get("/api/v1/events", params={"limit": 500, "sort": sort}))
    seen, url, pages = [], f"/api/v1/events?limit={limit}&sort={sort}", 0
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["data"]]
        assert body["meta"]["limit"] == limit
        assert (body["links"]["next"] is None) == (body["meta"]["next_cursor"] is None)
        url, pages = body["links"]["next"], pages + 1
    assert seen == whole
    assert pages == -(-25 // limit)


def test_last_page_has_no_next(client):
    body = client.get("/api/v1/events", params={"limit": 25}).json()
    assert body["meta"] == {"limit": 25, "next_cursor": None}
    assert body["links"]["next"] is None
    assert body["links"]["self"] == "http://testserver/api/v1/events?limit=25"


def test_count(client):
    body = client.get("/api/v1/events", params={"count": "true", "type": "AGREE", "limit": 1}).json()
    assert body["meta"]["total"] == 3
    assert len(body["data"]) == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "AGREE"}, ["sykes-picot-agreement", "wwi-secret-treaties", "nato-eu-arms-agreement"]),
        ({"type": ["THREATEN", "REJECT"]}, ["zelenskyy-rejects-donetsk-offer", "trump-threatens-tariffs"]),
        ({"status": "planned"}, ["trump-zelenskyy-meeting", "eu-arms-for-ukraine"]),
        ({"status": "proposed"}, ["putin-offers-front-line-freeze"]),
        ({"actor": "volodymyr-zelenskyy"}, ["trump-zelenskyy-meeting", "zelenskyy-rejects-donetsk-offer"]),
        ({"actor": ["kirill-dmitriev", "india"]}, ["putin-trump-alaska-summit", "secondary-sanctions-on-india"]),
        ({"actor": "vladimir-putin", "type": "REJECT"}, ["zelenskyy-rejects-donetsk-offer"]),
        ({"region": "alaska"}, ["putin-trump-alaska-summit"]),
        ({"region": "north-america"}, ["putin-trump-alaska-summit"]),
        ({"region": "caucasus"}, ["us-takes-control-of-zangezur-corridor"]),
        (
            {"region": "middle-east"},
            ["sykes-picot-agreement", "twelve-day-war", "russia-iran-alliance", "iran-cut-off-from-proxies",
             "assad-government-collapse"],
        ),
        ({"region": "donetsk-oblast"}, ["zelenskyy-rejects-donetsk-offer", "putin-offers-front-line-freeze"]),
        ({"from": "2025-08-16"}, ["trump-zelenskyy-meeting"]),
        ({"from": "2025-08-15", "to": "2025-08-15"}, ["putin-trump-alaska-summit"]),
        ({"from": "2023-06-01", "to": "2023-06-30"}, ["russia-china-trade-record-2023"]),
        ({"to": "1999-12-31"}, ["sykes-picot-agreement"]),
        ({"from": "1917-01-01", "to": "2022-12-31"}, []),
        ({"source": BRIEF, "type": "AID"}, ["eu-arms-for-ukraine"]),
        ({"source": "no-such-source"}, []),
        ({"q": "zangezur"}, ["us-takes-control-of-zangezur-corridor"]),
        # q searches title, summary and the text of the evidence quotes.
        ({"q": "PEACE deal"}, ["putin-trump-alaska-summit", "trump-reframes-talks-as-peace-deal",
                               "trump-demands-immediate-ceasefire"]),
        ({"actor": "russia", "affiliated": "true", "type": "CONSULT"}, ["putin-trump-alaska-summit"]),
        ({"actor": "russia-sovereign-wealth-fund", "affiliated": "true"}, []),
        ({"actor": "russian-sovereign-wealth-fund", "affiliated": "true"}, ["putin-trump-alaska-summit"]),
        ({"actor": "russia", "role": "initiator"}, ["russian-war-in-ukraine", "russia-seeks-rapprochement-with-us"]),
        ({"role": "target", "type": "REJECT"}, ["zelenskyy-rejects-donetsk-offer"]),
        ({"country": "US"}, ["putin-trump-alaska-summit"]),
        ({"country": "AM"}, ["us-takes-control-of-zangezur-corridor"]),
        ({"country": ["CN", "SY"]}, ["russia-china-trade-record-2023", "china-supplies-russian-imports",
                                     "assad-government-collapse"]),
        ({"bbox": "-170,50,-130,72"}, ["putin-trump-alaska-summit"]),
        ({"bbox": "170,50,-130,72"}, ["putin-trump-alaska-summit"]),
        ({"bbox": "0,0,1,1"}, []),
        ({"precision": "day"}, ["trump-zelenskyy-meeting", "putin-trump-alaska-summit"]),
        ({"precision": "month"}, ["trump-zelenskyy-meeting", "putin-trump-alaska-summit"]),
        ({"precision": "year"}, DATED_NEWEST_FIRST),
        ({"from": "2023-06-01", "to": "2023-12-31", "date_match": "within"}, []),
        ({"from": "2023-01-01", "to": "2023-12-31", "date_match": "within"}, ["russia-china-trade-record-2023"]),
        ({"from": "2025-08-01", "to": "2025-08-31", "date_match": "within"}, ["trump-zelenskyy-meeting",
                                                                             "putin-trump-alaska-summit"]),
        ({"from": "1917-01-01", "date_match": "within"}, ["trump-zelenskyy-meeting", "putin-trump-alaska-summit",
                                                          "russia-china-trade-record-2023"]),
        ({"q": "100%"}, ["trump-threatens-tariffs", "secondary-sanctions-on-india", "nato-eu-arms-agreement",
                         "eu-arms-for-ukraine"]),
    ],
)
def test_filters(client, params, expected):
    assert ids(client.get("/api/v1/events", params={**params, "limit": 500})) == expected


def test_actor_and_region_sub_lists_apply_event_filters(client):
    assert ids(client.get("/api/v1/actors/donald-trump/events", params={"type": "CONSULT"})) == [
        "trump-zelenskyy-meeting",
        "putin-trump-alaska-summit",
    ]
    assert ids(client.get("/api/v1/regions/ukraine/events")) == [
        "zelenskyy-rejects-donetsk-offer",
        "trump-demands-immediate-ceasefire",
        "russian-war-in-ukraine",
        "putin-offers-front-line-freeze",
        "nato-eu-arms-agreement",
        "eu-arms-for-ukraine",
    ]
    assert ids(client.get("/api/v1/regions/middle-east/events", params={"actor": "france"})) == ["sykes-picot-agreement"]
