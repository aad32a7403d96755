"""The fixed suite: which endpoints are driven, with which distinct queries, for ours, the floor and the peer.

Every query is drawn from the database itself (ids, dates, regions, actors, words of real
rows), deterministically from a seed, so a response cache cannot turn the benchmark into
a cache benchmark and every run of the same database drives the same sequence. Each case
is a dict of parameters; `our_path` and `peer_path` write it for geoevents (and the floor,
which answers the same URLs) and for Datasette.
"""

import json
import random
import re
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

API = "/api/v1"
# The Datasette database name: the file is served as /bench.
PEER_DB = "bench"
EXPORT_ROWS = 10_000
FACET_NAMES = ("type", "status", "actor", "region", "year")
_WORD = re.compile(r"[a-z]{4,}")


class Endpoint:
    """One line of the table: a name, how its cases are drawn, and its URL on each server."""

    def __init__(self, name: str, label: str, draw: Callable[["Sampler"], dict],
                 ours: Callable[[dict], str], peer: Callable[[dict], str] | None, peer_note: str = ""):
        self.name, self.label, self.draw, self.ours, self.peer, self.peer_note = name, label, draw, ours, peer, peer_note


class Sampler:
    """Random rows of the benchmark database, drawn by rowid (no full scans)."""

    def __init__(self, path: str, seed: int) -> None:
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.rng = random.Random(seed)
        self.max_rowid = self.db.execute("SELECT max(rowid) FROM event").fetchone()[0]
        self.first_day, self.last_day, dated = self.db.execute(
            "SELECT min(start_date), max(start_date), count(start_date) FROM event").fetchone()
        self.export_rows = min(EXPORT_ROWS, dated)

    def event(self, dated: bool = True) -> tuple[str, str | None, str]:
        """(id, start_date, title) of a random event, dated unless `dated` is False."""
        while True:
            row = self.db.execute("SELECT id, start_date, title FROM event WHERE rowid = ?",
                                  (self.rng.randint(1, self.max_rowid),)).fetchone()
            if row and (row[1] is not None or not dated):
                return row

    def region_of(self, event_id: str) -> str:
        """The event's region or one of its ancestors below the world regions."""
        rows = self.db.execute(
            "SELECT a.ancestor_id FROM event_region r JOIN region_ancestor a ON a.region_id = r.region_id "
            "JOIN region g ON g.id = a.ancestor_id WHERE r.event_id = ? AND g.kind != 'world_region' "
            "ORDER BY a.ancestor_id", (event_id,)).fetchall()
        return self.rng.choice(rows)[0]

    def actor_of(self, event_id: str) -> str:
        rows = self.db.execute("SELECT actor_id FROM event_actor WHERE event_id = ? ORDER BY position",
                               (event_id,)).fetchall()
        return self.rng.choice(rows)[0]


def _region_dates(s: Sampler) -> dict:
    event_id, start, _ = s.event()
    width = s.rng.choice((30, 90, 365, 365 * 5))
    first = date.fromisoformat(start) - timedelta(days=s.rng.randrange(width))
    return {"region": s.region_of(event_id), "from": first.isoformat(), "to": (first + timedelta(days=width)).isoformat()}


def _actor(s: Sampler) -> dict:
    return {"actor": s.actor_of(s.event(dated=False)[0])}


def _detail(s: Sampler) -> dict:
    return {"id": s.event(dated=False)[0]}


def _search(s: Sampler) -> dict:
    while True:
        words = _WORD.findall(s.event(dated=False)[2].lower())
        if words:
            return {"q": s.rng.choice(words)}


def _facets(s: Sampler) -> dict:
    # Every case counts the whole table; only the number of values shown differs.
    return {"facet_size": s.rng.randint(1, 100)}


def _timeline(s: Sampler) -> dict:
    # A `to` after the last event keeps every dated event (and draws the empty buckets up to it).
    return {"to": (date(2026, 1, 1) + timedelta(days=s.rng.randrange(3650))).isoformat()}


def _export(s: Sampler) -> dict:
    # Exports stream every match (`limit` caps pages at 500), so the window is chosen to hold
    # about EXPORT_ROWS events: from a random day to the day of the EXPORT_ROWS-th event after it.
    for _ in range(100):
        first = s.event()[1]
        row = s.db.execute("SELECT start_date FROM event WHERE start_date >= ? ORDER BY start_date LIMIT 1 OFFSET ?",
                           (first, s.export_rows - 1)).fetchone()
        if row is not None:
            return {"from": first, "to": row[0]}
    return {"from": s.first_day, "to": s.last_day}


def _deep(s: Sampler) -> dict:
    # Filled in by the runner, which walks the cursors: {"cursor", "after_date", "after_id"}.
    return {}


def _query(path: str, params: list[tuple[str, object]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _peer_table(where: str, extra: list[tuple[str, object]] = ()) -> str:
    params = [("_where", where), ("_sort_desc", "start_date"), ("_size", 50), ("_nocount", 1), *extra]
    return _query(f"/{PEER_DB}/event.json", params)


SUITE = [
    Endpoint(
        "region_dates", "events by region and date range", _region_dates,
        lambda c: _query(f"{API}/events", [("region", c["region"]), ("from", c["from"]), ("to", c["to"])]),
        lambda c: _peer_table(
            "id IN (SELECT r.event_id FROM event_region r JOIN region_ancestor a ON a.region_id = r.region_id "
            f"WHERE a.ancestor_id = {_sql_text(c['region'])}) AND start_date <= {_sql_text(c['to'])} "
            f"AND coalesce(end_date, '9999-12-31') >= {_sql_text(c['from'])}"),
        "table rows only, no embeds",
    ),
    Endpoint(
        "actor", "events by actor", _actor,
        lambda c: _query(f"{API}/events", [("actor", c["actor"])]),
        lambda c: _peer_table(f"id IN (SELECT event_id FROM event_actor WHERE actor_id = {_sql_text(c['actor'])})"),
        "table rows only, no embeds",
    ),
    Endpoint(
        "detail", "event detail", _detail,
        lambda c: f"{API}/events/{quote(c['id'])}",
        lambda c: f"/{PEER_DB}/event/{quote(c['id'])}.json",
        "the row only, no embeds",
    ),
    Endpoint(
        "search", "full-text search", _search,
        lambda c: _query(f"{API}/search", [("q", c["q"])]),
        lambda c: _query(f"/{PEER_DB}/search_index.json", [("_search", c["q"]), ("_size", 20), ("_nocount", 1)]),
        "FTS5 rows, no snippets or grouping",
    ),
    Endpoint(
        "facets", "facets over the whole table", _facets,
        lambda c: _query(f"{API}/events/facets", [("facet", ",".join(FACET_NAMES)), ("facet_size", c["facet_size"])]),
        lambda c: _query(f"/{PEER_DB}/event.json", [("_facet", "type"), ("_facet", "status"),
                                                     ("_facet", "date_precision"), ("_facet_size", c["facet_size"]),
                                                     ("_size", 0), ("_nocount", 1)]),
        "column facets only (type, status, precision): no actor, region or year",
    ),
    Endpoint(
        "timeline", "timeline by month, whole table", _timeline,
        lambda c: _query(f"{API}/events/timeline", [("interval", "month"), ("to", c["to"])]),
        lambda c: _query(f"/{PEER_DB}.json", [("sql", (
            "SELECT strftime('%Y-%m', start_date) AS bucket, count(*) AS events FROM event "
            f"WHERE date_precision IN ('day', 'month') AND start_date <= {_sql_text(c['to'])} "
            "GROUP BY bucket ORDER BY bucket")), ("_shape", "array")]),
        "one GROUP BY through the SQL API, no empty buckets",
    ),
    Endpoint(
        "deep_page", "a page deep in a cursor walk", _deep,
        lambda c: _query(f"{API}/events", [("cursor", c["cursor"])]),
        lambda c: _query(f"/{PEER_DB}/event.json", [("_sort_desc", "start_date"), ("_size", 50), ("_nocount", 1),
                                                     ("_next", f"{c['after_date']},{c['after_id']}")]),
        "Datasette's own keyset token at the same row, no embeds",
    ),
    Endpoint(
        "export", f"CSV export of ~{EXPORT_ROWS:,} events", _export,
        lambda c: _query(f"{API}/events", [("format", "csv"), ("from", c["from"]), ("to", c["to"]),
                                           ("date_match", "within")]),
        lambda c: _query(f"/{PEER_DB}/event.csv", [("start_date__gte", c["from"]), ("end_date__lte", c["to"]),
                                                    ("_sort_desc", "start_date"), ("_size", "max"), ("_nocount", 1)]),
        "event columns only, no actors, regions or citation",
    ),
]
BY_NAME = {endpoint.name: endpoint for endpoint in SUITE}


def draw_cases(path: str, count: int, seed: int, cache: Path | None = None) -> dict[str, list[dict]]:
    """`count` cases per endpoint (the deep page's are added by the runner), kept in `cache` if given."""
    if cache is not None and cache.exists():
        return json.loads(cache.read_text())
    sampler = Sampler(path, seed)
    cases = {}
    for endpoint in SUITE:
        if endpoint.name != "deep_page":
            # Exports and aggregates run a few times a second at best: fewer cases are plenty.
            wanted = min(count, 300) if endpoint.name in ("export", "facets", "timeline") else count
            cases[endpoint.name] = [endpoint.draw(sampler) for _ in range(wanted)]
    sampler.db.close()
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(cases))
    return cases
