"""Learn the floor's SQL from our server: watch each statement it runs, then explain every parameter.

Our app is called in process (Starlette's TestClient) on the benchmark database with a
`before_cursor_execute` listener on its engine. For each captured request the floor's own
handler runs against a Learner, which hands it, statement by statement, the rows of the
SQL our server ran; the floor's answer must be byte-identical to ours. Executions of the
same step are then compared to find which parameters are request inputs, which are
lists (`IN (...)`) and which are constants (bench.floor.compile_step).
"""

import os
import sqlite3
from collections import defaultdict, deque
from collections.abc import Iterable

from sqlalchemy import event

from bench.floor import PlanError, Served, answer, compile_step

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


def learn(capture: Capture, db_path: str, paths: Iterable[str]) -> dict[str, dict]:
    """The floor's plan, learned from our server's answers to `paths` (two or more per shape)."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None)
    examples: dict[str, list] = defaultdict(list)
    for path in paths:
        status, ours, statements = capture.get(path)
        if status != 200:
            raise PlanError(f"our server answered {status} to {path}: {ours[:300]!r}")
        learner = Learner(db, statements)
        route, _, query = path.partition("?")
        floor = _body(answer(learner.run, route, query, HOST)[2])
        if learner.queue:
            extra = "; ".join(sql[:70] for sql, _ in learner.queue)
            raise PlanError(f"our server ran statements the floor does not know, for {path}: {extra}")
        if floor != ours:
            raise PlanError(f"the floor's answer differs from ours for {path}:\nours:  {ours[:400]!r}\nfloor: "
                            f"{floor[:400]!r}")
        for step, sql, params, inputs in learner.seen:
            examples[step].append((sql, params, inputs))
    db.close()
    return {step: compile_step(step, found) for step, found in examples.items()}


def verify(capture: Capture, db_path: str, plan: dict[str, dict], paths: Iterable[str]) -> tuple[int, list[str]]:
    """How many of `paths` the served floor answers byte for byte like ours, and the ones it does not."""
    served = Served(db_path, plan)
    same, differing = 0, []
    for path in paths:
        status, ours, _ = capture.get(path)
        connection = served.connection()
        connection.execute("BEGIN")
        try:
            route, _, query = path.partition("?")
            floor_status, _, result = answer(served.runner(connection), route, query, HOST)
            floor = _body(result)
        except Exception as error:  # noqa: BLE001 - any failure is a difference to report
            floor_status, floor = 500, repr(error).encode()
        finally:
            connection.execute("COMMIT")
            served.idle.append(connection)
        if (status, ours) == (floor_status, floor):
            same += 1
        else:
            differing.append(f"{path}: ours {status} {ours[:160]!r}, floor {floor_status} {floor[:160]!r}")
    return same, differing
