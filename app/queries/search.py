"""One search over every kind of record: the best few of each, for a search box."""

from sqlalchemy import Connection, func, select, union_all

from app.queries import fulltext
from app.queries.fulltext import KINDS, search_index
from app.queries.indexed_text import indexed_text

# The member of a hit that names it, per kind (a quote is named by its text).
LABELS = {"event": "title", "actor": "name", "region": "name", "quote": "text"}
# Actors and regions match by prefix, events and quotes by whole words: two index queries.
_GROUPS = (("event", "quote"), ("actor", "region"))


def _best(q: str, limit: int):  # type: ignore[no-untyped-def]
    """Per kind, its `limit` best hits (kind, record_id, score) with its number of hits.

    Every hit is scored once, carrying only its kind and id, into `hits` (used many times,
    so both engines compute it once); each kind then keeps its best `limit` by a bounded
    sort rather than numbering every hit, and the texts are read for those alone.
    """
    scored = []
    for kinds in _GROUPS:
        terms = fulltext.query_terms(kinds[0], q)
        scored.append(
            select(search_index.c.kind, search_index.c.record_id, fulltext.score(terms).label("score")).where(
                search_index.c.kind.in_(kinds), fulltext.match_condition(terms)
            )
        )
    hits = union_all(*scored).cte("hits")
    per_kind = []
    for kind in KINDS:
        total = select(func.count()).select_from(hits).where(hits.c.kind == kind).scalar_subquery()
        best = (
            select(hits.c.kind, hits.c.record_id, hits.c.score, total.label("total"))
            .where(hits.c.kind == kind)
            .order_by(hits.c.score.desc(), hits.c.record_id)
            .limit(limit)
            .subquery(f"best_{kind}")
        )
        per_kind.append(select(best))
    everything = union_all(*per_kind).subquery("best")
    return select(everything).order_by(everything.c.kind, everything.c.score.desc(), everything.c.record_id)


def search(connection: Connection, q: str, *, limit: int) -> dict[str, dict]:
    """Per kind: the `limit` best hits and how many there are in all.

    Hits come best first (ties by id), each {"type", "id", title or name or text, "match"}.
    One statement ranks and counts; one more per kind with hits reads their texts.
    """
    found: dict[str, dict] = {kind: {"hits": [], "total": 0} for kind in KINDS}
    for kind, record_id, _score, total in connection.execute(_best(q, limit)):
        found[kind]["total"] = total
        found[kind]["hits"].append(record_id)
    for kind in KINDS:
        ids = found[kind]["hits"]
        texts = indexed_text(connection, kind, ids)
        terms = fulltext.query_terms(kind, q)
        found[kind]["hits"] = [_hit(kind, record_id, *texts[record_id], terms) for record_id in ids]
    return found


def _hit(kind: str, record_id: str, name: str, body: str, terms: list) -> dict:  # type: ignore[type-arg]
    return {
        "type": kind,
        "id": record_id,
        LABELS[kind]: body if kind == "quote" else name,
        "match": fulltext.highlight(kind, name, body, terms),  # type: ignore[arg-type]
    }
