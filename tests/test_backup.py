"""`geoevents db backup PATH`: a verified, consistent copy of a live SQLite database."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from app.cli import main
from app.database import make_engine
from app.loader import seed
from app.migrate import upgrade
from tests.conftest import SEEDS
from tests.helpers import snapshot
from tests.test_concurrency import BRIEF_EVENTS, BRIEF_QUOTES, COPIES, TOGGLER, write_copies

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def live(tmp_path: Path) -> tuple[str, Engine]:
    """A seeded SQLite database (the backup copies SQLite files only) and its engine."""
    url = f"sqlite:///{tmp_path / 'geoevents.db'}"
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, [SEEDS])
    yield url, engine
    engine.dispose()


def backup(url: str, target: Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["db", "backup", str(target), "--database-url", url])


def counts(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as copy:
        return (copy.execute("SELECT count(*) FROM event").fetchone()[0],
                copy.execute("SELECT count(*) FROM quote").fetchone()[0])


def test_backup_is_the_database_in_one_verified_file(live: tuple[str, Engine], tmp_path: Path) -> None:
    url, engine = live
    target = tmp_path / "backups" / "geoevents-copy.db"
    target.parent.mkdir()
    result = backup(url, target)
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # One self-contained file: no -wal needed beside it.
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert result.stdout == (f"backed up {tmp_path / 'geoevents.db'} to {target}: {pages} pages, "
                             f"{target.stat().st_size} bytes, integrity ok\n")
    assert sorted(p.name for p in target.parent.iterdir()) == ["geoevents-copy.db"]
    assert target.stat().st_mode == (tmp_path / "geoevents.db").stat().st_mode
    copy_engine = make_engine(f"sqlite:///{target}")
    assert snapshot(copy_engine) == snapshot(engine)
    copy_engine.dispose()


def test_backups_taken_while_seeds_change_the_data_are_each_one_version(
    live: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = live
    full = write_copies(tmp_path / "full", COPIES)
    draft = write_copies(tmp_path / "draft", COPIES, coded=False)
    seed(engine, [draft])
    writer = subprocess.Popen([sys.executable, "-c", TOGGLER, url, "4", str(full), str(draft)], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True)
    seen = set()
    taken = 0
    while writer.poll() is None:
        target = tmp_path / f"backup-{taken}.db"
        result = backup(url, target)
        assert result.exit_code == 0, result.output
        seen.add(counts(target))
        target.unlink()
        taken += 1
    assert writer.wait() == 0, writer.stderr.read()
    writer.stderr.close()
    # Every copy is the draft or the full coding, never a part of one, and both were copied.
    assert seen == {(BRIEF_EVENTS, BRIEF_QUOTES),
                    (BRIEF_EVENTS * (1 + COPIES), BRIEF_QUOTES * (1 + COPIES))}


def test_backup_refuses_what_it_cannot_copy(live: tuple[str, Engine], tmp_path: Path) -> None:
    url, _ = live
    database = tmp_path / "geoevents.db"
    refusals = {
        "postgresql+psycopg://postgres@127.0.0.1:1/geoevents": (
            tmp_path / "copy.db",
            ("db backup copies SQLite databases; this one is postgresql. For PostgreSQL use pg_dump "
            "(pg_dump --format=custom --file=geoevents.dump DBNAME; pg_restore to read it back), or "
            "`geoevents export` for a portable JSON Lines copy.")),
        f"sqlite:///{tmp_path / 'missing.db'}": (
            tmp_path / "copy.db", f"there is no SQLite database at {tmp_path / 'missing.db'}"),
    }
    refusals[url] = (database, f"{database} is the database itself: choose another file")
    for source, (target, reason) in refusals.items():
        result = backup(source, target)
        assert (result.exit_code, result.stderr) == (1, f"error: {reason}\n")
    for target, reason in [
        (tmp_path, f"{tmp_path} is a folder: name the file to write, e.g. {tmp_path / 'geoevents-backup.db'}"),
        (tmp_path / "nowhere" / "copy.db", f"the folder {tmp_path / 'nowhere'} does not exist"),
    ]:
        result = backup(url, target)
        assert (result.exit_code, result.stderr) == (1, f"error: {reason}\n")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("geoevents.db")) == []
