"""The loader's refusals: each names file, entry and field, and leaves the database untouched."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.loader import CodingError, seed
from tests.helpers import snapshot
from tests.loader_support import (  # noqa: F401 - seeds is a fixture
    DOC, REF, SOURCE_ID, TXT, doc, edit, problems_of, ref, seeds, txt,
)


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
