"""One search over every kind of record: the best few of each, for a search box."""

from sqlalchemy import Connection, func, literal, select, union_all

from app.queries import fulltext
from app.queries.fulltext import KINDS, search_index

# The member of a hit that names it, per kind (a quote is named by its text).
LABELS = {"event": "title", "actor": "name", "region": "name", "quote": "text"}


def search(connection: Connection, q: str, *, limit: int) -> dict[str, dict]:
    """Per kind: the `limit` best hits and how many there are in all, in one statement.

    Hits come best first (ties by id), each {"type", "id", title or name or text, "match"}.
    """
    # Actors and regions match by prefix and events and quotes by whole words, so the two
    # groups are separate full-text queries; a window ranks each kind's hits on its own.
    ranked = []
    for kinds in (("event", "quote"), ("actor", "region")):
        terms = fulltext.query_terms(kinds[0], q)
        ranked.append(
            select(
                search_index.c.kind,
                search_index.c.record_id,
                search_index.c.name,
                search_index.c.body,
                fulltext.score(terms).label("score"),
            ).where(search_index.c.kind.in_(kinds), fulltext.match_condition(terms))
        )
    hits = union_all(*ranked).subquery("hits")
    numbered = select(
        hits,
        func.row_number()
        .over(partition_by=hits.c.kind, order_by=(hits.c.score.desc(), hits.c.record_id))
        .label("place"),
        func.count(literal(1)).over(partition_by=hits.c.kind).label("total"),
    ).subquery("numbered")
    query = select(numbered).where(numbered.c.place <= limit).order_by(numbered.c.kind, numbered.c.place)

    found: dict[str, dict] = {kind: {"hits": [], "total": 0} for kind in KINDS}
    for row in connection.execute(query).mappings():
        kind = row["kind"]
        terms = fulltext.query_terms(kind, q)
        label = row["body"] if kind == "quote" else row["name"]
        found[kind]["total"] = row["total"]
        found[kind]["hits"].append(
            {
                "type": kind,
                "id": row["record_id"],
                LABELS[kind]: label,
                "match": fulltext.highlight(kind, row["name"], row["body"], terms),
            }
        )
    return found
