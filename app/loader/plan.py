"""From validated codings to a Dataset, checking every reference between them.

All problems are collected before anything is written, so a curator sees the whole list
at once and the database is never touched by a coding that is wrong anywhere.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from app.coding.models import DocumentCoding, EventCoding, ReferenceCoding
from app.coding.problems import CodingProblem, entry_name
from app.coding.spans import locate, occurrences
from app.coding.vocabulary import EventStatus
from app.loader.dataset import Dataset, Record


@dataclass(frozen=True)
class Document:
    """A coding file with the text it codes."""

    coding_file: str
    coding: DocumentCoding
    text_file: str
    text: str


def build_dataset(reference: ReferenceCoding, reference_file: str, documents: list[Document]) -> tuple[Dataset, list[CodingProblem]]:
    """Rows for the reference and every document, and every problem found on the way."""
    problems: list[CodingProblem] = []
    dataset = Dataset()
    _add_reference(dataset, reference, reference_file, problems)
    for document in documents:
        _add_document(dataset, document, problems)
    return dataset, problems


def _duplicates(ids: list[str]) -> set[str]:
    return {item for item, count in Counter(ids).items() if count > 1}


def _add_reference(dataset: Dataset, reference: ReferenceCoding, file: str, problems: list[CodingProblem]) -> None:
    def problem(section: str, index: int, entry_id: str, field: str | None, reason: str) -> None:
        problems.append(CodingProblem(file, reason, f"{section}[{index}] {entry_id!r}", field))

    for section, items in (("actors", reference.actors), ("regions", reference.regions)):
        for dup in _duplicates([item.id for item in items]):
            problems.append(CodingProblem(file, f"id {dup!r} is used more than once", section))
        owners: dict[str, str] = {}
        for index, item in enumerate(items):
            for alias in item.aliases:
                other = owners.setdefault(alias.casefold(), item.id)
                if other != item.id:
                    problem(section, index, item.id, "aliases", f"alias {alias!r} is also an alias of {other!r}")
            if len(set(a.casefold() for a in item.aliases)) != len(item.aliases):
                problem(section, index, item.id, "aliases", "lists an alias twice")

    actor_ids = {actor.id for actor in reference.actors}
    for index, actor in enumerate(reference.actors):
        if actor.affiliation is not None and actor.affiliation not in actor_ids:
            problem("actors", index, actor.id, "affiliation", f"unknown actor {actor.affiliation!r}")
        dataset.actors[actor.id] = Record(
            row={
                "id": actor.id,
                "name": actor.name,
                "kind": actor.kind.value,
                "description": actor.description,
                "affiliation_id": actor.affiliation,
                "code": None,
                "country_code": None,
                "origin": "seed",
            },
            children={"actor_alias": [{"alias": a, "position": i} for i, a in enumerate(actor.aliases)]},
        )
    _check_cycles("actors", {a.id: a.affiliation for a in reference.actors}, "affiliation", file, problems)

    region_ids = {region.id for region in reference.regions}
    parents = {region.id: region.parent for region in reference.regions}
    for index, region in enumerate(reference.regions):
        if region.parent is not None and region.parent not in region_ids:
            problem("regions", index, region.id, "parent", f"unknown region {region.parent!r}")
        dataset.regions[region.id] = Record(
            row={
                "id": region.id,
                "name": region.name,
                "kind": region.kind.value,
                "description": region.description,
                "iso_code": region.iso_code,
                "parent_id": region.parent,
                "lat": region.lat,
                "lon": region.lon,
                "external_id": None,
                "origin": "seed",
            },
            children={"region_alias": [{"alias": a, "position": i} for i, a in enumerate(region.aliases)]},
        )
    if not _check_cycles("regions", parents, "parent", file, problems):
        dataset.region_ancestors = _closure(parents)


def _check_cycles(section: str, links: dict[str, str | None], field: str, file: str, problems: list[CodingProblem]) -> bool:
    """Report each cycle in a parent-like link once; True if there was any."""
    reported: set[str] = set()
    for start in links:
        path, node = [], start
        while node is not None and node in links and node not in path:
            path.append(node)
            node = links[node]
        if node is not None and node in path and node not in reported:
            cycle = path[path.index(node):] + [node]
            reported.update(cycle)
            problems.append(CodingProblem(file, "forms a cycle: " + " -> ".join(cycle), section, field))
    return bool(reported)


def _closure(parents: dict[str, str | None]) -> list[dict]:
    rows = []
    for region_id in parents:
        node, depth = region_id, 0
        while node is not None and node in parents:
            rows.append({"region_id": region_id, "ancestor_id": node, "depth": depth})
            node, depth = parents[node], depth + 1
    return rows


def _add_document(dataset: Dataset, document: Document, problems: list[CodingProblem]) -> None:
    coding, file, text = document.coding, document.coding_file, document.text
    source = coding.source
    if source.id in dataset.sources:
        problems.append(CodingProblem(file, f"source id {source.id!r} is already coded in another file", "source", "id"))
        return
    dataset.sources[source.id] = Record(
        row={
            "id": source.id,
            "title": source.title,
            "publisher": source.publisher,
            "published_date": source.published,
            "url": source.url,
            "file_name": Path(document.text_file).name,
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "text": text,
            "origin": "seed",
        }
    )

    spans: dict[str, tuple[int, int]] = {}
    for index, quote in enumerate(coding.quotes):
        entry = entry_name("quotes", index, {"id": quote.id})
        # Ids are checked against every entry seen, not only the valid ones, so a duplicate
        # is reported together with whatever else is wrong with its first use.
        if quote.id in dataset.seen_quote_ids:
            problems.append(CodingProblem(file, f"quote id {quote.id!r} is used more than once", entry, "id"))
            continue
        dataset.seen_quote_ids.add(quote.id)
        if quote.speaker is not None and quote.speaker not in dataset.actors:
            problems.append(CodingProblem(file, f"unknown actor {quote.speaker!r}", entry, "speaker"))
        try:
            spans[quote.id] = locate(text, quote.text)
        except ValueError as error:
            problems.append(CodingProblem(file, f"{error} ({document.text_file})", entry, "text"))
            continue
        start, end = spans[quote.id]
        dataset.quotes[quote.id] = Record(
            row={
                "id": quote.id,
                "source_id": source.id,
                "kind": quote.kind.value,
                "text": quote.text,
                "speaker_id": quote.speaker,
                "span_start": start,
                "span_end": end,
                "origin": "seed",
            }
        )

    quote_texts = {quote.id: quote.text for quote in coding.quotes}
    for index, event in enumerate(coding.events):
        entry = entry_name("events", index, {"id": event.id})
        if event.id in dataset.seen_event_ids:
            problems.append(CodingProblem(file, f"event id {event.id!r} is used more than once", entry, "id"))
            continue
        dataset.seen_event_ids.add(event.id)
        before = len(problems)
        record = _event_record(event, source.id, entry, file, dataset, quote_texts, spans, problems)
        if len(problems) == before:
            dataset.events[event.id] = record


def _event_record(
    event: EventCoding,
    source_id: str,
    entry: str,
    file: str,
    dataset: Dataset,
    quote_texts: dict[str, str],
    spans: dict[str, tuple[int, int]],
    problems: list[CodingProblem],
) -> Record:
    def problem(field: str, reason: str) -> None:
        problems.append(CodingProblem(file, reason, entry, field))

    for i, actor in enumerate(event.actors):
        if actor.id not in dataset.actors:
            problem(f"actors.{i}.id", f"unknown actor {actor.id!r}")
    for dup in _duplicates([f"{a.id} as {a.role.value}" for a in event.actors]):
        problem("actors", f"lists {dup} twice")
    for i, region_id in enumerate(event.regions):
        if region_id not in dataset.regions:
            problem(f"regions.{i}", f"unknown region {region_id!r}")
    for dup in _duplicates(list(event.regions)):
        problem("regions", f"lists region {dup!r} twice")
    for i, quote_id in enumerate(event.quotes):
        if quote_id not in quote_texts:
            problem(f"quotes.{i}", f"unknown quote {quote_id!r} (quotes come from the same document)")
    for dup in _duplicates(list(event.quotes)):
        problem("quotes", f"lists quote {dup!r} twice")

    figures = []
    for i, figure in enumerate(event.figures):
        span = _figure_span(figure.text, event.quotes, quote_texts, spans)
        if span is None:
            problem(f"figures.{i}.text", f"{figure.text!r} is not found exactly once in any of this event's quotes")
            continue
        figures.append({"position": i, "value": figure.value, "unit": figure.unit, "text": figure.text, "span_start": span[0], "span_end": span[1]})

    start, end = event.date.bounds(open_ended=event.status is EventStatus.ONGOING)
    return Record(
        row={
            "id": event.id,
            "source_id": source_id,
            "title": event.title,
            "summary": event.summary,
            "type": event.type.value,
            "status": event.status.value,
            "start_date": start,
            "end_date": end,
            "date_precision": event.date.precision.value,
            "location": event.location,
            "attributes": None,
            "origin": "seed",
        },
        children={
            "event_actor": [{"actor_id": a.id, "role": a.role.value, "position": i} for i, a in enumerate(event.actors)],
            "event_region": [{"region_id": r, "position": i} for i, r in enumerate(event.regions)],
            "event_quote": [{"quote_id": q, "position": i} for i, q in enumerate(event.quotes)],
            "figure": figures,
        },
    )


def _figure_span(text: str, quote_ids: list[str], quote_texts: dict[str, str], spans: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    """Where a figure's wording stands in the document: inside the first evidence quote that has it once."""
    for quote_id in quote_ids:
        if quote_id not in spans:
            continue
        found = occurrences(quote_texts[quote_id], text)
        if len(found) == 1:
            start = spans[quote_id][0] + found[0]
            return start, start + len(text)
    return None
