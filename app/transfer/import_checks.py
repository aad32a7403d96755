"""What an import checks in the database itself."""

from collections.abc import Iterator

from sqlalchemy import Connection, func, or_, select

from app import tables
from app.coding.problems import CodingError, CodingProblem
from app.tables import event, figure, quote, source

# Tables that must be empty for an import: every record and the change feed. API tokens
# may already exist: they are not part of an export.
RECORD_TABLES = ("source", "actor", "region", "quote", "event", "change")
MAX_REPORTED = 20


def refuse_non_empty(connection: Connection) -> None:
    """CodingError unless the database holds no record and no change."""
    held = {
        name: connection.execute(select(func.count()).select_from(tables.metadata.tables[name])).scalar_one()
        for name in RECORD_TABLES
    }
    if any(held.values()):
        listed = ", ".join(f"{count} {name}(s)" for name, count in held.items() if count)
        raise CodingError([CodingProblem(
            "database", f"is not empty ({listed}): an export is imported into a new, empty database only"
        )])


def bad_spans(connection: Connection, lines_of: dict[str, dict[str, int]]) -> Iterator[tuple[int, str, str, str]]:
    """(line, reason, entry, field) for each quote or figure that is not its source's text at its span."""
    quote_text = func.substr(source.c.text, quote.c.span_start + 1, quote.c.span_end - quote.c.span_start)
    bad_quotes = (
        select(quote.c.id, quote.c.source_id)
        .join(source, source.c.id == quote.c.source_id)
        .where(or_(quote.c.span_end > func.length(source.c.text), quote_text != quote.c.text))
        .order_by(quote.c.id)
        .limit(MAX_REPORTED)
    )
    for quote_id, source_id in connection.execute(bad_quotes):
        yield (lines_of["quote"][quote_id], f"the text is not what source {source_id!r} has at this span",
               f"quote {quote_id!r}", "span_start")
    figure_text = func.substr(source.c.text, figure.c.span_start + 1, figure.c.span_end - figure.c.span_start)
    bad_figures = (
        select(figure.c.event_id, figure.c.position, event.c.source_id)
        .join(event, event.c.id == figure.c.event_id)
        .join(source, source.c.id == event.c.source_id)
        .where(or_(figure.c.span_end > func.length(source.c.text), figure_text != figure.c.text))
        .order_by(figure.c.event_id, figure.c.position)
        .limit(MAX_REPORTED)
    )
    for event_id, position, source_id in connection.execute(bad_figures):
        yield (lines_of["event"][event_id], f"the text is not what source {source_id!r} has at this span",
               f"event {event_id!r}", f"figures.{position}.span_start")
