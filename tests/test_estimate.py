"""count=estimated answers in bounded time on big tables, and says it is an estimate."""

from datetime import UTC, datetime

from sqlalchemy import Engine, insert, text

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
        # Ten evenly spread windows of EXACT_UP_TO // 10 rows each, scaled to the rowid span.
        assert (value, everything) == (ROWS // 2, ROWS)
    else:
        # The planner's estimate after ANALYZE: statistics, not a count.
        assert abs(value - ROWS // 2) <= ROWS // 20
        assert abs(everything - ROWS) <= ROWS // 20


def test_small_tables_are_counted_exactly(seeded_engine):
    with seeded_engine.connect() as connection:
        assert estimate_count(connection, tables.event, [tables.event.c.type == "AGREE"]) == (3, True)
    assert EXACT_UP_TO == 20_000
