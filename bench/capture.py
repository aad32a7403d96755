"""Learn the floor's SQL from our server: watch each statement it runs, then explain every parameter.

Our app is called in process (Starlette's TestClient) on the benchmark database with a
`before_cursor_execute` listener on its engine. For each captured request the floor's own
handler runs against a Learner, which hands it, statement by statement, the rows of the
SQL our server ran; the floor's answer must be byte-identical to ours. Executions of the
same step are then compared to find which parameters are request inputs, which are
lists (`IN (...)`) and which are constants (bench.floor.compile_step).
"""

import itertools
import os
import sqlite3
import time
from collections import defaultdict, deque
from collections.abc import Iterable

from sqlalchemy import event

from bench.floor import PlanError, Served, answer, compile_step
from bench.floor_aggregates import Remembered

_TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")
HOST = "testserver"


class Capture:
    """Our app in process, with every statement each request runs recorded."""

    def __init__(self, database_url: str) -> None:
        from fastapi.testclient import TestClient

        from app.api.app import create_app
        from app.settings import Settings

        # Learning must see every statement run to its end: no statement time limit here.
        before = os.environ.get("GEOEVENTS_STATEMENT_TIMEOUT_MS")
        os.environ["GEOEVENTS_STATEMENT_TIMEOUT_MS"] = "0"
        try:
            self.app = create_app(Settings(database_url=database_url, seed_on_start=False, statement_timeout_ms=0))
            self.client = TestClient(self.app, base_url=f"http://{HOST}")
            self.client.__enter__()
        finally:
            if before is None:
                del os.environ["GEOEVENTS_STATEMENT_TIMEOUT_MS"]
            else:
                os.environ["GEOEVENTS_STATEMENT_TIMEOUT_MS"] = before
        self.recorded: list[tuple[str, list]] = []
        # The floor's aggregate cache while it learns: as fresh as our app's, so both miss and hit together.
        self.floor_cache = Remembered()
        event.listen(self.app.state.engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(_TRANSACTION):
            self.recorded.append((statement, list(parameters)))

    def get(self, path: str) -> tuple[int, bytes, list[tuple[str, list]]]:
        """Our status, body and statements for one GET."""
        self.recorded = []
        response = self.client.get(path)
        return response.status_code, response.content, self.recorded

    def close(self) -> None:
        self.client.__exit__(None, None, None)


class Learner:
    """A floor `run` that executes, in order, the statements our server ran for the request."""

    def __init__(self, db: sqlite3.Connection, statements: list[tuple[str, list]]) -> None:
        self.db, self.queue = db, deque(statements)
        self.seen: list[tuple[str, str, list, dict]] = []

    def run(self, step: str, inputs: dict) -> tuple[list[str], list[tuple]]:
        if not self.queue:
            raise PlanError(f"the floor expects a statement for {step} that our server did not run")
        sql, params = self.queue.popleft()
        cursor = self.db.execute(sql, params)
        rows = cursor.fetchall()
        self.seen.append((step, sql, params, inputs))
        return [d[0] for d in cursor.description], rows


def _body(result: object) -> bytes:
    return result if isinstance(result, bytes) else b"".join(result)  # type: ignore[arg-type]


def learn(capture: Capture, db_path: str, paths: Iterable[str], examples: dict[str, list] | None = None) -> dict:
    """The floor's plan, learned from our server's answers to `paths` (two or more per shape),
    and from the `examples` of earlier learning, which it extends."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None)
    examples = defaultdict(list) if examples is None else examples
    for path in paths:
        status, ours, statements = capture.get(path)
        if status != 200:
            raise PlanError(f"our server answered {status} to {path}: {ours[:300]!r}")
        learner = Learner(db, statements)
        route, _, query = path.partition("?")
        floor = _body(answer(learner.run, capture.floor_cache, route, query, HOST)[2])
        if learner.queue:
            extra = "; ".join(sql[:70] for sql, _ in learner.queue)
            raise PlanError(f"our server ran statements the floor does not know, for {path}: {extra}")
        if floor != ours:
            raise PlanError(f"the floor's answer differs from ours for {path}:\nours:  {ours[:400]!r}\nfloor: "
                            f"{floor[:400]!r}")
        for step, sql, params, inputs in learner.seen:
            examples.setdefault(step, []).append((sql, params, inputs))
    db.close()
    return {step: compile_step(step, found) for step, found in examples.items()}


def _answer(served: Served, path: str) -> tuple[int, bytes]:
    connection = served.connection()
    connection.execute("BEGIN")
    try:
        route, _, query = path.partition("?")
        status, _, result = answer(served.runner(connection), served.cache, route, query, HOST)
        return status, _body(result)
    finally:
        connection.execute("COMMIT")
        served.idle.append(connection)


def verify(capture: Capture, db_path: str, plan: dict[str, dict], paths: Iterable[str]) -> tuple[int, list[str]]:
    """How many of `paths` the served floor answers byte for byte like ours, and the ones it does not."""
    served = Served(db_path, plan)
    same, differing = 0, []
    for path in paths:
        status, ours, _ = capture.get(path)
        try:
            floor_status, floor = _answer(served, path)
        except Exception as error:  # noqa: BLE001 - any failure is a difference to report
            floor_status, floor = 500, repr(error).encode()
        if (status, ours) == (floor_status, floor):
            same += 1
        else:
            differing.append(f"{path}: ours {status} {ours[:160]!r}, floor {floor_status} {floor[:160]!r}")
    return same, differing


def unservable(served: Served, paths: list[str], seconds: float, most: int = 3) -> list[str]:
    """Up to `most` of `paths` (tried in order for at most `seconds`) that the floor's plan cannot
    serve yet: a statement learning never met (a search with region hits), or a parameter always
    seen at one value, not yet told apart from a constant (how many undated events end a page)."""
    deadline, found = time.monotonic() + seconds, []
    for path in paths:
        if len(found) == most or time.monotonic() > deadline:
            break
        try:
            _answer(served, path)
        except PlanError:
            found.append(path)
    return found


def learn_and_check(database_url: str, db_path: str, paths: dict[str, list[str]], learned: int = 3,
                    checks: int = 3, tried: int = 40, seconds: float = 5, rounds: int = 4) -> tuple[dict, int, list[str]]:
    """(plan, URLs answered like ours, the differences) for each endpoint's `paths`, in branch order
    (see branch_order). The floor learns from the first `learned` of each; it then serves the next
    `tried` (for at most `seconds` an endpoint) from its plan alone, and learns from those it cannot
    serve yet, for up to `rounds` rounds. It is checked against ours on the `checks` after those."""
    examples: dict[str, list] = {}
    to_learn = [path for found in paths.values() for path in found[:learned]]
    for _ in range(rounds):
        # A fresh app each round: its aggregate cache and the floor's learning cache start empty together.
        watcher = Capture(database_url)
        try:
            plan = learn(watcher, db_path, to_learn, examples)
        finally:
            watcher.close()
        served = Served(db_path, plan)
        to_learn = [path for found in paths.values()
                    for path in unservable(served, found[learned:learned + tried], seconds)]
        if not to_learn:
            break
    watcher = Capture(database_url)
    try:
        checked = [path for found in paths.values() for path in found[learned + tried:learned + tried + checks]]
        same, differing = verify(watcher, db_path, plan, checked)
    finally:
        watcher.close()
    return plan, same, differing


def _walks(database_url: str, actors: list[str]) -> list[bool]:
    """Whether our server walks the date index for each actor's page (app/queries/event_access.py)."""
    from app.database import make_engine
    from app.queries.event_access import walk_index
    from app.queries.event_filters import EventFilters

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return [walk_index(connection, EventFilters(actor=[actor])) for actor in actors]
    finally:
        engine.dispose()


def branch_order(database_url: str, name: str, cases: list[dict], looked_at: int = 200) -> list[dict]:
    """`cases` with the ones taking every branch of our server's SQL brought forward, so that
    learning meets each: actors whose page walks the date index and actors whose does not,
    alternately (among the first `looked_at`), and deep pages from both ends of the walk
    (the last ones reach the undated events)."""
    if name == "actor" and cases:
        head = cases[:looked_at]
        walks = _walks(database_url, [case["actor"] for case in head])
        both = [[c for c, w in zip(head, walks, strict=True) if w is kind] for kind in (False, True)]
        mixed = [c for pair in itertools.zip_longest(*both) for c in pair if c is not None]
        return mixed + cases[looked_at:]
    if name == "deep_page":
        ends = itertools.zip_longest(cases[: (len(cases) + 1) // 2], reversed(cases[(len(cases) + 1) // 2:]))
        return [c for pair in ends for c in pair if c is not None]
    return cases
