"""The text rules of full-text search: tokens, folding, the `q` language and snippets.

Pure Python, shared by the loader that fills the index, the queries that search it and
the snippets shown to clients, so every part splits and folds words the same way.

The rules mirror SQLite FTS5's `unicode61 remove_diacritics 2` tokenizer: a token is a
run of letters, digits and private-use characters; case is folded; Latin letters lose
their diacritics. SQLite applies them itself; on PostgreSQL the loader indexes the
folded tokens these rules produce, so both engines match the same words (checked for
Latin, Greek and Cyrillic letters; characters newer than SQLite's Unicode tables may differ).
"""

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Combining marks unicode61 treats as removable diacritics (part of a word, then dropped);
# every other combining mark separates words, as it does in SQLite.
_DIACRITICS = frozenset(chr(c) for c in (*range(0x300, 0x305), *range(0x306, 0x30D), 0x30F, 0x311, 0x31B,
                                         *range(0x323, 0x329), 0x32D, 0x32E, 0x330, 0x331))
# SQLite strips diacritics only from letters built on an ASCII letter with at most two marks.
_ASCII_END = "\u0080"
_MAX_MARKS = 2

# Joins the parts of one indexed field (an event's summary and each evidence quote, an
# actor's aliases): a separator for both engines, and where snippets split the field.
PART_SEPARATOR = "\u2029"


class SearchSyntaxError(ValueError):
    """`q` cannot be parsed as a search; the API answers 400 with this message."""


@dataclass(frozen=True)
class Token:
    """A word of a text: its folded form and where it stands (code-point offsets)."""

    folded: str
    start: int
    end: int


def _is_word_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co" or char in _DIACRITICS


def _fold_char(char: str) -> str:
    folded = char.casefold()
    if len(folded) != 1:  # casefold expands ß to ss; unicode61 keeps such letters whole
        folded = char.lower()
    parts = unicodedata.normalize("NFD", folded)
    marks = parts[1:]
    if parts[0] < _ASCII_END and 0 < len(marks) <= _MAX_MARKS and all(m in _DIACRITICS for m in marks):
        return parts[0]
    return "".join(c for c in folded if c not in _DIACRITICS)


def tokenize(text: str) -> list[Token]:
    """The words of `text`, folded, with their offsets."""
    tokens: list[Token] = []
    start = None
    for index, char in enumerate([*text, " "]):
        if index < len(text) and _is_word_char(char):
            if start is None:
                start = index
            continue
        if start is not None:
            folded = "".join(_fold_char(c) for c in text[start:index])
            if folded:
                tokens.append(Token(folded, start, index))
            start = None
    return tokens


def folded_words(text: str) -> str:
    """The folded words of `text` separated by spaces: what PostgreSQL indexes."""
    return " ".join(token.folded for token in tokenize(text))


@dataclass(frozen=True)
class Phrase:
    """Folded words that must appear in this order; `prefix`: the last one may be longer."""

    words: tuple[str, ...]
    prefix: bool = False


def parse(q: str, *, words_are_prefixes: bool = False) -> list[Phrase]:
    """The terms of a search, all of which must match; SearchSyntaxError says what is wrong.

    Words match whole words, `"double-quoted phrases"` match words in that order and a
    trailing `*` asks for a prefix (with `words_are_prefixes`, every bare word is one).
    Punctuation inside a word splits it into a phrase ("Sykes-Picot"); any other
    punctuation is ignored, so user input never reaches an engine as syntax.
    """
    terms: list[Phrase] = []
    position = 0
    while position < len(q):
        char = q[position]
        if char.isspace():
            position += 1
        elif char == '"':
            close = q.find('"', position + 1)
            if close == -1:
                raise SearchSyntaxError(
                    f'Unbalanced quote: the " at character {position + 1} opens a phrase that is never closed.'
                )
            words = tuple(t.folded for t in tokenize(q[position + 1 : close]))
            if not words:
                raise SearchSyntaxError(
                    f"Empty phrase at character {position + 1}: put at least one word between the quotes."
                )
            starred = q.startswith("*", close + 1)
            terms.append(Phrase(words, prefix=starred))
            position = close + 1 + starred
        else:
            end = position
            while end < len(q) and not q[end].isspace() and q[end] != '"':
                end += 1
            word = q[position:end]
            words = tuple(t.folded for t in tokenize(word))
            if words:
                terms.append(Phrase(words, prefix=words_are_prefixes or word.endswith("*")))
            position = end
    if not terms:
        raise SearchSyntaxError("Nothing to search for: use at least one word of letters or digits.")
    return list(dict.fromkeys(terms))


def find(tokens: list[Token], phrase: Phrase) -> Iterator[tuple[int, int]]:
    """Where `phrase` occurs in `tokens`: (first token index, last token index) pairs."""
    size = len(phrase.words)
    for first in range(len(tokens) - size + 1):
        window = tokens[first : first + size]
        if all(t.folded == w for t, w in zip(window[:-1], phrase.words[:-1], strict=True)):
            last, wanted = window[-1].folded, phrase.words[-1]
            if last == wanted or (phrase.prefix and last.startswith(wanted)):
                yield first, first + size - 1


SNIPPET_WORDS = 20
_WORDS_BEFORE = 8
ELLIPSIS = "…"


@dataclass(frozen=True)
class Snippet:
    """About SNIPPET_WORDS words of a text around its first match, and every match inside it."""

    text: str
    offsets: list[list[int]]
    terms_found: int


def snippet(text: str, terms: list[Phrase]) -> Snippet | None:
    """The snippet of `text` around the first match of any term, or None if none matches."""
    tokens = tokenize(text)
    found = {term: list(find(tokens, term)) for term in terms}
    spans = sorted(span for spans in found.values() for span in spans)
    if not spans:
        return None
    first, first_end = spans[0]
    start = max(0, min(first - _WORDS_BEFORE, len(tokens) - SNIPPET_WORDS))
    stop = max(min(len(tokens), start + SNIPPET_WORDS), first_end + 1)
    begin = tokens[start].start if start > 0 else 0
    finish = tokens[stop - 1].end if stop < len(tokens) else len(text)
    lead = ELLIPSIS if start > 0 else ""
    shown = lead + text[begin:finish] + (ELLIPSIS if stop < len(tokens) else "")
    offsets: list[list[int]] = []
    for low, high in spans:
        if low < start or high >= stop:
            continue
        s, e = tokens[low].start - begin + len(lead), tokens[high].end - begin + len(lead)
        if offsets and s <= offsets[-1][1]:  # overlapping terms ("peace" in "peace deal") bold once
            offsets[-1][1] = max(offsets[-1][1], e)
        else:
            offsets.append([s, e])
    return Snippet(shown, offsets, sum(1 for spans in found.values() if spans))
