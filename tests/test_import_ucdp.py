"""`geoevents import ucdp`: real UCDP GED rows (tests/fixtures/ucdp, see SOURCES.md there) mapped to
exact events, dates and precisions, places, deaths figures and source quotes, on both backends."""

import csv
import hashlib
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import Engine, select

from app import tables
from app.cli import main
from app.importers.run import import_files
from app.importers.ucdp import UcdpFile
from tests.helpers import snapshot
from tests.test_import_gdelt import ancestors, derived_data_matches_loader, event, record

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "ucdp" / "ged231_sample1000-excerpt.csv"


def run(engine: Engine, path: Path = FIXTURE, on_error: str = "fail"):  # type: ignore[no-untyped-def]
    return import_files(engine, [path], UcdpFile, on_error=on_error, progress=False)


def raw_rows() -> dict[str, dict]:
    with FIXTURE.open(encoding="utf-8", newline="") as stream:
        return {row["id"]: row for row in csv.DictReader(stream)}


def first_line_of(event_id: str, path: Path = FIXTURE) -> int:
    """The physical line a record starts on, found in the text itself."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, start=1) if line.startswith(f"{event_id},"))


def quotes_of(engine: Engine, event_id: str) -> list[dict]:
    q, eq = tables.quote, tables.event_quote
    with engine.connect() as connection:
        rows = connection.execute(select(q.c.id, q.c.kind, q.c.text, q.c.span_start, q.c.span_end, q.c.speaker_id)
                                  .join(eq, eq.c.quote_id == q.c.id).where(eq.c.event_id == event_id)
                                  .order_by(eq.c.position)).mappings().all()
    return [dict(r) for r in rows]


def figures_of(engine: Engine, event_id: str) -> list[tuple]:
    f = tables.figure
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(
            select(f.c.value, f.c.unit, f.c.text, f.c.span_start, f.c.span_end).where(f.c.event_id == event_id))]


def test_an_exact_day_event(seeded_engine: Engine) -> None:
    report, failure = run(seeded_engine)
    assert failure is None and report.files[0].rows == 12
    assert event(seeded_engine, "ucdp-300380") == {
        "id": "ucdp-300380", "source_id": "ucdp-300380-source",
        "title": "Government of Syria – Syrian insurgents: 2 deaths in Rami village",
        "summary": "UCDP GED, state-based armed conflict (Syria: Government): best estimate 2 deaths (low 2, high 2), "
                   "in the al-Rami village.",
        "type": "ASSAULT", "status": "occurred", "start_date": date(2013, 1, 3), "end_date": date(2013, 1, 3),
        "date_precision": "day", "location": "in the al-Rami village", "origin": "import",
        "attributes": {"dataset": "ucdp", "relid": "SYR-2013-1-11973-99", "type_of_violence": 1,
                       "conflict_name": "Syria: Government", "dyad_name": "Government of Syria - Syrian insurgents",
                       "date_prec": 1, "where_prec": 1, "event_clarity": 1, "deaths_a": 0, "deaths_b": 2,
                       "deaths_civilians": 0, "deaths_unknown": 0, "best": 2, "low": 2, "high": 2},
        "actors": [("ucdp-actor-118", "initiator"), ("ucdp-actor-4456", "target")],
        "regions": ["ucdp-sy-rami-village-70a15057"],
    }
    # Place > adm_1 > the reference region `syria` (Gleditsch & Ward 652 = SY) > its world region.
    assert ancestors(seeded_engine, "ucdp-sy-rami-village-70a15057") == [
        ("ucdp-sy-rami-village-70a15057", 0), ("ucdp-sy-idlib-governorate", 1), ("syria", 2), ("middle-east", 3)]
    rami = record(seeded_engine, "region", "ucdp-sy-rami-village-70a15057")
    assert (rami["name"], rami["kind"], rami["lat"], rami["lon"]) == ("Rami village", "city", 35.763369, 36.558974)
    assert record(seeded_engine, "actor", "ucdp-actor-118") == {
        "id": "ucdp-actor-118", "name": "Government of Syria", "kind": "state", "affiliation_id": None,
        "code": "118", "country_code": "SYR", "origin": "import",
        "description": "Side A of UCDP GED dyads (UCDP actor 118)."}


def test_source_text_quotes_and_figure_have_exact_spans(engine: Engine) -> None:
    run(engine)
    text = ('Thursday 3 January 2013;Abdul Satar Mustafa Hankosh\n\n'
            '"Support Kurds in Syria,2013-01-03, Thursday 3 January 2013";"VDC,2013-01-03,Abdul Satar Mustafa Hankosh"'
            '\n\nUCDP GED best estimate: 2 deaths (low 2, high 2).')
    assert record(engine, "source", "ucdp-300380-source") == {
        "id": "ucdp-300380-source", "title": "UCDP GED event 300380: Support Kurds in Syria; VDC",
        "publisher": "Uppsala Conflict Data Program", "published_date": None, "url": None,
        "file_name": FIXTURE.name, "sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text,
        "origin": "import"}
    assert quotes_of(engine, "ucdp-300380") == [
        {"id": "ucdp-300380-headline-1", "kind": "excerpt", "text": "Thursday 3 January 2013", "span_start": 0,
         "span_end": 23, "speaker_id": None},
        {"id": "ucdp-300380-headline-2", "kind": "excerpt", "text": "Abdul Satar Mustafa Hankosh", "span_start": 24,
         "span_end": 51, "speaker_id": None},
        {"id": "ucdp-300380-article-1", "kind": "excerpt", "text": "Support Kurds in Syria,2013-01-03, Thursday 3 "
         "January 2013", "span_start": 54, "span_end": 112, "speaker_id": None},
        {"id": "ucdp-300380-article-2", "kind": "excerpt", "text": "VDC,2013-01-03,Abdul Satar Mustafa Hankosh",
         "span_start": 115, "span_end": 157, "speaker_id": None},
    ]
    assert figures_of(engine, "ucdp-300380") == [(2.0, "deaths", "2 deaths", 184, 192)]
    # Every span of every imported event slices its source text exactly.
    rows = raw_rows()
    for ucdp_id, row in rows.items():
        source_text = record(engine, "source", f"ucdp-{ucdp_id}-source")["text"]
        for quote in quotes_of(engine, f"ucdp-{ucdp_id}"):
            assert source_text[quote["span_start"]:quote["span_end"]] == quote["text"]
        (value, unit, figure_text, start, end), = figures_of(engine, f"ucdp-{ucdp_id}")
        assert (value, unit, source_text[start:end]) == (float(row["best"]), "deaths", figure_text)


def test_newlines_and_an_unbalanced_quote_inside_fields(engine: Engine) -> None:
    run(engine)
    # 57977's source_article spans nine lines of the file; one item, newlines kept.
    quotes = quotes_of(engine, "ucdp-57977")
    assert [q["id"] for q in quotes] == ["ucdp-57977-article-1"]
    assert quotes[0]["text"] == raw_rows()["57977"]["source_article"]
    assert quotes[0]["text"].count("\n") == 8
    assert figures_of(engine, "ucdp-57977") == [(17.0, "deaths", "17 deaths", 270, 279)]
    # 21300 has no headline and an article whose quote never closes: one item, as written.
    assert [(q["text"], q["span_start"], q["span_end"]) for q in quotes_of(engine, "ucdp-21300")] == [
        ('Reuters 1989-05-17 "ANGOLAN UNITA REBELS BLOW UP POWER LINES DURING PEACE SUMMIT', 0, 80)]


def test_date_precisions_never_claim_a_day_the_data_does_not_give(engine: Engine) -> None:
    run(engine)
    dates = {i: (e["start_date"], e["end_date"], e["date_precision"], e["attributes"]["date_prec"])
             for i in ("ucdp-21300", "ucdp-401115", "ucdp-38197", "ucdp-453523", "ucdp-23893", "ucdp-23919")
             for e in [event(engine, i)]}
    assert dates == {
        "ucdp-401115": (date(2021, 5, 28), date(2021, 5, 29), "day", 2),  # within 2-6 days: the range
        "ucdp-21300": (date(1989, 5, 10), date(1989, 5, 16), "day", 3),  # the week
        "ucdp-38197": (date(1994, 7, 1), date(1994, 7, 31), "month", 4),  # exactly July 1994
        "ucdp-23893": (date(2004, 11, 1), date(2004, 11, 30), "month", 4),
        "ucdp-23919": (date(1999, 6, 1), date(1999, 12, 31), "month", 5),  # June to December 1999
        "ucdp-453523": (date(2022, 9, 21), date(2022, 12, 7), "day", 5),  # more than a month: the range
    }


def test_where_precision_decides_the_region(seeded_engine: Engine) -> None:
    run(seeded_engine)
    places = {i: event(seeded_engine, f"ucdp-{i}")["regions"] for i in ("21300", "322134", "433058", "23893",
                                                                        "453579", "370730")}
    assert places == {
        "21300": ["ucdp-ao-lunda-sul-province"],  # 4: the province itself
        "322134": ["syria"],  # 6: the country (the reference region, not rewritten)
        "433058": ["ucdp-mm-ye-u-township-fb34f0df"],  # 5: a larger area
        "23893": ["ucdp-cd-lake-albert-off-irumu-671f7b46"],  # 7: waters
        "453579": ["ucdp-ua-donetsk-oblast"],  # 4, in Ukraine: under the reference `ukraine`
        "370730": ["ucdp-cd-abaluma-village-buraki-groupement-banyali-kilo-d320b0b8"],  # 2
    }
    province = record(seeded_engine, "region", "ucdp-ao-lunda-sul-province")
    assert (province["kind"], province["parent_id"], province["lat"], province["lon"]) == (
        "subdivision", "country-ao", -9.65, 20.4)
    assert [record(seeded_engine, "region", r)["kind"] for r in (places["433058"][0], places["23893"][0])] == [
        "site", "site"]
    assert record(seeded_engine, "region", "ucdp-ua-donetsk-oblast")["parent_id"] == "ukraine"
    assert record(seeded_engine, "region", "syria")["origin"] == "seed"
    assert event(seeded_engine, "ucdp-433058")["location"] == "Otpo village Ye-U Township"  # newlines folded
    assert record(seeded_engine, "actor", "ucdp-actor-57")["country_code"] == "RUS"


def test_reimport_changes_nothing(engine: Engine) -> None:
    run(engine)
    before = snapshot(engine)
    report, failure = run(engine)
    assert failure is None
    assert dict(report.files[0].tally.counts["event"]) == {"created": 0, "updated": 0, "unchanged": 12}
    assert snapshot(engine) == before


def test_a_bad_row_is_reported_with_its_first_line(engine: Engine, tmp_path: Path) -> None:
    # 453579 comes after records with newlines inside fields: its line is where it starts.
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(",2022-11-14,2022-11-14,") == 1
    damaged = tmp_path / FIXTURE.name
    damaged.write_text(text.replace(",2022-11-14,2022-11-14,", ",2022-11-14,2022-11-41,"), encoding="utf-8")
    line = first_line_of("453579", damaged)
    assert line == 16
    result = CliRunner().invoke(main, ["import", "ucdp", str(damaged), "--database-url",
                                       engine.url.render_as_string(hide_password=False)])
    assert result.exit_code == 1
    assert f"error: {damaged}:{line}: date_end '2022-11-41' is not a date (YYYY-MM-DD)" in result.stderr
    report, failure = run(engine, damaged, on_error="skip")
    assert failure is None
    assert dict(report.files[0].skipped) == {"bad-date": 1}
    assert report.total("event", "created") == 11


def test_derived_data_match_the_loader(seeded_engine: Engine) -> None:
    run(seeded_engine)
    derived_data_matches_loader(seeded_engine)
    # Source texts name seeded places and actors ("Syria"), so imports add real mentions.
    m = tables.mention
    with seeded_engine.connect() as connection:
        found = connection.execute(select(m.c.actor_id, m.c.region_id, m.c.alias, m.c.span_start, m.c.span_end)
                                   .where(m.c.source_id == "ucdp-300380-source")).all()
    assert sorted(tuple(map(str, r)) for r in found) == [("None", "syria", "Syria", "71", "76"),
                                                         ("syria", "None", "Syria", "71", "76")]


def test_a_changed_source_alone_is_updated(engine: Engine, tmp_path: Path) -> None:
    run(engine)
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(",Support Kurds in Syria;VDC,") == 1
    changed = tmp_path / FIXTURE.name
    changed.write_text(text.replace(",Support Kurds in Syria;VDC,", ",Support Kurds in Syria;VDC;SOHR,"),
                       encoding="utf-8")
    with engine.connect() as connection:
        feed = connection.execute(select(tables.change.c.seq).order_by(tables.change.c.seq.desc())).scalars().first()
    report, failure = run(engine, changed)
    assert failure is None
    assert dict(report.files[0].tally.counts["event"]) == {"created": 0, "updated": 0, "unchanged": 12}
    assert dict(report.files[0].tally.counts["source"]) == {"created": 0, "updated": 1, "unchanged": 11}
    assert record(engine, "source", "ucdp-300380-source")["title"] == "UCDP GED event 300380: Support Kurds in Syria; VDC; SOHR"
    with engine.connect() as connection:
        logged = connection.execute(select(tables.change.c.record_type, tables.change.c.record_id, tables.change.c.op,
                                           tables.change.c.changed_by).where(tables.change.c.seq > feed)).all()
    assert [tuple(r) for r in logged] == [("source", "ucdp-300380-source", "updated", "import")]
