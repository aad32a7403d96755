"""The loader: tallies of a seed and a re-seed, all-or-nothing writes, the stored spans, and
where it finds codings (its refusals are in tests/test_loader_problems.py)."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from app import tables
from app.loader import CodingError, find_codings, read_dataset, seed
from tests.conftest import SEEDS
from tests.helpers import snapshot
from tests.loader_support import (  # noqa: F401 - seeds is a fixture
    DOC, REF, TXT, FIRST_TALLY, UNCHANGED_TALLY, _counts, count, doc, edit, ids, problems_of, ref, seeds, txt,
)


# Seeding and re-seeding


def test_first_seed_creates_every_record(engine: Engine) -> None:
    assert seed(engine, [SEEDS]) == FIRST_TALLY
    assert {name: len(rows) for name, rows in ids(engine).items()} == {
        "source": 1,
        "actor": 22,
        "region": 21,
        "quote": 28,
        "event": 25,
    }


def test_second_seed_changes_nothing(engine: Engine) -> None:
    seed(engine, [SEEDS])
    before_ids, before = ids(engine), snapshot(engine)
    assert seed(engine, [SEEDS]) == UNCHANGED_TALLY
    assert ids(engine) == before_ids
    assert snapshot(engine) == before


def test_check_reads_the_bundled_seeds() -> None:
    assert read_dataset([SEEDS]).counts() == {"source": 1, "actor": 22, "region": 21, "quote": 28, "event": 25}


def test_edited_title_updates_one_event(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "    title: Putin and Trump meet in Alaska\n", "    title: Putin and Trump meet in Anchorage\n")
    before_ids = ids(seeded_engine)
    assert seed(seeded_engine, [seeds]) == {**UNCHANGED_TALLY, "event": _counts(updated=1, unchanged=24)}
    assert ids(seeded_engine) == before_ids
    with seeded_engine.connect() as connection:
        title = connection.execute(
            select(tables.event.c.title).where(tables.event.c.id == "putin-trump-alaska-summit")
        ).scalar_one()
        children = [
            connection.execute(
                select(func.count()).select_from(table).where(table.c.event_id == "putin-trump-alaska-summit")
            ).scalar_one()
            for table in (tables.event_actor, tables.event_region, tables.event_quote, tables.figure)
        ]
    assert title == "Putin and Trump meet in Anchorage"
    # The updated event keeps its 4 actors, 1 region, 8 quotes and 1 figure.
    assert children == [4, 1, 8, 1]


WORLD_WAR_ONE = """
  - id: world-war-one
    title: World War I
    summary: The First World War, fought among the major imperial powers.
    type: ASSAULT
    status: occurred
    date: {precision: unknown}
    actors:
      - {id: wwi-major-belligerents, role: participant}
    quotes: [secret-treaties-exposed]
"""


def test_removed_event_is_deleted_and_its_quotes_stay(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), WORLD_WAR_ONE, "")
    assert seed(seeded_engine, [seeds]) == {**UNCHANGED_TALLY, "event": _counts(unchanged=24, deleted=1)}
    assert count(seeded_engine, tables.event) == 24
    assert count(seeded_engine, tables.event, tables.event.c.id == "world-war-one") == 0
    assert count(seeded_engine, tables.event_quote, tables.event_quote.c.event_id == "world-war-one") == 0
    assert count(seeded_engine, tables.event_actor, tables.event_actor.c.event_id == "world-war-one") == 0
    assert count(seeded_engine, tables.quote) == 28
    assert count(seeded_engine, tables.quote, tables.quote.c.id == "secret-treaties-exposed") == 1
    # Two other events still cite the quote the deleted event cited.
    assert count(seeded_engine, tables.event_quote, tables.event_quote.c.quote_id == "secret-treaties-exposed") == 2


ISOLATING_CHINA = """  - id: isolating-china
    kind: analysis
    text: "This would further isolate China, shrink its export markets, and push it closer to a crisis of overproduction."
"""


def test_removed_unused_quote_is_deleted(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), ISOLATING_CHINA, "")
    assert seed(seeded_engine, [seeds]) == {**UNCHANGED_TALLY, "quote": _counts(unchanged=27, deleted=1)}
    assert count(seeded_engine, tables.quote) == 27
    assert count(seeded_engine, tables.quote, tables.quote.c.id == "isolating-china") == 0
    assert count(seeded_engine, tables.event) == 25


def test_added_quote_is_created(seeded_engine: Engine, seeds: Path) -> None:
    edit(
        doc(seeds),
        ISOLATING_CHINA,
        ISOLATING_CHINA + '  - id: important-to-know\n    kind: excerpt\n    text: "Important to Know."\n',
    )
    assert seed(seeded_engine, [seeds]) == {**UNCHANGED_TALLY, "quote": _counts(created=1, unchanged=28)}
    with seeded_engine.connect() as connection:
        row = connection.execute(
            select(tables.quote.c.span_start, tables.quote.c.span_end).where(tables.quote.c.id == "important-to-know")
        ).one()
    text = txt(seeds).read_text(encoding="utf-8")
    assert text[row.span_start : row.span_end] == "Important to Know."


# Spans


def test_quote_spans_point_at_their_text(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as connection:
        rows = connection.execute(
            select(tables.quote.c.id, tables.quote.c.text, tables.quote.c.span_start, tables.quote.c.span_end,
                   tables.source.c.text.label("document"))
            .join(tables.source, tables.source.c.id == tables.quote.c.source_id)
        ).all()
    assert len(rows) == 28
    wrong = [row.id for row in rows if row.document[row.span_start : row.span_end] != row.text]
    assert wrong == []


def test_figure_spans_point_at_their_text(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as connection:
        rows = connection.execute(
            select(tables.figure.c.event_id, tables.figure.c.text, tables.figure.c.span_start,
                   tables.figure.c.span_end, tables.source.c.text.label("document"))
            .join(tables.event, tables.event.c.id == tables.figure.c.event_id)
            .join(tables.source, tables.source.c.id == tables.event.c.source_id)
        ).all()
    assert sorted((row.event_id, row.text) for row in rows) == [
        ("china-supplies-russian-imports", "40%"),
        ("eu-arms-for-ukraine", "$40 billion"),
        ("nato-eu-arms-agreement", "$40 billion"),
        ("putin-trump-alaska-summit", "roughly three hours"),
        ("russia-china-trade-record-2023", "$240 billion"),
        ("trump-threatens-tariffs", "100%"),
        ("twelve-day-war", "12-day"),
    ]
    wrong = [row.event_id for row in rows if row.document[row.span_start : row.span_end] != row.text]
    assert wrong == []


def test_stored_document_is_the_file(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as connection:
        row = connection.execute(select(tables.source.c.text, tables.source.c.file_name)).one()
    assert row.file_name == "2025-08-15-putin-trump-alaska-summit.txt"
    assert row.text == (SEEDS / row.file_name).read_bytes().decode("utf-8")


# Finding the codings


def test_find_codings_of_a_missing_path(seeds: Path) -> None:
    with pytest.raises(CodingError) as raised:
        find_codings([Path("missing")])
    assert [str(p) for p in raised.value.problems] == ["missing: does not exist"]


def test_seed_of_a_missing_path_writes_nothing(engine: Engine, seeds: Path) -> None:
    with pytest.raises(CodingError) as raised:
        seed(engine, [seeds, Path("seeds/missing.yaml")])
    assert [str(p) for p in raised.value.problems] == ["seeds/missing.yaml: does not exist"]
    assert count(engine, tables.source) == 0


def test_find_codings_of_a_folder(seeds: Path) -> None:
    assert find_codings([seeds]) == (seeds / "reference.yaml", [doc(seeds).resolve()])


def test_find_codings_without_a_reference(seeds: Path) -> None:
    ref(seeds).unlink()
    with pytest.raises(CodingError) as raised:
        find_codings([seeds])
    assert [str(p) for p in raised.value.problems] == [f"{REF}: reference file not found"]


def test_find_codings_in_two_folders_needs_a_reference(seeds: Path) -> None:
    other = seeds.parent / "other"
    other.mkdir()
    with pytest.raises(CodingError) as raised:
        find_codings([seeds, other])
    assert [str(p) for p in raised.value.problems] == ["other, seeds: codings from several folders need --reference"]
    assert find_codings([seeds, other], reference=ref(seeds)) == (ref(seeds), [doc(seeds).resolve()])


def test_a_line_break_typed_as_a_space_gets_a_hint() -> None:
    from app.coding.spans import locate

    with pytest.raises(ValueError) as raised:
        locate("steps are taken.\u00a0\n\n► Putin proposed", "taken. ► Putin")
    assert str(raised.value) == (
        "text 'taken. ► Putin' is not in the document exactly, but is once whitespace is "
        "normalised: copy line breaks and spaces from the document"
    )


def test_a_duplicate_id_is_reported_with_the_first_entrys_own_problem(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "    text: \"The US aims to freeze", "    text: \"The USA aims to freeze")
    edit(doc(seeds), "  - id: isolating-china\n", "  - id: us-aims-to-freeze-conflicts\n")
    problems = problems_of(seeded_engine, seeds)
    assert problems == [
        f"{DOC}: quotes[18] 'us-aims-to-freeze-conflicts': text: text 'The USA aims to freeze secondary "
        f"conflicts in order to co...' is not in the document ({TXT})",
        f"{DOC}: quotes[20] 'us-aims-to-freeze-conflicts': id: quote id 'us-aims-to-freeze-conflicts' "
        "is used more than once",
    ]


def test_paths_outside_the_working_directory_are_shown_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inside = tmp_path / "work"
    inside.mkdir()
    monkeypatch.chdir(inside)
    with pytest.raises(CodingError) as raised:
        find_codings([tmp_path / "elsewhere"])
    assert [str(p) for p in raised.value.problems] == [f"{tmp_path / 'elsewhere'}: does not exist"]


def test_a_seed_keeps_the_closure_of_regions_it_did_not_make(seeded_engine: Engine, seeds: Path) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import insert

    now = datetime.now(UTC)
    with seeded_engine.begin() as connection:
        connection.execute(insert(tables.region), [{
            "id": "kharkiv", "name": "Kharkiv", "kind": "city", "parent_id": "ukraine", "origin": "import",
            "created_at": now, "updated_at": now}])
    edit(seeds / "reference.yaml", "    lat: 48.38\n", "    lat: 48.39\n")
    seed(seeded_engine, [seeds])
    with seeded_engine.connect() as connection:
        ancestors = connection.execute(
            select(tables.region_ancestor.c.ancestor_id)
            .where(tables.region_ancestor.c.region_id == "kharkiv")
            .order_by(tables.region_ancestor.c.depth)
        ).scalars().all()
    assert ancestors == ["kharkiv", "ukraine", "europe"]
