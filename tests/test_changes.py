"""The change feed: every record in the loader's order, paged, polled, filtered and refused."""

import base64
import hashlib
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete

from app.api.app import create_app
from app.auth.tokens import create_token
from app.cli import main
from app.database import make_engine, write_transaction
from app.loader import seed
from app.migrate import upgrade
from app.settings import Settings
from app.tables import change
from tests.conftest import SEEDS, _new_database

BRIEF = "2025-08-15-putin-trump-alaska-summit"
GDELT_SAMPLE = Path(__file__).resolve().parent / "fixtures" / "gdelt" / "v1-daily-sample-events.csv"
FEED = "/api/v1/changes"
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
NOT_A_CURSOR = "`since` is not a change feed cursor: pass `meta.next_cursor` of an earlier page."
PAST_THE_END = (
    "`since` is past the end of this feed (version 97): the database was rebuilt; start again without `since`."
)


def other_history(seq: int) -> str:
    return (
        f"`since` is from another history of this feed (change {seq} is missing or was made at another time): "
        "the database was rebuilt; start again without `since`."
    )


ISOLATING_CHINA = """  - id: isolating-china
    kind: analysis
    text: "This would further isolate China, shrink its export markets, and push it closer to a crisis of overproduction."
"""


def position(seq: int, at: str | None = None) -> str:
    """The feed's cursor for the position after `seq`, whose change was made `at` (as the feed
    shows it), built here from its documented form; without `at`, the older unmarked form."""
    text = f"after:{seq}"
    if at is not None:
        text += ":" + base64.urlsafe_b64encode(hashlib.sha256(at.encode()).digest()[:6]).decode()
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def seed_time(client: TestClient) -> str:
    """When the first seed was made: every one of its 97 changes has this `at`."""
    return client.get(FEED, params={"limit": 1}).json()["data"][0]["at"]


def seeded_records() -> list[tuple[str, str]]:
    """(type, id) of every coded record, in the order the loader logs a first seed."""
    reference = yaml.safe_load((SEEDS / "reference.yaml").read_text(encoding="utf-8"))
    coding = yaml.safe_load((SEEDS / f"{BRIEF}.yaml").read_text(encoding="utf-8"))
    return (
        [("source", coding["source"]["id"])]
        + [("actor", a["id"]) for a in reference["actors"]]
        + [("region", r["id"]) for r in reference["regions"]]
        + [("quote", q["id"]) for q in coding["quotes"]]
        + [("event", e["id"]) for e in coding["events"]]
    )


def walk(client: TestClient, params: dict) -> tuple[list[dict], list[int], str]:
    """Every item of the feed from `params`, the page sizes, and the final cursor."""
    items, sizes = [], []
    url, query = FEED, params
    while True:
        response = client.get(url, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["data"]
        sizes.append(len(body["data"]))
        if len(body["data"]) < body["meta"]["limit"]:
            return items, sizes, body["meta"]["next_cursor"]
        url, query = body["links"]["next"], None


def test_first_seed_lists_every_record_as_created_in_loader_order(client):
    items, sizes, last = walk(client, {"limit": 40})
    expected = seeded_records()
    assert len(expected) == 1 + 22 + 21 + 28 + 25 == 97
    assert sizes == [40, 40, 17]
    assert [(i["type"], i["id"]) for i in items] == expected
    assert [i["seq"] for i in items] == list(range(1, 98))
    assert {i["op"] for i in items} == {"created"}
    # One seed, one instant, in UTC.
    assert len({i["at"] for i in items}) == 1
    assert items[0]["at"].endswith("Z")
    assert datetime.fromisoformat(items[0]["at"]).utcoffset() == UTC.utcoffset(None)
    assert last == position(97, items[96]["at"])


def test_first_page_shape(client):
    body = client.get(FEED, params={"limit": 2}).json()
    assert [(i["seq"], i["type"], i["id"], i["op"]) for i in body["data"]] == [
        (1, "source", BRIEF, "created"),
        (2, "actor", "vladimir-putin", "created"),
    ]
    assert list(body["data"][0]) == ["seq", "type", "id", "op", "at", "changed_by"]
    assert [i["changed_by"] for i in body["data"]] == ["seed", "seed"]
    cursor = position(2, body["data"][1]["at"])
    assert body["meta"] == {"limit": 2, "next_cursor": cursor, "version": 97}
    assert body["links"] == {
        "self": f"http://testserver{FEED}?limit=2",
        "next": f"http://testserver{FEED}?limit=2&since={cursor}",
    }


def test_polling_at_the_end_gives_an_empty_page_and_the_same_cursor(client):
    at = seed_time(client)
    body = client.get(FEED, params={"since": position(97, at)}).json()
    assert body["data"] == []
    assert body["meta"] == {"limit": 50, "next_cursor": position(97, at), "version": 97}
    assert client.get(FEED, params={"since": position(95, at)}).json()["data"][0]["seq"] == 96


def test_unmarked_cursors_of_earlier_releases_still_read(client):
    at = seed_time(client)
    body = client.get(FEED, params={"since": position(97)}).json()
    assert body["data"] == []
    assert body["meta"] == {"limit": 50, "next_cursor": position(97, at), "version": 97}
    assert [i["seq"] for i in client.get(FEED, params={"since": position(95)}).json()["data"]] == [96, 97]
    first = client.get(FEED, params={"since": position(0), "limit": 1}).json()
    assert [i["seq"] for i in first["data"]] == [1]
    assert first["meta"]["next_cursor"] == position(1, at)


def test_type_filter(client):
    events = client.get(FEED, params={"type": "event"}).json()
    assert [i["seq"] for i in events["data"]] == list(range(73, 98))
    assert {i["type"] for i in events["data"]} == {"event"}
    places = client.get(FEED, params={"type": ["actor", "region"], "limit": 500}).json()
    assert [i["seq"] for i in places["data"]] == list(range(2, 45))
    # The last page of a filtered feed moves the cursor to the version: nothing of the
    # other types need be scanned again.
    source = client.get(FEED, params={"type": "source", "limit": 1}).json()
    assert [i["id"] for i in source["data"]] == [BRIEF]
    at = seed_time(client)
    assert source["meta"]["next_cursor"] == position(97, at)
    quotes = client.get(FEED, params={"type": "quote", "limit": 3}).json()
    assert [i["seq"] for i in quotes["data"]] == [45, 46, 47]
    assert quotes["meta"]["next_cursor"] == position(47, at)


@pytest.mark.parametrize(
    ("since", "detail"),
    [
        ("garbage!", NOT_A_CURSOR),
        (position(-1), NOT_A_CURSOR),
        (base64.urlsafe_b64encode(b"after:x").decode(), NOT_A_CURSOR),
        ("97", NOT_A_CURSOR),
        (position(98), PAST_THE_END),
        (position(98, "2026-11-25T09:29:14.090554Z"), PAST_THE_END),
        (position(0, "2026-11-25T09:29:14.090554Z"), NOT_A_CURSOR),
        (base64.urlsafe_b64encode(b"after:5:abc").decode(), NOT_A_CURSOR),
        (base64.urlsafe_b64encode(b"after:5:").decode(), NOT_A_CURSOR),
        (position(5, "2000-01-01T00:00:00Z"), other_history(5)),
    ],
)
def test_malformed_since_is_a_400_problem(client, since, detail):
    response = client.get(FEED, params={"since": since})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "/problems/invalid-cursor",
        "title": "Bad Request",
        "status": 400,
        "detail": detail,
        "instance": FEED,
    }


@pytest.mark.parametrize(
    ("params", "location"),
    [({"type": "person"}, "query.type.0"), ({"limit": 0}, "query.limit"), ({"limit": 501}, "query.limit"),
     ({"cursor": position(1)}, "query.cursor")],
)
def test_invalid_parameters_are_422_problems(client, params, location):
    response = client.get(FEED, params=params)
    assert response.status_code == 422
    assert [e["location"] for e in response.json()["errors"]] == [location]


def test_feed_is_documented(client):
    operation = client.get("/openapi.json").json()["paths"][FEED]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert list(parameters) == ["since", "limit", "type"]
    assert all(p["description"] for p in parameters.values())
    example_at = "2026-11-25T09:20:48.294143Z"
    assert parameters["since"]["schema"]["examples"] == [position(97, example_at)]
    assert parameters["type"]["schema"]["items"]["enum"] == ["source", "actor", "region", "quote", "event"]
    assert operation["summary"] == "List changes since a position"
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert list(schemas["ChangePage"]["properties"]) == ["data", "meta", "links"]
    assert list(schemas["Change"]["properties"]) == ["seq", "type", "id", "op", "at", "changed_by"]
    assert schemas["Change"]["properties"]["at"]["examples"] == [example_at]
    assert schemas["ChangeMeta"]["properties"]["next_cursor"]["examples"] == [position(97, example_at)]
    assert schemas["Change"]["properties"]["op"]["enum"] == ["created", "updated", "deleted"]
    assert list(schemas["ChangeMeta"]["properties"]) == ["limit", "next_cursor", "version"]


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of seeds/ to edit and re-seed."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    return copy


@pytest.fixture
def own_client(seeded_engine: Engine, database_url: str) -> Iterator[TestClient]:
    """An app of its own on a database this test may re-seed."""
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_reseed_lists_exactly_what_changed_after_the_previous_cursor(own_client, seeded_engine, seeds):
    _, _, cursor = walk(own_client, {"limit": 500})
    events_etag = own_client.get("/api/v1/events").headers["etag"]
    coding = seeds / f"{BRIEF}.yaml"
    putin = "    description: President of Russia.\n"
    edit(seeds / "reference.yaml", putin, putin.replace("Russia.", "the Russian Federation."))
    edit(coding, ISOLATING_CHINA, "")
    edit(coding, "    title: Putin and Trump meet in Alaska\n", "    title: Putin and Trump meet in Anchorage\n")
    edit(coding, WORLD_WAR_ONE, "")
    seed(seeded_engine, [seeds])

    body = own_client.get(FEED, params={"since": cursor}).json()
    # By table (source, actor, region, quote, event), then created, updated, deleted.
    assert [(i["seq"], i["type"], i["id"], i["op"]) for i in body["data"]] == [
        (98, "actor", "vladimir-putin", "updated"),
        (99, "quote", "isolating-china", "deleted"),
        (100, "event", "putin-trump-alaska-summit", "updated"),
        (101, "event", "world-war-one", "deleted"),
    ]
    assert body["meta"]["version"] == 101
    # The reseed kept the changes before it, times included: the old cursor went on.
    assert cursor == position(97, seed_time(own_client))
    assert body["meta"]["next_cursor"] == position(101, body["data"][-1]["at"])
    assert own_client.get(FEED, params={"since": body["meta"]["next_cursor"]}).json()["data"] == []
    tombstones = own_client.get(FEED, params={"since": cursor, "type": "event"}).json()["data"]
    assert [(i["id"], i["op"]) for i in tombstones] == [
        ("putin-trump-alaska-summit", "updated"),
        ("world-war-one", "deleted"),
    ]

    changed = own_client.get("/api/v1/events").headers["etag"]
    assert events_etag.startswith('W/"97-')
    assert changed.startswith('W/"101-')
    assert own_client.get("/api/v1/events", headers={"If-None-Match": events_etag}).status_code == 200


def test_reseed_that_changes_nothing_leaves_feed_and_etag_alone(own_client, seeded_engine, seeds):
    before = own_client.get("/api/v1/events")
    seed(seeded_engine, [seeds])
    after = own_client.get("/api/v1/events", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 304
    assert after.headers["etag"] == before.headers["etag"]
    body = own_client.get(FEED, params={"since": position(97)}).json()
    assert body["data"] == []
    assert body["meta"]["version"] == 97


def test_every_change_names_who_made_it(own_client, seeded_engine, database_url):
    with write_transaction(seeded_engine) as connection:
        token = create_token(connection, "alice", "write")
    actor = {"id": "russian-businessmen", "name": "Russian businessmen", "kind": "group",
             "aliases": ["Russian businessmen"], "description": "Business figures at the summit.", "affiliation": "russia"}
    created = own_client.post("/api/v1/actors", json=actor, headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 201, created.text
    imported = CliRunner().invoke(main, ["import", "gdelt", str(GDELT_SAMPLE), "--database-url", database_url])
    assert imported.exit_code == 0, imported.output

    feed = own_client.get(FEED, params={"since": position(97), "limit": 500}).json()["data"]
    assert feed[0] == {"seq": 98, "type": "actor", "id": "russian-businessmen", "op": "created",
                       "at": feed[0]["at"], "changed_by": "alice"}
    assert Counter((i["type"], i["op"], i["changed_by"]) for i in feed[1:]) == {
        ("source", "created", "import"): 5, ("actor", "created", "import"): 9, ("region", "created", "import"): 9,
        ("event", "created", "import"): 6,
    }
    assert {i["changed_by"] for i in walk(own_client, {"limit": 500})[0][:97]} == {"seed"}


def test_a_cursor_of_a_database_rebuilt_to_the_same_version_is_refused(own_client, database_url, tmp_path: Path):
    # Another database seeded with the same documents, later: the same 97 changes, made at
    # another time, as when a database is rebuilt and re-seeded.
    old_at = seed_time(own_client)
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    (tmp_path / "rebuilt").mkdir()
    rebuilt_url, drop = _new_database(backend, tmp_path / "rebuilt")
    try:
        engine = make_engine(rebuilt_url)
        upgrade(engine)
        seed(engine, [SEEDS])
        engine.dispose()
        with TestClient(create_app(Settings(database_url=rebuilt_url))) as rebuilt:
            new_at = seed_time(rebuilt)
            assert new_at != old_at
            for seq in (97, 40):
                response = rebuilt.get(FEED, params={"since": position(seq, old_at)})
                assert (response.status_code, response.json()["detail"]) == (400, other_history(seq))
            # An unmarked cursor says nothing of its history: it is read as a position.
            unmarked = rebuilt.get(FEED, params={"since": position(97)}).json()
            assert unmarked["meta"]["next_cursor"] == position(97, new_at)
            body = rebuilt.get(FEED, params={"since": position(97, new_at)}).json()
            assert (body["data"], body["meta"]["next_cursor"]) == ([], position(97, new_at))
    finally:
        drop()


def test_a_cursor_at_a_change_the_feed_lacks_is_refused(own_client, seeded_engine):
    at = seed_time(own_client)
    with write_transaction(seeded_engine) as connection:
        connection.execute(delete(change).where(change.c.seq == 50))
    response = own_client.get(FEED, params={"since": position(50, at)})
    assert (response.status_code, response.json()["detail"]) == (400, other_history(50))
    after_the_gap = own_client.get(FEED, params={"since": position(49, at), "limit": 2}).json()["data"]
    assert [i["seq"] for i in after_the_gap] == [51, 52]
