"""The floor's /api/v1/search: the best hits of each kind, with our snippets.

The code shared with the application is app.queries.text (pure Python: how a search is
parsed and a snippet cut), since the floor must write the same snippets, and the size of
the window of best scores read per kind (app.queries.search), since the floor must choose
the same statements from it. A kind ranked again (more hits tied with its last shown hit
than the window holds) is served only if learning met that branch: otherwise the plan has
no statement for it and the floor refuses the request (PlanError) rather than guess.
"""

from urllib.parse import urlencode

import orjson

from app.queries import search as app_search
from app.queries.text import PART_SEPARATOR, parse, snippet
from bench.floor_shapes import API, Run

_FIELDS = {"event": ("title", "summary", "evidence"), "quote": ("text", "text", "text"),
           "actor": ("name", "alias", "alias"), "region": ("name", "alias", "alias")}
_LABELS = {"event": "title", "actor": "name", "region": "name", "quote": "text"}
_PATHS = {"event": "events", "actor": "actors", "region": "regions", "quote": "quotes"}


def _highlight(kind: str, name: str, body: str, terms: list) -> dict | None:
    name_field, first_field, later_field = _FIELDS[kind]
    parts = [(name_field, name)] if name else []
    parts += [(first_field if i == 0 else later_field, part) for i, part in enumerate(body.split(PART_SEPARATOR) if body else [])]
    best = None
    for field, text in parts:
        found = snippet(text, terms)
        if found is not None and (best is None or found.terms_found > best[1].terms_found):
            best = (field, found)
    return {"field": best[0], "snippet": best[1].text, "offsets": best[1].offsets} if best else None


def _fts5(terms: list) -> str:
    return " AND ".join(f'"{" ".join(t.words)}"' + ("*" if t.prefix else "") for t in terms)


def _texts(run: Run, kind: str, ids: list[str]) -> dict[str, tuple[str, str]]:
    """Each record's (name, body) as the search index holds them, put together as
    app/queries/indexed_text.py puts them: the name, then the body's parts in order."""
    names: dict[str, str] = {}
    parts: dict[str, list[str]] = {}
    for record_id, name, first, part in run(f"texts:{kind}", {"ids": ids})[1]:
        if record_id not in names:
            names[record_id] = name
            parts[record_id] = [first] if first is not None else []
        if part is not None:
            parts[record_id].append(part)
    return {record_id: (name, PART_SEPARATOR.join(parts[record_id])) for record_id, name in names.items()}


def _best(run: Run, terms: dict[str, list], limit: int) -> dict[str, tuple[int, list[str]]]:
    """Per kind, (number of hits, ids of the `limit` best), as app/queries/search.py
    `_best_by_rowid_ranges` finds them on SQLite: each kind's best rowids by score and its
    count in one statement, then the ids of the hits that may be shown, by rowid; a kind
    with more hits tied at its `limit`-th score than the window holds is ranked again."""
    # Read per request, as the server reads it, so a test can lower it to reach the re-ranking.
    window = max(app_search._WINDOW, 4 * limit)
    totals = dict.fromkeys(_PATHS, 0)
    scores: dict[str, list[tuple[float, int]]] = {}
    for kind, rowid, score, total in run("search", {"words": _fts5(terms["event"]), "prefixes": _fts5(terms["actor"]),
                                                    "window": window})[1]:
        totals[kind] = total
        scores.setdefault(kind, []).append((score, rowid))
    shown: dict[int, float] = {}
    crowded: dict[str, float] = {}
    for kind, ranked in scores.items():
        ranked.sort(reverse=True)
        threshold = ranked[min(limit, len(ranked)) - 1][0]
        if len(ranked) == window and ranked[-1][0] == threshold:
            crowded[kind] = threshold
        else:
            shown.update((rowid, score) for score, rowid in ranked if score >= threshold)
    best: dict[str, list[tuple[float, str]]] = {kind: [] for kind in _PATHS}
    if shown:
        for rowid, kind, record_id in run("search:ids", {"rowids": list(shown)})[1]:
            best[kind].append((-shown[rowid], record_id))
    for kind, threshold in crowded.items():
        # Learned only if the suite met it; otherwise the plan has no such step and the floor refuses (PlanError).
        found = run(f"search:at_least:{kind}", {"terms": _fts5(terms[kind]), "threshold": threshold, "limit": limit})
        best[kind] = [(-score, record_id) for record_id, score in found[1]]
    return {kind: (totals[kind], [record_id for _, record_id in sorted(best[kind])[:limit]]) for kind in _PATHS}


def search(run: Run, url: str, q: str, limit: int) -> bytes:
    """GET /api/v1/search?q=: the best hits of each kind, then the texts of those hits, one statement a kind."""
    terms = {kind: parse(q, words_are_prefixes=kind in ("actor", "region")) for kind in _PATHS}
    run("version", {})
    found = _best(run, terms, limit)
    data: dict[str, list] = {}
    totals: dict[str, int] = {}
    for kind, path in _PATHS.items():
        totals[path], ids = found[kind]
        texts = _texts(run, kind, ids) if ids else {}
        data[path] = [{"type": kind, "id": record_id, _LABELS[kind]: body if kind == "quote" else name,
                       "match": _highlight(kind, name, body, terms[kind]),
                       "links": {"self": f"{API}/{path}/{record_id}"}}
                      for record_id in ids for name, body in (texts[record_id],)]
    more = urlencode({"q": q, "sort": "relevance"})
    return orjson.dumps({"query": q, "data": data, "meta": {"limit": limit, "total": totals},
                         "links": {"self": url, **{path: f"{API}/{path}?{more}" for path in _PATHS.values()}}})
