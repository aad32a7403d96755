"""Data derived from the coded records, rebuilt in the seed's own transaction.

Each refresher receives what the seed changed and brings its derived rows in line, so a
reader never sees records without their index entries or mentions.
"""

from sqlalchemy import Connection

from app.loader import fulltext_index, mentions
from app.loader.changes import Changes


def refresh(connection: Connection, changes: Changes) -> None:
    """Bring every derived table in line with what the seed changed."""
    fulltext_index.refresh(connection, changes)
    mentions.refresh(connection, changes)
