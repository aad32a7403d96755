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


# Every GET first reads the data version for its ETag (one statement), then the route runs.
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/events", 1 + 5),  # page, actors, regions, figures, quotes
        ("/api/v1/events?include=actors", 1 + 2),  # page, actors
        ("/api/v1/events?include=", 1 + 1),
        ("/api/v1/events?include=countries,point", 1 + 2),  # page, places
        ("/api/v1/actors", 1 + 2),  # page, aliases
        ("/api/v1/regions", 1 + 3),  # page, aliases, paths
        ("/api/v1/quotes", 1 + 2),  # page, events
        ("/api/v1/sources", 1 + 1),
        ("/api/v1/actors/russia/mentions", 1 + 3),  # actor exists, page, source texts
    ],
)
def test_page_size_does_not_change_statement_count(client, statements, path, expected):
    for limit in (1, 20):
        statements.clear()
        separator = "&" if "?" in path else "?"
        response = client.get(f"{path}{separator}limit={limit}", headers={"Accept": "application/json"})
        assert response.status_code == 200
        assert len(statements) == expected, statements
