"""Response formats for event lists: JSON pages, and streamed NDJSON, CSV and GeoJSON exports.

Streamed formats fetch a chunk of rows at a time inside one read transaction, so an
export of every event holds one chunk in memory, never the whole result.
"""

import csv
import io
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import Engine
from starlette.responses import StreamingResponse

from app.api.deps import read_connection
from app.api.problems import Problem

MEDIA_TYPES = {
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}
# Other names clients use for the same formats.
_ACCEPTED = {
    "application/json": "json",
    "application/x-ndjson": "ndjson",
    "application/ndjson": "ndjson",
    "application/jsonl": "ndjson",
    "text/csv": "csv",
    "application/geo+json": "geojson",
}

# One row per event. Lists are joined with "; "; actors are split by role; figures are
# written "value unit (verbatim text)".
CSV_COLUMNS = (
    "id", "title", "summary", "type", "status", "date_start", "date_end", "date_precision", "location",
    "initiators", "targets", "participants", "actor_names", "regions", "region_names", "countries",
    "lon", "lat", "figures", "quotes", "source_id", "source_title", "citation",
)
CSV_EMBEDS = ("actors", "regions", "figures", "quotes", "citation", "countries", "point")


def negotiate(accept: str | None, explicit: str | None) -> str:
    """The format to answer in: `format=` wins, else the best match of Accept, else JSON."""
    if explicit:
        return explicit
    if not accept:
        return "json"
    best, best_q = None, 0.0
    for position, part in enumerate(accept.split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media in ("*/*", "application/*"):
            candidate = "json"
        else:
            candidate = _ACCEPTED.get(media.lower())
        # Earlier entries win ties, as clients list their preference first.
        if candidate and quality > best_q:
            best, best_q = candidate, quality
    if best is None:
        offered = ", ".join(sorted(set(_ACCEPTED)))
        raise Problem(406, "not-acceptable", f"Cannot answer in {accept!r}; this list speaks {offered}.")
    return best


def _joined(values: Iterable[Any]) -> str:
    return "; ".join(str(value) for value in values)


def _csv_row(item: dict) -> list[Any]:
    actors = item.get("actors", [])
    point = item.get("point") or {}
    return [
        item["id"], item["title"], item["summary"], item["type"], item["status"],
        item["date"]["start"], item["date"]["end"], item["date"]["precision"], item["location"],
        _joined(a["id"] for a in actors if a["role"] == "initiator"),
        _joined(a["id"] for a in actors if a["role"] == "target"),
        _joined(a["id"] for a in actors if a["role"] == "participant"),
        _joined(dict.fromkeys(a["name"] for a in actors)),
        _joined(r["id"] for r in item.get("regions", [])),
        _joined(r["name"] for r in item.get("regions", [])),
        _joined(item.get("countries", [])),
        point.get("lon"), point.get("lat"),
        _joined(f"{f['value']:g} {f['unit']} ({f['text']})" for f in item.get("figures", [])),
        _joined(q["id"] for q in item.get("quotes", [])),
        item["source"]["id"], item["source"]["title"],
        item["citation"]["text"] if item.get("citation") else None,
    ]


def _csv(items: Iterable[dict]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: CRLF, minimal quoting
    writer.writerow(CSV_COLUMNS)
    for item in items:
        writer.writerow(_csv_row(item))
        if buffer.tell() > 65536:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _ndjson(items: Iterable[dict]) -> Iterator[bytes]:
    for item in items:
        yield orjson.dumps(item) + b"\n"


def _geojson(items: Iterable[dict]) -> Iterator[bytes]:
    # RFC 7946: [lon, lat]; an event with no located region has a null geometry.
    yield b'{"type":"FeatureCollection","features":['
    separator = b""
    for item in items:
        point = item.pop("point", None)
        geometry = {"type": "Point", "coordinates": [point["lon"], point["lat"]]} if point else None
        feature = {"type": "Feature", "id": item["id"], "geometry": geometry, "properties": item}
        yield separator + orjson.dumps(feature)
        separator = b","
    yield b"]}"


def stream(
    fmt: str,
    engine: Engine,
    produce: Callable[[Any], Iterable[dict]],
    finish: Callable[[dict], dict],
    *,
    head: bool = False,
) -> StreamingResponse:
    """Stream `produce(connection)` in `fmt`, each item passed through `finish` first.

    `head`: the request is a HEAD, so the same headers and no body, and no work for it.
    """
    writer = {"csv": _csv, "ndjson": _ndjson, "geojson": _geojson}[fmt]
    if head:
        return StreamingResponse(iter(()), media_type=MEDIA_TYPES[fmt])

    def body() -> Iterator[bytes]:
        # Its own connection and one read transaction: the export is one consistent
        # snapshot however long it takes to send.
        with _turn(), read_connection(engine) as connection, connection.begin():
            yield from _batched(writer(finish(item) for item in produce(connection)))

    return StreamingResponse(body(), media_type=MEDIA_TYPES[fmt])


# Exports run a few at a time, the others queue: sixteen exports sharing one core would
# each take sixteen times as long (and hold their snapshots as long), where in turns each
# finishes as soon as it can and the core keeps room for everything else.
_EXPORTS = threading.BoundedSemaphore(2)
# A client that stops reading holds its turn: after this long a waiting export goes ahead
# anyway, so two stalled clients delay the others but never block them.
_TURN_WAIT_S = 30.0


@contextmanager
def _turn() -> Iterator[None]:
    taken = _EXPORTS.acquire(timeout=_TURN_WAIT_S)
    try:
        yield
    finally:
        if taken:
            _EXPORTS.release()
# Each chunk handed to the server is one trip from the thread pool: send ~64 KiB at a time.
_CHUNK = 65536


def _batched(chunks: Iterable[bytes]) -> Iterator[bytes]:
    pending: list[bytes] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= _CHUNK:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)
