"""`geoevents import jsonl` refuses a damaged export whole, naming the line and the field."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.database import make_engine
from app.loader import seed
from app.migrate import upgrade
from tests.conftest import SEEDS
from tests.test_transfer import (
    BRIEF,
    SEED_CHANGES,
    add_records_seeding_does_not_make,
    comparable,
    export_lines,
    import_file,
)

SUMMIT = "putin-trump-alaska-summit"
Lines = list[bytes]


def _edit(lines: Lines, line_type: str, record_id: str | None, change) -> tuple[Lines, int]:  # type: ignore[no-untyped-def]
    """The lines with one record changed (the header when `record_id` is None), and its line number."""
    index = 0 if record_id is None else _index(lines, line_type, record_id)
    record = json.loads(lines[index])
    change(record)
    return [*lines[:index], json.dumps(record, ensure_ascii=False).encode() + b"\n", *lines[index + 1 :]], index + 1


def _index(lines: Lines, line_type: str, record_id: str) -> int:
    return next(i for i, line in enumerate(lines) if (json.loads(line)["type"], json.loads(line).get("id"))
                == (line_type, record_id))


# Each spoils an export's lines and says the one problem the import must report.
def _no_header(lines: Lines) -> tuple[Lines, str]:
    return lines[1:], "bad.jsonl:1: type: not a geoevents export: the first line must be its header"


def _newer_format(lines: Lines) -> tuple[Lines, str]:
    spoilt, _ = _edit(lines, "header", None, lambda r: r.update(version=2))
    return spoilt, "bad.jsonl:1: header: version: format version 2 is not one this geoevents reads (1)"


def _not_json(lines: Lines) -> tuple[Lines, str]:
    return [*lines[:-1], lines[-1][:50]], f"bad.jsonl:{len(lines)}: not valid JSON: unexpected end of data at character 51"


def _not_utf8(lines: Lines) -> tuple[Lines, str]:
    # An event: no line refers to it, so nothing else is reported.
    index = _index(lines, "event", SUMMIT)
    broken = lines[index].replace(b"Putin", b"Pu\xfftin", 1)
    at = broken.index(b"\xff") + 1
    return [*lines[:index], broken, *lines[index + 1 :]], f"bad.jsonl:{index + 1}: is not UTF-8: byte 0xff at byte {at}"


def _impossible_date(lines: Lines) -> tuple[Lines, str]:
    spoilt, number = _edit(lines, "event", SUMMIT, lambda r: r.update(start_date="2025-02-30"))
    return spoilt, (f"bad.jsonl:{number}: event '{SUMMIT}': start_date: Input should be a valid date in the format "
                    "YYYY-MM-DD, day value is outside expected range")


def _end_before_start(lines: Lines) -> tuple[Lines, str]:
    spoilt, number = _edit(lines, "event", SUMMIT, lambda r: r.update(end_date="2025-08-14"))
    return spoilt, f"bad.jsonl:{number}: event '{SUMMIT}': end_date 2025-08-14 is before start_date 2025-08-15"


def _typo(lines: Lines) -> tuple[Lines, str]:
    spoilt, number = _edit(lines, "actor", "vladimir-putin", lambda r: r.update(colour="red"))
    return spoilt, f"bad.jsonl:{number}: actor 'vladimir-putin': colour: unknown member (a typo?)"


def _dangling(lines: Lines) -> tuple[Lines, str]:
    spoilt, number = _edit(lines, "event", SUMMIT, lambda r: r["actors"][0].update(actor_id="nobody"))
    return spoilt, (f"bad.jsonl:{number}: event '{SUMMIT}': actors.0.actor_id: unknown actor 'nobody' "
                    "(a record must come after every record it refers to)")


def _out_of_order(lines: Lines) -> tuple[Lines, str]:
    index = _index(lines, "event", SUMMIT)
    return [*lines[:index], *lines[index + 1 :], lines[index]], (
        f"bad.jsonl:{len(lines)}: event '{SUMMIT}': type: an event line after change lines: an export lists "
        "sources, actors, regions, quotes, events, changes, in that order")


def _duplicate_id(lines: Lines) -> tuple[Lines, str]:
    index = _index(lines, "region", "alaska")
    return [*lines[: index + 1], *lines[index:]], (
        f"bad.jsonl:{index + 2}: region 'alaska': id: id 'alaska' is already used on line {index + 1}")


def _cut_short(lines: Lines) -> tuple[Lines, str]:
    return lines[:-3], (f"bad.jsonl: the header announces {SEED_CHANGES + 3} change line(s), the file has "
                        f"{SEED_CHANGES} (is the file cut short?)")


def _quote_off_its_span(lines: Lines) -> tuple[Lines, str]:
    spoilt, number = _edit(lines, "quote", "summit-details", lambda r: r.update(text=r["text"][:-1] + "!"))
    return spoilt, (f"bad.jsonl:{number}: quote 'summit-details': span_start: the text is not what source "
                    f"'{BRIEF}' has at this span")


def _text_changed(lines: Lines) -> tuple[Lines, str]:
    spoilt, number = _edit(lines, "source", BRIEF, lambda r: r.update(text=r["text"].replace("Putin", "Potin", 1)))
    return spoilt, f"bad.jsonl:{number}: source '{BRIEF}': sha256: does not match the text (was the text changed or cut?)"


def _unknown_type(lines: Lines) -> tuple[Lines, str]:
    spoilt, number = _edit(lines, "event", SUMMIT, lambda r: r.update(type="token"))
    return spoilt, (f"bad.jsonl:{number}: type: unknown type 'token': one of header, source, actor, region, quote, "
                    "event, change")


SPOILERS = [_no_header, _newer_format, _not_json, _not_utf8, _impossible_date, _end_before_start, _typo, _dangling,
            _out_of_order, _duplicate_id, _cut_short, _quote_off_its_span, _text_changed, _unknown_type]


@pytest.fixture(scope="module")
def export_lines_of_brief(tmp_path_factory: pytest.TempPathFactory) -> Lines:
    """The lines of one export of the brief and the records seeding does not make."""
    folder = tmp_path_factory.mktemp("export")
    url = f"sqlite:///{folder / 'geoevents.db'}"
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, [SEEDS])
    add_records_seeding_does_not_make(engine)
    engine.dispose()
    return [json.dumps(line, ensure_ascii=False).encode() + b"\n" for line in export_lines(url, folder, "brief.jsonl")]


@pytest.mark.parametrize("spoil", SPOILERS, ids=lambda spoil: spoil.__name__.strip("_"))
def test_a_bad_file_is_refused_naming_line_and_field(  # type: ignore[no-untyped-def]
    spoil, export_lines_of_brief: Lines, engine: Engine, database_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spoilt, problem = spoil(export_lines_of_brief)
    (tmp_path / "bad.jsonl").write_bytes(b"".join(spoilt))
    before = comparable(engine)
    monkeypatch.chdir(tmp_path)
    result = import_file(database_url, Path("bad.jsonl"))
    assert result.exit_code == 1
    assert result.stderr == f"error: {problem}\n1 problem(s); nothing was written.\n"
    assert comparable(engine) == before
