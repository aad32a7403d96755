"""Database settings and steps that only a bulk import wants, undone or finished before it commits.

- SQLite gets a large page cache for the import's connection (journaling and synchronous
  stay as they are: a killed import must roll back). Sorting rows to build an index happens
  in that memory too; temp_store cannot change inside a transaction once temporary
  storage has been used.
- CHECK constraints, which cost SQLite more than the rest of an insert, are not evaluated:
  every value the bulk writer stores was checked against the same vocabularies by
  app.importers.rules first.
- On SQLite, the secondary indexes of tables still empty when the import begins are dropped
  and built again, once, before it commits: building an index from all its rows at the end
  costs less than keeping it in order row by row. It is DDL inside the import's transaction,
  so a rolled-back import leaves the indexes as they were, and other connections never see
  the tables without them.
- After a big import, the planner's statistics are gathered again (ANALYZE), on both engines.
"""

from sqlalchemy import Connection, Engine

from app.database import write_transaction

_SQLITE_CACHE_KIB = 262144
# The tables an import fills by far the most rows of.
_DEFERRABLE = ("event", "event_actor", "event_region", "event_quote", "quote", "figure", "mention", "change")
# Indexes the import itself looks rows up by (a source's mentions are replaced) stay.
_KEPT = {("mention", "source_id")}
# Fewer new events than this change the statistics too little to be worth a full ANALYZE.
ANALYZE_MIN_EVENTS = 10000


class ImportSettings:
    """Applies the import-only settings on a connection in its transaction; see the module docstring."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"
        self.deferred: list[str] = []  # CREATE INDEX statements to run again before commit
        if not self.sqlite:
            return
        driver = self.driver = connection.connection.dbapi_connection
        self.restore_cache = driver.execute("PRAGMA cache_size").fetchone()[0]
        driver.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
        driver.execute("PRAGMA ignore_check_constraints = ON")
        self._defer_indexes()

    def _defer_indexes(self) -> None:
        for table in _DEFERRABLE:
            if self.driver.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None:
                continue
            # sql is NULL for the indexes behind PRIMARY KEY and UNIQUE, which stay.
            indexes = self.driver.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                          "AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", (table,)).fetchall()
            for name, sql in indexes:
                first = self.driver.execute(f'PRAGMA index_info("{name}")').fetchone()[2]
                if (table, first) in _KEPT:
                    continue
                self.driver.execute(f'DROP INDEX "{name}"')
                self.deferred.append(sql)

    def finish(self) -> None:
        """Build the deferred indexes: the last step of a successful import, before its commit."""
        while self.deferred:
            self.driver.execute(self.deferred.pop(0))

    def close(self) -> None:
        """Give the connection back with its usual settings (whether the import succeeded or not)."""
        if self.sqlite:
            self.driver.execute("PRAGMA ignore_check_constraints = OFF")
            self.driver.execute(f"PRAGMA cache_size = {self.restore_cache}")


def refresh_statistics(engine: Engine, events_created: int) -> None:
    """ANALYZE after an import that created ANALYZE_MIN_EVENTS events or more, so the API's
    queries are planned from what the tables now hold rather than from no statistics at all."""
    if events_created < ANALYZE_MIN_EVENTS:
        return
    with write_transaction(engine) as connection:
        connection.exec_driver_sql("ANALYZE")
