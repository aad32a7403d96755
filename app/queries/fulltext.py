"""Full-text search over events, quotes, actors and regions: the `search_index` table.

One row per record: its kind, id, a `name` (event title, actor or region name; empty for
a quote) and a `body` (event summary and the text of every evidence quote; quote text;
every alias), parts joined by text.PART_SEPARATOR. On SQLite it is an FTS5 table with
the `unicode61 remove_diacritics 2` tokenizer; on PostgreSQL a plain table whose stored,
generated tsvector indexes `name_terms` and `body_terms` (the same fields folded by
app.queries.text) with the `simple` configuration, which adds no stemming or stop words
of its own, so both engines match exactly the same words. Migration 0003 creates it; it
stays out of app.tables so the schema comparison and autogenerate leave it alone.

On SQLite `kind` is an unindexed column: telling one kind's hits from another's by it
means reading every hit's stored row. So each kind's rows have row ids in a range of
their own (migration 0006, rowid_range()), and of_kind() restricts a MATCH to that range,
which FTS5 does in the index itself. PostgreSQL filters on `kind` (its primary key).

`q` is parsed by app.queries.text and compiled here to an FTS5 MATCH string or a
`to_tsquery` string made only of quoted words, so user input never becomes syntax.
"""

from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Connection,
    Float,
    MetaData,
    String,
    Subquery,
    Table,
    Text,
    func,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.queries.indexed_text import indexed_text
from app.queries.text import PART_SEPARATOR, Phrase, SearchSyntaxError, parse, snippet

__all__ = [
    "INDEX_TABLE",
    "KINDS",
    "Kind",
    "SearchSyntaxError",  # raised by parse; app.api.problems maps it to a 400
    "highlight",
    "highlights",
    "is_index_table",
    "match_condition",
    "matches",
    "of_kind",
    "query_terms",
    "ranked",
    "relevance",
    "rowid_range",
    "score",
    "search_index",
]

Kind = Literal["event", "quote", "actor", "region"]
KINDS: tuple[Kind, ...] = ("event", "actor", "region", "quote")
INDEX_TABLE = "search_index"

search_index = Table(
    INDEX_TABLE,
    MetaData(),
    Column("kind", String(10), nullable=False),
    Column("record_id", String(100), nullable=False),
    Column("name", Text, nullable=False),
    Column("body", Text, nullable=False),
    # PostgreSQL only: the folded words its generated `document` tsvector is made of.
    Column("name_terms", Text),
    Column("body_terms", Text),
)

# Row ids of kind number k lie in [k * _ROWID_SPAN, (k + 1) * _ROWID_SPAN): room for 2**40
# rows per kind, and the largest stays far below SQLite's 2**63.
_ROWID_SPAN = 1 << 40
_KIND_NUMBERS: dict[str, int] = {"event": 1, "actor": 2, "region": 3, "quote": 4}

# How much a match in the name outweighs one in the body, on both engines.
_NAME_WEIGHT, _BODY_WEIGHT = 5.0, 1.0

# Field names of each part of the index row, as the `match` member reports them.
_FIELDS: dict[str, tuple[str, str, str]] = {
    # kind: (name field, first body part, later body parts)
    "event": ("title", "summary", "evidence"),
    "quote": ("text", "text", "text"),
    "actor": ("name", "alias", "alias"),
    "region": ("name", "alias", "alias"),
}


def is_index_table(name: str) -> bool:
    """Whether a table belongs to the search index (FTS5 adds search_index_data and friends)."""
    return name.startswith(INDEX_TABLE)


def rowid_range(kind: str) -> tuple[int, int]:
    """The first and last row id the SQLite index rows of `kind` may have."""
    first = _KIND_NUMBERS[kind] * _ROWID_SPAN
    return first, first + _ROWID_SPAN - 1


def query_terms(kind: Kind, q: str) -> list[Phrase]:
    """`q` parsed for `kind`: names of actors and regions match by prefix, as a user types them."""
    return parse(q, words_are_prefixes=kind in ("actor", "region"))


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


def matches(kind: Kind, id_column: ColumnElement[Any], q: str) -> ColumnElement[bool]:
    """Condition: the record whose id is `id_column` matches the search `q`."""
    terms = query_terms(kind, q)
    hits = select(search_index.c.record_id).where(of_kind(kind), match_condition(terms))
    return id_column.in_(hits)


def relevance(kind: Kind, id_column: ColumnElement[Any], q: str) -> ColumnElement[float]:
    """How well the record matches `q`: higher is better, never NULL for a matching record.

    A correlated subquery, evaluated for each row it is compared on: a sort over many
    rows should join ranked() instead, which scores every hit once.
    """
    terms = query_terms(kind, q)
    ranked = (
        select(score(terms))
        .where(of_kind(kind), search_index.c.record_id == id_column, match_condition(terms))
        .scalar_subquery()
    )
    # 0.0 only for records that do not match, which a search never returns.
    return func.coalesce(ranked, 0.0)


def ranked(kind: Kind, q: str) -> Subquery:
    """Every record of `kind` that matches `q`, with its score: a subquery of (id, score).

    - `id`: each matching record's id, once; an inner join on it is also the `q` filter.
    - `score`: what relevance() gives the record; higher is better, never NULL, equal for
      equally good matches, so order by (score DESC, id) for a total order. Deterministic
      for a given index; word frequencies over the whole index go into it, so a seed that
      changes the index changes scores.
    - Cost: one pass over the hits of `q` in the index, each scored once, then a primary
      key lookup per hit in whatever is joined on `id`.
    - A malformed `q` raises SearchSyntaxError when it is called.
    """
    terms = query_terms(kind, q)
    hits = select(search_index.c.record_id.label("id"), score(terms).label("score")).where(
        of_kind(kind), match_condition(terms)
    )
    return hits.subquery(f"ranked_{kind}")


def highlight(kind: Kind, name: str, body: str, terms: list[Phrase]) -> dict | None:
    """The best matching part of an index row: {"field", "snippet", "offsets"}, or None.

    The best part holds the most terms; on a tie the earlier one (the name first).
    """
    name_field, first_field, later_field = _FIELDS[kind]
    parts = [(name_field, name)] if name else []
    for index, part in enumerate(body.split(PART_SEPARATOR) if body else []):
        parts.append((first_field if index == 0 else later_field, part))
    best = None
    for field, text in parts:
        found = snippet(text, terms)
        if found is not None and (best is None or found.terms_found > best[1].terms_found):
            best = (field, found)
    if best is None:
        return None
    field, found = best
    return {"field": field, "snippet": found.text, "offsets": found.offsets}


def highlights(connection: Connection, kind: Kind, ids: list[str], q: str) -> dict[str, dict]:
    """For each id, where `q` matched: {"field", "snippet", "offsets": [[start, end], ...]}.

    One statement for the page, on the records' own tables (see app.queries.indexed_text).
    """
    terms = query_terms(kind, q)
    found = {}
    for record_id, (name, body) in indexed_text(connection, kind, ids).items():
        match = highlight(kind, name, body, terms)
        if match is not None:
            found[record_id] = match
    return found
