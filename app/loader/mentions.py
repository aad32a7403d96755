"""Finds where each actor and region is named in each source (filled in by the provenance work)."""

from sqlalchemy import Connection

from app.loader.changes import Changes


def refresh(connection: Connection, changes: Changes) -> None:
    """Recompute the mentions of every source whose text or whose coded names changed."""
