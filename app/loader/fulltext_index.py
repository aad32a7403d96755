"""Keeps the full-text index in step with the records (filled in by the search work)."""

from sqlalchemy import Connection

from app.loader.changes import Changes


def refresh(connection: Connection, changes: Changes) -> None:
    """Re-index the events, quotes, actors and regions a seed created, updated or deleted."""
