"""Engine creation: one place that knows how to talk to SQLite and PostgreSQL."""

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

SQLITE_BUSY_TIMEOUT_MS = 5000
DEFAULT_STATEMENT_TIMEOUT_MS = 5000
# A running SQLite statement looks at the clock every this many virtual-machine
# instructions: a fraction of a millisecond of work, at a cost too small to measure.
_PROGRESS_INSTRUCTIONS = 10_000
# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout.
_QUERY_CANCELED = "57014"


def make_engine(url: str, *, statement_timeout_ms: int = 0, **options: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and real transactions.

    With `statement_timeout_ms` > 0, a statement still running after that long is stopped
    with an error `is_statement_timeout` recognises. The API's engine has one; seeding,
    imports and the CLI do not.
    """
    if make_url(url).get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True, **options)
        if statement_timeout_ms > 0:
            _limit_postgresql_statements(engine, statement_timeout_ms)
        return engine
    engine = create_engine(url, **options)
    _configure_sqlite(engine)
    if statement_timeout_ms > 0:
        _limit_sqlite_statements(engine, statement_timeout_ms)
    return engine


def statement_timeout_ms(settings: object) -> int:
    """The API's statement time limit in milliseconds (GEOEVENTS_STATEMENT_TIMEOUT_MS; 0 for none)."""
    value = getattr(settings, "statement_timeout_ms", None)
    if value is None:
        # Until app.settings.Settings declares `statement_timeout_ms`, read the variable here.
        value = os.environ.get("GEOEVENTS_STATEMENT_TIMEOUT_MS", DEFAULT_STATEMENT_TIMEOUT_MS)
    return int(value)


def is_statement_timeout(error: BaseException) -> bool:
    """Whether a (SQLAlchemy-wrapped) database error is a statement stopped by its time limit."""
    cause = getattr(error, "orig", error)
    if isinstance(cause, sqlite3.Error):
        return getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT
    return getattr(cause, "sqlstate", None) == _QUERY_CANCELED


def _limit_postgresql_statements(engine: Engine, limit_ms: int) -> None:
    @event.listens_for(engine, "do_connect")
    def _with_timeout(_dialect, _record, _cargs, cparams) -> None:  # type: ignore[no-untyped-def]
        # A session default given at connect time costs no statement per request, and
        # keeps the options the URL already has (a search_path).
        cparams["options"] = f"{cparams.get('options', '')} -c statement_timeout={int(limit_ms)}".strip()


class _StatementClock:
    """When the statement running on one SQLite connection has had its time."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self.deadline: float | None = None

    def start(self, *_: Any) -> None:
        self.deadline = time.monotonic() + self.limit_s

    def stop(self, *_: Any) -> None:
        self.deadline = None

    def expired(self) -> bool:
        """SQLite's progress handler: a true answer interrupts the running statement."""
        return self.deadline is not None and time.monotonic() > self.deadline


def _limit_sqlite_statements(engine: Engine, limit_ms: int) -> None:
    # The clock runs from each statement's start until the next one starts or the
    # transaction ends, so fetching a statement's rows counts against it too; COMMIT,
    # ROLLBACK and the pool's reset run with the clock stopped, never interrupted.
    @event.listens_for(engine, "connect")
    def _install(dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        clock = record.info["statement_clock"] = _StatementClock(limit_ms / 1000)
        dbapi_connection.set_progress_handler(clock.expired, _PROGRESS_INSTRUCTIONS)

    @event.listens_for(engine, "before_cursor_execute")
    def _start(connection: Connection, *_: Any) -> None:
        connection.info["statement_clock"].start()

    for name in ("commit", "rollback"):
        event.listen(engine, name, lambda connection: connection.info["statement_clock"].stop())
    event.listen(engine, "reset", lambda _dbapi, record, _state: record.info["statement_clock"].stop())


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # The sqlite3 module's own transaction handling only BEGINs before DML, so two
        # SELECTs of one request could see different data and DDL would not be
        # transactional. Autocommit at the driver, explicit BEGIN below, fixes both.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers ask for IMMEDIATE so they take the write lock up front and wait on
        # busy_timeout, instead of failing with "database is locked" on upgrade.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


# How long a writer waits in all for SQLite's write lock. Each BEGIN IMMEDIATE waits
# busy_timeout; a load holding the lock longer than that (a big seed or import) would fail
# every writer queued behind it with "database is locked", so BEGIN is tried again.
WRITE_LOCK_WAIT_S = 120.0


@contextmanager
def write_transaction(engine: Engine, *, lock_wait_s: float = WRITE_LOCK_WAIT_S) -> Iterator[Connection]:
    """A connection in a transaction that holds the write lock from its first statement.

    On SQLite, waits up to `lock_wait_s` for the lock (an HTTP request may prefer less).
    """
    with engine.connect() as connection:
        connection = connection.execution_options(sqlite_begin="IMMEDIATE")
        deadline = time.monotonic() + lock_wait_s
        while True:
            try:
                transaction = connection.begin()
                break
            except OperationalError as error:
                # Only BEGIN is retried: nothing has run yet, so trying again is safe.
                busy = getattr(error.orig, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY
                if not busy or time.monotonic() >= deadline:
                    raise
                connection.rollback()
        with transaction:
            yield connection
