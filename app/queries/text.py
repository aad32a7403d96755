"""Plain word matching for `q` until a full-text index takes over."""

from typing import Any

from sqlalchemy import ColumnElement, and_, or_


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_words(columns: list[ColumnElement[Any]], q: str) -> ColumnElement[bool]:
    """Every word of `q` appears, case-insensitively, in at least one of `columns`."""
    words = q.split()
    return and_(
        *(or_(*(column.ilike(f"%{_escape_like(word)}%", escape="\\") for column in columns)) for word in words)
    )
