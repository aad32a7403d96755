"""search index rows numbered in a row id range per kind

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 14:00:00

On SQLite the search index's `kind` column is not indexed, so telling one kind's hits
from another's read every hit's stored row. Each kind's rows now have row ids in a range
of their own (app.queries.fulltext.rowid_range), which a MATCH restricts in the index
itself. FTS5 cannot change a row id in place, so the rows are copied into a new table,
numbered 1, 2... within their kind in their old order, and the new table takes the old
one's name. PostgreSQL filters on `kind`, its primary key's first column: nothing to do.

The downgrade keeps the numbering: older code neither reads nor needs it, and numbers
rows past the largest it finds, which stays unique.
"""

from collections.abc import Sequence

from alembic import op

from app.queries.fulltext import INDEX_TABLE, KINDS, rowid_range

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW = f"{INDEX_TABLE}_renumbered"
# As migration 0003 creates it.
_SQLITE_TABLE = """
CREATE VIRTUAL TABLE {name} USING fts5(
    kind UNINDEXED,
    record_id UNINDEXED,
    name,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
)
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    kinds = ", ".join(f"'{kind}'" for kind in KINDS)
    strays = bind.exec_driver_sql(f"SELECT count(*) FROM {INDEX_TABLE} WHERE kind NOT IN ({kinds})").scalar()
    if strays:
        raise RuntimeError(f"{strays} search index row(s) of no known kind: cannot number them by kind")
    op.execute(_SQLITE_TABLE.format(name=_NEW))
    for kind in KINDS:
        first, _ = rowid_range(kind)
        # Copied from the index's own stored rows, in rowid order, which the window follows without sorting.
        op.execute(
            f"INSERT INTO {_NEW} (rowid, kind, record_id, name, body) "
            f"SELECT {first} + row_number() OVER (ORDER BY rowid), kind, record_id, name, body "
            f"FROM {INDEX_TABLE} WHERE kind = '{kind}'"
        )
    # Segments merged into one: the index as compact and fast to read as a bulk load leaves it.
    op.execute(f"INSERT INTO {_NEW} ({_NEW}) VALUES ('optimize')")
    op.execute(f"DROP TABLE {INDEX_TABLE}")
    op.execute(f"ALTER TABLE {_NEW} RENAME TO {INDEX_TABLE}")


def downgrade() -> None:
    pass
