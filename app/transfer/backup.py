"""`geoevents db backup PATH`: a consistent copy of a live SQLite database.

SQLite's online backup API copies the database page by page from one read transaction, so
the copy is one committed state even while the service reads and seeds write (in WAL mode
readers never block writers, and this is a reader). The copy is written to a temporary
file beside PATH, switched to a single self-contained file (no -wal beside it), checked
with `PRAGMA integrity_check`, and only then renamed to PATH: a failed or interrupted
backup never leaves a half-written file under that name.
"""

import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from app.transfer.atomic import publish, temporary_beside


class BackupError(Exception):
    """Why a backup was refused or failed; nothing was written to PATH."""


@dataclass(frozen=True)
class BackupResult:
    source: Path
    target: Path
    pages: int
    size: int


def backup_sqlite(engine: Engine, target: Path) -> BackupResult:
    """Copy the SQLite database behind `engine` to `target`, verified; BackupError otherwise."""
    source = _source_file(engine)
    target = _checked_target(source, target)
    # The copy holds the same data: it gets the same permissions as the database.
    temporary = temporary_beside(target, stat.S_IMODE(source.stat().st_mode))
    try:
        raw = engine.raw_connection()
        try:
            copy = sqlite3.connect(temporary)
            try:
                # pages=-1: the whole database in one step, from one snapshot.
                raw.driver_connection.backup(copy, pages=-1)
                copy.execute("PRAGMA journal_mode = DELETE")
                verdict = copy.execute("PRAGMA integrity_check").fetchall()
                pages = copy.execute("PRAGMA page_count").fetchone()[0]
            finally:
                copy.close()
        finally:
            raw.close()
        if verdict != [("ok",)]:
            raise BackupError(f"the copy failed its integrity check: {verdict[:5]}; {target} was not written")
        publish(temporary, target)
    except sqlite3.Error as error:
        raise BackupError(f"could not copy {source}: {error}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return BackupResult(source=source, target=target, pages=pages, size=target.stat().st_size)


def _source_file(engine: Engine) -> Path:
    url = engine.url
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            f"db backup copies SQLite databases; this one is {url.get_backend_name()}. For PostgreSQL use "
            "pg_dump (pg_dump --format=custom --file=geoevents.dump DBNAME; pg_restore to read it back), "
            "or `geoevents export` for a portable JSON Lines copy."
        )
    if url.database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database has no file to back up")
    source = Path(url.database).absolute()
    if not source.is_file():
        raise BackupError(f"there is no SQLite database at {source}")
    return source


def _checked_target(source: Path, target: Path) -> Path:
    target = target.absolute()
    if target.is_dir():
        raise BackupError(f"{target} is a folder: name the file to write, e.g. {target / 'geoevents-backup.db'}")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    if target.exists() and target.samefile(source):
        raise BackupError(f"{target} is the database itself: choose another file")
    return target
