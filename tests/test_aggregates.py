"""Facets, timeline and co-occurrence network, with exact values from the seed brief.

The expected counts were worked out from seeds/2025-08-15-putin-trump-alaska-summit.yaml
and seeds/reference.yaml with a few lines of Python, not read off the API: 25 events, 21
undated, 2 dated to the year (1916, 2023) and 2 to the day (2025-08-15, 2025-08-18).
"""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from app.api.app import create_app
from app.settings import Settings
from app.tables import event, event_actor

FACETS = "/api/v1/events/facets"
TIMELINE = "/api/v1/events/timeline"
EVERY_FACET = ["type", "status", "actor", "role", "region", "country", "year", "precision", "source"]
SUMMIT = "putin-trump-alaska-summit"


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def problem(response, status: int = 422) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def facet(client, name: str, **params) -> dict:
    return ok(client.get(FACETS, params={"facet": name, **params}))["facets"][name]


def pairs(facet: dict) -> list[tuple[str, int]]:
    return [(v["value"], v["count"]) for v in facet["values"]]


def nodes(body: dict) -> list[tuple[str, int]]:
    return [(node["id"], node["count"]) for node in body["nodes"]]


def nonzero(body: dict) -> list[tuple[str, int]]:
    return [(b["start"], b["count"]) for b in body["buckets"] if b["count"]]


# Facets


def test_type_facet_over_every_event(client):
    body = ok(client.get(FACETS, params={"facet": "type", "facet_size": 100}))
    assert body["total"] == 25
    assert body["facets"]["type"]["distinct"] == 12
    assert pairs(body["facets"]["type"]) == [
        ("COOPERATE", 4), ("REQUEST", 4), ("AGREE", 3), ("ASSAULT", 3), ("CONSULT", 2), ("RETREAT", 2),
        ("SANCTION", 2), ("ACCUSE", 1), ("AID", 1), ("COERCE", 1), ("REJECT", 1), ("THREATEN", 1),
    ]
    assert body["facets"]["type"]["values"][0] == {"value": "COOPERATE", "label": "COOPERATE", "count": 4}


def test_facet_size_cuts_the_list_but_not_the_distinct_count(client):
    default = facet(client, "type")
    assert (len(default["values"]), default["values"][-1]["value"], default["distinct"]) == (10, "COERCE", 12)
    top = facet(client, "type", facet_size=3)
    assert pairs(top) == [("COOPERATE", 4), ("REQUEST", 4), ("AGREE", 3)]
    assert top["distinct"] == 12


def test_actor_facet_labels_with_names(client):
    actors = facet(client, "actor", facet_size=5)
    assert actors["values"] == [
        {"value": "russia", "label": "Russia", "count": 10},
        {"value": "donald-trump", "label": "Donald Trump", "count": 7},
        {"value": "ukraine", "label": "Ukraine", "count": 4},
        {"value": "vladimir-putin", "label": "Vladimir Putin", "count": 4},
        {"value": "iran", "label": "Iran", "count": 3},
    ]
    assert actors["distinct"] == 19


def test_actor_facet_with_an_actor_filter_counts_the_co_actors(client):
    # The filter's own EXISTS on event_actor must not leak into the facet's join.
    assert pairs(facet(client, "actor", actor="vladimir-putin")) == [
        ("vladimir-putin", 4), ("anton-siluanov", 1), ("donald-trump", 1), ("kirill-dmitriev", 1),
        ("ukraine", 1), ("volodymyr-zelenskyy", 1),
    ]


def test_country_facet(client):
    countries = facet(client, "country")
    assert pairs(countries) == [("UA", 6), ("RU", 4), ("CN", 2), ("IR", 2), ("AM", 1), ("IN", 1), ("SY", 1), ("US", 1)]
    assert countries["values"][0] == {"value": "UA", "label": "Ukraine", "count": 6}
    assert countries["distinct"] == 8
    # Putin's events lie in Donetsk Oblast (twice) and at an Alaskan base: Ukraine and the US.
    assert facet(client, "country", actor="vladimir-putin") == {
        "values": [{"value": "UA", "label": "Ukraine", "count": 2}, {"value": "US", "label": "United States", "count": 1}],
        "distinct": 2,
    }


def test_year_facet_leaves_undated_events_out(client):
    assert facet(client, "year") == {
        "values": [
            {"value": "2025", "label": "2025", "count": 2},
            {"value": "1916", "label": "1916", "count": 1},
            {"value": "2023", "label": "2023", "count": 1},
        ],
        "distinct": 3,
    }


def test_the_other_facets(client):
    facets = ok(client.get(FACETS, params={"facet": "status,role,region,precision,source", "facet_size": 4}))["facets"]
    assert list(facets) == ["status", "role", "region", "precision", "source"]
    assert pairs(facets["status"]) == [("occurred", 17), ("ongoing", 5), ("planned", 2), ("proposed", 1)]
    assert pairs(facets["role"]) == [("initiator", 14), ("target", 14), ("participant", 10)]
    assert pairs(facets["region"]) == [("russia", 4), ("ukraine", 4), ("china", 2), ("donetsk-oblast", 2)]
    assert (facets["region"]["values"][3]["label"], facets["region"]["distinct"]) == ("Donetsk Oblast", 10)
    assert pairs(facets["precision"]) == [("unknown", 21), ("day", 2), ("year", 2)]
    assert facets["source"] == {
        "values": [{"value": "2025-08-15-putin-trump-alaska-summit",
                    "label": "Putin and Trump Met in Alaska to Broker Ceasefire", "count": 25}],
        "distinct": 1,
    }


def test_every_event_filter_applies(client):
    assert ok(client.get(FACETS, params={"facet": "type", "status": "planned"})) == {
        "total": 2,
        "facets": {"type": {"values": [{"value": "AID", "label": "AID", "count": 1},
                                       {"value": "CONSULT", "label": "CONSULT", "count": 1}], "distinct": 2}},
    }
    war = ok(client.get(FACETS, params={"facet": ["status", "year"], "region": "ukraine", "type": "ASSAULT"}))
    assert war["total"] == 1
    assert pairs(war["facets"]["status"]) == [("ongoing", 1)]
    assert war["facets"]["year"] == {"values": [], "distinct": 0}
    assert pairs(facet(client, "year", **{"from": "2000-01-01"})) == [("2025", 2), ("2023", 1)]
    # `affiliated` filters through a recursive CTE, hoisted out of the aggregate's subquery.
    russian = ok(client.get(FACETS, params={"facet": "status", "actor": "russia", "affiliated": "true"}))
    assert russian["total"] == 15
    assert pairs(russian["facets"]["status"]) == [("occurred", 9), ("ongoing", 5), ("proposed", 1)]


def test_no_facet_means_every_facet_once_each_in_the_order_asked(client):
    assert list(ok(client.get(FACETS, params={"facet_size": 1}))["facets"]) == EVERY_FACET
    asked = ok(client.get(FACETS, params={"facet": ["year", "type,year"], "facet_size": 1}))
    assert list(asked["facets"]) == ["year", "type"]


@pytest.mark.parametrize(
    ("params", "location"),
    [
        ({"facet": "colour"}, "query.facet.0"),
        ({"facet_size": 0}, "query.facet_size"),
        ({"facet_size": 101}, "query.facet_size"),
        ({"limit": 5}, "query.limit"),
        ({"sort": "date"}, "query.sort"),
        ({"type": "PARTY"}, "query.type.0"),
    ],
)
def test_bad_facet_parameters_are_422_problems(client, params, location):
    body = problem(client.get(FACETS, params=params))
    assert [e["location"] for e in body["errors"]] == [location]


def test_unknown_facet_lists_the_allowed_ones(client):
    (error,) = problem(client.get(FACETS, params={"facet": "type,colour"}))["errors"]
    assert (error["location"], error["input"]) == ("query.facet.1", "colour")
    assert error["message"] == (
        "Input should be 'type', 'status', 'actor', 'role', 'region', 'country', 'year', 'precision' or 'source'"
    )


def test_event_param_validators_apply_to_aggregates(client):
    (error,) = problem(client.get(FACETS, params={"from": "2025-01-02", "to": "2025-01-01"}))["errors"]
    assert error["location"] == "query"
    assert error["message"].endswith("`from` is after `to`")
    assert problem(client.get(TIMELINE, params={"bbox": "1,2"}))["errors"][0]["location"] == "query.bbox"


# Timeline


def test_month_timeline_counts_only_events_dated_by_month_or_day(client):
    assert ok(client.get(TIMELINE)) == {
        "interval": "month", "total": 25, "buckets": [{"start": "2025-08", "count": 2}], "undated": 21, "coarser": 2,
    }


def test_day_timeline_includes_the_empty_days_between(client):
    body = ok(client.get(TIMELINE, params={"interval": "day"}))
    assert body["buckets"] == [
        {"start": "2025-08-15", "count": 1},
        {"start": "2025-08-16", "count": 0},
        {"start": "2025-08-17", "count": 0},
        {"start": "2025-08-18", "count": 1},
    ]
    assert (body["undated"], body["coarser"]) == (21, 2)


def test_year_timeline_runs_from_1916_to_2025(client):
    body = ok(client.get(TIMELINE, params={"interval": "year"}))
    assert len(body["buckets"]) == 110
    assert (body["buckets"][0]["start"], body["buckets"][-1]["start"]) == ("1916", "2025")
    assert nonzero(body) == [("1916", 1), ("2023", 1), ("2025", 2)]
    assert (body["total"], body["undated"], body["coarser"]) == (25, 21, 0)


def test_a_year_event_is_never_put_in_january(client):
    body = ok(client.get(TIMELINE, params={"interval": "month", "from": "2023-01-01", "to": "2023-12-31"}))
    assert body["buckets"] == [{"start": f"2023-{month:02d}", "count": 0} for month in range(1, 13)]
    assert (body["total"], body["undated"], body["coarser"]) == (1, 0, 1)
    by_year = ok(client.get(TIMELINE, params={"interval": "year", "from": "2023-06-01"}))
    assert [(b["start"], b["count"]) for b in by_year["buckets"]] == [("2023", 1), ("2024", 0), ("2025", 2)]


def test_timeline_filters(client):
    planned = ok(client.get(TIMELINE, params={"interval": "day", "status": "planned"}))
    assert planned["buckets"] == [{"start": "2025-08-18", "count": 1}]
    assert (planned["total"], planned["undated"], planned["coarser"]) == (2, 1, 0)
    iran = ok(client.get(TIMELINE, params={"actor": "iran"}))
    assert iran == {"interval": "month", "total": 3, "buckets": [], "undated": 3, "coarser": 0}


def test_too_many_buckets_is_a_422_suggesting_a_coarser_interval(client):
    params = {"interval": "day", "from": "1900-01-01", "to": "2025-12-31"}
    assert problem(client.get(TIMELINE, params=params))["errors"] == [{
        "location": "query.interval",
        "message": "46021 day buckets from 1900-01-01 to 2025-12-31 is more than 20000; "
                   "choose a coarser interval or narrow `from`/`to`",
    }]
    by_month = ok(client.get(TIMELINE, params={**params, "interval": "month"}))
    assert (len(by_month["buckets"]), by_month["buckets"][0]["start"]) == (1512, "1900-01")
    assert problem(client.get(TIMELINE, params={"interval": "week"}))["errors"][0]["location"] == "query.interval"


@pytest.fixture
def writable_client(database_url, seeded_engine):
    """A client on a seeded database of its own, for tests that change the data."""
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


def _redate(engine, event_id: str, precision: str, start: date, end: date | None) -> None:
    with engine.begin() as connection:
        changed = update(event).where(event.c.id == event_id)
        connection.execute(changed.values(date_precision=precision, start_date=start, end_date=end))


def test_a_ranged_event_counts_once_in_the_bucket_of_its_start(seeded_engine, writable_client):
    _redate(seeded_engine, "russian-war-in-ukraine", "day", date(2022, 2, 24), None)  # ongoing, no end
    _redate(seeded_engine, "sanctions-on-russia", "month", date(2025, 6, 1), date(2025, 8, 31))  # June-August
    body = ok(writable_client.get(TIMELINE))
    assert len(body["buckets"]) == 43  # 2022-02 .. 2025-08
    assert nonzero(body) == [("2022-02", 1), ("2025-06", 1), ("2025-08", 2)]
    assert {b["start"]: b["count"] for b in body["buckets"]}["2025-07"] == 0
    assert (body["total"], body["undated"], body["coarser"]) == (25, 19, 2)
    # Both overlap July 2025, so both match; each still counts where it starts.
    july = ok(writable_client.get(TIMELINE, params={"from": "2025-07-01", "to": "2025-07-31"}))
    assert nonzero(july) == [("2022-02", 1), ("2025-06", 1)]
    assert (july["buckets"][-1], july["total"]) == ({"start": "2025-07", "count": 0}, 2)


def test_an_actor_with_two_roles_counts_once(seeded_engine, writable_client):
    with seeded_engine.begin() as connection:
        connection.execute(
            event_actor.insert().values(event_id=SUMMIT, actor_id="vladimir-putin", role="initiator", position=4)
        )
    facets = ok(writable_client.get(FACETS, params={"facet": "actor,role", "facet_size": 4}))["facets"]
    assert pairs(facets["actor"]) == [("russia", 10), ("donald-trump", 7), ("ukraine", 4), ("vladimir-putin", 4)]
    assert pairs(facets["role"]) == [("initiator", 15), ("target", 14), ("participant", 10)]
    trump = ok(writable_client.get("/api/v1/actors/donald-trump/network"))
    putin = next(node for node in trump["nodes"] if node["id"] == "vladimir-putin")
    assert (putin["count"], putin["events"]) == (1, [SUMMIT])


# Network


def test_putins_network(client):
    body = ok(client.get("/api/v1/actors/vladimir-putin/network"))
    assert body["actor"] == {
        "id": "vladimir-putin", "name": "Vladimir Putin", "kind": "person", "count": 4,
        "events": ["putin-calls-for-secret-negotiations", "putin-offers-front-line-freeze", SUMMIT,
                   "zelenskyy-rejects-donetsk-offer"],
    }
    assert body["nodes"][0] == {"id": "anton-siluanov", "name": "Anton Siluanov", "kind": "person", "count": 1,
                                "events": [SUMMIT]}
    assert [(n["id"], n["kind"], n["count"], n["events"]) for n in body["nodes"]] == [
        ("anton-siluanov", "person", 1, [SUMMIT]),
        ("donald-trump", "person", 1, [SUMMIT]),
        ("kirill-dmitriev", "person", 1, [SUMMIT]),
        ("ukraine", "state", 1, ["putin-offers-front-line-freeze"]),
        ("volodymyr-zelenskyy", "person", 1, ["zelenskyy-rejects-donetsk-offer"]),
    ]
    assert body["edges"] == [
        {"actors": ["anton-siluanov", "donald-trump"], "count": 1, "events": [SUMMIT]},
        {"actors": ["anton-siluanov", "kirill-dmitriev"], "count": 1, "events": [SUMMIT]},
        {"actors": ["donald-trump", "kirill-dmitriev"], "count": 1, "events": [SUMMIT]},
    ]


def test_russias_network_ranks_by_shared_events(client):
    body = ok(client.get("/api/v1/actors/russia/network"))
    assert body["actor"]["count"] == 10
    assert nodes(body) == [
        ("donald-trump", 3), ("china", 2), ("assad-government", 1), ("iran", 1), ("ukraine", 1), ("united-states", 1)]
    assert body["nodes"][0]["events"] == [
        "trump-reframes-talks-as-peace-deal", "trump-threatens-tariffs", "us-takes-control-of-zangezur-corridor"]
    assert body["edges"] == []


def test_network_filters(client):
    cooperate = ok(client.get("/api/v1/actors/russia/network", params={"type": "COOPERATE"}))
    assert cooperate["actor"]["events"] == [
        "china-supplies-russian-imports", "russia-china-trade-record-2023", "russia-iran-alliance",
        "russia-seeks-rapprochement-with-us"]
    assert nodes(cooperate) == [("china", 2), ("iran", 1), ("united-states", 1)]
    august = ok(client.get("/api/v1/actors/vladimir-putin/network", params={"from": "2025-08-01", "to": "2025-08-31"}))
    assert august["actor"]["events"] == [SUMMIT]
    assert nodes(august) == [("anton-siluanov", 1), ("donald-trump", 1), ("kirill-dmitriev", 1)]
    assert len(august["edges"]) == 3
    nothing = ok(client.get("/api/v1/actors/vladimir-putin/network", params={"from": "2026-01-01"}))
    assert nothing == {
        "actor": {"id": "vladimir-putin", "name": "Vladimir Putin", "kind": "person", "count": 0, "events": []},
        "nodes": [],
        "edges": [],
    }


def test_network_problems(client):
    assert problem(client.get("/api/v1/actors/nobody/network"), 404)["detail"] == "No actor with id 'nobody'."
    refused = problem(client.get("/api/v1/actors/russia/network", params={"cursor": "x"}))
    assert [e["location"] for e in refused["errors"]] == ["query.cursor"]


# OpenAPI


def test_aggregates_are_documented(client):
    document = client.get("/openapi.json").json()
    facets = document["paths"]["/api/v1/events/facets"]["get"]
    names = [p["name"] for p in facets["parameters"]]
    assert names[:2] == ["facet", "facet_size"]
    assert {"actor", "region", "country", "type", "status", "from", "to", "q"} <= set(names)
    assert not {"limit", "cursor", "sort", "count", "format"} & set(names)
    assert next(p for p in facets["parameters"] if p["name"] == "facet")["schema"]["items"]["enum"] == EVERY_FACET
    timeline = document["paths"]["/api/v1/events/timeline"]["get"]
    assert next(p for p in timeline["parameters"] if p["name"] == "interval")["schema"]["enum"] == ["day", "month", "year"]
    assert "in the bucket of its start" in timeline["description"]
    network = document["paths"]["/api/v1/actors/{actor_id}/network"]["get"]
    assert network["summary"] == "Who appears in events with an actor"
    schemas = document["components"]["schemas"]
    assert list(schemas["Timeline"]["properties"]) == ["interval", "total", "buckets", "undated", "coarser"]
    assert schemas["Timeline"]["example"]["buckets"] == [{"start": "2025-08", "count": 2}]
    assert list(schemas["Network"]["properties"]) == ["actor", "nodes", "edges"]
    assert schemas["Facets"]["example"]["facets"]["country"]["distinct"] == 8
