"""One search over every kind of record: the best few of each, for a search box."""

from collections import defaultdict

from sqlalchemy import Connection, func, literal, literal_column, select, union_all

from app.queries import fulltext
from app.queries.fulltext import KINDS, search_index
from app.queries.indexed_text import indexed_text

# The member of a hit that names it, per kind (a quote is named by its text).
LABELS = {"event": "title", "actor": "name", "region": "name", "quote": "text"}
# Actors and regions match by prefix, events and quotes by whole words: two index queries.
_GROUPS = (("event", "quote"), ("actor", "region"))
# On SQLite, how many of a kind's best scores are read in the first pass: enough to hold
# every hit tied with the last one shown in all but the most uniform data.
_WINDOW = 256

_ROWID = literal_column(f"{fulltext.INDEX_TABLE}.rowid")


def search(connection: Connection, q: str, *, limit: int) -> dict[str, dict]:
    """Per kind: the `limit` best hits and how many there are in all.

    Hits come best first (ties by id), each {"type", "id", title or name or text, "match"}.
    Ranking and counting take one statement on PostgreSQL, two or more on SQLite (see
    _best_by_rowid_ranges); then one more per kind with hits reads their texts.
    """
    best = _best_by_rowid_ranges if connection.dialect.name == "sqlite" else _best_by_kind
    found: dict[str, dict] = {}
    for kind, (total, ids) in best(connection, q, limit).items():
        texts = indexed_text(connection, kind, ids)
        terms = fulltext.query_terms(kind, q)
        found[kind] = {"hits": [_hit(kind, record_id, *texts[record_id], terms) for record_id in ids], "total": total}
    return found


def _best_by_kind(connection: Connection, q: str, limit: int) -> dict[str, tuple[int, list[str]]]:
    """Per kind, (number of hits, ids of the `limit` best), in one statement.

    Every hit is scored once, carrying only its kind and id, into `hits` (used many times,
    so the engine computes it once); each kind then keeps its best `limit` by a bounded
    sort rather than numbering every hit.
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
    query = select(everything).order_by(everything.c.kind, everything.c.score.desc(), everything.c.record_id)
    found: dict[str, tuple[int, list[str]]] = {kind: (0, []) for kind in KINDS}
    for kind, record_id, _score, total in connection.execute(query):
        found[kind] = (total, [*found[kind][1], record_id])
    return found


def _best_by_rowid_ranges(connection: Connection, q: str, limit: int) -> dict[str, tuple[int, list[str]]]:
    """What _best_by_kind finds, on SQLite, reading the stored rows of the winners alone.

    A kind's hits are a rowid range of the index (app.queries.fulltext.of_kind), which
    FTS5 counts and scores without reading each hit's row. Ordering by (score, id) would
    read every hit's id, so the first statement keeps each kind's best `_WINDOW` rowids by
    score alone; the hits that can be shown are those scoring at least the `limit`-th best,
    and only their ids are read. Should more hits tie with it than the window holds, that
    kind is ranked again with its ids, among the hits scoring at least that much.
    """
    window = max(_WINDOW, 4 * limit)
    per_kind = []
    for kind in KINDS:
        terms = fulltext.query_terms(kind, q)
        matching = (fulltext.match_condition(terms), fulltext.of_kind(kind))
        total = select(func.count()).select_from(search_index).where(*matching).scalar_subquery()
        score = fulltext.score(terms).label("score")
        columns = (literal(kind).label("kind"), _ROWID.label("rowid"), score, total.label("total"))
        best = select(*columns).select_from(search_index).where(*matching).order_by(score.desc()).limit(window)
        per_kind.append(select(best.subquery(f"best_{kind}")))
    totals: dict[str, int] = {kind: 0 for kind in KINDS}
    scores: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for kind, rowid, score_value, total in connection.execute(union_all(*per_kind)):
        totals[kind] = total
        scores[kind].append((score_value, rowid))
    shown: dict[int, float] = {}  # rowid -> score of every hit that may be shown
    crowded: dict[str, float] = {}  # kind -> the score of its `limit`-th hit, tied beyond the window
    for kind, ranked in scores.items():
        ranked.sort(reverse=True)
        threshold = ranked[min(limit, len(ranked)) - 1][0]
        if len(ranked) == window and ranked[-1][0] == threshold:
            crowded[kind] = threshold
        else:
            shown.update((rowid, score_value) for score_value, rowid in ranked if score_value >= threshold)
    best_ids = _ids_by_rowid(connection, shown)
    for kind, threshold in crowded.items():
        best_ids[kind] = _best_at_least(connection, kind, q, threshold, limit)
    return {kind: (totals[kind], [record_id for _, record_id in sorted(best_ids[kind])[:limit]]) for kind in KINDS}


def _ids_by_rowid(connection: Connection, scores: dict[int, float]) -> dict[str, list[tuple[float, str]]]:
    """Per kind, (-score, record id) of these index rows, found by rowid."""
    found: dict[str, list[tuple[float, str]]] = defaultdict(list)
    if scores:
        rows = select(_ROWID, search_index.c.kind, search_index.c.record_id).where(_ROWID.in_(list(scores)))
        rows = rows.select_from(search_index)
        for rowid, kind, record_id in connection.execute(rows):
            found[kind].append((-scores[rowid], record_id))
    return found


def _best_at_least(connection: Connection, kind: str, q: str, threshold: float, limit: int) -> list[tuple[float, str]]:
    """(-score, record id) of the `limit` best hits of `kind`, all scoring at least `threshold`:
    ids are read for those hits alone."""
    terms = fulltext.query_terms(kind, q)  # type: ignore[arg-type]
    score = fulltext.score(terms).label("score")
    hits = (
        select(search_index.c.record_id, score)
        .where(fulltext.match_condition(terms), fulltext.of_kind(kind), score >= threshold)  # type: ignore[arg-type]
        .order_by(score.desc(), search_index.c.record_id)
        .limit(limit)
    )
    return [(-score_value, record_id) for record_id, score_value in connection.execute(hits)]


def _hit(kind: str, record_id: str, name: str, body: str, terms: list) -> dict:  # type: ignore[type-arg]
    return {
        "type": kind,
        "id": record_id,
        LABELS[kind]: body if kind == "quote" else name,
        "match": fulltext.highlight(kind, name, body, terms),  # type: ignore[arg-type]
    }
