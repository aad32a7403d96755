"""The floor's CSV export: every matching event, a chunk of 500 at a time, as our server writes it."""

import csv
import io
from collections.abc import Iterator

from bench.floor_shapes import Run, filters_of, page, shape, step_of

CSV_COLUMNS = (
    "id", "title", "summary", "type", "status", "date_start", "date_end", "date_precision", "location",
    "initiators", "targets", "participants", "actor_names", "regions", "region_names", "countries",
    "lon", "lat", "figures", "quotes", "source_id", "source_title", "citation",
)


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
    filters = filters_of(query)
    limit = dict(query).get("limit")
    remaining = int(limit) if limit else None
    run("version", {})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    after: list | None = None
    while remaining is None or remaining > 0:
        size = chunk if remaining is None else min(chunk, remaining)
        columns, rows, after = page(run, step_of(run, filters), filters, after, size)
        for item in shape(run, columns, rows, places=True):
            writer.writerow(_csv_row(item))
            if buffer.tell() > 65536:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        if remaining is not None:
            remaining -= len(rows)
        if after is None:
            break
    yield buffer.getvalue().encode("utf-8")
