"""The floor's /api/v1/search: the best hits of each kind, with our snippets.

The code shared with the application is app.queries.text (pure Python: how a search is
parsed and a snippet cut), since the floor must write the same snippets.
"""

from urllib.parse import urlencode

import orjson

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


def search(run: Run, url: str, q: str, limit: int) -> bytes:
    """GET /api/v1/search?q=: the best hits of each kind, then the texts of those hits, one statement a kind."""
    terms = {kind: parse(q, words_are_prefixes=kind in ("actor", "region")) for kind in _PATHS}
    run("version", {})
    found: dict[str, list] = {kind: [] for kind in _PATHS}
    totals = dict.fromkeys(_PATHS.values(), 0)
    for kind, record_id, _score, total in run("search", {"words": _fts5(terms["event"]),
                                                         "prefixes": _fts5(terms["actor"]), "limit": limit})[1]:
        totals[_PATHS[kind]] = total
        found[kind].append(record_id)
    data: dict[str, list] = {}
    for kind, path in _PATHS.items():
        texts = _texts(run, kind, found[kind]) if found[kind] else {}
        data[path] = [{"type": kind, "id": record_id, _LABELS[kind]: body if kind == "quote" else name,
                       "match": _highlight(kind, name, body, terms[kind]),
                       "links": {"self": f"{API}/{path}/{record_id}"}}
                      for record_id in found[kind] for name, body in (texts[record_id],)]
    more = urlencode({"q": q, "sort": "relevance"})
    return orjson.dumps({"query": q, "data": data, "meta": {"limit": limit, "total": totals},
                         "links": {"self": url, **{path: f"{API}/{path}?{more}" for path in _PATHS.values()}}})
