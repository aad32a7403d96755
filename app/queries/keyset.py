"""Keyset pagination over several sort keys with mixed directions."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, Select, and_, case, func, literal, or_


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


class SortError(ValueError):
    """A `sort` parameter names a field that cannot be sorted on; the API answers 422."""


@dataclass(frozen=True)
class Sortable:
    """A field clients may sort on. A nullable one sorts its NULLs last in either direction."""

    expression: ColumnElement[Any]
    nullable: bool = False
    # A value of the expression's type that stands in for NULL (keeps the key non-NULL).
    null_fill: Any = None
    decode: Callable[[Any], Any] = _same
    # Scores read best-first: the bare name sorts descending, `-name` ascending.
    best_first: bool = False


def parse_sort(spec: str, fields: dict[str, Sortable], tie_breaker: ColumnElement[Any]) -> list[SortKey]:
    """Sort keys for `-date,title` style specs, ending with a unique tie-breaker.

    Every key is NULL-free (a nullable field becomes "is it known" then its coalesced
    value), so keyset comparisons are total and a cursor never skips or repeats a row.
    """
    keys: list[SortKey] = []
    seen: set[str] = set()
    for term in (part.strip() for part in spec.split(",")):
        descending = term.startswith("-")
        name = term.removeprefix("-")
        if name not in fields:
            allowed = ", ".join(sorted(fields))
            raise SortError(f"cannot sort on {name!r}; sortable fields: {allowed} (prefix - for descending)")
        if name in seen:
            raise SortError(f"{name!r} appears twice in sort")
        seen.add(name)
        field = fields[name]
        descending = descending != field.best_first
        expression = field.expression
        if field.nullable:
            known = case((expression.is_(None), 0), else_=1)
            keys.append(SortKey(known, descending=True))
            expression = func.coalesce(expression, literal(field.null_fill, expression.type))
        keys.append(SortKey(expression, descending, decode=field.decode))
    # Ties break in the tie-breaker's natural order after a score (equal relevance reads
    # a-z), and in the last key's direction otherwise (-date ties newest id first).
    last = fields[name] if keys else None
    descending = bool(keys) and keys[-1].descending and not (last is not None and last.best_first)
    keys.append(SortKey(tie_breaker, descending=descending))
    return keys
