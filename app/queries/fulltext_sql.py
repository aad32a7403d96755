"""The engine-specific SQL of full-text search: MATCH, score and kind, for SQLite's FTS5 and
PostgreSQL's tsvector (app.queries.fulltext describes the index and builds on these).

Each helper compiles to one engine's syntax only: the FTS5 MATCH string and the to_tsquery
string travel together as arguments, and each dialect renders the one it understands.
"""

from typing import Any, Literal

from sqlalchemy import Boolean, ColumnElement, Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.queries.text import Phrase

Kind = Literal["event", "quote", "actor", "region"]
KINDS: tuple[Kind, ...] = ("event", "actor", "region", "quote")
INDEX_TABLE = "search_index"

# Row ids of kind number k lie in [k * _ROWID_SPAN, (k + 1) * _ROWID_SPAN): room for 2**40
# rows per kind, and the largest stays far below SQLite's 2**63.
_ROWID_SPAN = 1 << 40
_KIND_NUMBERS: dict[str, int] = {"event": 1, "actor": 2, "region": 3, "quote": 4}

# How much a match in the name outweighs one in the body, on both engines.
_NAME_WEIGHT, _BODY_WEIGHT = 5.0, 1.0


def rowid_range(kind: str) -> tuple[int, int]:
    """The first and last row id the SQLite index rows of `kind` may have."""
    first = _KIND_NUMBERS[kind] * _ROWID_SPAN
    return first, first + _ROWID_SPAN - 1


def fts5_query(terms: list[Phrase]) -> str:
    """An FTS5 MATCH string: every term a double-quoted string, all of them required."""
    return " AND ".join(f'"{" ".join(t.words)}"' + ("*" if t.prefix else "") for t in terms)


def _lexeme(word: str, prefix: bool, weight: str = "") -> str:
    return f"'{word}':" + ("*" if prefix else "") + weight if prefix or weight else f"'{word}'"


def tsquery(terms: list[Phrase]) -> str:
    """A to_tsquery string: quoted words joined by & (all) and <-> (next word).

    A phrase must lie within one field, as in FTS5 where it cannot cross columns, so a
    phrase is asked for in the name (weight A) or in the body (weight B).
    """
    compiled = []
    for term in terms:
        if len(term.words) == 1:
            compiled.append(_lexeme(term.words[0], term.prefix))
            continue
        per_field = []
        for weight in ("A", "B"):
            last = len(term.words) - 1
            lexemes = [_lexeme(w, term.prefix and i == last, weight) for i, w in enumerate(term.words)]
            per_field.append(" <-> ".join(lexemes))
        compiled.append("(" + " | ".join(per_field) + ")")
    return " & ".join(compiled)


class _Matches(FunctionElement[bool]):
    """The index row matches: arguments are the FTS5 string and the tsquery string."""

    type = Boolean()
    inherit_cache = True
    name = "search_index_matches"
    # A condition in its own right: no "= 1" where the engine has no boolean type.
    _is_implicitly_boolean = True


class _Score(FunctionElement[float]):
    """How well the index row matches, higher is better: same arguments as _Matches."""

    type = Float()
    inherit_cache = True
    name = "search_index_score"


class _OfKind(FunctionElement[bool]):
    """The index row is of a kind: arguments are the kind, the first and the last row id of its range."""

    type = Boolean()
    inherit_cache = True
    name = "search_index_of_kind"
    _is_implicitly_boolean = True


# Each dialect renders only its own argument: 0 is the FTS5 string, 1 the tsquery string.
_FTS5, _TSQUERY = 0, 1


def _argument(element: FunctionElement[Any], index: int, compiler: Any, **kw: Any) -> str:
    return compiler.process(list(element.clauses)[index], **kw)


@compiles(_Matches, "sqlite")
def _matches_sqlite(element: _Matches, compiler: Any, **kw: Any) -> str:
    return f"{INDEX_TABLE} MATCH {_argument(element, _FTS5, compiler, **kw)}"


@compiles(_Matches, "postgresql")
def _matches_postgresql(element: _Matches, compiler: Any, **kw: Any) -> str:
    return f"{INDEX_TABLE}.document @@ to_tsquery('simple', {_argument(element, _TSQUERY, compiler, **kw)})"


@compiles(_OfKind, "sqlite")
def _of_kind_sqlite(element: _OfKind, compiler: Any, **kw: Any) -> str:
    first, last = (_argument(element, i, compiler, **kw) for i in (1, 2))
    return f"{INDEX_TABLE}.rowid BETWEEN {first} AND {last}"


@compiles(_OfKind, "postgresql")
def _of_kind_postgresql(element: _OfKind, compiler: Any, **kw: Any) -> str:
    return f"{INDEX_TABLE}.kind = {_argument(element, 0, compiler, **kw)}"


@compiles(_Score, "sqlite")
def _score_sqlite(element: _Score, compiler: Any, **kw: Any) -> str:
    # bm25 is lower for better matches; its arguments weigh kind, record_id, name, body.
    return f"-bm25({INDEX_TABLE}, 0.0, 0.0, {_NAME_WEIGHT}, {_BODY_WEIGHT})"


@compiles(_Score, "postgresql")
def _score_postgresql(element: _Score, compiler: Any, **kw: Any) -> str:
    tsq = _argument(element, _TSQUERY, compiler, **kw)
    # Weights {D, C, B, A}: the body (B) against the name (A) as in bm25 above; flag 1
    # divides by the log of the length, so a short record that matches ranks higher.
    weights = f"'{{0.0, 0.0, {_BODY_WEIGHT / _NAME_WEIGHT}, 1.0}}'"
    return (
        f"CAST(ts_rank_cd({weights}, {INDEX_TABLE}.document, to_tsquery('simple', {tsq}), 1) AS DOUBLE PRECISION)"
    )


def match_condition(terms: list[Phrase]) -> ColumnElement[bool]:
    """Condition on a query FROM search_index: the row matches `terms`."""
    return _Matches(fts5_query(terms), tsquery(terms))


def of_kind(kind: Kind) -> ColumnElement[bool]:
    """Condition on a query FROM search_index: the row is of `kind` (a rowid range on SQLite)."""
    return _OfKind(kind, *rowid_range(kind))


def score(terms: list[Phrase]) -> ColumnElement[float]:
    """Column of a query FROM search_index that matches `terms`: higher is better."""
    return _Score(fts5_query(terms), tsquery(terms))
