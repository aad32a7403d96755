"""Conditional GETs that must not be answered from a stale tag, and record pages revalidated
without running their route."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, insert

from app.api.app import create_app
from app.database import make_engine, write_transaction
from app.loader import seed
from app.migrate import upgrade
from app.settings import Settings
from app.tables import change
from tests.conftest import SEEDS, _new_database

SUMMIT = "/api/v1/events/putin-trump-alaska-summit"
PAGES = ("/api/v1/events?limit=3", "/api/v1/actors", "/api/v1/search?q=putin", "/api/v1/changes?limit=2")


@pytest.fixture
def own_client(seeded_engine, database_url) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


@pytest.fixture
def statements(own_client) -> Iterator[list[str]]:
    executed: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "ROLLBACK", "COMMIT")):
            executed.append(statement)

    engine = own_client.app.state.engine
    event.listen(engine, "before_cursor_execute", record)
    yield executed
    event.remove(engine, "before_cursor_execute", record)


def test_a_database_rebuilt_to_the_same_version_is_not_answered_from_old_tags(own_client, database_url, tmp_path: Path):
    # Another database seeded with the same documents, later: the same data version (97),
    # reached by another history, as when a database is rebuilt and re-seeded.
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    (tmp_path / "rebuilt").mkdir()
    rebuilt_url, drop = _new_database(backend, tmp_path / "rebuilt")
    try:
        engine = make_engine(rebuilt_url)
        upgrade(engine)
        seed(engine, [SEEDS])
        engine.dispose()
        with TestClient(create_app(Settings(database_url=rebuilt_url))) as rebuilt:
            for path in PAGES:
                old = own_client.get(path)
                assert old.status_code == 200 and old.headers["etag"].startswith('W/"97-'), path
                again = rebuilt.get(path, headers={"If-None-Match": old.headers["etag"]})
                assert again.status_code == 200, path
                assert again.headers["etag"].startswith('W/"97-') and again.headers["etag"] != old.headers["etag"]
            # A record page's tag is its body's digest: the same bytes may be revalidated anywhere.
            strong = own_client.get(SUMMIT).headers["etag"]
            assert rebuilt.get(SUMMIT, headers={"If-None-Match": strong}).status_code == 304
    finally:
        drop()


def test_a_record_page_served_before_is_revalidated_without_its_route(own_client, statements):
    first = own_client.get(SUMMIT)
    strong = first.headers["etag"]
    assert strong.startswith('"')
    statements.clear()
    again = own_client.get(SUMMIT, headers={"If-None-Match": strong})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", strong)
    assert again.headers["cache-control"] == "public, no-cache"
    assert again.headers["vary"] == "Accept"
    # The data state only: no event was read.
    assert len(statements) == 1 and statements[0].lstrip().startswith("SELECT max(change.seq)")
    # Another tag, or none, is a full answer with the same strong tag.
    for headers in ({"If-None-Match": '"other"'}, {}):
        full = own_client.get(SUMMIT, headers=headers)
        assert (full.status_code, full.content, full.headers["etag"]) == (200, first.content, strong)


def test_a_record_page_remembered_at_an_older_version_runs_its_route(own_client, seeded_engine, statements):
    strong = own_client.get(SUMMIT).headers["etag"]
    # A change elsewhere moves the data version; this page's bytes stay the same.
    with write_transaction(seeded_engine) as connection:
        connection.execute(insert(change).values(
            record_type="actor", record_id="nato", op="updated", changed_at=datetime.now(UTC)
        ))
    statements.clear()
    again = own_client.get(SUMMIT, headers={"If-None-Match": strong})
    assert (again.status_code, again.headers["etag"]) == (304, strong)
    assert len(statements) > 1  # the route ran, and its body still hashes to the same tag
