"""The same benchmark database on PostgreSQL: migrated by `geoevents db upgrade`, then filled with
COPY from the SQLite file, so both backends hold identical rows and answer the same URLs.

The database named in the URL is dropped and created again when it does not hold this
file's data (a comment on the database records which file it was copied from).
"""

import re
import sqlite3
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from app import tables
from app.queries.text import PART_SEPARATOR, folded_words

_ASCII_WORD = re.compile(r"[a-z0-9]+")


def _conninfo(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def _folded(text: str) -> str:
    # ASCII text folds to its lower-cased runs of letters and digits; anything else takes the
    # application's own (slower, exact) folding. The part separator separates words in both.
    text = text.replace(PART_SEPARATOR, " ")
    return " ".join(_ASCII_WORD.findall(text.lower())) if text.isascii() else folded_words(text)


def _marker(sqlite_path: Path) -> str:
    stat = sqlite_path.stat()
    return f"geoevents-bench {sqlite_path.name} {stat.st_size} {int(stat.st_mtime)}"


def prepare(url: str, sqlite_path: Path, upgrade, log=print) -> bool:  # type: ignore[no-untyped-def]
    """Make the PostgreSQL database at `url` hold the SQLite file's data; False when it already did."""
    name = make_url(url).database
    marker = _marker(sqlite_path)
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as admin:
        row = admin.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                            (name,)).fetchone()
        if row is not None and row[0] == marker:
            log(f"reusing PostgreSQL database {name}")
            upgrade(url)
            return False
        log(f"copying {sqlite_path.name} into PostgreSQL database {name}")
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    upgrade(url)
    started = time.monotonic()
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    with psycopg.connect(_conninfo(url)) as target:
        # Rows arrive in the file's order, not parents first: foreign keys are checked by
        # SQLite already, so their triggers stay off while copying.
        target.execute("SET session_replication_role = replica")
        for table in [*tables.metadata.sorted_tables, None]:
            _copy(source, target, table, log)
        for table, column in (("change", "seq"), ("mention", "id"), ("api_token", "id")):
            target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                           f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)")
        target.commit()
        target.autocommit = True
        target.execute("VACUUM ANALYZE")
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as admin:
        admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{marker}'")
    log(f"copied in {time.monotonic() - started:.0f} s")
    return True


def _copy(source: sqlite3.Connection, target: psycopg.Connection, table, log) -> None:  # type: ignore[no-untyped-def]
    if table is None:  # the search index, with the folded words PostgreSQL indexes
        columns = ["kind", "record_id", "name", "body"]
        name, extra = "search_index", ["name_terms", "body_terms"]
    else:
        name, extra = table.name, []
        present = {row[1] for row in source.execute(f"PRAGMA table_info({name})")}
        columns = [c.name for c in table.columns if c.name in present]
    rows = source.execute(f"SELECT {', '.join(columns)} FROM {name}")
    count = 0
    with target.cursor().copy(f"COPY {name} ({', '.join(columns + extra)}) FROM STDIN") as copy:
        for row in rows:
            if extra:
                row = (*row, _folded(row[2]), _folded(row[3]))
            copy.write_row(row)
            count += 1
    log(f"  {name}: {count:,} rows")


def drop(url: str) -> None:
    """Drop the benchmark's PostgreSQL database."""
    name = make_url(url).database
    with psycopg.connect(_conninfo(url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
