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

`q` is parsed by app.queries.text and compiled by app.queries.fulltext_sql to an FTS5
MATCH string or a `to_tsquery` string made only of quoted words, so user input never
becomes syntax.
"""

from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    MetaData,
    String,
    Subquery,
    Table,
    Text,
    func,
    select,
)

from app.queries.fulltext_sql import INDEX_TABLE, KINDS, Kind, match_condition, of_kind, rowid_range, score
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


def query_terms(kind: Kind, q: str) -> list[Phrase]:
    """`q` parsed for `kind`: names of actors and regions match by prefix, as a user types them."""
    return parse(q, words_are_prefixes=kind in ("actor", "region"))


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
