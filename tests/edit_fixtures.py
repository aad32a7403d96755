"""The `editor` fixture (a pytest plugin of the editing tests): an app over a seeded
database of each test's own, with a write and a read token."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from app import tables
from app.api.app import create_app
from app.settings import Settings
from tests.edit_support import SEEDED_VERSION, tokens


@dataclass
class Editor:
    """A client on a database of its own, and the headers of a write and a read token."""

    client: TestClient
    engine: Engine
    write: dict[str, str]
    read: dict[str, str]

    def with_etag(self, path: str) -> dict[str, str]:
        """The write headers plus If-Match with the record's current ETag."""
        response = self.client.get(path)
        assert response.status_code == 200, response.text
        return {**self.write, "If-Match": response.headers["etag"]}

    def changes(self) -> list[tuple]:
        """(seq, type, id, op, changed_by) of every change after the seed."""
        query = select(
            tables.change.c.seq,
            tables.change.c.record_type,
            tables.change.c.record_id,
            tables.change.c.op,
            tables.change.c.changed_by,
        ).where(tables.change.c.seq > SEEDED_VERSION)
        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(query.order_by(tables.change.c.seq))]


@pytest.fixture
def editor(seeded_engine: Engine, database_url: str) -> Iterator[Editor]:
    """A seeded database of this test's own, served with the editing API."""
    write, read = tokens(seeded_engine)
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield Editor(client, seeded_engine, {"Authorization": f"Bearer {write}"}, {"Authorization": f"Bearer {read}"})
