"""The floor's facets and timeline, remembered per data version as our server remembers them.

Our server keeps each aggregate in process under (data version, normalized query)
(app/queries/aggregate_cache.py); the floor does the same, with the same keys, the same
statements and the same bound on entries, so both read the change feed's newest `seq` on
every request and run an aggregate's statements only the first time a version sees it.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import orjson

from bench.floor_shapes import Run

# app/queries/aggregate_cache.py's MAX_ENTRIES. Its weight bound (values held) never binds for
# the suite's aggregates: 100 values a facet, a thousand months a timeline, a few hundred entries.
MAX_ENTRIES = 512
MAX_FACET_SIZE = 100  # app/queries/facets.py MAX_SIZE: a facet is computed whole, then cut.


class Remembered:
    """Least recently used answers go first once MAX_ENTRIES are held."""

    def __init__(self) -> None:
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            return found
        found = self.entries[key] = compute()
        if len(self.entries) > MAX_ENTRIES:
            self.entries.popitem(last=False)
        return found


def _version(run: Run) -> int:
    run("version", {})
    return run("data_version", {})[1][0][0] or 0


def _every_year(run: Run) -> dict:
    years: dict[str, int] = {}
    for day, events in run("facet:year", {})[1]:
        years[day[:4]] = years.get(day[:4], 0) + events
    ranked = sorted(years.items(), key=lambda item: (-item[1], item[0]))[:MAX_FACET_SIZE]
    return {"values": [{"value": y, "label": y, "count": n} for y, n in ranked], "distinct": len(years)}


def _facet(run: Run, name: str) -> dict:
    if name == "year":
        return _every_year(run)
    rows = run(f"facet:{name}", {})[1]
    return {"values": [{"value": r[0], "label": r[1], "count": r[2]} for r in rows],
            "distinct": rows[0][3] if rows else 0}


def facets(run: Run, cache: Remembered, names: list[str], size: int) -> bytes:
    """GET /api/v1/events/facets with no filter."""
    version = _version(run)
    total = cache.get_or_compute((version, "total"), lambda: run("total", {})[1][0][0])
    found = {name: cache.get_or_compute((version, "facet", name), lambda name=name: _facet(run, name))
             for name in names}
    return orjson.dumps({"total": total, "facets": {
        name: {"values": f["values"][:size], "distinct": f["distinct"]} for name, f in found.items()}})


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _by_month(run: Run, to: str) -> tuple[dict[str, int], int, int]:
    """(events per month, undated, coarser) from the GROUP BY on (precision, start) of app/queries/timeline.py."""
    filled: dict[str, int] = {}
    undated = coarser = 0
    for precision, start, events in run("timeline:month", {"to": to})[1]:
        if start is None:
            undated += events
        elif precision in ("day", "month"):
            filled[start[:7]] = filled.get(start[:7], 0) + events
        else:
            coarser += events
    return filled, undated, coarser


def timeline_by_month(run: Run, cache: Remembered, to: str) -> bytes:
    """GET /api/v1/events/timeline?interval=month&to=DATE."""
    version = _version(run)
    filled, undated, coarser = cache.get_or_compute((version, "timeline", "month", to), lambda: _by_month(run, to))
    ends = [*filled, to[:7]]
    first, last = (int(b[:4]) * 12 + int(b[5:7]) - 1 for b in (min(ends), max(ends)))
    buckets = [{"start": _month(i), "count": filled.get(_month(i), 0)} for i in range(first, last + 1)]
    return orjson.dumps({"interval": "month", "total": sum(filled.values()) + undated + coarser,
                         "buckets": buckets, "undated": undated, "coarser": coarser})
