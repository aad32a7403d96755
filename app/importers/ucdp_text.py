"""The source document of a UCDP GED event: its headlines, its article citations and its
death estimate, written out so that every quote and the deaths figure have exact spans.

UCDP gives no article text, only `source_headline` and `source_article`, each a list of
items separated by `;` (an item may be double-quoted and hold `;` of its own). The text is

    <source_headline>

    <source_article>

    UCDP GED best estimate: <best> deaths (low <low>, high <high>).

with the fields verbatim, so each item is a quote (kind excerpt) at the offsets where it
stands, and the figure's text ("2 deaths") is a span of the last line.
"""

from typing import NamedTuple


class Excerpt(NamedTuple):
    """One item of a field, where it stands in the document."""

    field: str  # "headline" or "article"
    text: str
    start: int
    end: int


class Document(NamedTuple):
    """A UCDP event's source text, its excerpts and where the deaths figure stands."""

    text: str
    excerpts: list[Excerpt]
    figure_text: str
    figure_start: int
    figure_end: int


def items(value: str) -> list[tuple[int, int]]:
    """(start, end) of each `;`-separated item of a field, without surrounding spaces and
    quotes; a `;` inside double quotes does not separate (unless the quotes never close)."""
    cuts, inside = [], False
    for index, char in enumerate(value):
        if char == '"':
            inside = not inside
        elif char == ";" and not inside:
            cuts.append(index)
    if inside:  # an unbalanced quote: every ; separates
        cuts = [i for i, c in enumerate(value) if c == ";"]
    found = []
    for start, end in zip([0] + [c + 1 for c in cuts], cuts + [len(value)]):
        while start < end and value[start].isspace():
            start += 1
        while end > start and value[end - 1].isspace():
            end -= 1
        if end - start >= 2 and value[start] == '"' and value[end - 1] == '"':
            start, end = start + 1, end - 1
        if end > start:
            found.append((start, end))
    return found


def deaths(n: int) -> str:
    """ "1 death", "2 deaths"."""
    return f"{n} death" if n == 1 else f"{n} deaths"


def document(headline: str, article: str, best: int, low: int, high: int) -> Document:
    """The source text for these fields, with the offsets of every excerpt and of the figure."""
    parts: list[str] = []
    excerpts: list[Excerpt] = []
    offset = 0
    for field, value in (("headline", headline), ("article", article)):
        if not value:
            continue
        excerpts += [Excerpt(field, value[s:e], offset + s, offset + e) for s, e in items(value)]
        parts.append(value)
        offset += len(value) + 2
    figure = deaths(best)
    lead = "UCDP GED best estimate: "
    parts.append(f"{lead}{figure} (low {low}, high {high}).")
    start = offset + len(lead)
    return Document("\n\n".join(parts), excerpts, figure, start, start + len(figure))
