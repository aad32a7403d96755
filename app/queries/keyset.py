"""Keyset pagination over several sort keys with mixed directions."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, Select, and_, or_


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class SortKey:
    """One ORDER BY term. Its expression is never NULL, so the comparisons stay total."""

    expression: ColumnElement[Any]
    descending: bool = False
    # How a value read back from a cursor's JSON becomes a value to compare with.
    decode: Callable[[Any], Any] = _same

    def ordered(self) -> ColumnElement[Any]:
        return self.expression.desc() if self.descending else self.expression.asc()


def date_key(expression: ColumnElement[Any], *, descending: bool) -> SortKey:
    return SortKey(expression, descending, decode=date.fromisoformat)


def after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after the row whose sort values are `values`, in `keys` order."""
    terms = []
    for i, key in enumerate(keys):
        ties = [keys[j].expression == values[j] for j in range(i)]
        beyond = key.expression < values[i] if key.descending else key.expression > values[i]
        terms.append(and_(*ties, beyond))
    return or_(*terms)


def decode(keys: Sequence[SortKey], raw: Sequence[Any]) -> list[Any]:
    """Cursor values back to comparable values; ValueError if they do not fit the keys."""
    if len(raw) != len(keys):
        raise ValueError("wrong number of values")
    return [key.decode(value) for key, value in zip(keys, raw, strict=True)]


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def fetch_page(
    connection: Connection,
    query: Select,
    keys: Sequence[SortKey],
    *,
    after_values: Sequence[Any] | None,
    limit: int,
) -> tuple[list[RowMapping], list[Any] | None]:
    """One page of `query` in key order, and the key values a next page starts after."""
    labelled = [key.expression.label(f"_key{i}") for i, key in enumerate(keys)]
    query = query.add_columns(*labelled).order_by(*(key.ordered() for key in keys))
    if after_values is not None:
        query = query.where(after(keys, after_values))
    rows = list(connection.execute(query.limit(limit + 1)).mappings())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, [_encode(rows[-1][f"_key{i}"]) for i in range(len(keys))]
