"""full-text search

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:00:00.000000

The search index (see app/queries/fulltext.py): an FTS5 virtual table on SQLite; on
PostgreSQL a table with a generated, stored tsvector and a GIN index on it. Neither is
in app.tables (migrations/env.py leaves search_index* tables out of comparisons).
"""

from collections.abc import Sequence

from alembic import op

from app.loader import fulltext_index

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE = """
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED,
    record_id UNINDEXED,
    name,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
)
"""

# `simple` neither stems nor drops stop words, and the *_terms columns hold words already
# folded the way SQLite's unicode61 folds them, so both engines match the same words.
POSTGRESQL = """
CREATE TABLE search_index (
    kind VARCHAR(10) NOT NULL,
    record_id VARCHAR(100) NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    name_terms TEXT NOT NULL,
    body_terms TEXT NOT NULL,
    document TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, name_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'B')
    ) STORED,
    CONSTRAINT pk_search_index PRIMARY KEY (kind, record_id)
)
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(SQLITE)
    else:
        op.execute(POSTGRESQL)
        op.execute("CREATE INDEX ix_search_index_document ON search_index USING gin (document)")
    # Index what databases seeded before this revision already hold. This uses the
    # loader's own indexer because PostgreSQL's folded words are computed in Python.
    fulltext_index.rebuild(bind)


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
