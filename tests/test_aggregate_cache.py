"""Aggregates cost a fixed number of statements, and a repeat is answered from memory until the
data changes (counted in SQL statements, never timed)."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy import event as sa_event

from app.api.app import create_app
from app.settings import Settings
from app.tables import event
from tests.edit_support import CODING, TEXT

# The `editor` fixture: an app over a seeded database of each test's own, with tokens.
pytest_plugins = ["tests.edit_fixtures"]

FACETS, TIMELINE, NETWORK = "/api/v1/events/facets", "/api/v1/events/timeline", "/api/v1/actors/{}/network"
BOOKKEEPING = ("BEGIN", "PRAGMA", "ROLLBACK", "COMMIT", "SAVEPOINT", "RELEASE")
# The data version, read by the ETag middleware and again by the aggregate, in its transaction.
VERSION_READ = "SELECT max(change.seq)"


@contextmanager
def recorded(engine: Engine) -> Iterator[list[str]]:
    executed: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if not statement.lstrip().upper().startswith(BOOKKEEPING):
            executed.append(statement)

    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        yield executed
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)


def reads(client: TestClient, path: str, **params) -> tuple[dict, list[str]]:
    """The answer, and the statements that read the data for it (data version reads left out)."""
    with recorded(client.app.state.engine) as executed:
        response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json(), [s for s in executed if not s.startswith(VERSION_READ)]


@pytest.fixture
def fresh(database_url, seeded_engine) -> Iterator[TestClient]:
    """A client on a seeded database of its own: nothing remembered yet."""
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


def test_one_statement_per_facet(fresh):
    # The total, then one GROUP BY per facet.
    assert len(reads(fresh, FACETS, facet_size=100)[1]) == 1 + 9
    assert len(reads(fresh, FACETS, facet="source", status="planned")[1]) == 1 + 1


def test_timeline_and_network_cost_the_same_whatever_their_size(fresh):
    assert len(reads(fresh, TIMELINE, interval="year")[1]) == len(reads(fresh, TIMELINE, status="proposed")[1]) == 1
    # The actor, then every (actor, event) pair of its events.
    assert len(reads(fresh, NETWORK.format("russia"))[1]) == len(reads(fresh, NETWORK.format("nato"))[1]) == 2


def test_a_repeat_is_answered_from_memory(fresh):
    first, executed = reads(fresh, FACETS, facet="type,actor,country", type=["ASSAULT", "AGREE"])
    assert len(executed) == 1 + 3
    # Value order, repetition and facet_size do not make another query.
    assert reads(fresh, FACETS, facet="type,actor,country", type=["AGREE", "ASSAULT", "AGREE"]) == (first, [])
    fewer, executed = reads(fresh, FACETS, facet="country", facet_size=1, type=["ASSAULT", "AGREE"])
    assert executed == []
    # From the seed: 6 such events, in Ukraine (2) and Iran (1).
    assert fewer == {
        "total": 6,
        "facets": {"country": {"values": [{"value": "UA", "label": "Ukraine", "count": 2}], "distinct": 2}},
    }
    month, executed = reads(fresh, TIMELINE, actor="donald-trump")
    assert len(executed) == 1
    assert reads(fresh, TIMELINE, actor="donald-trump") == (month, [])
    network, executed = reads(fresh, NETWORK.format("vladimir-putin"))
    assert len(executed) == 2
    assert reads(fresh, NETWORK.format("vladimir-putin")) == (network, [])


def test_a_write_makes_every_answer_stale(editor):
    client = editor.client
    facets, timeline = reads(client, FACETS, facet="type")[0], reads(client, TIMELINE)[0]
    network = reads(client, NETWORK.format("vladimir-putin"))[0]
    assert (facets["total"], timeline["buckets"], network["actor"]["count"]) == (
        25, [{"start": "2025-08", "count": 2}], 4
    )
    # The brief again through the editing API: one more CONSULT, on 15 August 2025, with Putin and Trump.
    loaded = client.post("/api/v1/sources", json={"text": TEXT, "coding": CODING}, headers=editor.write)
    assert loaded.status_code == 201, loaded.text
    facets, executed = reads(client, FACETS, facet="type")
    assert len(executed) == 1 + 1
    assert (facets["total"], facets["facets"]["type"]["values"][4]) == (
        26, {"value": "CONSULT", "label": "CONSULT", "count": 3}
    )
    assert reads(client, TIMELINE)[0]["buckets"] == [{"start": "2025-08", "count": 3}]
    network = reads(client, NETWORK.format("vladimir-putin"))[0]
    assert network["actor"]["count"] == 5
    assert network["nodes"][0] == {
        "id": "donald-trump", "name": "Donald Trump", "kind": "person", "count": 2,
        "events": ["copy-summit", "putin-trump-alaska-summit"],
    }


def test_two_databases_never_share_answers(client, database_url, seeded_engine):
    # Both databases are at the same data version; only the second is changed, behind the
    # change feed's back, so only the database itself tells their answers apart.
    shared = reads(client, TIMELINE, interval="year")[0]
    with seeded_engine.begin() as connection:
        connection.execute(
            update(event)
            .where(event.c.id == "russian-war-in-ukraine")
            .values(date_precision="day", start_date=date(2022, 2, 24), end_date=None)
        )
    with TestClient(create_app(Settings(database_url=database_url))) as other:
        assert other.get("/api/v1/changes").json()["meta"]["version"] == client.get("/api/v1/changes").json()["meta"]["version"]
        changed = reads(other, TIMELINE, interval="year")[0]
    assert (shared["undated"], changed["undated"]) == (21, 20)
    assert reads(client, TIMELINE, interval="year")[0] == shared


def test_requests_arriving_while_an_aggregate_is_computed_wait_for_it(seeded_engine):
    from app.queries.aggregate_cache import Remembered, _flights

    computed: list[str] = []
    started, release = threading.Event(), threading.Event()

    def compute() -> str:
        computed.append(threading.current_thread().name)
        started.set()
        release.wait(5)
        return "the answer"

    def ask(answers: list[str]) -> None:
        with seeded_engine.connect() as connection, connection.begin():
            answers.append(Remembered(connection).get_or_compute(("single flight",), compute))

    answers: list[str] = []
    first = threading.Thread(target=ask, args=(answers,), name="first")
    first.start()
    assert started.wait(5)
    waiting = [threading.Thread(target=ask, args=(answers,)) for _ in range(5)]
    for thread in waiting:
        thread.start()
    # Release the first only once all five wait on its computation.
    deadline = time.monotonic() + 5
    while [flight.waiting for flight in _flights.values()] != [5] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [flight.waiting for flight in _flights.values()] == [5]
    release.set()
    for thread in [first, *waiting]:
        thread.join(10)
    assert computed == ["first"]
    assert answers == ["the answer"] * 6
    assert not _flights


def test_requests_that_waited_share_the_answer_or_the_error_even_when_nothing_is_kept(seeded_engine):
    from app.queries.aggregate_cache import Remembered, _flights

    for outcome in ("too big to keep", RuntimeError("statement stopped")):
        computed: list[int] = []
        started, release = threading.Event(), threading.Event()

        def compute(outcome=outcome) -> str:
            computed.append(1)
            started.set()
            release.wait(5)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        def ask(answers: list) -> None:
            with seeded_engine.connect() as connection, connection.begin():
                try:
                    # Weighed beyond what one entry may hold: handed out, never kept.
                    answers.append(Remembered(connection).get_or_compute(("big",), compute, lambda _: 10**9))
                except RuntimeError as error:
                    answers.append(str(error))

        answers: list = []
        threads = [threading.Thread(target=ask, args=(answers,)) for _ in range(4)]
        threads[0].start()
        assert started.wait(5)
        for thread in threads[1:]:
            thread.start()
        deadline = time.monotonic() + 5
        while [flight.waiting for flight in _flights.values()] != [3] and time.monotonic() < deadline:
            time.sleep(0.01)
        release.set()
        for thread in threads:
            thread.join(10)
        assert len(computed) == 1
        assert answers == [str(outcome)] * 4
        assert not _flights


def test_a_database_rebuilt_to_the_same_version_never_meets_old_entries(seeded_engine):
    from sqlalchemy import func, select

    from app.queries.aggregate_cache import Remembered
    from app.tables import change

    with seeded_engine.connect() as connection, connection.begin():
        before = Remembered(connection)
        before.put(("facets",), "old data")
        assert before.get(("facets",)) == (True, "old data")
    # Another history that reached the same seq: the last change made at another instant.
    with seeded_engine.begin() as connection:
        last = connection.execute(select(func.max(change.c.seq))).scalar_one()
        connection.execute(change.update().where(change.c.seq == last).values(changed_at=func.current_timestamp()))
    with seeded_engine.connect() as connection, connection.begin():
        after = Remembered(connection)
        assert after.version[0] == before.version[0] and after.version != before.version
        assert after.get(("facets",)) == (False, None)
