"""Every error is RFC 9457 problem+json, produced in one place, with no stack trace."""

import ast
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.app import create_app
from app.settings import Settings
from tests.helpers import HEAD_REVISION

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}
APP = Path(__file__).resolve().parent.parent / "app"
# Where the code names a problem type: Problem(409, "conflict", ...), problem_response(...),
# Denial(...), and the status handler's table ({404: "not-found", ...}).
PROBLEM_CALL = re.compile(r'(?:(?:Problem|problem_response|Denial)\(\s*\d{3},\s*|\b\d{3}: )"([a-z-]+)"')


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert PROBLEM_KEYS <= set(body)
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/v1/events/no-such-event", "No event with id 'no-such-event'."),
        ("/api/v1/actors/nobody", "No actor with id 'nobody'."),
        ("/api/v1/actors/nobody/events", "No actor with id 'nobody'."),
        ("/api/v1/actors/nobody/quotes", "No actor with id 'nobody'."),
        ("/api/v1/regions/atlantis", "No region with id 'atlantis'."),
        ("/api/v1/regions/atlantis/events", "No region with id 'atlantis'."),
        ("/api/v1/quotes/nothing", "No quote with id 'nothing'."),
        ("/api/v1/sources/nothing", "No source with id 'nothing'."),
        ("/api/v1/nowhere", "No resource at /api/v1/nowhere."),
    ],
)
def test_unknown_ids_and_paths_are_404_problems(client, path, detail):
    body = problem(client.get(path), 404)
    assert body == {"type": "/problems/not-found", "title": "Not Found", "status": 404, "detail": detail, "instance": path}


@pytest.mark.parametrize(
    ("params", "location", "message"),
    [
        ({"limit": 0}, "query.limit", "Input should be greater than or equal to 1"),
        ({"limit": 501}, "query.limit", "Input should be less than or equal to 500"),
        ({"from": "2025-02-30"}, "query.from", "Input should be a valid date or datetime, day value is outside expected range"),
        ({"type": "WAR"}, "query.type.0", None),
        ({"status": "rumoured"}, "query.status.0", None),
        (
            {"sort": "colour"},
            "query.sort",
            "cannot sort on 'colour'; sortable fields: date, end, id, status, title, type, updated "
            "(prefix - for descending)",
        ),
        ({"sort": "relevance"}, "query.sort", "sorting by relevance needs a search: add q"),
        ({"sort": "date,-date"}, "query.sort", "'date' appears twice in sort"),
        ({"fields": "id,colour"}, "query.fields", None),
        ({"include": "actors,mentions"}, "query.include", None),
        ({"bbox": "1,2,3"}, "query.bbox", "bbox is four numbers: min_lon,min_lat,max_lon,max_lat"),
        ({"count": "maybe"}, "query.count", None),
        ({"precision": "week"}, "query.precision", None),
        ({"affiliated": "true"}, "query", "`affiliated` needs `actor`"),
        ({"actr": "vladimir-putin"}, "query.actr", "Extra inputs are not permitted"),
        ({"actor": "Not A Slug"}, "query.actor.0", None),
        ({"from": "2025-09-01", "to": "2025-08-01"}, "query", "`from` is after `to`"),
    ],
)
def test_invalid_parameters_are_422_problems_naming_each_one(client, params, location, message):
    body = problem(client.get("/api/v1/events", params=params), 422)
    assert body["type"] == "/problems/invalid-parameters"
    assert [e["location"] for e in body["errors"]] == [location]
    if message is not None:
        assert body["errors"][0]["message"] == message
    assert body["detail"].startswith(f"{location}: ")


def test_tampered_cursor_is_a_400_problem(client):
    cursor = client.get("/api/v1/events", params={"limit": 2}).json()["meta"]["next_cursor"]
    payload, signature = cursor.split(".")
    tampered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    body = problem(client.get("/api/v1/events", params={"limit": 2, "cursor": tampered}), 400)
    assert body["type"] == "/problems/invalid-cursor"
    assert body["detail"] == "The cursor is malformed or was altered."
    body = problem(client.get("/api/v1/events", params={"cursor": "garbage"}), 400)
    assert body["detail"] == "The cursor is malformed or was altered."


def test_cursor_from_another_query_is_a_400_problem(client):
    cursor = client.get("/api/v1/events", params={"limit": 2}).json()["meta"]["next_cursor"]
    for path, params in [
        ("/api/v1/events", {"type": "AGREE", "cursor": cursor}),
        ("/api/v1/events", {"sort": "date", "cursor": cursor}),
        ("/api/v1/actors", {"cursor": cursor}),
    ]:
        body = problem(client.get(path, params=params), 400)
        assert body["detail"] == "The cursor belongs to a different query (path, filters or sort)."
    # A different page size is the same query: the cursor still works.
    assert client.get("/api/v1/events", params={"limit": 5, "cursor": cursor}).status_code == 200


def test_method_not_allowed_is_a_problem(client):
    body = problem(client.put("/api/v1/events"), 405)
    assert body["type"] == "/problems/method-not-allowed"


def test_problem_types_are_described(client):
    assert client.get("/problems/invalid-cursor").json() == {
        "type": "/problems/invalid-cursor",
        "description": "The cursor is not one this API issued for this query; start again from the first page.",
    }
    problem(client.get("/problems/nonsense"), 404)


def test_unexpected_failure_is_a_500_problem_without_details(tmp_path):
    # A database that was never migrated makes every query fail inside the server.
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    with TestClient(app, raise_server_exceptions=False) as client:
        body = problem(client.get("/api/v1/events"), 500)
        assert body["detail"] == "The server failed to answer this request."
        assert "sqlite" not in client.get("/api/v1/events").text.lower()
        health = problem(client.get("/health"), 503)
        assert health["detail"] == f"The database schema is at None, not {HEAD_REVISION}; run `geoevents db upgrade`."


def test_openapi_documents_problems_and_parameters(client):
    spec = client.get("/openapi.json").json()
    events = spec["paths"]["/api/v1/events"]["get"]
    names = {p["name"] for p in events["parameters"]}
    assert names == {
        "limit", "cursor", "count", "updated_since", "actor", "affiliated", "role", "region", "country", "bbox",
        "type", "status", "source", "from", "to", "date_match", "precision", "q", "sort", "fields", "include",
        "format",
    }
    assert set(events["responses"]) == {"200", "400", "404", "406", "422"}
    assert events["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ListOf_Event_"
    }
    assert "application/problem+json" in events["responses"]["422"]["content"]
    type_param = next(p for p in events["parameters"] if p["name"] == "type")
    assert type_param["schema"]["items"] == {"$ref": "#/components/schemas/EventType"}
    assert len(spec["components"]["schemas"]["EventType"]["enum"]) == 16


def _registered_problem_types() -> dict[str, str]:
    """PROBLEM_TYPES as app/api/problems.py writes it, whatever other modules add at import."""
    tree = ast.parse((APP / "api" / "problems.py").read_text(encoding="utf-8"))
    registry = next(n for n in tree.body if isinstance(n, ast.AnnAssign) and n.target.id == "PROBLEM_TYPES")
    return ast.literal_eval(registry.value)


def test_every_problem_type_the_code_sends_is_registered_in_one_place():
    sent = set()
    for module in APP.rglob("*.py"):
        sent |= set(PROBLEM_CALL.findall(module.read_text(encoding="utf-8")))
    registered = _registered_problem_types()
    assert sorted(sent - set(registered)) == []
    assert list(registered) == [
        "not-found", "invalid-parameters", "invalid-search", "invalid-cursor", "not-acceptable", "method-not-allowed",
        "internal-error", "unavailable", "statement-timeout", "uri-too-long", "unauthorized", "forbidden", "conflict",
        "precondition-required", "precondition-failed", "invalid-coding", "body-too-large", "unsupported-media-type",
        "invalid-json", "http-error",
    ]
    # Only the status handler's fallback is named elsewhere.
    assert set(registered) - sent == {"http-error"}
