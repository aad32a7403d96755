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
        ("/api/v1/events?sort=title", 1 + 5),  # page, actors, regions, figures, quotes
        ("/api/v1/events?sort=title&include=actors", 1 + 2),  # page, actors
        ("/api/v1/events?sort=title&include=", 1 + 1),
        ("/api/v1/events?sort=title&include=countries,point", 1 + 2),  # page, places
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


def test_a_date_sorted_page_reads_undated_events_only_when_it_reaches_them(client, statements):
    # The seed brief dates 4 of its 25 events: a page of 3 holds dated events only (one
    # statement, served by the start_date index); a page of 20 goes on into the undated ones.
    pages = []
    for limit in (3, 20):
        statements.clear()
        response = client.get(f"/api/v1/events?include=&limit={limit}", headers={"Accept": "application/json"})
        assert response.status_code == 200
        pages.append([s for s in statements if "FROM event" in s and "change" not in s])
    assert [len(page) for page in pages] == [1, 2]
    assert "start_date IS NOT NULL" in pages[0][0]
    assert "start_date IS NULL" in pages[1][1]
