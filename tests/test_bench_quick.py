"""The benchmark's parts that need no wrk, so bench/ cannot rot: the floor answers like ours, the
cursors it drives are the server's own, the learned SQL, the profile's layers and the report.

The floor and Datasette read SQLite files, so the floor test runs on SQLite; the cursor test
runs on every backend."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.app import create_app
from app.queries import event_access
from app.queries import search as app_search
from app.database import make_engine
from app.importers.generate import generate
from app.migrate import upgrade
from app.settings import Settings
from bench import capture, measure, profile, report, suite
from bench.floor import Served, Statement, compile_step

EVENTS = 600


@pytest.fixture(scope="module")
def small_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated SQLite database of 600 events."""
    path = tmp_path_factory.mktemp("bench") / "bench.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    generate(engine, EVENTS, 3, progress=False)
    engine.dispose()
    return path


def test_the_floor_answers_every_endpoint_byte_for_byte_like_ours(small_database: Path,
                                                                   monkeypatch: pytest.MonkeyPatch):
    # A bound the busiest actors of 600 events reach: their pages walk the date index, the others' do not,
    # and the floor must choose the same statement from the same probe.
    monkeypatch.setattr(event_access, "BROAD", 50)
    url = f"sqlite:///{small_database}"
    cases = suite.draw_cases(str(small_database), 8, 1)
    cases["deep_page"] = measure.deep_cases(small_database, measure.mint_cursors(url, 12), 2)
    assert {name: len(drawn) for name, drawn in cases.items()} == {
        "region_dates": 8, "actor": 8, "detail": 8, "search": 8, "facets": 8, "timeline": 8, "export": 8,
        "deep_page": 11,
    }
    paths = {name: [suite.BY_NAME[name].ours(c) for c in capture.branch_order(url, name, drawn)]
             for name, drawn in cases.items()}
    plan, same, differing = capture.learn_and_check(url, str(small_database), paths, tried=2)
    assert (same, differing) == (24, [])
    assert sorted(plan) == [
        "actors", "data_version", "detail", "facet:actor", "facet:region", "facet:status", "facet:type",
        "facet:year", "figures", "page::dated:after", "page::undated:first", "page:actor:dated:first",
        "page:actor:undated:first", "page:actor:walk:dated:first", "page:date_match=within,from,to:dated:after",
        "page:date_match=within,from,to:dated:first", "page:date_match=within,from,to:undated:first",
        "page:from,region,to:dated:first", "page:from,region,to:undated:first", "places", "probe:actor", "quotes",
        "regions", "search", "search:ids", "texts:actor", "texts:event", "texts:quote", "texts:region",
        "timeline:month", "total", "version",
    ]
    assert plan["actors"]["slots"] == [["list", "ids"]]
    assert plan["probe:actor"]["slots"] == [["list", "actor"], ["const", 50], ["const", 0]]
    # Served from its plan over HTTP-free ASGI calls, the floor and ours agree on the same list query.
    watcher = capture.Capture(url)
    try:
        path = paths["region_dates"][0]
        status, ours, _ = watcher.get(path)
        assert capture.verify(watcher, str(small_database), plan, [path]) == (1, [])
    finally:
        watcher.close()
    assert status == 200 and ours.startswith(b'{"data":[{"id":"')


def test_the_floor_ranks_crowded_search_kinds_again_and_refuses_those_it_never_learned(
        small_database: Path, monkeypatch: pytest.MonkeyPatch):
    # A window of 20 (4 × the limit of 5): "rejected", "proposal", "in" and "a" tie more quotes with their
    # 5th best than it holds, "stezeth" more events; "plan" ties none. 600 events never crowd the real window.
    monkeypatch.setattr(app_search, "_WINDOW", 1)
    url = f"sqlite:///{small_database}"
    search = [f"/api/v1/search?q={q}" for q in ("rejected", "plan", "in", "proposal", "a", "stezeth")]
    watcher = capture.Capture(url)
    try:
        plan = capture.learn(watcher, str(small_database), search[:3])
        assert sorted(step for step in plan if step.startswith("search")) == [
            "search", "search:at_least:quote", "search:ids"]
        assert [slot[0] for slot in plan["search:at_least:quote"]["slots"]] == ["input", "const", "const", "input",
                                                                               "input_or_const", "const"]
        assert capture.verify(watcher, str(small_database), plan, search[3:5]) == (2, [])
        assert capture.unservable(Served(str(small_database), plan), search[3:], 5) == [search[5]]
        same, differing = capture.verify(watcher, str(small_database), plan, search[5:])
    finally:
        watcher.close()
    assert same == 0 and "no learned statement for search:at_least:event" in differing[0]


def test_minted_cursors_are_the_ones_a_walk_meets(engine, database_url: str):
    generate(engine, 160, 5, progress=False)
    minted = measure.mint_cursors(database_url, 4)
    met = []
    with TestClient(create_app(Settings(database_url=database_url, seed_on_start=False))) as client:
        url = "/api/v1/events?limit=50&include=&fields=id"
        for _ in range(4):
            body = client.get(url).json()
            if body["meta"]["next_cursor"] is None:
                break
            met.append((body["meta"]["next_cursor"], body["data"][-1]["id"]))
            url = f"/api/v1/events?limit=50&include=&fields=id&cursor={body['meta']['next_cursor']}"
    assert len(met) == 3
    assert minted == met


def test_learning_tells_inputs_lists_and_constants_apart():
    examples = [
        ("SELECT a FROM t WHERE x IN (?, ?) AND y <= ? AND k = ? LIMIT ?", ["e-1", "e-2", "2020-01-01", "c", 51],
         {"ids": ["e-1", "e-2"], "to": "2020-01-01", "fetch": 51}),
        ("SELECT a FROM t WHERE x IN (?) AND y <= ? AND k = ? LIMIT ?", ["e-9", "2021-02-02", "c", 51],
         {"ids": ["e-9"], "to": "2021-02-02", "fetch": 51}),
    ]
    learned = compile_step("step", examples)
    assert learned == {
        "segments": ["SELECT a FROM t WHERE x IN (", ") AND y <= ", " AND k = ", " LIMIT ", ""],
        "slots": [["list", "ids"], ["input", "to"], ["const", "c"], ["input_or_const", "fetch", 51]],
    }
    bound = Statement(learned["segments"], learned["slots"]).bind({"ids": ["a", "b", "c"], "to": "1999-09-09",
                                                                    "fetch": 51})
    assert bound == ("SELECT a FROM t WHERE x IN (?, ?, ?) AND y <= ? AND k = ? LIMIT ?",
                     ["a", "b", "c", "1999-09-09", "c", 51])


def test_profile_samples_are_charged_to_the_layer_of_their_innermost_frame():
    raw = (
        "run (uvicorn/server.py:10);do_execute (/v/lib/sqlalchemy/engine/default.py:941) 6\n"
        "run (uvicorn/server.py:10);render (/work/app/api/responses.py:14) 2\n"
        "run (uvicorn/server.py:10);_compiler (/v/lib/sqlalchemy/sql/elements.py:300) 1\n"
        "run (uvicorn/server.py:10);validate_python (/v/lib/pydantic/type_adapter.py:1) 1\n"
        "_bootstrap (threading.py:1002);wait (threading.py:327) 40\n"
    )
    assert profile.shares(raw) == {"sql": 0.6, "json": 0.2, "sqlalchemy": 0.1, "pydantic": 0.1}


def _run(rps: float, p50: float, p99: float, errors: int = 0, requests: int = 100) -> dict:
    return {"requests": requests, "errors": errors, "rps": rps, "ok_rps": rps, "p50_ms": p50, "p99_ms": p99}


def test_the_report_table():
    results = {
        "meta": {"date": "2026-11-25 12:00 UTC", "backend": "SQLite", "events": 1_000_000,
                 "command": "python bench/run.py", "machine": "2 cores", "setup": "One worker.", "notes": ["A note."]},
        "endpoints": [
            {"name": "actor", "label": "events by actor", "ours": _run(500, 10, 20), "floor": _run(1000, 5, 9),
             "peer": _run(50, 100, 200), "repeat": _run(5000, 1.5, 3)},
            {"name": "detail", "label": "event detail", "ours": _run(400, 30, 60, errors=3),
             "floor": _run(2000, 4, 8), "peer": _run(100, 50, 90)},
            {"name": "facets", "label": "facets", "ours": _run(0, None, None, requests=0), "floor": None, "peer": None},
        ],
        "single": [{"label": "count=estimated", "requests": 40, "p50_ms": 4.5, "p99_ms": 9.0, "target_ms": 10.0},
                   {"label": "facets", "requests": 0, "p50_ms": None, "p99_ms": None, "target_ms": 250.0}],
        "service": {"start_s": 1.234, "peak_rss_mb": 310, "import_rate": 61_000, "builder": "geoevents generate"},
        "profile": {"actor": {"framework": 0.5, "sql": 0.25, "json": 0.25}},
    }
    text = report.markdown(results)
    lines = text.splitlines()
    assert lines[0] == "### 2026-11-25 12:00 UTC: SQLite, 1,000,000 events"
    assert "| events by actor | 500 | 10.0 / 20.0 | 1,000 | 5.0 / 9.0 | 50 | 100 / 200 | 0.50× | 10× | met |" in lines
    assert ("| event detail | 400 (3 errors) | 30.0 / 60.0 | 2,000 | 4.0 / 8.0 | 100 | 50.0 / 90.0 | 0.20× | 4.00× "
            "| missed: 20% of floor, 4.0× peer, p99 60 ms, errors |") in lines
    assert "| facets | none finished | – | – | – | – | – | – | – |  |" in lines
    assert "| events by actor | 5,000 | 1.5 / 3.0 | 10× |" in lines
    assert "| count=estimated | 4.5 | 9.0 | p50 < 10 ms | met |" in lines
    assert "| facets | none finished | – | p50 < 250 ms | missed |" in lines
    assert "| `geoevents serve` start to first 200 on /health | 1.23 s | < 2 s | met |" in lines
    assert "| our server's peak RSS (VmHWM) | 310 MB | < 300 MB | missed |" in lines
    assert "| import (geoevents generate) | 61,000 events/s | ≥ 50,000 events/s | met |" in lines
    assert "| actor | 50% | 0% | 0% | 25% | 25% | 0% | 0% |" in lines


def test_each_endpoint_is_written_for_ours_and_for_datasette():
    case = {"region": "gen-region-1", "from": "2001-01-01", "to": "2001-12-31"}
    endpoint = suite.BY_NAME["region_dates"]
    assert endpoint.ours(case) == "/api/v1/events?region=gen-region-1&from=2001-01-01&to=2001-12-31"
    assert endpoint.peer(case).startswith("/bench/event.json?_where=id+IN+%28SELECT+r.event_id+FROM+event_region")
    assert suite.BY_NAME["detail"].peer({"id": "gen-1"}) == "/bench/event/gen-1.json"
    assert [e.name for e in suite.SUITE] == ["region_dates", "actor", "detail", "search", "facets", "timeline",
                                            "deep_page", "export"]
