"""What the floor answers: geoevents' JSON and CSV, byte for byte, from plain tuples.

Each handler asks `run(step, inputs)` for the rows of one statement. While learning,
`run` executes the statement our server ran at that point (bench/capture.py); while
serving, it executes that statement with `inputs` bound in the places learning found
(bench/floor.py). The handlers know the shape of our answers, never their SQL.

Search, the one answer with snippets, is in bench/floor_search.py; facets and the timeline
in bench/floor_aggregates.py; the CSV export in bench/floor_csv.py. From the application the floor takes only the bound at which
a filtered page walks the date index (app/queries/event_access.py), read per request so a
test can lower it.
"""

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from urllib.parse import urlencode

import orjson

from app.queries import event_access

Run = Callable[[str, dict], tuple[list[str], list[tuple]]]
API = "/api/v1"
SECRET = os.environ.get("GEOEVENTS_CURSOR_SECRET", "geoevents-cursor")
EVENT_DEFAULTS = {"affiliated": False, "date_match": "overlaps", "sort": "-date"}
# Where an undated event's date key stands in a cursor: the `null_fill` of the date sort
# (app/queries/event_filters.py), mirrored; a checked page of undated events compares it.
NULL_FILL = "0001-01-01"


class BadRequest(Exception):
    """The request is outside what the floor learned to answer."""


def _at(day: str | None, precision: str) -> str | None:
    if day is None:
        return None
    return day[:4] if precision == "year" else day[:7] if precision == "month" else day


def _grouped(rows: list[tuple], shape: Callable[[tuple], dict]) -> dict[str, list]:
    """Rows (event id first) shaped and grouped by event, as app/queries/event_embeds.py does."""
    grouped: dict[str, list] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(shape(row))
    return grouped


def _actor(r: tuple) -> dict:
    return {"id": r[1], "name": r[2], "role": r[3]}


def _region(r: tuple) -> dict:
    return {"id": r[1], "name": r[2]}


def _figure(r: tuple) -> dict:
    return {"value": r[1], "unit": r[2], "text": r[3], "span": {"start": r[4], "end": r[5]}}


def _quote(r: tuple) -> dict:
    return {"id": r[1], "text": r[2], "kind": r[3], "speaker": {"id": r[6], "name": r[7]} if r[6] else None,
            "span": {"start": r[4], "end": r[5]}}


def _citation(r: tuple, at: dict[str, int], evidence: list[dict]) -> dict:
    spans = sorted((q["span"]["start"], q["span"]["end"]) for q in evidence)
    title, publisher, published = r[at["source_title"]], r[at["source_publisher"]], r[at["source_published_date"]]
    parts = [f"“{title}”"]
    if publisher:
        parts.append(publisher)
    parts.append(published or "n.d.")
    where = ", ".join(f"{start}–{end}" for start, end in spans)
    return {
        "source": {"id": r[at["source_id"]], "title": title, "publisher": publisher, "published_date": published,
                   "url": r[at["source_url"]]},
        "spans": [{"start": start, "end": end} for start, end in spans],
        "text": f"{', '.join(parts).rstrip('.')}." + (f" Evidence at characters {where}." if spans else ""),
    }


def _places(rows: list[tuple]) -> tuple[dict, dict]:
    countries: dict[str, list] = {}
    points: dict[str, dict] = {}
    for event_id, place_id, kind, iso_code, lat, lon in rows:
        codes = countries.setdefault(event_id, [])
        if kind == "country" and iso_code not in codes:
            codes.append(iso_code)
        if lat is not None and event_id not in points:
            points[event_id] = {"lon": lon, "lat": lat, "region": {"id": place_id, "kind": kind}}
    return countries, points


def shape(run: Run, columns: list[str], rows: list[tuple], places: bool = False) -> list[dict]:
    """Event rows as API items: one statement per embed for all of them, none when there are no rows."""
    if not rows:
        return []
    at = {name: index for index, name in enumerate(columns)}
    ids = {"ids": [r[0] for r in rows]}
    actors = _grouped(run("actors", ids)[1], _actor)
    regions = _grouped(run("regions", ids)[1], _region)
    figures = _grouped(run("figures", ids)[1], _figure)
    quotes = _grouped(run("quotes", ids)[1], _quote)
    countries, points = _places(run("places", ids)[1]) if places else ({}, {})
    start, end, precision = at["start_date"], at["end_date"], at["date_precision"]
    items = []
    for r in rows:
        event_id, source_id = r[0], r[at["source_id"]]
        item = {
            "id": event_id, "title": r[at["title"]], "summary": r[at["summary"]], "type": r[at["type"]],
            "status": r[at["status"]],
            "date": {"start": _at(r[start], r[precision]), "end": _at(r[end], r[precision]), "precision": r[precision]},
            "location": r[at["location"]], "source": {"id": source_id, "title": r[at["source_title"]]},
            "actors": actors.get(event_id, []), "regions": regions.get(event_id, []),
            "figures": figures.get(event_id, []), "quotes": quotes.get(event_id, []),
            "citation": _citation(r, at, quotes.get(event_id, [])),
        }
        if places:
            item["countries"] = sorted(countries.get(event_id, []))
            item["point"] = points.get(event_id)
        item["links"] = {"self": f"{API}/events/{event_id}", "source": f"{API}/sources/{source_id}"}
        items.append(item)
    return items


Page = tuple[list[str], list[tuple], list | None]


def _branch(run: Run, step: str, inputs: dict, after: list, fetch: int, known: bool) -> tuple[list[str], list[tuple]]:
    bound = {f"after{i}": value for i, value in enumerate(after)}
    return run(f"{step}:{'dated' if known else 'undated'}:{'after' if after else 'first'}",
               {**inputs, **bound, "fetch": fetch})


def _cursor(columns: list[str], row: tuple, known: bool) -> list:
    keys = [row[i] for i, name in enumerate(columns) if name.startswith("_key")]
    return [1, *keys] if known else [0, NULL_FILL, *keys]


def page(run: Run, step: str, inputs: dict, after: list | None, limit: int) -> Page:
    """(columns, rows, next cursor values) of a page sorted by -date, read as app/queries/keyset.py
    `_fetch_split` reads it: dated events by the raw column, then, only if the page is not full, undated ones."""
    fetch, columns, dated, undated_columns = limit + 1, [], [], []
    if after is None or after[0] == 1:
        columns, dated = _branch(run, step, inputs, after[1:] if after else [], fetch, True)
    rows = dated
    if len(dated) < fetch:
        undated_columns, undated = _branch(run, step, inputs, after[2:] if after and after[0] == 0 else [],
                                           fetch - len(dated), False)
        rows = dated + undated
    if len(rows) <= limit:
        return columns or undated_columns, rows, None
    if limit <= len(dated):
        return columns, rows[:limit], _cursor(columns, dated[limit - 1], True)
    return undated_columns, rows[:limit], _cursor(undated_columns, rows[limit - 1], False)


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


def filters_of(query: list[tuple[str, str]]) -> dict:
    """The fingerprinted filters of an events query; only what the suite sends is understood."""
    given: dict[str, list[str]] = {}
    for name, value in query:
        if name not in ("region", "actor", "from", "to", "date_match", "limit", "cursor", "format"):
            raise BadRequest(f"the floor does not take {name!r}")
        given.setdefault(name, []).append(value)
    filters: dict = {name: given[name] for name in ("actor", "region") if name in given}
    filters.update({name: given[name][0] for name in ("from", "to", "date_match") if name in given})
    return filters


def _walks(run: Run, filters: dict) -> bool:
    """Whether the page walks the date index, decided as app/queries/event_access.py `walk_index` decides:
    from the same probes (each link filter's matches counted up to BROAD), stopping at the first narrow one."""
    if "from" in filters and filters.get("date_match", "overlaps") != "within":
        return False
    links = [name for name in ("actor", "region") if name in filters]
    for name in links:
        if run(f"probe:{name}", {name: filters[name]})[1][0][0] < event_access.BROAD:
            return False
    return bool(links)


def step_of(run: Run, filters: dict) -> str:
    # Which filters are given, how dates match and whether the index is walked change the SQL;
    # the other values are parameters.
    names = [f"{n}={v}" if n == "date_match" else n for n, v in sorted(filters.items())]
    return "page:" + ",".join(names) + (":walk" if _walks(run, filters) else "")


def event_page(run: Run, url: str, path: str, query: list[tuple[str, str]]) -> bytes:
    """GET /api/v1/events as JSON: one page, its cursor and links."""
    filters = filters_of(query)
    params = dict(query)
    limit = int(params.get("limit", 50))
    cursor = params.get("cursor")
    key = fingerprint(path, filters)
    after = decode_cursor(cursor, key) if cursor else None
    run("version", {})
    columns, rows, next_values = page(run, step_of(run, filters), filters, after, limit)
    next_cursor = next_link = None
    if next_values is not None:
        next_cursor = encode_cursor(next_values, key)
        kept = [(k, v) for k, v in query if k != "cursor"] + [("cursor", next_cursor)]
        next_link = f"{url.partition('?')[0]}?{urlencode(kept)}"
    return orjson.dumps({"data": shape(run, columns, rows), "meta": {"limit": limit, "next_cursor": next_cursor},
                         "links": {"self": url, "next": next_link}})


def event_detail(run: Run, event_id: str) -> bytes | None:
    """GET /api/v1/events/{id}, or None for an unknown id."""
    run("version", {})
    items = shape(run, *run("detail", {"id": event_id}))
    return orjson.dumps(items[0]) if items else None
