"""Batched statements straight through the driver (`executemany`), for SQLite and PostgreSQL.

SQLAlchemy's per-row parameter processing costs more than the insert itself at a million
rows, so the bulk writer hands the driver plain tuples here, adapted once per value type:
SQLite gets dates and timestamps as the strings SQLAlchemy would store
("2025-08-15", "2025-08-15 10:09:26.886121"), PostgreSQL gets date objects (and new rows
through COPY); attributes go as JSON text to both, written by orjson, which spells floats
as Python does, so they read back equal.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection

from app import tables

_DATE_COLUMNS = {"published_date", "start_date", "end_date"}
_JSON_COLUMNS = {"attributes"}
_TIMESTAMP_COLUMNS = {"created_at", "updated_at", "changed_at"}


class RawWriter:
    """Executes batched INSERT, UPDATE and DELETE statements on the connection's transaction."""

    def __init__(self, connection: Connection, now: datetime):
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"
        self.placeholder = "?" if self.sqlite else "%s"
        self.now = now
        # SQLAlchemy stores a SQLite DateTime as this text, microseconds always written.
        self.stamp: Any = f"{now:%Y-%m-%d %H:%M:%S.%f}" if self.sqlite else now

    def _cursor(self) -> Any:
        return self.connection.connection.dbapi_connection.cursor()

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for every row, in one driver call."""
        if not rows:
            return
        cursor = self._cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()

    def _marker(self, column: str) -> str:
        if column in _JSON_COLUMNS and not self.sqlite:
            return f"CAST({self.placeholder} AS JSON)"
        return self.placeholder

    def adapt(self, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[tuple]:
        """Rows with each value in the form the driver stores for its column."""
        dates = [i for i, c in enumerate(columns) if c in _DATE_COLUMNS]
        jsons = [i for i, c in enumerate(columns) if c in _JSON_COLUMNS]
        if not dates and not jsons:
            return [tuple(row) for row in rows]
        if not self.sqlite:
            dates = []
        written: dict[Any, str] = {}  # few distinct days recur across many rows
        adapted = []
        for row in rows:
            values = list(row)
            for i in dates:
                day = values[i]
                if day is not None:
                    text = written.get(day)
                    if text is None:
                        text = written[day] = day.isoformat()
                    values[i] = text
            for i in jsons:
                values[i] = orjson.dumps(values[i]).decode("utf-8")
            adapted.append(tuple(values))
        return adapted

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, stamped: bool) -> None:
        """INSERT rows; `stamped` adds origin 'import' and this import's created_at/updated_at."""
        if not rows:
            return
        names = list(columns)
        values = self.adapt(columns, rows)
        if stamped:
            names += ["origin", "created_at", "updated_at"]
            tail = ("import", self.stamp, self.stamp)
            values = [row + tail for row in values]
        self.insert_rows(table, names, values)

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """INSERT rows whose values are already in stored form: executemany on SQLite, COPY on
        PostgreSQL (many times faster there than one INSERT per row)."""
        if not rows:
            return
        if self.sqlite:
            markers = ", ".join(self._marker(c) for c in columns)
            self.execute_many(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({markers})', rows)
            return
        cursor = self._cursor()
        try:
            with cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()

    def update(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """UPDATE by id: each row is (id, *values of `columns`); updated_at becomes now."""
        if not rows:
            return
        assignments = ", ".join(f"{c} = {self._marker(c)}" for c in columns)
        sql = f'UPDATE "{table}" SET {assignments}, updated_at = {self.placeholder} WHERE id = {self.placeholder}'
        values = self.adapt(columns, [row[1:] for row in rows])
        self.execute_many(sql, [v + (self.stamp, row[0]) for v, row in zip(values, rows)])

    def fetch_all(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple]:
        """The rows of one query, as plain tuples."""
        cursor = self._cursor()
        try:
            cursor.execute(sql, list(parameters))
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def existing(self, table: str, ids: Sequence[str], chunk: int = 5000) -> set[str]:
        """Which of `ids` the table holds: one cheap statement per chunk, no typed rows."""
        found: set[str] = set()
        for start in range(0, len(ids), chunk):
            part = list(ids[start : start + chunk])
            markers = ", ".join([self.placeholder] * len(part))
            cursor = self._cursor()
            try:
                cursor.execute(f'SELECT id FROM "{table}" WHERE id IN ({markers})', part)
                found.update(row[0] for row in cursor.fetchall())
            finally:
                cursor.close()
        return found

    def delete_where_in(self, table: str, column: str, ids: Sequence[str], chunk: int = 5000) -> None:
        """DELETE the rows whose `column` is among `ids`."""
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            markers = ", ".join([self.placeholder] * len(part))
            cursor = self._cursor()
            try:
                cursor.execute(f'DELETE FROM "{table}" WHERE {column} IN ({markers})', list(part))
            finally:
                cursor.close()

    def log_changes(self, record_type: str, op: str, ids: Sequence[str]) -> None:
        """Append to the change feed, in the order given, changed_by 'import'."""
        rows = [(record_type, record_id, op, self.stamp, "import") for record_id in ids]
        self.insert_rows("change", ("record_type", "record_id", "op", "changed_at", "changed_by"), rows)


def table(name: str):  # type: ignore[no-untyped-def]
    """The SQLAlchemy table of a record type."""
    return tables.metadata.tables[name]
