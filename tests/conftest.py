"""Fixtures: every test database is built by the migrations, on SQLite and (when
GEOEVENTS_TEST_POSTGRES_URL is set) on PostgreSQL, each in a schema of its own."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.api.app import create_app
from app.database import make_engine
from app.loader import seed
from app.migrate import upgrade
from app.settings import Settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
POSTGRES_URL = os.environ.get("GEOEVENTS_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def _postgres_schema_url(schema: str) -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"


def _new_database(backend: str, directory: Path) -> tuple[str, callable]:
    """A URL to an empty database of `backend`, and how to throw it away."""
    if backend == "sqlite":
        return f"sqlite:///{directory / 'geoevents.db'}", lambda: None
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return _postgres_schema_url(schema), drop


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own for one test."""
    url, drop = _new_database(request.param, tmp_path)
    yield url
    drop()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated, empty database for one test."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_engine(engine: Engine) -> Engine:
    """A migrated database holding the bundled seed documents, for tests that change it."""
    seed(engine, [SEEDS])
    return engine


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A seeded database shared by the read-only API tests of one backend."""
    url, drop = _new_database(request.param, tmp_path_factory.mktemp(request.param))
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, [SEEDS])
    engine.dispose()
    yield url
    drop()


@pytest.fixture(scope="session")
def client(seeded_database: str) -> Iterator[TestClient]:
    """An HTTP client on the app serving the shared seeded database (read-only tests)."""
    with TestClient(create_app(Settings(database_url=seeded_database))) as client:
        yield client
