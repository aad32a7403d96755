"""The floor: a bare ASGI app (no framework) that answers the suite's URLs like geoevents does.

It runs exactly the SQL our server runs for the same request (learned by bench/capture.py,
which watched our server with SQLAlchemy's `before_cursor_execute`), with the standard
`sqlite3` module, fetching tuples, and writes the same bytes with orjson
(bench/floor_shapes.py): what one core can do at best with this data and these queries.
Like ours, it remembers aggregates per data version (bench/floor_aggregates.py).

Served with `uvicorn bench.floor:app` and two variables: BENCH_FLOOR_DB (the SQLite file)
and BENCH_FLOOR_PLAN (the learned statements, JSON).
"""

import itertools
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl, unquote

import orjson

from bench import floor_aggregates, floor_csv, floor_search
from bench import floor_shapes as shapes

_IN_GROUP_OR_PARAM = re.compile(r"IN \((\?(?:, \?)*)\)|\?")


class PlanError(Exception):
    """A request the learned statements cannot serve faithfully."""


class Statement:
    """SQL text cut at its parameters, and where each parameter's value comes from."""

    def __init__(self, segments: list[str], slots: list[list]) -> None:
        self.segments, self.slots = segments, slots
        self.fixed = None if any(s[0] == "list" for s in slots) else "?".join(segments)

    def bind(self, inputs: dict) -> tuple[str, list]:
        params: list = []
        parts = [self.segments[0]]
        for slot, segment in zip(self.slots, self.segments[1:], strict=True):
            kind = slot[0]
            if kind == "const":
                params.append(slot[1])
            elif kind == "input":
                params.append(inputs[slot[1]])
            elif kind == "list":
                values = inputs[slot[1]]
                params.extend(values)
                parts.append(", ".join("?" * len(values)))
            else:  # input_or_const: learning saw equal values; serve only when they still agree
                if inputs[slot[1]] != slot[2]:
                    raise PlanError(f"{slot[1]}={inputs[slot[1]]!r} was never seen apart from the constant {slot[2]!r}")
                params.append(slot[2])
            if kind != "list":
                parts.append("?")
            parts.append(segment)
        return (self.fixed if self.fixed is not None else "".join(parts)), params


def split(sql: str, params: list, inputs: dict) -> tuple[list[str], list[list]]:
    """Cut `sql` at its parameters: an IN list equal to a list input is one ["list", name] slot,
    every other parameter a ["value", value] slot for compile_plan to explain."""
    segments, slots, last, index = [], [], 0, 0
    lists = {name: value for name, value in inputs.items() if isinstance(value, list)}
    for match in _IN_GROUP_OR_PARAM.finditer(sql):
        if match.group(1) is not None:
            count = match.group(1).count("?")
            values = list(params[index:index + count])
            name = next((n for n, v in lists.items() if v == values), None)
            if name is not None:
                segments.append(sql[last:match.start(1)])
                slots.append(["list", name])
                last, index = match.end(1), index + count
                continue
            for inner in re.finditer(r"\?", match.group(0)):
                segments.append(sql[last:match.start() + inner.start()])
                slots.append(["value", params[index]])
                last, index = match.start() + inner.end(), index + 1
            continue
        segments.append(sql[last:match.start()])
        slots.append(["value", params[index]])
        last, index = match.end(), index + 1
    if index != len(params):
        raise PlanError(f"{len(params)} parameters but {index} placeholders in {sql[:80]!r}")
    segments.append(sql[last:])
    return segments, slots


def compile_step(step: str, examples: list[tuple[str, list, dict]]) -> dict:
    """One learned statement from several executions of it: which parameter is which input."""
    cut = [split(sql, params, inputs) for sql, params, inputs in examples]
    segments = cut[0][0]
    if any(other[0] != segments for other in cut[1:]):
        raise PlanError(f"step {step}: our server ran different SQL for requests of the same shape")
    slots = []
    for position, first in enumerate(cut[0][1]):
        if first[0] == "list":
            slots.append(first)
            continue
        values = [c[1][position][1] for c in cut]
        names = None
        for (_, _, inputs), value in zip(examples, values, strict=True):
            here = {n for n, v in inputs.items() if not isinstance(v, list) and type(v) is type(value) and v == value}
            names = here if names is None else names & here
        if names:
            name = min(names)
            constant = all(v == values[0] for v in values)
            slots.append(["input_or_const", name, values[0]] if constant else ["input", name])
        elif all(v == values[0] for v in values):
            slots.append(["const", values[0]])
        else:
            raise PlanError(f"step {step}: parameter {position} took values {values[:3]} that no input explains")
    return {"segments": segments, "slots": slots}


class _Connection(sqlite3.Connection):
    deadline: float | None = None


class Served:
    """Runs learned statements on pooled sqlite3 connections, one per request in flight."""

    def __init__(self, path: str, plan: dict[str, dict], limit_ms: int = 0) -> None:
        self.path, self.limit_s = path, limit_ms / 1000
        self.plan = {step: Statement(s["segments"], s["slots"]) for step, s in plan.items()}
        self.idle: list[sqlite3.Connection] = []
        self.cache = floor_aggregates.Remembered()

    def connection(self) -> sqlite3.Connection:
        if self.idle:
            return self.idle.pop()
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None,
                                     check_same_thread=False, cached_statements=512, factory=_Connection)
        if self.limit_s:
            # The same statement time limit as our server (app/database.py), checked the same way.
            connection.set_progress_handler(
                lambda: connection.deadline is not None and time.monotonic() > connection.deadline, 10_000)
        return connection

    def runner(self, connection: sqlite3.Connection) -> shapes.Run:
        def run(step: str, inputs: dict) -> tuple[list[str], list[tuple]]:
            statement = self.plan.get(step)
            if statement is None:
                raise PlanError(f"no learned statement for {step}")
            if self.limit_s:
                connection.deadline = time.monotonic() + self.limit_s
            cursor = connection.execute(*statement.bind(inputs))
            rows = cursor.fetchall()
            return [d[0] for d in cursor.description], rows
        return run


def answer(run: shapes.Run, cache: floor_aggregates.Remembered, path: str, query_string: str, host: str,
           scheme: str = "http") -> tuple[int, str, object]:
    """(status, media type, bytes or chunks) for one GET, using `run` for every statement."""
    query = parse_qsl(query_string, keep_blank_values=True)
    params = dict(query)
    url = f"{scheme}://{host}{path}" + (f"?{query_string}" if query_string else "")
    if path == "/api/v1/events":
        if params.get("format") == "csv":
            return 200, "text/csv; charset=utf-8", floor_csv.event_csv(run, path, query)
        return 200, "application/json", shapes.event_page(run, url, path, query)
    if path == "/api/v1/events/facets":
        names = list(dict.fromkeys(n.strip() for v in params.get("facet", "").split(",") if (n := v.strip())))
        return 200, "application/json", floor_aggregates.facets(run, cache, names, int(params.get("facet_size", 10)))
    if path == "/api/v1/events/timeline" and params.get("interval") == "month" and set(params) == {"interval", "to"}:
        return 200, "application/json", floor_aggregates.timeline_by_month(run, cache, params["to"])
    if path == "/api/v1/search":
        return 200, "application/json", floor_search.search(run, url, params["q"], int(params.get("limit", 5)))
    if path.startswith("/api/v1/events/"):
        body = shapes.event_detail(run, unquote(path.removeprefix("/api/v1/events/")))
        return (200, "application/json", body) if body is not None else (404, "application/json", b'{"status":404}')
    if path == "/health":
        return 200, "application/json", b'{"status":"ok"}'
    return 404, "application/json", b'{"status":404}'


def build_app(served: Served):  # type: ignore[no-untyped-def]
    """The ASGI callable: every statement runs inline on the event loop, as cheap as it gets."""

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "localhost")
        connection = served.connection()
        connection.execute("BEGIN")
        try:
            status, media, body = answer(served.runner(connection), served.cache, scope["path"],
                                         scope["query_string"].decode("latin-1"), host)
            chunks: Iterator[bytes] = iter([body] if isinstance(body, bytes) else body)
            first = next(chunks)  # a failure before the first byte is still a clean 500
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", media.encode())]})
            for chunk in itertools.chain([first], chunks):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        except (shapes.BadRequest, PlanError, KeyError, ValueError, sqlite3.OperationalError) as error:
            print(f"floor: {scope['path']}?{scope['query_string'].decode()}: {error!r}", file=sys.stderr)
            await send({"type": "http.response.start", "status": 500, "headers": []})
            await send({"type": "http.response.body", "body": orjson.dumps({"error": repr(error)})})
        finally:
            connection.execute("COMMIT")
            served.idle.append(connection)

    return app


def _from_environment():  # type: ignore[no-untyped-def]
    path, plan = os.environ.get("BENCH_FLOOR_DB"), os.environ.get("BENCH_FLOOR_PLAN")
    if not path or not plan:
        return None
    with open(plan, "rb") as file:
        return build_app(Served(path, orjson.loads(file.read()), int(os.environ.get("BENCH_FLOOR_LIMIT_MS", "0"))))


app = _from_environment()
