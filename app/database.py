"""Engine creation: one place that knows how to talk to SQLite and PostgreSQL."""

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, RootTransaction, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

SQLITE_BUSY_TIMEOUT_MS = 5000
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
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # No ping per checkout (a round trip each, twice a request): a connection the server
        # dropped fails its request once, and SQLAlchemy then replaces the pool's connections.
        engine = create_engine(url, **options)
        if statement_timeout_ms > 0:
            _limit_postgresql_statements(engine, statement_timeout_ms)
        return engine
    if parsed.database not in (None, "", ":memory:"):
        # Every request in flight holds a connection (and its ETag's version read another,
        # briefly): with fewer pooled than that, bursts open and close overflow connections,
        # PRAGMAs and all. A file database's connections are cheap.
        options = {"pool_size": 20, "max_overflow": 20, **options}
    engine = create_engine(url, **options)
    _configure_sqlite(engine)
    if statement_timeout_ms > 0:
        _limit_sqlite_statements(engine, statement_timeout_ms)
    return engine


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


def _use_wal(cursor: sqlite3.Cursor) -> None:
    # WAL is a property of the file, so only a new database needs switching; the switch
    # needs the file to itself and fails at once, busy_timeout or not, while processes
    # starting together (workers, a `db upgrade` beside them) open it: try again a while.
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


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
            _use_wal(cursor)
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


# The PostgreSQL advisory lock that seeds, imports, API writes and migrations take, so they
# take turns the way SQLite's single write lock makes them: change-feed seqs commit in
# order, and an If-Match check sees the data its write changes.
POSTGRES_WRITE_LOCK = 7405262


def take_turns_writing(connection: Connection) -> None:
    """On PostgreSQL, wait for the writers' lock (held until the transaction ends).

    A no-op on SQLite, whose write transactions already exclude each other.
    """
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({POSTGRES_WRITE_LOCK})")


def begin_writing(connection: Connection, *, lock_wait_s: float = WRITE_LOCK_WAIT_S) -> RootTransaction:
    """Begin a transaction on `connection` that holds the write lock from its first statement.

    On SQLite that is BEGIN IMMEDIATE, tried again until `lock_wait_s` has passed (each try
    waits busy_timeout). PostgreSQL locks rows as they are written; writers that must take
    turns also call `take_turns_writing`.
    """
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
    return transaction


@contextmanager
def write_transaction(engine: Engine, *, lock_wait_s: float = WRITE_LOCK_WAIT_S) -> Iterator[Connection]:
    """A connection in a transaction that holds the write lock from its first statement.

    On SQLite, waits up to `lock_wait_s` for the lock (an HTTP request may prefer less).
    """
    with engine.connect() as connection, begin_writing(connection, lock_wait_s=lock_wait_s):
        yield connection
