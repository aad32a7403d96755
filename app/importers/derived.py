"""Derived rows for imported records, written in bulk in the import's own transaction.

The search index, mentions and the region closure must hold for imported records exactly
what the loader's own refreshers (app.loader.fulltext_index, app.loader.mentions) would
write for them; the tests compare the two. New records are indexed here in bulk; records an
import updates go through the loader's refreshers, which are slower but rare.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Connection, select

from app.importers.sql import RawWriter
from app.loader import fulltext_index
from app.loader.mentions import Target
from app.queries.text import PART_SEPARATOR, folded_words
from app.tables import actor_alias, region_alias, region_ancestor

_WORD_RUN = re.compile(r"\w+")
# How many aliases one "which sources contain any of these" scan asks about.
_ALIASES_PER_SCAN = 200
_Alias = tuple[str, bool, bool]  # the alias, whether its first and its last character are word characters


def index_rows(writer: RawWriter, entries: list[tuple[str, str, str, str]]) -> None:
    """Insert search-index rows (kind, record_id, name, body) of records not indexed yet, as
    fulltext_index writes them: on SQLite numbered on from the last row id of their kind's range."""
    if not entries:
        return
    if writer.sqlite:
        last = {kind: fulltext_index.last_rowid(writer.connection, kind) for kind in {e[0] for e in entries}}
        numbered = []
        for entry in entries:
            last[entry[0]] += 1
            numbered.append((last[entry[0]], *entry))
        writer.insert_rows("search_index", ("rowid", "kind", "record_id", "name", "body"), numbered)
        return
    writer.insert_rows("search_index", ("kind", "record_id", "name", "body", "name_terms", "body_terms"),
                       [(*e, _folded(e[2]), _folded(e[3])) for e in entries])


@lru_cache(maxsize=1 << 16)
def _folded(text: str) -> str:
    # Titles and summaries of imported events repeat a great deal; folding is pure Python.
    return folded_words(text)


def entry(kind: str, record_id: str, name: str, parts: Iterable[str]) -> tuple[str, str, str, str]:
    """One index row: the body's parts joined as fulltext_index joins them."""
    return (kind, record_id, name, PART_SEPARATOR.join(parts))


class AliasIndex:
    """Every actor and region alias, found by the first word in it.

    A word-bounded occurrence of an alias puts the alias's first run of word characters in
    the text as a whole word, so only aliases whose first word the text contains can match:
    matching just those gives exactly what matching every alias would, at a fraction of the cost.
    """

    def __init__(self) -> None:
        # Each alias is held with whether its first and last characters are word characters,
        # worked out once here rather than for every text it is looked for in.
        self.by_word: dict[str, list[tuple[Target, _Alias]]] = defaultdict(list)
        self.wordless: list[tuple[Target, _Alias]] = []

    @classmethod
    def load(cls, connection: Connection) -> "AliasIndex":
        """The aliases stored so far."""
        index = cls()
        for actor_id, alias in connection.execute(select(actor_alias.c.actor_id, actor_alias.c.alias)):
            index.add(("actor", actor_id), alias)
        for region_id, alias in connection.execute(select(region_alias.c.region_id, region_alias.c.alias)):
            index.add(("region", region_id), alias)
        return index

    def add(self, target: Target, alias: str) -> None:
        if not alias:
            return
        first = _WORD_RUN.search(alias)
        entry = (target, (alias, _is_word(alias[0]), _is_word(alias[-1])))
        (self.by_word[first.group()] if first else self.wordless).append(entry)

    def candidates(self, text: str) -> dict[Target, dict[_Alias, None]]:
        """The aliases that could occur in `text`, by target (each alias once)."""
        found: dict[Target, dict[_Alias, None]] = defaultdict(dict)
        by_word = self.by_word
        for word in set(_WORD_RUN.findall(text)):
            for target, alias in by_word.get(word, ()):
                if alias[0] in text:
                    found[target][alias] = None
        for target, alias in self.wordless:
            if alias[0] in text:
                found[target][alias] = None
        return found


def _is_word(char: str) -> bool:
    # What `\w` matches (app.loader.mentions tests each character with it), without a regex.
    return char.isalnum() or char == "_"


def find_mentions(text: str, candidates: dict[Target, dict[_Alias, None]]) -> list[tuple[int, int, str, str, str]]:
    """app.loader.mentions.find_mentions, as sorted (start, end, kind, target id, alias) tuples:
    the same rules (word-bounded, case-sensitive, the longest of a target's overlapping aliases
    wins), several times faster, for the thousands of texts an import brings."""
    found = []
    size = len(text)
    find = text.find
    for (kind, target_id), names in candidates.items():
        spans = []
        for name, left, right in names:
            length = len(name)
            start = find(name)
            while start != -1:
                end = start + length
                # A word-character edge must not continue a word of the text (\w, inlined).
                if not (left and start and ((c := text[start - 1]).isalnum() or c == "_")) and not (
                    right and end < size and ((c := text[end]).isalnum() or c == "_")
                ):
                    spans.append((start - end, start, end, name))
                start = find(name, start + 1)
        if len(spans) == 1:  # the common case: nothing can overlap
            _, start, end, name = spans[0]
            found.append((start, end, kind, target_id, name))
            continue
        spans.sort()  # longest first, then leftmost
        taken: list[tuple[int, int]] = []
        for _, start, end, name in spans:
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                found.append((start, end, kind, target_id, name))
    found.sort()
    return found


def refresh_mentions(writer: RawWriter, aliases: AliasIndex, texts: dict[str, str], new: set[str]) -> None:
    """Replace the mentions of these sources (id -> text) with what their texts hold now;
    `new` are sources this batch created, which have none yet."""
    writer.delete_where_in("mention", "source_id", [i for i in texts if i not in new])
    rows = []
    append = rows.append
    for source_id, text in texts.items():
        if not text:
            continue
        for start, end, kind, target_id, alias in find_mentions(text, aliases.candidates(text)):
            if kind == "actor":
                append((source_id, target_id, None, alias, start, end))
            else:
                append((source_id, None, target_id, alias, start, end))
    writer.insert_rows("mention", ("source_id", "actor_id", "region_id", "alias", "span_start", "span_end"), rows)


def sources_containing(writer: RawWriter, aliases: list[str]) -> dict[str, str]:
    """Stored sources whose text contains any of `aliases` (a superset of where they are mentions)."""
    found: dict[str, str] = {}
    test = f"{'instr' if writer.sqlite else 'strpos'}(text, {writer.placeholder}) > 0"
    unique = sorted({a for a in aliases if a})
    # Plain SQL text through the driver: building thousands of SQLAlchemy expressions for a
    # new dataset's aliases cost more than scanning the sources.
    for start in range(0, len(unique), _ALIASES_PER_SCAN):
        part = unique[start : start + _ALIASES_PER_SCAN]
        condition = " OR ".join([test] * len(part))
        found.update(writer.fetch_all(f"SELECT id, text FROM source WHERE text != '' AND ({condition})", part))
    return found


class Closure:
    """Ancestors of regions (region_ancestor rows), read once and extended as regions are added."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.known: dict[str, list[tuple[str, int]]] = {}

    def _load(self, region_ids: set[str]) -> None:
        missing = sorted(r for r in region_ids if r not in self.known)
        for start in range(0, len(missing), 5000):
            part = missing[start : start + 5000]
            query = select(region_ancestor.c.region_id, region_ancestor.c.ancestor_id, region_ancestor.c.depth)
            for region_id, ancestor_id, depth in self.connection.execute(query.where(region_ancestor.c.region_id.in_(part))):
                self.known.setdefault(region_id, []).append((ancestor_id, depth))

    def rows_for(self, new: list[tuple[str, str | None]]) -> list[tuple[str, str, int]]:
        """Closure rows of new regions (id, parent id), parents listed before their children."""
        self._load({parent for _, parent in new if parent is not None})
        rows = []
        for region_id, parent in new:
            ancestors = [(region_id, 0)]
            if parent is not None:
                ancestors += [(ancestor, depth + 1) for ancestor, depth in self.known.get(parent, [])]
            self.known[region_id] = ancestors
            rows += [(region_id, ancestor, depth) for ancestor, depth in ancestors]
        return rows
