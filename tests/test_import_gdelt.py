"""`geoevents import gdelt`: real rows of every layout (tests/fixtures/gdelt, see SOURCES.md there),
mapped to exact events, actors, regions and sources, on both backends."""

import hashlib
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from app import tables
from app.api.app import create_app
from app.cli import main
from app.importers.gdelt import GdeltFile
from app.importers.progress import Progress
from app.importers.run import import_files
from app.loader import fulltext_index, mentions
from app.loader.changes import Changes
from app.queries.fulltext import search_index
from app.settings import Settings
from tests.helpers import snapshot

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gdelt"
V2 = FIXTURES / "20190121220000.export.CSV"
SPREADSHEET = FIXTURES / "20190121220000.export2.CSV"
V1_MIXED = FIXTURES / "v1-daily-sample-events.csv"
SUMMARY = "Machine-coded by GDELT (CAMEO {}), unverified."


def run(engine: Engine, *paths: Path, on_error: str = "fail"):  # type: ignore[no-untyped-def]
    """Import GDELT files; (report, failure)."""
    return import_files(engine, list(paths), GdeltFile, on_error=on_error, progress=False)


def source_id(value: str) -> str:
    return "gdelt-source-" + hashlib.sha256(value.encode()).hexdigest()[:20]


def file_source_id(path: Path) -> str:
    return "gdelt-file-" + hashlib.sha256(path.read_bytes()).hexdigest()[:20]


def event(engine: Engine, event_id: str) -> dict:
    """An event row with its actors and regions, as stored."""
    with engine.connect() as connection:
        row = connection.execute(select(tables.event).where(tables.event.c.id == event_id)).mappings().one()
        actors = connection.execute(
            select(tables.event_actor.c.actor_id, tables.event_actor.c.role)
            .where(tables.event_actor.c.event_id == event_id).order_by(tables.event_actor.c.position)).all()
        regions = connection.execute(
            select(tables.event_region.c.region_id).where(tables.event_region.c.event_id == event_id)).scalars().all()
    found = {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
    return {**found, "actors": [tuple(a) for a in actors], "regions": list(regions)}


def record(engine: Engine, table: str, record_id: str) -> dict:
    t = tables.metadata.tables[table]
    with engine.connect() as connection:
        row = connection.execute(select(t).where(t.c.id == record_id)).mappings().one()
    return {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}


def ancestors(engine: Engine, region_id: str) -> list[tuple[str, int]]:
    t = tables.region_ancestor
    with engine.connect() as connection:
        rows = connection.execute(select(t.c.ancestor_id, t.c.depth).where(t.c.region_id == region_id)
                                  .order_by(t.c.depth)).all()
    return [tuple(r) for r in rows]


def count(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def derived_data_matches_loader(engine: Engine) -> None:
    """The search index, mentions and region closure the bulk writer wrote are exactly what the
    loader's own refreshers compute from scratch."""
    def fts(c):  # type: ignore[no-untyped-def]
        cols = (search_index.c.kind, search_index.c.record_id, search_index.c.name, search_index.c.body)
        return sorted(tuple(r) for r in c.execute(select(*cols)))

    def found(c):  # type: ignore[no-untyped-def]
        m = tables.mention
        cols = (m.c.source_id, m.c.actor_id, m.c.region_id, m.c.alias, m.c.span_start, m.c.span_end)
        return sorted(tuple(map(str, r)) for r in c.execute(select(*cols)))

    with engine.connect() as connection:
        transaction = connection.begin()
        before_index, before_mentions = fts(connection), found(connection)
        closure = sorted(tuple(r) for r in connection.execute(select(tables.region_ancestor)))
        fulltext_index.rebuild(connection)
        everything = Changes()
        everything.record("actor", "updated", ["any"])  # makes the loader recompute every source
        mentions.refresh(connection, everything)
        parents = dict(connection.execute(select(tables.region.c.id, tables.region.c.parent_id)).all())
        expected_closure = []
        for region_id in parents:
            depth, at = 0, region_id
            while at is not None:
                expected_closure.append((region_id, at, depth))
                at, depth = parents[at], depth + 1
        assert before_index == fts(connection)
        assert before_mentions == found(connection)
        assert closure == sorted(expected_closure)
        transaction.rollback()


def test_v2_export_rows_become_exact_events(seeded_engine: Engine) -> None:
    report, failure = run(seeded_engine, V2)
    assert failure is None
    assert (report.files[0].rows, dict(report.files[0].tally.counts["event"])) == (10, {"created": 10, "updated": 0,
                                                                                        "unchanged": 0})
    url = ("https://www.i24news.tv/en/news/israel/diplomacy-defense/193684-190121-israel-ukraine-bolster-economic-ties"
           "-with-signing-of-free-trade-agreement")
    assert event(seeded_engine, "gdelt-817931171") == {
        "id": "gdelt-817931171", "source_id": source_id(url),
        "title": "Israel: Criticize or denounce → Ukraine", "summary": SUMMARY.format("111"),
        "type": "ACCUSE", "status": "occurred", "start_date": date(2019, 1, 21), "end_date": date(2019, 1, 21),
        "date_precision": "day", "location": "Ukraine", "origin": "import",
        "attributes": {"dataset": "gdelt", "cameo_code": "111", "cameo_label": "Criticize or denounce",
                       "quad_class": 3, "goldstein_scale": -2.0, "num_mentions": 1, "avg_tone": -0.72727272727272,
                       "date_added": "2019-01-21T22:00:00Z"},
        # FIPS UP is ISO UA: the reference region `ukraine`, reused and not rewritten.
        "actors": [("gdelt-isr-israel", "initiator"), ("gdelt-ukr-ukraine", "target")], "regions": ["ukraine"],
    }
    assert record(seeded_engine, "region", "ukraine")["origin"] == "seed"
    assert record(seeded_engine, "source", source_id(url)) == {
        "id": source_id(url), "title": url, "publisher": "www.i24news.tv", "published_date": None, "url": url,
        "file_name": "", "sha256": hashlib.sha256(b"").hexdigest(), "text": "", "origin": "import"}
    assert record(seeded_engine, "actor", "gdelt-isr-israel") == {
        "id": "gdelt-isr-israel", "name": "Israel", "kind": "state", "affiliation_id": None, "code": "ISR",
        "country_code": "ISR", "origin": "import",
        "description": "CAMEO actor code ISR (Israel), as GDELT's machine coding names it."}


def test_v2_geography_follows_the_hierarchy(seeded_engine: Engine) -> None:
    run(seeded_engine, V2)
    # Type 3 (US city): the place under its ADM1 (named from the full name) under the country.
    assert event(seeded_engine, "gdelt-817930294")["regions"] == ["gdelt-place-971945"]
    assert record(seeded_engine, "region", "gdelt-place-971945") == {
        "id": "gdelt-place-971945", "name": "Manhattan", "kind": "city", "description": None, "iso_code": None,
        "parent_id": "gdelt-adm1-usny", "lat": 40.7834, "lon": -73.9662, "external_id": "971945", "origin": "import"}
    assert record(seeded_engine, "region", "gdelt-adm1-usny") == {
        "id": "gdelt-adm1-usny", "name": "New York", "kind": "subdivision", "description": None, "iso_code": None,
        "parent_id": "united-states", "lat": None, "lon": None, "external_id": "USNY", "origin": "import"}
    assert ancestors(seeded_engine, "gdelt-place-971945") == [
        ("gdelt-place-971945", 0), ("gdelt-adm1-usny", 1), ("united-states", 2), ("north-america", 3)]
    # Type 2 (US state) and 5 (world ADM1) locate the ADM1 itself, with the row's coordinates.
    assert event(seeded_engine, "gdelt-817930310")["regions"] == ["gdelt-adm1-usid"]
    idaho = record(seeded_engine, "region", "gdelt-adm1-usid")
    assert (idaho["name"], idaho["lat"], idaho["lon"], idaho["parent_id"]) == ("Idaho", 44.2394, -114.51,
                                                                                "united-states")
    assert event(seeded_engine, "gdelt-817930340")["regions"] == ["gdelt-adm1-ca13"]
    assert record(seeded_engine, "region", "gdelt-adm1-ca13")["name"] == "Northwest Territories"
    # Canada has no reference region: created from GeoNames, FIPS code as its external id.
    assert record(seeded_engine, "region", "country-ca") == {
        "id": "country-ca", "name": "Canada", "kind": "country", "description": None, "iso_code": "CA",
        "parent_id": None, "lat": None, "lon": None, "external_id": "CA", "origin": "import"}
    # Type 4 (world city): GNS feature ids are negative; FIPS CH is ISO CN (`china`).
    assert event(seeded_engine, "gdelt-817930412")["regions"] == ["gdelt-place-n2093188"]
    assert ancestors(seeded_engine, "gdelt-place-n2093188") == [
        ("gdelt-place-n2093188", 0), ("gdelt-adm1-in37", 1), ("india", 2), ("south-asia", 3)]
    assert record(seeded_engine, "region", "gdelt-place-n2093188")["external_id"] == "-2093188"
    assert event(seeded_engine, "gdelt-817930316")["regions"] == ["china"]
    # Type 0: no place at all.
    assert (event(seeded_engine, "gdelt-817930293")["regions"], event(seeded_engine, "gdelt-817930293")["location"]) \
        == ([], None)


def test_cameo_codes_map_to_plover_types_with_leading_zeros_kept(engine: Engine) -> None:
    run(engine, V2)
    types = {i: (event(engine, i)["attributes"]["cameo_code"], event(engine, i)["type"]) for i in (
        "gdelt-817930293", "gdelt-817930294", "gdelt-817930296", "gdelt-817930310", "gdelt-817930331",
        "gdelt-817930412")}
    assert types == {
        "gdelt-817930293": ("012", "ACCUSE"),  # pessimistic comment: 012 overrides root 01
        "gdelt-817930294": ("010", "CONSULT"),  # make statement: root 01
        "gdelt-817930296": ("145", "PROTEST"),
        "gdelt-817930310": ("020", "REQUEST"),  # appeal
        "gdelt-817930331": ("100", "REQUEST"),  # demand
        "gdelt-817930412": ("0841", "RETREAT"),  # return, release person(s): 084 overrides root 08
    }
    assert event(engine, "gdelt-817930412")["title"] == "Return, release person(s) → Chhattisgarh"
    assert event(engine, "gdelt-817930294")["title"] == "Business: Make statement"


def test_v1_daily_and_backfile_rows_in_one_file(seeded_engine: Engine) -> None:
    report, failure = run(seeded_engine, V1_MIXED)
    assert failure is None and report.files[0].rows == 6
    with seeded_engine.connect() as connection:
        ids = connection.execute(select(tables.event.c.id).order_by(tables.event.c.id)
                                 .where(tables.event.c.origin == "import")).scalars().all()
    assert ids == ["gdelt-1552829", "gdelt-1552839", "gdelt-564111644", "gdelt-564111654", "gdelt-564111664",
                   "gdelt-564137768"]
    # 1982 backfile row (57 fields, no SOURCEURL): cited to the file itself.
    backfile = event(seeded_engine, "gdelt-1552839")
    assert (backfile["title"], backfile["type"], backfile["start_date"], backfile["source_id"],
            backfile["actors"], backfile["regions"]) == (
        "Canada: Threaten to boycott, embargo, or sanction → Poland", "THREATEN", date(1982, 1, 2),
        file_source_id(V1_MIXED), [("gdelt-can-canada", "initiator"), ("gdelt-pol-poland", "target")],
        ["country-ca"])
    assert backfile["attributes"]["date_added"] == "2013-02-03"
    assert record(seeded_engine, "source", file_source_id(V1_MIXED))["title"] == \
        "GDELT event file v1-daily-sample-events.csv"
    # A type-1 row gives its country coordinates.
    assert (record(seeded_engine, "region", "country-ca")["lat"], record(seeded_engine, "region", "country-ca")["lon"]) \
        == (60.0, -95.0)
    # 1.0 daily row (58 fields), geo type 5: the ADM1 with its coordinates, under the reference `india`.
    kerala = event(seeded_engine, "gdelt-564137768")
    assert (kerala["regions"], kerala["source_id"], kerala["attributes"]["date_added"]) == (
        ["gdelt-adm1-in13"], source_id("http://indianexpress.com/article/india/india-news-india/kerala-high-court-"
                                       "journalist-lawyer-clash-supreme-court-judge-peacemaker-2939707/"), "2016-07-28")
    assert record(seeded_engine, "region", "gdelt-adm1-in13")["parent_id"] == "india"


def test_free_text_sourceurl_and_padded_codes(engine: Engine) -> None:
    run(engine, FIXTURES / "spark-events1.csv")
    bbc = record(engine, "source", source_id("BBC Monitoring"))
    assert (bbc["title"], bbc["publisher"], bbc["url"]) == ("BBC Monitoring", "BBC Monitoring", None)
    # " UIS" in the file: the code without its stray space.
    assert event(engine, "gdelt-253461011")["actors"] == [("gdelt-afg-afghanistan", "initiator"),
                                                           ("gdelt-uis-the-international-community", "target")]
    assert record(engine, "actor", "gdelt-uis-the-international-community")["code"] == "UIS"
    # GLOBALEVENTID 0 (the first 1979 backfile row) has no geography at all.
    assert (event(engine, "gdelt-0")["title"], event(engine, "gdelt-0")["regions"]) == ("Consult → Africa", [])


def test_r_monthly_files_with_na_month_column_and_row_numbers(engine: Engine) -> None:
    report, failure = run(engine, FIXTURES / "june2011.csv", FIXTURES / "may13.csv")
    assert failure is None and [f.rows for f in report.files] == [3, 3]
    june = event(engine, "gdelt-125489286")
    assert (june["title"], june["actors"], june["regions"], june["source_id"], june["attributes"]["avg_tone"]) == (
        "Make a visit → Business", [("gdelt-bus-business", "target")], ["country-ge"],
        file_source_id(FIXTURES / "june2011.csv"), 11.0778443113772)
    # FIPS GG is Georgia (ISO GE): no reference region, so one is made, located by the type-1 row.
    assert record(engine, "region", "country-ge") == {
        "id": "country-ge", "name": "Georgia", "kind": "country", "description": None, "iso_code": "GE",
        "parent_id": None, "lat": 42.0, "lon": 43.5, "external_id": "GG", "origin": "import"}
    # ADM1 GG00 is "Georgia (general)": no ADM1 level; the place hangs from the country.
    assert event(engine, "gdelt-125490242")["regions"] == ["gdelt-place-n2330077"]
    assert record(engine, "region", "gdelt-place-n2330077")["parent_id"] == "country-ge"
    # may13.csv: R's row number dropped, " AZE" stripped, SOURCEURL used.
    may = event(engine, "gdelt-254456462")
    assert (may["title"], may["actors"], may["regions"], may["source_id"]) == (
        "Express intent to meet or negotiate → Baku", [("gdelt-aze-baku", "target")], ["gdelt-place-n2891161"],
        source_id("http://armenpress.am/eng/news/717311/"))
    assert record(engine, "actor", "gdelt-aze-baku")["code"] == "AZE"


def test_same_globaleventid_in_two_files_keeps_the_first(engine: Engine) -> None:
    report, failure = run(engine, FIXTURES / "july2011.csv", FIXTURES / "nov2011.csv")
    assert failure is None
    assert [dict(f.skipped) for f in report.files] == [{}, {"duplicate-id": 1}]
    assert report.files[1].shown == [
        (f"{report.files[1].path}:2: event 'gdelt-233596613' was already imported from source "
         f"'{file_source_id(FIXTURES / 'july2011.csv')}'; kept it")]
    kept = event(engine, "gdelt-233596613")
    assert (kept["title"], kept["start_date"]) == ("Interior Minist: Accuse of human rights abuses", date(2011, 7, 8))


def test_spreadsheet_mangled_export_is_recovered(engine: Engine) -> None:
    report, failure = run(engine, SPREADSHEET)
    assert failure is None and report.files[0].rows == 10
    # Five rows lost leading zeros (012, 010, 020, 042, 0841); DATEADDED is 2.02E+13 in all ten.
    assert dict(report.files[0].notes) == {"CAMEO codes restored (leading zeros)": 5,
                                           "DATEADDED unreadable ('2.02E+13'), left out": 10}
    restored = event(engine, "gdelt-817930412")
    assert (restored["type"], restored["attributes"]["cameo_code"], restored["attributes"]["date_added"],
            restored["attributes"]["avg_tone"]) == ("RETREAT", "0841", None, -5.172413793)
    spreadsheet = {i: event(engine, i) for i in _ids(engine)}
    # The clean export of the same ten events (same sources) replaces them: only the
    # attributes the spreadsheet lost or rounded differ.
    report, _ = run(engine, V2)
    assert dict(report.files[0].tally.counts["event"]) == {"created": 0, "updated": 10, "unchanged": 0}
    for event_id, mangled in spreadsheet.items():
        clean = event(engine, event_id)
        differs = {k for k in clean if clean[k] != mangled[k]}
        assert differs == {"attributes"}, event_id
        lost = {k for k in clean["attributes"] if clean["attributes"][k] != mangled["attributes"][k]}
        assert lost <= {"date_added", "avg_tone"} and "date_added" in lost, event_id


def _ids(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return connection.execute(select(tables.event.c.id).order_by(tables.event.c.id)).scalars().all()


def _damaged(tmp_path: Path, source: Path, line: int, old: str, new: str, newline: bytes = b"\n") -> Path:
    """A copy of a real fixture with one value of one line changed."""
    lines = source.read_bytes().split(newline)
    assert lines[line - 1].count(old.encode()) == 1
    lines[line - 1] = lines[line - 1].replace(old.encode(), new.encode())
    copy = tmp_path / source.name
    copy.write_bytes(newline.join(lines))
    return copy


def test_unrecoverable_code_is_reported_with_file_and_line(engine: Engine, tmp_path: Path) -> None:
    # Line 3 of the spreadsheet copy is event 817930294 (EventCode 10, i.e. 010); make it 99.
    damaged = _damaged(tmp_path, SPREADSHEET, 3, ";0;10;10;1;1;0;", ";0;99;10;1;1;0;", b"\r\n")
    report, failure = run(engine, damaged, on_error="skip")
    assert failure is None
    assert dict(report.files[0].skipped) == {"bad-cameo-code": 1}
    assert report.files[0].shown == [f"{report.files[0].path}:3: EventCode '99' is not a CAMEO code under root 01"]
    assert count(engine, tables.event) == 9


def test_on_error_fail_rolls_the_file_back(engine: Engine, tmp_path: Path) -> None:
    damaged = _damaged(tmp_path, V2, 2, "\t20180121\t", "\t20180231\t")
    before = snapshot(engine)
    report, failure = run(engine, damaged)
    assert (failure.location, failure.message) == (f"{report.files[0].path}:2", "SQLDATE '20180231' is not a real day")
    assert snapshot(engine) == before
    report, failure = run(engine, damaged, on_error="skip")
    assert failure is None
    assert (dict(report.files[0].skipped), report.total("event", "created")) == ({"bad-date": 1}, 9)


def test_cli_reports_and_fails_with_the_line(engine: Engine, tmp_path: Path) -> None:
    url = engine.url.render_as_string(hide_password=False)
    damaged = _damaged(tmp_path, V2, 4, "\t20180121\t", "\t2018012\t")
    result = CliRunner().invoke(main, ["import", "gdelt", str(damaged), "--database-url", url])
    assert result.exit_code == 1
    assert f"error: {damaged}:4: SQLDATE '2018012' is not YYYYMMDD" in result.stderr
    assert f"{damaged} was rolled back: nothing of it was written (0 earlier file(s) imported)." in result.stderr
    result = CliRunner().invoke(main, ["import", "gdelt", str(V1_MIXED), "--database-url", url])
    assert result.exit_code == 0, result.output
    last = result.stdout.splitlines()[-1]
    assert last.startswith("6 rows read, 6 imported (6 created, 0 updated), 0 unchanged, 0 skipped in ")
    assert last.endswith(" events/s")
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal


def test_reimport_changes_nothing(engine: Engine) -> None:
    files = [V2, V1_MIXED, FIXTURES / "spark-events1.csv", FIXTURES / "june2011.csv", FIXTURES / "may13.csv"]
    first, _ = run(engine, *files)
    assert first.total("event", "created") == 25
    before = snapshot(engine)
    again, failure = run(engine, *files)
    assert failure is None
    assert [dict(f.tally.counts["event"]) for f in again.files] == [
        {"created": 0, "updated": 0, "unchanged": n} for n in (10, 6, 3, 3, 3)]
    assert all(again.total(t, op) == 0 for t in ("source", "actor", "region") for op in ("created", "updated"))
    assert snapshot(engine) == before  # the change feed included


def test_derived_data_match_the_loader(seeded_engine: Engine) -> None:
    run(seeded_engine, *sorted(FIXTURES.glob("*.csv")), *sorted(FIXTURES.glob("*.CSV")))
    derived_data_matches_loader(seeded_engine)


def test_imported_events_are_served_by_the_api(seeded_engine: Engine) -> None:
    run(seeded_engine, V2)
    url = seeded_engine.url.render_as_string(hide_password=False)
    with TestClient(create_app(Settings(database_url=url))) as client:
        body = client.get("/api/v1/events/gdelt-817931171").json()
        assert (body["title"], body["date"], body["regions"]) == (
            "Israel: Criticize or denounce → Ukraine", {"start": "2019-01-21", "end": "2019-01-21", "precision": "day"},
            [{"id": "ukraine", "name": "Ukraine"}])
        ids = [e["id"] for e in client.get("/api/v1/events", params={"country": "IN", "fields": "id"}).json()["data"]]
        assert sorted(ids) == ["gdelt-817930296", "gdelt-817930412", "secondary-sanctions-on-india"]


class _Terminal:
    def __init__(self) -> None:
        self.written = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> None:
        self.written += text

    def flush(self) -> None:
        pass


def test_progress_bar_only_on_a_terminal() -> None:
    terminal = _Terminal()
    bar = Progress(1000, "importing", stream=terminal)
    bar.advance(500, 1234)
    bar.finish()
    assert terminal.written.startswith("\rimporting [##############..............]  50% 1,234 events ")
    assert " ETA 0:00:0" in terminal.written and terminal.written.endswith("\n")
    pipe = _Terminal()
    pipe.isatty = lambda: False  # type: ignore[method-assign]
    quiet = Progress(1000, "importing", stream=pipe)
    quiet.advance(500, 1234)
    quiet.finish()
    assert pipe.written == ""


def test_reading_in_a_second_process_gives_the_same_import(engine: Engine, tmp_path: Path) -> None:
    files = [V2, V1_MIXED, FIXTURES / "june2011.csv", FIXTURES / "july2011.csv", FIXTURES / "nov2011.csv", SPREADSHEET]
    forked, failure = import_files(engine, files, GdeltFile, progress=False, parallel=True)
    assert failure is None
    in_process, failure = import_files(engine, files[:-1], GdeltFile, progress=False, parallel=False)
    # Everything the child read is stored as the parent reads it (the clean export
    # replaces the spreadsheet's copies of its ten events, as it does in one process).
    assert [dict(f.tally.counts["event"]) for f in in_process.files] == [
        {"created": 0, "updated": 10, "unchanged": 0}, {"created": 0, "updated": 0, "unchanged": 6},
        {"created": 0, "updated": 0, "unchanged": 3}, {"created": 0, "updated": 0, "unchanged": 1},
        {"created": 0, "updated": 0, "unchanged": 0}]
    assert [(f.rows, dict(f.skipped), dict(f.notes)) for f in forked.files] == [
        (10, {}, {}), (6, {}, {}), (3, {}, {}), (1, {}, {}), (1, {"duplicate-id": 1}, {}),
        (10, {}, {"CAMEO codes restored (leading zeros)": 5, "DATEADDED unreadable ('2.02E+13'), left out": 10})]
    damaged = _damaged(tmp_path, V2, 2, "\t20180121\t", "\t20180231\t")
    report, failure = import_files(engine, [damaged], GdeltFile, progress=False, parallel=True)
    assert (failure.location, failure.message) == (f"{report.files[0].path}:2", "SQLDATE '20180231' is not a real day")
    report, failure = import_files(engine, [damaged], GdeltFile, on_error="skip", progress=False, parallel=True)
    assert (failure, dict(report.files[0].skipped), report.files[0].shown) == (
        None, {"bad-date": 1}, [f"{report.files[0].path}:2: SQLDATE '20180231' is not a real day"])
