"""Slow statements cannot take the service down: the API's engine stops any statement that
runs past GEOEVENTS_STATEMENT_TIMEOUT_MS, and the request becomes a 503 problem with
Retry-After. Seeding and the CLI have no such limit. Both backends."""

import time

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from app.api.app import create_app
from app.api.deps import read
from app.database import is_statement_timeout, make_engine
from app.settings import Settings


def slow_statement(backend: str, *, count_to: int = 10**9) -> str:
    """A statement that takes long: counting to `count_to` (SQLite), or sleeping (PostgreSQL)."""
    if backend == "sqlite":
        return f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {count_to}) SELECT count(*) FROM c"
    return f"SELECT {count_to} FROM pg_sleep({count_to / 2_000_000})"


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("GEOEVENTS_STATEMENT_TIMEOUT_MS", raising=False)
    assert Settings().statement_timeout_ms == 5000
    monkeypatch.setenv("GEOEVENTS_STATEMENT_TIMEOUT_MS", "250")
    assert Settings().statement_timeout_ms == 250
    monkeypatch.setenv("GEOEVENTS_STATEMENT_TIMEOUT_MS", "0")
    assert Settings().statement_timeout_ms == 0
    monkeypatch.setenv("GEOEVENTS_STATEMENT_TIMEOUT_MS", "-1")
    with pytest.raises(ValidationError, match="statement_timeout_ms\n  Input should be greater than or equal to 0"):
        Settings()


def test_a_slow_request_is_a_503_problem_and_the_service_goes_on(engine, monkeypatch):
    monkeypatch.setenv("GEOEVENTS_STATEMENT_TIMEOUT_MS", "1000")
    backend = engine.url.get_backend_name()
    app = create_app(Settings(database_url=url_of(engine)))

    # A test-only route: a query of the ordinary kind, through the ordinary connection.
    @app.get("/test/slow")
    async def slow(request: Request) -> dict:
        return await read(request, lambda connection: {"count": connection.execute(text(slow_statement(backend))).scalar_one()})

    with TestClient(app) as client:
        started = time.monotonic()
        response = client.get("/test/slow", headers={"X-Request-ID": "slow-1"})
        elapsed = time.monotonic() - started
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "5"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-request-id"] == "slow-1"
        assert response.json() == {
            "type": "/problems/statement-timeout",
            "title": "Service Unavailable",
            "status": 503,
            "detail": "The request took longer than this service allows and was stopped; retry later or ask for less.",
            "instance": "/test/slow",
        }
        # Stopped after about a second: counting to 10^9 (or sleeping 500 s) would take minutes.
        assert elapsed < 10
        # The connection went back to the pool in working order.
        assert client.get("/health").json()["status"] == "ok"
        assert client.get("/problems/statement-timeout").status_code == 200


def test_the_limit_stops_one_statement_not_its_transaction(engine):
    backend = engine.url.get_backend_name()
    limited = make_engine(url_of(engine), statement_timeout_ms=1000)
    try:
        with limited.connect() as connection, connection.begin():
            # Each statement gets the whole limit afresh, however long the ones before it took
            # and however long the transaction has been open.
            for _ in range(25):  # about 1.5 s in all
                assert connection.execute(text(slow_statement(backend, count_to=100_000))).scalar_one() == 100_000
            time.sleep(1.2)
            assert connection.execute(text(slow_statement(backend, count_to=100_000))).scalar_one() == 100_000
        with limited.connect() as connection, pytest.raises(OperationalError) as stopped:
            connection.execute(text(slow_statement(backend))).scalar_one()
        assert is_statement_timeout(stopped.value)
    finally:
        limited.dispose()


def test_seeding_and_the_cli_have_no_limit(engine):
    # make_engine without statement_timeout_ms is what `geoevents seed`, imports and the CLI use.
    backend = engine.url.get_backend_name()
    limited = make_engine(url_of(engine), statement_timeout_ms=50)
    try:
        with limited.connect() as connection, pytest.raises(OperationalError) as stopped:
            connection.execute(text(slow_statement(backend, count_to=2_000_000))).scalar_one()
        assert is_statement_timeout(stopped.value)
        with engine.connect() as connection:
            assert connection.execute(text(slow_statement(backend, count_to=2_000_000))).scalar_one() == 2_000_000
        if backend == "postgresql":
            # A session default set at connect, next to the search_path the URL already sets.
            schema = engine.url.query["options"].removeprefix("-csearch_path=")
            with limited.connect() as connection:
                assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "50ms"
                assert connection.execute(text("SHOW search_path")).scalar_one() == schema
            with engine.connect() as connection:
                assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "0"
    finally:
        limited.dispose()


def test_other_database_errors_are_not_timeouts(engine):
    with engine.connect() as connection, pytest.raises(DBAPIError) as failed:
        connection.execute(text("SELECT * FROM no_such_table"))
    assert not is_statement_timeout(failed.value)
