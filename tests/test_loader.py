"""The loader: tallies of a seed and a re-seed, every kind of coding problem named by
file, entry and field, all-or-nothing writes, and the stored spans."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from app import tables
from app.loader import CodingError, find_codings, read_dataset, seed
from tests.conftest import SEEDS
from tests.helpers import snapshot

DOC = "seeds/2025-08-15-putin-trump-alaska-summit.yaml"
TXT = "seeds/2025-08-15-putin-trump-alaska-summit.txt"
REF = "seeds/reference.yaml"
SOURCE_ID = "2025-08-15-putin-trump-alaska-summit"


def _counts(created: int = 0, updated: int = 0, unchanged: int = 0, deleted: int = 0) -> dict[str, int]:
    return {"created": created, "updated": updated, "unchanged": unchanged, "deleted": deleted}


FIRST_TALLY = {
    "source": _counts(created=1),
    "actor": _counts(created=22),
    "region": _counts(created=21),
    "quote": _counts(created=28),
    "event": _counts(created=25),
}
UNCHANGED_TALLY = {
    "source": _counts(unchanged=1),
    "actor": _counts(unchanged=22),
    "region": _counts(unchanged=21),
    "quote": _counts(unchanged=28),
    "event": _counts(unchanged=25),
}


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of seeds/, with the working directory set so files show as seeds/..."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    monkeypatch.chdir(tmp_path)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a coding file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def doc(seeds: Path) -> Path:
    return seeds / "2025-08-15-putin-trump-alaska-summit.yaml"


def ref(seeds: Path) -> Path:
    return seeds / "reference.yaml"


def txt(seeds: Path) -> Path:
    return seeds / "2025-08-15-putin-trump-alaska-summit.txt"


def count(engine: Engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def ids(engine: Engine) -> dict[str, list[str]]:
    with engine.connect() as connection:
        return {
            table.name: sorted(connection.execute(select(table.c.id)).scalars())
            for table in (tables.source, tables.actor, tables.region, tables.quote, tables.event)
        }


def problems_of(engine: Engine, seeds: Path) -> list[str]:
    """Seed a broken copy: it must fail, and leave the database exactly as it was."""
    before = snapshot(engine)
    with pytest.raises(CodingError) as raised:
        seed(engine, [seeds])
    assert snapshot(engine) == before
    return [str(problem) for problem in raised.value.problems]


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


# Problems: each names file, entry and field, and leaves the database untouched


def test_quote_not_in_document(seeded_engine: Engine, seeds: Path) -> None:
    edit(
        doc(seeds),
        'text: "Putin openly argued that negotiations should be conducted in secret"',
        'text: "Putin openly argued that talks should be held in secret"',
    )
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: quotes[5] 'putin-argues-for-secrecy': text: "
        f"text 'Putin openly argued that talks should be held in secret' is not in the document ({TXT})"
    ]


def test_quote_that_occurs_twice(seeded_engine: Engine, seeds: Path) -> None:
    edit(
        doc(seeds),
        'text: "Putin openly argued that negotiations should be conducted in secret"',
        'text: "Putin and Trump Met in Alaska to Broker Ceasefire"',
    )
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: quotes[5] 'putin-argues-for-secrecy': text: "
        "text 'Putin and Trump Met in Alaska to Broker Ceasefire' occurs 2 times (at 0, 51); "
        f"quote more words so it is unique ({TXT})"
    ]


def test_straight_quotes_for_curly_ones_get_a_hint(seeded_engine: Engine, seeds: Path) -> None:
    edit(
        doc(seeds),
        '    text: "Sanctions after the “SMO” shrank Russia’s export markets."',
        "    text: 'Sanctions after the \"SMO\" shrank Russia''s export markets.'",
    )
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: quotes[12] 'sanctions-shrank-exports': text: "
        "text 'Sanctions after the \"SMO\" shrank Russia\\'s export markets.' is not in the document "
        "exactly, but is once its quotes, dashes and spaces are normalised: copy them from the document "
        f"({TXT})"
    ]


def test_long_quote_is_shortened_in_the_message(seeded_engine: Engine, seeds: Path) -> None:
    edit(
        doc(seeds),
        '"Russia’s sphere of influence has suffered major blows in recent months."',
        '"Russia’s sphere of influence has suffered major blows in the past months."',
    )
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: quotes[8] 'russian-sphere-major-blows': text: "
        "text 'Russia’s sphere of influence has suffered major blows in ...' is not in the document "
        f"({TXT})"
    ]


def test_extra_whitespace_gets_a_hint(seeded_engine: Engine, seeds: Path) -> None:
    # The coder typed two spaces where the document has one.
    edit(
        doc(seeds),
        'text: "Putin openly argued that negotiations should be conducted in secret"',
        'text: "Putin openly argued  that negotiations"',
    )
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: quotes[5] 'putin-argues-for-secrecy': text: "
        "text 'Putin openly argued  that negotiations' is not in the document exactly, but is once "
        f"whitespace is normalised: copy line breaks and spaces from the document ({TXT})"
    ]


def test_unknown_actor_in_event(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "{id: anton-siluanov, role: participant}", "{id: anton-siluanoff, role: participant}")
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: events[0] 'putin-trump-alaska-summit': actors.2.id: unknown actor 'anton-siluanoff'"
    ]


def test_unknown_speaker(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "    speaker: vladimir-putin\n", "    speaker: vladimir-poutine\n")
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: quotes[6] 'putin-secret-negotiations-statement': speaker: unknown actor 'vladimir-poutine'"
    ]


def test_unknown_region_in_event(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "    regions: [joint-base-elmendorf-richardson]\n", "    regions: [joint-base-elmendorf]\n")
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: events[0] 'putin-trump-alaska-summit': regions.0: unknown region 'joint-base-elmendorf'"
    ]


def test_unknown_quote_in_event(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "    quotes: [trump-zelenskyy-meeting-planned]\n", "    quotes: [trump-zelenskyy-meeting-plan]\n")
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: events[3] 'trump-zelenskyy-meeting': quotes.0: "
        "unknown quote 'trump-zelenskyy-meeting-plan' (quotes come from the same document)"
    ]


def test_duplicate_event_id(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "  - id: world-war-one\n", "  - id: wwi-secret-treaties\n")
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: events[24] 'wwi-secret-treaties': id: event id 'wwi-secret-treaties' is used more than once"
    ]


def test_duplicate_quote_id(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "  - id: isolating-china\n", "  - id: us-aims-to-freeze-conflicts\n")
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: quotes[20] 'us-aims-to-freeze-conflicts': id: "
        "quote id 'us-aims-to-freeze-conflicts' is used more than once"
    ]


def test_event_listing_a_quote_twice(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "    quotes: [trump-zelenskyy-meeting-planned]\n",
         "    quotes: [trump-zelenskyy-meeting-planned, trump-zelenskyy-meeting-planned]\n")
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: events[3] 'trump-zelenskyy-meeting': quotes: lists quote 'trump-zelenskyy-meeting-planned' twice"
    ]


def test_duplicate_actor_id_in_reference(seeded_engine: Engine, seeds: Path) -> None:
    edit(ref(seeds), "  - id: bashar-al-assad\n", "  - id: kirill-dmitriev\n")
    assert problems_of(seeded_engine, seeds) == [f"{REF}: actors: id 'kirill-dmitriev' is used more than once"]


def test_alias_of_two_actors(seeded_engine: Engine, seeds: Path) -> None:
    edit(ref(seeds), "    aliases: [Assad]\n", "    aliases: [Assad, putin]\n")
    assert problems_of(seeded_engine, seeds) == [
        f"{REF}: actors[5] 'bashar-al-assad': aliases: alias 'putin' is also an alias of 'vladimir-putin'"
    ]


def test_unknown_affiliation(seeded_engine: Engine, seeds: Path) -> None:
    edit(ref(seeds), "    affiliation: russian-sovereign-wealth-fund\n", "    affiliation: russian-wealth-fund\n")
    assert problems_of(seeded_engine, seeds) == [
        f"{REF}: actors[4] 'kirill-dmitriev': affiliation: unknown actor 'russian-wealth-fund'"
    ]


def test_region_parent_cycle(seeded_engine: Engine, seeds: Path) -> None:
    # United States inside Alaska, Alaska inside the United States.
    edit(ref(seeds), "    parent: north-america\n", "    parent: alaska\n")
    assert problems_of(seeded_engine, seeds) == [
        f"{REF}: regions: parent: forms a cycle: united-states -> alaska -> united-states"
    ]


def test_country_with_invalid_iso_code(seeded_engine: Engine, seeds: Path) -> None:
    edit(ref(seeds), "    iso_code: RU\n", "    iso_code: XX\n")
    assert problems_of(seeded_engine, seeds) == [
        f"{REF}: regions[6] 'russia': iso_code 'XX' is not an ISO 3166-1 alpha-2 code"
    ]


def test_date_that_does_not_exist(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), 'start: "2025-08-18"', 'start: "2025-02-30"')
    with pytest.raises(ValueError) as python_says:
        date(2025, 2, 30)
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: events[3] 'trump-zelenskyy-meeting': date: '2025-02-30' is not a real date ({python_says.value})"
    ]


def test_date_coarser_than_its_precision(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), 'start: "2025-08-15"', 'start: "2025-08"')
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: events[0] 'putin-trump-alaska-summit': date: "
        "'2025-08' does not match precision 'day' (expected YYYY-MM-DD)"
    ]


def test_statement_without_speaker(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "    speaker: vladimir-putin\n", "")
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: quotes[6] 'putin-secret-negotiations-statement': a statement needs its speaker"
    ]


def test_malformed_yaml_names_the_line(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "    title: Putin and Trump meet in Alaska\n", "    title: Putin and Trump: meet in Alaska\n")
    line = doc(seeds).read_text(encoding="utf-8").splitlines().index("    title: Putin and Trump: meet in Alaska") + 1
    assert line == 103
    # Column 27 is the second colon, the one after "Trump".
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: line 103, column 27: is not valid YAML: mapping values are not allowed here"
    ]


def test_coding_that_is_not_a_mapping(seeded_engine: Engine, seeds: Path) -> None:
    doc(seeds).write_text("- just\n- a list\n", encoding="utf-8")
    assert problems_of(seeded_engine, seeds) == [f"{DOC}: must be a YAML mapping at the top level"]


def test_document_that_is_not_utf8(seeded_engine: Engine, seeds: Path) -> None:
    txt(seeds).write_bytes(b"Putin \xff\xfe and Trump\n")
    assert problems_of(seeded_engine, seeds) == [f"{TXT}: is not UTF-8 (byte 6: b'\\xff')"]


def test_empty_document(seeded_engine: Engine, seeds: Path) -> None:
    txt(seeds).write_bytes(b" \n\n")
    assert problems_of(seeded_engine, seeds) == [f"{TXT}: is empty"]


def test_missing_document(seeded_engine: Engine, seeds: Path) -> None:
    txt(seeds).unlink()
    assert problems_of(seeded_engine, seeds) == [f"{TXT}: cannot be read (No such file or directory)"]


def test_unknown_field_in_event(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "    location: Joint Base", "    locaton: Joint Base")
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: events[0] 'putin-trump-alaska-summit': locaton: unknown field (a typo?)"
    ]


def test_figure_not_in_the_event_quotes(seeded_engine: Engine, seeds: Path) -> None:
    edit(doc(seeds), "text: roughly three hours}", "text: about three hours}")
    assert problems_of(seeded_engine, seeds) == [
        f"{DOC}: events[0] 'putin-trump-alaska-summit': figures.0.text: "
        "'about three hours' is not found exactly once in any of this event's quotes"
    ]


def test_every_problem_is_reported_at_once(seeded_engine: Engine, seeds: Path) -> None:
    edit(ref(seeds), "    aliases: [Assad]\n", "    aliases: [Assad, Trump]\n")
    edit(
        doc(seeds),
        'text: "Putin openly argued that negotiations should be conducted in secret"',
        'text: "Putin openly argued that talks should be held in secret"',
    )
    edit(doc(seeds), "{id: anton-siluanov, role: participant}", "{id: anton-siluanoff, role: participant}")
    edit(doc(seeds), "    regions: [joint-base-elmendorf-richardson]\n", "    regions: [joint-base-elmendorf]\n")
    problems = problems_of(seeded_engine, seeds)
    assert len(problems) == 4
    assert problems == [
        f"{REF}: actors[5] 'bashar-al-assad': aliases: alias 'Trump' is also an alias of 'donald-trump'",
        f"{DOC}: quotes[5] 'putin-argues-for-secrecy': text: "
        f"text 'Putin openly argued that talks should be held in secret' is not in the document ({TXT})",
        f"{DOC}: events[0] 'putin-trump-alaska-summit': actors.2.id: unknown actor 'anton-siluanoff'",
        f"{DOC}: events[0] 'putin-trump-alaska-summit': regions.0: unknown region 'joint-base-elmendorf'",
    ]


def test_validation_problems_of_both_files_are_reported(seeded_engine: Engine, seeds: Path) -> None:
    edit(ref(seeds), "    iso_code: RU\n", "    iso_code: XX\n")
    edit(doc(seeds), "    speaker: vladimir-putin\n", "")
    assert problems_of(seeded_engine, seeds) == [
        f"{REF}: regions[6] 'russia': iso_code 'XX' is not an ISO 3166-1 alpha-2 code",
        f"{DOC}: quotes[6] 'putin-secret-negotiations-statement': a statement needs its speaker",
    ]


OTHER_DOCUMENT = """source:
  id: other-brief
  title: Another brief
  file: 2025-08-15-putin-trump-alaska-summit.txt
quotes:
  - id: summit-details
    kind: excerpt
    text: "Important to Know."
events: []
"""


def test_id_of_another_source_is_refused_and_nothing_is_written(seeded_engine: Engine, seeds: Path) -> None:
    # The refusal comes mid-write, after this run changed an actor and added a source:
    # the transaction must roll all of it back.
    edit(ref(seeds), "    description: Chief of Russia's sovereign wealth fund.\n",
         "    description: Head of Russia's sovereign wealth fund.\n")
    (seeds / "other.yaml").write_text(OTHER_DOCUMENT, encoding="utf-8")
    before = snapshot(seeded_engine)
    with pytest.raises(CodingError) as raised:
        seed(seeded_engine, [seeds / "other.yaml"])
    assert [str(p) for p in raised.value.problems] == [
        f"database: quote: id: quote id 'summit-details' already belongs to source '{SOURCE_ID}'"
    ]
    assert snapshot(seeded_engine) == before


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
