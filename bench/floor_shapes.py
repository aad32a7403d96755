"""What the floor answers: geoevents' JSON and CSV, byte for byte, from plain tuples.

Each handler asks `run(step, inputs)` for the rows of one statement. While learning,
`run` executes the statement our server ran at that point (bench/capture.py); while
serving, it executes that statement with `inputs` bound in the places learning found
(bench/floor.py). The handlers know the shape of our answers, never their SQL.

Search, the one answer with snippets, is in bench/floor_search.py.
"""

import base64
import csv
import hashlib
import hmac
import io
import os
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import orjson

Run = Callable[[str, dict], tuple[list[str], list[tuple]]]
API = "/api/v1"
SECRET = os.environ.get("GEOEVENTS_CURSOR_SECRET", "geoevents-cursor")
EVENT_DEFAULTS = {"affiliated": False, "date_match": "overlaps", "sort": "-date"}
CSV_COLUMNS = (
    "id", "title", "summary", "type", "status", "date_start", "date_end", "date_precision", "location",
    "initiators", "targets", "participants", "actor_names", "regions", "region_names", "countries",
    "lon", "lat", "figures", "quotes", "source_id", "source_title", "citation",
)
_FINENESS = {"site": 5, "route": 4, "city": 4, "subdivision": 3, "country": 2, "world_region": 1}


class BadRequest(Exception):
    """The request is outside what the floor learned to answer."""


def _at(day: str | None, precision: str) -> str | None:
    if day is None:
        return None
    return day[:4] if precision == "year" else day[:7] if precision == "month" else day


def _grouped(columns: list[str], rows: list[tuple], shape: Callable[[dict], dict]) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        grouped.setdefault(record["event_id"], []).append(shape(record))
    return grouped


def _speaker(r: dict) -> dict | None:
    return {"id": r["speaker_id"], "name": r["speaker_name"]} if r["speaker_id"] else None


def _citation(r: dict, evidence: list[dict]) -> dict:
    spans = sorted((q["span"]["start"], q["span"]["end"]) for q in evidence)
    parts = [f"“{r['source_title']}”"]
    if r["source_publisher"]:
        parts.append(r["source_publisher"])
    parts.append(r["source_published_date"] or "n.d.")
    where = ", ".join(f"{start}–{end}" for start, end in spans)
    return {
        "source": {"id": r["source_id"], "title": r["source_title"], "publisher": r["source_publisher"],
                   "published_date": r["source_published_date"], "url": r["source_url"]},
        "spans": [{"start": start, "end": end} for start, end in spans],
        "text": f"{', '.join(parts).rstrip('.')}." + (f" Evidence at characters {where}." if spans else ""),
    }


def _places(columns: list[str], rows: list[tuple]) -> tuple[dict, dict]:
    countries: dict[str, list] = {}
    points: dict[str, dict] = {}
    for row in rows:
        r = dict(zip(columns, row, strict=True))
        codes = countries.setdefault(r["event_id"], [])
        if r["kind"] == "country" and r["iso_code"] not in codes:
            codes.append(r["iso_code"])
        if r["lat"] is not None and r["event_id"] not in points:
            points[r["event_id"]] = {"lon": r["lon"], "lat": r["lat"], "region": {"id": r["id"], "kind": r["kind"]}}
    return countries, points


def events(run: Run, step: str, inputs: dict, limit: int = 1,
           places: bool = False) -> tuple[list[dict], list[dict], bool]:
    """(API items, raw rows, whether more follow) of one page: the page statement, then one per embed."""
    columns, rows = run(step, inputs)
    records = [dict(zip(columns, row, strict=True)) for row in rows[:limit]]
    if not records:
        return [], [], False
    ids = {"ids": [r["id"] for r in records]}
    actors = _grouped(*run("actors", ids), lambda r: {"id": r["id"], "name": r["name"], "role": r["role"]})
    regions = _grouped(*run("regions", ids), lambda r: {"id": r["id"], "name": r["name"]})
    figures = _grouped(*run("figures", ids), lambda r: {"value": r["value"], "unit": r["unit"], "text": r["text"],
                                                        "span": {"start": r["span_start"], "end": r["span_end"]}})
    quotes = _grouped(*run("quotes", ids), lambda r: {"id": r["id"], "text": r["text"], "kind": r["kind"],
                                                      "speaker": _speaker(r),
                                                      "span": {"start": r["span_start"], "end": r["span_end"]}})
    countries, points = _places(*run("places", ids)) if places else ({}, {})
    items = []
    for r in records:
        event_id = r["id"]
        item = {
            "id": event_id, "title": r["title"], "summary": r["summary"], "type": r["type"], "status": r["status"],
            "date": {"start": _at(r["start_date"], r["date_precision"]), "end": _at(r["end_date"], r["date_precision"]),
                     "precision": r["date_precision"]},
            "location": r["location"], "source": {"id": r["source_id"], "title": r["source_title"]},
            "actors": actors.get(event_id, []), "regions": regions.get(event_id, []),
            "figures": figures.get(event_id, []), "quotes": quotes.get(event_id, []),
            "citation": _citation(r, quotes.get(event_id, [])),
        }
        if places:
            item["countries"] = sorted(countries.get(event_id, []))
            item["point"] = points.get(event_id)
        item["links"] = {"self": f"{API}/events/{event_id}", "source": f"{API}/sources/{r['source_id']}"}
        items.append(item)
    return items, records, len(rows) > limit


def _sign(payload: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(SECRET.encode(), payload, hashlib.sha256).digest()[:12]).decode()


def fingerprint(path: str, filters: dict) -> str:
    stable = dict(sorted({**EVENT_DEFAULTS, **filters}.items()))
    return base64.urlsafe_b64encode(hashlib.sha256(orjson.dumps([path, stable])).digest()[:9]).decode()


def encode_cursor(values: list, query_fingerprint: str) -> str:
    payload = base64.urlsafe_b64encode(orjson.dumps({"v": values, "q": query_fingerprint})).rstrip(b"=")
    return f"{payload.decode()}.{_sign(payload)}"


def decode_cursor(token: str, query_fingerprint: str) -> list:
    payload, _, signature = token.partition(".")
    if not hmac.compare_digest(_sign(payload.encode()), signature):
        raise BadRequest("bad cursor")
    body = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    if body.get("q") != query_fingerprint:
        raise BadRequest("cursor of another query")
    return body["v"]


def _filters(query: list[tuple[str, str]]) -> tuple[dict, dict]:
    """(fingerprinted filters, SQL inputs) of an events query; only what the suite sends is understood."""
    given: dict[str, list[str]] = {}
    for name, value in query:
        if name not in ("region", "actor", "from", "to", "date_match", "limit", "cursor", "format"):
            raise BadRequest(f"the floor does not take {name!r}")
        given.setdefault(name, []).append(value)
    filters = {name: given[name] for name in ("actor", "region") if name in given}
    filters.update({name: given[name][0] for name in ("from", "to", "date_match") if name in given})
    return filters, dict(filters)


def _step(filters: dict, cursor: object) -> str:
    # Which filters are given, and how dates match, change the SQL; the other values are parameters.
    names = [f"{n}={v}" if n == "date_match" else n for n, v in sorted(filters.items())]
    return "page:" + ",".join(names) + (":after" if cursor else ":first")


def event_page(run: Run, url: str, path: str, query: list[tuple[str, str]]) -> bytes:
    """GET /api/v1/events as JSON: one page, its cursor and links."""
    filters, inputs = _filters(query)
    params = dict(query)
    limit = int(params.get("limit", 50))
    cursor = params.get("cursor")
    key = fingerprint(path, filters)
    if cursor:
        inputs.update({f"after{i}": value for i, value in enumerate(decode_cursor(cursor, key))})
    run("version", {})
    items, records, more = events(run, _step(filters, cursor), {**inputs, "fetch": limit + 1}, limit)
    next_cursor = next_link = None
    if more:
        next_cursor = encode_cursor([v for k, v in records[-1].items() if k.startswith("_key")], key)
        kept = [(k, v) for k, v in query if k != "cursor"] + [("cursor", next_cursor)]
        next_link = f"{url.partition('?')[0]}?{urlencode(kept)}"
    return orjson.dumps({"data": items, "meta": {"limit": limit, "next_cursor": next_cursor},
                         "links": {"self": url, "next": next_link}})


def event_detail(run: Run, event_id: str) -> bytes | None:
    """GET /api/v1/events/{id}, or None for an unknown id."""
    run("version", {})
    items, _, _ = events(run, "detail", {"id": event_id})
    return orjson.dumps(items[0]) if items else None


def _joined(values) -> str:  # type: ignore[no-untyped-def]
    return "; ".join(str(value) for value in values)


def _csv_row(item: dict) -> list:
    actors, point = item["actors"], item["point"] or {}
    return [
        item["id"], item["title"], item["summary"], item["type"], item["status"], item["date"]["start"],
        item["date"]["end"], item["date"]["precision"], item["location"],
        *(_joined(a["id"] for a in actors if a["role"] == role) for role in ("initiator", "target", "participant")),
        _joined(dict.fromkeys(a["name"] for a in actors)),
        _joined(r["id"] for r in item["regions"]), _joined(r["name"] for r in item["regions"]),
        _joined(item["countries"]), point.get("lon"), point.get("lat"),
        _joined(f"{f['value']:g} {f['unit']} ({f['text']})" for f in item["figures"]),
        _joined(q["id"] for q in item["quotes"]), item["source"]["id"], item["source"]["title"],
        item["citation"]["text"],
    ]


def event_csv(run: Run, path: str, query: list[tuple[str, str]], chunk: int = 500) -> Iterator[bytes]:
    """GET /api/v1/events?format=csv: every match (or the first `limit`), a chunk of rows at a time."""
    filters, inputs = _filters(query)
    limit = dict(query).get("limit")
    remaining = int(limit) if limit else None
    run("version", {})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    after: list | None = None
    while remaining is None or remaining > 0:
        size = chunk if remaining is None else min(chunk, remaining)
        step_inputs = {**inputs, "fetch": size + 1, **{f"after{i}": v for i, v in enumerate(after or [])}}
        items, records, more = events(run, _step(filters, after), step_inputs, size, places=True)
        for item in items:
            writer.writerow(_csv_row(item))
            if buffer.tell() > 65536:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        if remaining is not None:
            remaining -= len(items)
        if not more:
            break
        after = [v for k, v in records[-1].items() if k.startswith("_key")]
    yield buffer.getvalue().encode("utf-8")


def facets(run: Run, names: list[str], size: int) -> bytes:
    """GET /api/v1/events/facets with no filter."""
    run("version", {})
    total = run("total", {})[1][0][0]
    found = {}
    for name in names:
        rows = run(f"facet:{name}", {"facet_size": size})[1]
        found[name] = {"values": [{"value": r[0], "label": r[1], "count": r[2]} for r in rows],
                       "distinct": rows[0][3] if rows else 0}
    return orjson.dumps({"total": total, "facets": found})


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def timeline_by_month(run: Run, to: str) -> bytes:
    """GET /api/v1/events/timeline?interval=month&to=DATE."""
    run("version", {})
    counts = {(kind, bucket): n for kind, bucket, n in run("timeline:month", {"to": to})[1]}
    filled = {bucket: n for (kind, bucket), n in counts.items() if kind == "bucket"}
    ends = [*filled, to[:7]]
    first, last = (int(b[:4]) * 12 + int(b[5:7]) - 1 for b in (min(ends), max(ends)))
    buckets = [{"start": _month(i), "count": filled.get(_month(i), 0)} for i in range(first, last + 1)]
    undated, coarser = counts.get(("undated", None), 0), counts.get(("coarser", None), 0)
    return orjson.dumps({"interval": "month", "total": sum(filled.values()) + undated + coarser,
                         "buckets": buckets, "undated": undated, "coarser": coarser})
