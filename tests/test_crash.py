"""SIGKILL in the middle of a large write: the database keeps exactly the data it had, and the
same command then simply runs again.

The process is killed only once its write transaction is provably under way: on SQLite it
holds the write lock and has already put uncommitted pages in the -wal file; on PostgreSQL
its backend has written (it has a transaction id). The PostgreSQL server rolls back when
the client's connection dies.
"""

import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import Engine, func, select, text

from app import tables
from app.database import make_engine
from app.loader import seed
from app.migrate import upgrade
from app.transfer.export import write_export
from tests.helpers import snapshot
from tests.test_concurrency import BRIEF_EVENTS, write_copies

ROOT = Path(__file__).resolve().parent.parent
# Copies of the brief to load. SQLite writes a transaction's pages to the -wal file before
# commit only once they overflow its page cache (2 MB): 24 copies (600 events) make about
# 3.4 MB. PostgreSQL's backend shows it has written as soon as it has.
COPIES = {"sqlite": 24, "postgresql": 8}
# Uncommitted pages in the -wal file before the kill: the write has really reached the disk.
WAL_WRITTEN = 64 * 1024


def _tagged(url: str, name: str) -> str:
    """The URL with a PostgreSQL application_name, so the test can find the writer's backend."""
    return url + ("&" if "?" in url else "?") + f"application_name={name}"


def _sqlite_writing(path: Path) -> bool:
    """Whether another connection holds the write lock and has written uncommitted pages."""
    wal = Path(f"{path}-wal")
    if not wal.exists() or wal.stat().st_size < WAL_WRITTEN:
        return False
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        return error.sqlite_errorcode == sqlite3.SQLITE_BUSY
    finally:
        probe.close()


def _postgres_backend(engine: Engine, name: str) -> tuple[int, str | None] | None:
    """(pid, transaction id) of the backend serving application `name`, if connected."""
    query = text("SELECT pid, backend_xid::text FROM pg_stat_activity WHERE application_name = :name")
    with engine.connect() as connection:
        row = connection.execute(query, {"name": name}).first()
    return None if row is None else (row[0], row[1])


def _kill_mid_write(command: list[str], engine: Engine, name: str) -> None:
    """Start `command`, SIGKILL it inside its write transaction, and wait for the server to notice."""
    sqlite = engine.dialect.name == "sqlite"
    path = Path(engine.url.database) if sqlite else None
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, f"finished before it could be killed: {process.stderr.read().decode()}"
        assert time.monotonic() < deadline, "the write transaction never started"
        if _sqlite_writing(path) if sqlite else (_postgres_backend(engine, name) or (0, None))[1]:
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    assert process.wait(10) == -signal.SIGKILL
    process.stderr.close()
    if not sqlite:
        while _postgres_backend(engine, name) is not None:
            assert time.monotonic() < deadline, "the server kept the dead client's transaction"
            time.sleep(0.02)


def _event_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(tables.event)).scalar_one()


def _assert_intact(engine: Engine, before: dict) -> None:
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert snapshot(engine) == before


def _writer_url(engine: Engine, database_url: str, name: str) -> str:
    return _tagged(database_url, name) if engine.dialect.name == "postgresql" else database_url


def test_a_seed_killed_mid_write_leaves_the_data_before(
    seeded_engine: Engine, database_url: str, tmp_path: Path
) -> None:
    copies = COPIES[seeded_engine.dialect.name]
    load = write_copies(tmp_path / "load", copies)
    name = f"crash-{uuid.uuid4().hex[:8]}"
    command = [sys.executable, "-m", "app", "seed", str(load), "--database-url"]
    before = snapshot(seeded_engine)
    seeded_engine.dispose()

    _kill_mid_write([*command, _writer_url(seeded_engine, database_url, name)], seeded_engine, name)

    _assert_intact(seeded_engine, before)
    again = subprocess.run([*command, database_url], cwd=ROOT, capture_output=True, text=True, timeout=120,
                           check=False)
    assert again.returncode == 0, again.stderr
    assert f"{'event':<8} {copies * BRIEF_EVENTS:>8}        0          0        0" in again.stdout.splitlines()
    assert _event_count(seeded_engine) == BRIEF_EVENTS + copies * BRIEF_EVENTS


def test_an_import_killed_mid_write_leaves_the_database_empty(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    copies = COPIES[engine.dialect.name]
    source = make_engine(f"sqlite:///{tmp_path / 'source.db'}")
    upgrade(source)
    seed(source, [write_copies(tmp_path / "load", copies)])
    export = tmp_path / "export.jsonl"
    with export.open("wb") as stream:
        write_export(source, stream)
    source.dispose()
    name = f"crash-{uuid.uuid4().hex[:8]}"
    command = [sys.executable, "-m", "app", "import", "jsonl", str(export), "--database-url"]
    before = snapshot(engine)
    engine.dispose()

    _kill_mid_write([*command, _writer_url(engine, database_url, name)], engine, name)

    _assert_intact(engine, before)
    again = subprocess.run([*command, database_url], cwd=ROOT, capture_output=True, text=True, timeout=120,
                           check=False)
    assert again.returncode == 0, again.stderr
    assert _event_count(engine) == copies * BRIEF_EVENTS
