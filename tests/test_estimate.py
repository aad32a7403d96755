"""count=estimated answers in bounded time on big tables, and says it is an estimate."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy import event as sa_event

from app import tables
from app.queries.estimate import EXACT_UP_TO, estimate_count

ROWS = 60_000


def _fill(engine: Engine) -> None:
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(tables.source),
            [{"id": "synthetic", "title": "t", "file_name": "t.txt", "sha256": "0" * 64, "text": "t",
              "created_at": now, "updated_at": now}],
        )
        connection.execute(
            insert(tables.event),
            [
                {
                    "id": f"event-{i:06d}", "source_id": "synthetic", "title": "t", "summary": "s",
                    # Every other event is an AGREE: any spread sample sees exactly half.
                    "type": "AGREE" if i % 2 else "ASSAULT", "status": "occurred", "date_precision": "unknown",
                    "created_at": now, "updated_at": now,
                }
                for i in range(ROWS)
            ],
        )
        if connection.dialect.name == "postgresql":
            connection.execute(text("ANALYZE event"))


def test_estimates_on_a_big_table(engine):
    _fill(engine)
    with engine.connect() as connection:
        value, exact = estimate_count(connection, tables.event, [tables.event.c.type == "AGREE"])
        everything, everything_exact = estimate_count(connection, tables.event, [])
    assert exact is False and everything_exact is False
    if engine.dialect.name == "sqlite":
        # Ten evenly spread windows of SAMPLE_ROWS // 10 rows each, scaled to the rowid span.
        assert (value, everything) == (ROWS // 2, ROWS)
    else:
        # The planner's estimate after ANALYZE: statistics, not a count.
        assert abs(value - ROWS // 2) <= ROWS // 20
        assert abs(everything - ROWS) <= ROWS // 20


# The sample is SQLite's; PostgreSQL asks its planner.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_reads_the_sample_by_rowid_whatever_the_filter(engine):
    _fill(engine)
    executed: list[tuple[str, tuple]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        executed.append((statement, parameters))

    sa_event.listen(engine, "before_cursor_execute", record)
    with engine.connect() as connection:
        # A date range has an index the planner could prefer, walking the whole range.
        dated = [tables.event.c.start_date.is_not(None), tables.event.c.start_date <= date(2025, 12, 31)]
        assert estimate_count(connection, tables.event, dated) == (0, False)
        (sampled, parameters), = [(s, p) for s, p in executed if "sample" in s]
        plan = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sampled}", parameters)]
    sa_event.remove(engine, "before_cursor_execute", record)
    assert any("USING INTEGER PRIMARY KEY (rowid=?)" in step for step in plan), plan
    assert not any("start_date" in step for step in plan), plan


def test_small_tables_are_counted_exactly(seeded_engine):
    with seeded_engine.connect() as connection:
        assert estimate_count(connection, tables.event, [tables.event.c.type == "AGREE"]) == (3, True)
    assert EXACT_UP_TO == 20_000
