"""No N+1: a page costs the same number of SQL statements whatever its size."""

import pytest
from sqlalchemy import event


@pytest.fixture
def statements(client):
    executed: list[str] = []
    engine = client.app.state.engine

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "ROLLBACK", "COMMIT")):
            executed.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield executed
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/events", 5),  # page, actors, regions, figures, quotes
        ("/api/v1/actors", 2),  # page, aliases
        ("/api/v1/regions", 3),  # page, aliases, paths
        ("/api/v1/quotes", 2),  # page, events
        ("/api/v1/sources", 1),
    ],
)
def test_page_size_does_not_change_statement_count(client, statements, path, expected):
    for limit in (1, 20):
        statements.clear()
        response = client.get(path, params={"limit": limit})
        assert response.status_code == 200
        assert len(statements) == expected, statements
