"""Keyset pagination over several sort keys with mixed directions."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, RowMapping, Select, and_, case, func, literal, or_, tuple_


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class SortKey:
    """One ORDER BY term. Its expression is never NULL, so the comparisons stay total."""

    expression: ColumnElement[Any]
    descending: bool = False
    # How a value read back from a cursor's JSON becomes a value to compare with.
    decode: Callable[[Any], Any] = _same
    # Set on the "is it known" key of a nullable field: the raw (nullable) expression and the
    # value that stands in for its NULL in the next key. A page is then read in two branches,
    # known values ordered by the raw expression (which an index can serve), then the NULLs.
    nullable: ColumnElement[Any] | None = None
    null_fill: Any = None

    def ordered(self) -> ColumnElement[Any]:
        return self.expression.desc() if self.descending else self.expression.asc()


def after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after the row whose sort values are `values`, in `keys` order."""
    if len({key.descending for key in keys}) == 1:
        # One direction: a row-value comparison, which both engines turn into an index range.
        row, bound = tuple_(*(key.expression for key in keys)), tuple_(*(literal(v) for v in values))
        return row < bound if keys[0].descending else row > bound
    terms = []
    for i, key in enumerate(keys):
        ties = [keys[j].expression == values[j] for j in range(i)]
        beyond = key.expression < values[i] if key.descending else key.expression > values[i]
        terms.append(and_(*ties, beyond))
    # The first key's bound alone is redundant but lets the planner start an index range there.
    first = keys[0].expression <= values[0] if keys[0].descending else keys[0].expression >= values[0]
    return and_(first, or_(*terms))


def decode(keys: Sequence[SortKey], raw: Sequence[Any]) -> list[Any]:
    """Cursor values back to comparable values; ValueError if they do not fit the keys."""
    if len(raw) != len(keys):
        raise ValueError("wrong number of values")
    return [key.decode(value) for key, value in zip(keys, raw, strict=True)]


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _fetch(
    connection: Connection, query: Select, keys: Sequence[SortKey], after_values: Sequence[Any] | None, limit: int
) -> tuple[list[RowMapping], list[list[Any]]]:
    """Up to `limit` rows of `query` in key order after `after_values`, and each row's key values."""
    labelled = [key.expression.label(f"_key{i}") for i, key in enumerate(keys)]
    query = query.add_columns(*labelled).order_by(*(key.ordered() for key in keys))
    if after_values is not None:
        query = query.where(after(keys, after_values))
    rows = list(connection.execute(query.limit(limit)).mappings())
    return rows, [[row[f"_key{i}"] for i in range(len(keys))] for row in rows]


def _fetch_split(
    connection: Connection, query: Select, keys: Sequence[SortKey], after_values: Sequence[Any] | None, limit: int
) -> tuple[list[RowMapping], list[list[Any]]]:
    """Like _fetch for keys led by a nullable field: its known values first, then its NULLs.

    The cursor keeps the one-query form's values (known flag, value or its fill, the rest),
    so both forms read the same cursors.
    """
    flag, filled, rest = keys[0], keys[1], list(keys[2:])
    raw = flag.nullable
    assert raw is not None
    rows: list[RowMapping] = []
    values: list[list[Any]] = []
    if after_values is None or after_values[0] == 1:
        known_keys = [SortKey(raw, filled.descending, filled.decode), *rest]
        start = None if after_values is None else after_values[1:]
        found, found_values = _fetch(connection, query.where(raw.is_not(None)), known_keys, start, limit)
        rows += found
        values += [[1, *v] for v in found_values]
    if len(rows) < limit:
        start = None if after_values is None or after_values[0] == 1 else after_values[2:]
        found, found_values = _fetch(connection, query.where(raw.is_(None)), rest, start, limit - len(rows))
        rows += found
        values += [[0, flag.null_fill, *v] for v in found_values]
    return rows, values


def fetch_page(
    connection: Connection,
    query: Select,
    keys: Sequence[SortKey],
    *,
    after_values: Sequence[Any] | None,
    limit: int,
) -> tuple[list[RowMapping], list[Any] | None]:
    """One page of `query` in key order, and the key values a next page starts after."""
    fetch = _fetch_split if keys[0].nullable is not None else _fetch
    rows, values = fetch(connection, query, keys, after_values, limit + 1)
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], [_encode(value) for value in values[limit - 1]]


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
            # Only a leading nullable key is read in branches: later ones are compared as coalesced values.
            lead = not keys
            keys.append(SortKey(known, descending=True, nullable=expression if lead else None,
                                null_fill=field.null_fill if lead else None))
            expression = func.coalesce(expression, literal(field.null_fill, expression.type))
        keys.append(SortKey(expression, descending, decode=field.decode))
    # Ties break in the tie-breaker's natural order after a score (equal relevance reads
    # a-z), and in the last key's direction otherwise (-date ties newest id first).
    last = fields[name] if keys else None
    descending = bool(keys) and keys[-1].descending and not (last is not None and last.best_first)
    keys.append(SortKey(tie_breaker, descending=descending))
    return keys
