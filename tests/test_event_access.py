"""Date-sorted pages reach their events along the date index or through the filter's matches
(app/queries/event_access.py): both ways give the same pages, and SQLite walks only for
broad filters."""

from datetime import date

import pytest
from sqlalchemy import Engine

from app.importers.generate import generate
from app.queries import event_access, events
from app.queries.event_filters import EventFilters, sort_keys
from app.queries.keyset import decode

EVENTS = 1500

CASES = {
    "broadest actor": EventFilters(actor=["gen-actor-1"]),
    "a country": EventFilters(country=["AA"]),
    "an actor as initiator, within two decades": EventFilters(
        actor=["gen-actor-1"], role=["initiator"], date_from=date(1980, 1, 1), date_to=date(1999, 12, 31),
        date_match="within",
    ),
    "a region and an actor": EventFilters(region=["gen-country-1"], actor=["gen-actor-2"]),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from app.database import make_engine
    from app.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('access') / 'generated.sqlite'}")
    upgrade(engine)
    generate(engine, EVENTS, 5, progress=False)
    yield engine
    engine.dispose()


def _walk(engine: Engine, filters: EventFilters, sort: str, limit: int = 37) -> list[str]:
    keys, ids, after = sort_keys(sort), [], None
    with engine.connect() as connection:
        while True:
            items, next_values = events.list_events(
                connection, filters, keys=keys, limit=limit, after_values=after, embeds=()
            )
            ids += [item["id"] for item in items]
            if next_values is None:
                return ids
            after = decode(keys, next_values)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("sort", ["-date", "date"])
def test_walking_the_index_and_reading_the_matches_give_the_same_pages(generated, monkeypatch, name, sort):
    filters = CASES[name]
    monkeypatch.setattr(event_access, "BROAD", 10**9)
    read = _walk(generated, filters, sort)
    monkeypatch.setattr(event_access, "BROAD", 1)
    with generated.connect() as connection:
        assert event_access.walk_index(connection, filters) == (filters.date_from is None or name.endswith("decades"))
        exact = events.count_events(connection, filters)
    walked = _walk(generated, filters, sort)
    assert walked == read
    assert len(walked) == len(set(walked)) == exact > 37


def test_sqlite_walks_only_when_every_link_filter_is_broad(generated, monkeypatch):
    monkeypatch.setattr(event_access, "BROAD", 100)
    with generated.connect() as connection:
        counts = {
            actor: events.count_events(connection, EventFilters(actor=[actor])) for actor in ("gen-actor-1", "gen-actor-40")
        }
        assert counts["gen-actor-1"] >= 100 > counts["gen-actor-40"]
        assert event_access.walk_index(connection, EventFilters(actor=["gen-actor-1"]))
        assert not event_access.walk_index(connection, EventFilters(actor=["gen-actor-40"]))
        assert not event_access.walk_index(connection, EventFilters(actor=["gen-actor-1"], region=["gen-city-3"]))
        # An overlapping date range has no lower bound to stop a walk; a search goes by its hits.
        assert not event_access.walk_index(connection, EventFilters(actor=["gen-actor-1"], date_from=date(2000, 1, 1)))
        assert not event_access.walk_index(connection, EventFilters(actor=["gen-actor-1"], q="attacked"))
        assert not event_access.walk_index(connection, EventFilters())


@pytest.mark.parametrize("descending", [True, False])
def test_ongoing_events_without_an_end_sort_as_ending_last_and_undated_ones_after_all(generated, descending):
    keys = sort_keys("-end" if descending else "end")
    with generated.connect() as connection:
        items, _ = events.list_events(connection, EventFilters(), keys=keys, limit=EVENTS, after_values=None, embeds=())
    kinds = []
    for item in items:
        kind = "undated" if item["date"]["start"] is None else "open" if item["date"]["end"] is None else "closed"
        if not kinds or kinds[-1] != kind:
            kinds.append(kind)
    assert kinds == (["open", "closed", "undated"] if descending else ["closed", "open", "undated"])
    assert len(items) == EVENTS
