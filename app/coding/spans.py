"""Finding a quoted snippet in its document: exactly once, or a clear reason why not."""

import re

_LOOKALIKES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "\u00a0": " ", "—": "-", "–": "-"})


def occurrences(text: str, snippet: str) -> list[int]:
    """Every offset where `snippet` starts in `text`, overlapping ones included."""
    found, start = [], text.find(snippet)
    while start != -1:
        found.append(start)
        start = text.find(snippet, start + 1)
    return found


def locate(text: str, snippet: str) -> tuple[int, int]:
    """The (start, end) code-point span of the one occurrence; ValueError otherwise."""
    found = occurrences(text, snippet)
    if len(found) == 1:
        return found[0], found[0] + len(snippet)
    shown = snippet if len(snippet) <= 60 else snippet[:57] + "..."
    if found:
        raise ValueError(
            f"text {shown!r} occurs {len(found)} times (at {', '.join(map(str, found))}); "
            "quote more words so it is unique"
        )
    raise ValueError(f"text {shown!r} is not in the document{_hint(text, snippet)}")


def _hint(text: str, snippet: str) -> str:
    # The usual cause is typing straight quotes or spaces where the document has curly
    # quotes or non-breaking spaces: say so instead of leaving the curator to diff by eye.
    folded = snippet.translate(_LOOKALIKES)
    if occurrences(text.translate(_LOOKALIKES), folded):
        return " exactly, but is once its quotes, dashes and spaces are normalised: copy them from the document"
    squeezed = re.sub(r"\s+", " ", folded)
    if occurrences(re.sub(r"\s+", " ", text.translate(_LOOKALIKES)), squeezed):
        return " exactly, but is once whitespace is normalised: copy line breaks and spaces from the document"
    return ""
