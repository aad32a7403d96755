"""Actors and regions through the editing API: create, change, delete, and what follows from each
(the change feed with who, search, mentions, the region hierarchy, facets)."""

import pytest

from tests.edit_support import problem

# The `editor` fixture: an app over a seeded database of each test's own, with tokens.
pytest_plugins = ["tests.edit_fixtures"]

ACTORS = "/api/v1/actors"
REGIONS = "/api/v1/regions"
BUSINESSMEN = {
    "id": "russian-businessmen",
    "name": "Russian businessmen",
    "kind": "group",
    "aliases": ["Russian businessmen"],
    "description": "Russian business figures at the summit.",
    "affiliation": "russia",
}
BUSINESSMEN_PAGE = {
    "id": "russian-businessmen",
    "name": "Russian businessmen",
    "kind": "group",
    "aliases": ["Russian businessmen"],
    "description": "Russian business figures at the summit.",
    "affiliation": {"id": "russia", "name": "Russia"},
    "links": {
        "self": "/api/v1/actors/russian-businessmen",
        "events": "/api/v1/actors/russian-businessmen/events",
        "quotes": "/api/v1/actors/russian-businessmen/quotes",
        "mentions": "/api/v1/actors/russian-businessmen/mentions",
        "network": "/api/v1/actors/russian-businessmen/network",
    },
}
TEHRAN = {
    "id": "tehran",
    "name": "Tehran",
    "kind": "city",
    "aliases": ["Tehran"],
    "parent": "iran",
    "lat": 35.6892,
    "lon": 51.389,
}


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


def test_create_an_actor(editor):
    client = editor.client
    created = client.post(ACTORS, json=BUSINESSMEN, headers=editor.write)
    assert created.status_code == 201, created.text
    assert created.json() == BUSINESSMEN_PAGE
    assert created.headers["location"] == "/api/v1/actors/russian-businessmen"
    page = client.get("/api/v1/actors/russian-businessmen")
    assert page.json() == BUSINESSMEN_PAGE
    assert page.headers["etag"] == created.headers["etag"]
    assert editor.changes() == [(98, "actor", "russian-businessmen", "created", "alice")]
    feed = client.get("/api/v1/changes", params={"since": "YWZ0ZXI6OTc"}).json()
    assert [(c["seq"], c["type"], c["id"], c["op"]) for c in feed["data"]] == [
        (98, "actor", "russian-businessmen", "created")
    ]
    assert feed["meta"]["version"] == 98
    assert ids(client.get(ACTORS, params={"q": "businessmen"})) == ["russian-businessmen"]
    assert client.get(ACTORS, params={"kind": "group", "count": "exact"}).json()["meta"]["total"] == 3
    # Found in the brief at once, where "Russian businessmen" stands (offsets from the .txt).
    mentions = client.get("/api/v1/actors/russian-businessmen/mentions").json()["data"]
    assert [(m["alias"], m["span"]) for m in mentions] == [("Russian businessmen", {"start": 3521, "end": 3540})]


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"aliases": ["Putin"]}, [("body.aliases", "alias 'Putin' is also an alias of 'vladimir-putin'")]),
        ({"aliases": ["moscow"]}, [("body.aliases", "alias 'moscow' is also an alias of 'russia'")]),
        ({"aliases": ["Oligarchs", "oligarchs"]}, [("body.aliases", "lists an alias twice")]),
        ({"affiliation": "gazprom"}, [("body.affiliation", "unknown actor 'gazprom'")]),
        (
            {"affiliation": "russian-businessmen"},
            [("body.affiliation", "forms a cycle: russian-businessmen -> russian-businessmen")],
        ),
        ({"kind": "oligarchy"}, [("body.kind", "Input should be 'person', 'state', 'organization' or 'group'")]),
        ({"id": "Russian Businessmen"}, [("body.id", "String should match pattern '^[a-z0-9]+(?:-[a-z0-9]+)*$'")]),
        ({"colour": "red"}, [("body.colour", "Extra inputs are not permitted")]),
    ],
)
def test_an_invalid_actor_is_refused_with_every_problem(editor, change, errors):
    response = editor.client.post(ACTORS, json={**BUSINESSMEN, **change}, headers=editor.write)
    body = problem(response, 422)
    assert body["type"] == "/problems/invalid-parameters"
    assert [(e["location"], e["message"]) for e in body["errors"]] == errors
    assert editor.client.get("/api/v1/actors/russian-businessmen").status_code == 404
    assert editor.changes() == []


def test_a_taken_id_is_a_conflict(editor):
    taken = editor.client.post(ACTORS, json={**BUSINESSMEN, "id": "russia", "aliases": []}, headers=editor.write)
    assert problem(taken, 409)["detail"] == (
        "actor id 'russia' is taken (by a record made by seed); ids are never reused."
    )


def test_change_an_actor_with_if_match(editor):
    client = editor.client
    first = client.post(ACTORS, json=BUSINESSMEN, headers=editor.write)
    path = "/api/v1/actors/russian-businessmen"
    patch = {"description": "Oligarchs close to the Kremlin.", "aliases": ["Russian businessmen", "oligarchs"]}
    missing = client.patch(path, json=patch, headers=editor.write)
    assert problem(missing, 428)["detail"] == (
        "PATCH needs an If-Match header with the actor's ETag (from GET /api/v1/actors/russian-businessmen), so "
        "that a change made since is never overwritten unseen."
    )
    changed = client.patch(
        path,
        json=patch,
        headers={**editor.write, "If-Match": first.headers["etag"], "Content-Type": "application/merge-patch+json"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        **BUSINESSMEN_PAGE,
        "description": "Oligarchs close to the Kremlin.",
        "aliases": ["Russian businessmen", "oligarchs"],
    }
    assert changed.headers["etag"] != first.headers["etag"]
    assert client.get(path).headers["etag"] == changed.headers["etag"]
    # A second curator still holding the first ETag cannot overwrite the change unseen.
    stale = client.patch(
        path, json={"description": "Businessmen."}, headers={**editor.write, "If-Match": first.headers["etag"]}
    )
    assert problem(stale, 412)["detail"] == (
        f"The actor changed since that ETag was issued; it is now {changed.headers['etag']}. "
        "GET /api/v1/actors/russian-businessmen again, redo the edit on what it holds now, and retry."
    )
    # A weak tag never passes If-Match; `*` does.
    weak = client.patch(
        path, json={"description": "Businessmen."}, headers={**editor.write, "If-Match": "W/" + changed.headers["etag"]}
    )
    assert problem(weak, 412)["status"] == 412
    removed = client.patch(path, json={"affiliation": None}, headers={**editor.write, "If-Match": "*"})
    assert removed.json()["affiliation"] is None
    assert editor.changes() == [
        (98, "actor", "russian-businessmen", "created", "alice"),
        (99, "actor", "russian-businessmen", "updated", "alice"),
        (100, "actor", "russian-businessmen", "updated", "alice"),
    ]
    assert ids(client.get(ACTORS, params={"q": "oligarchs"})) == ["russian-businessmen"]
    # A patch that changes nothing writes nothing.
    same = client.patch(path, json={"name": "Russian businessmen"}, headers={**editor.write, "If-Match": "*"})
    assert same.status_code == 200
    assert len(editor.changes()) == 3


@pytest.mark.parametrize(
    ("patch", "errors"),
    [
        ({"name": None}, [("body.name", "Field required")]),
        (
            {"id": "oligarchs"},
            [("body.id", "an id never changes (this record is 'russian-businessmen'); create a new record instead")],
        ),
        ({"aliases": ["Trump"]}, [("body.aliases", "alias 'Trump' is also an alias of 'donald-trump'")]),
        ([1, 2], [("body", "Input should be a valid dictionary")]),
    ],
)
def test_a_patch_is_checked_as_a_new_record_is(editor, patch, errors):
    editor.client.post(ACTORS, json=BUSINESSMEN, headers=editor.write)
    response = editor.client.patch(
        "/api/v1/actors/russian-businessmen", json=patch, headers={**editor.write, "If-Match": "*"}
    )
    assert [(e["location"], e["message"]) for e in problem(response, 422)["errors"]] == errors
    assert editor.client.get("/api/v1/actors/russian-businessmen").json() == BUSINESSMEN_PAGE


def test_affiliation_cycles_through_other_actors_are_refused(editor):
    client = editor.client
    client.post(ACTORS, json=BUSINESSMEN, headers=editor.write)
    client.post(
        ACTORS,
        json={
            **BUSINESSMEN,
            "id": "oligarch-circle",
            "name": "Oligarch circle",
            "aliases": [],
            "affiliation": "russian-businessmen",
        },
        headers=editor.write,
    )
    response = client.patch(
        "/api/v1/actors/russian-businessmen",
        json={"affiliation": "oligarch-circle"},
        headers={**editor.write, "If-Match": "*"},
    )
    assert problem(response, 422)["errors"] == [
        {
            "location": "body.affiliation",
            "message": "forms a cycle: russian-businessmen -> oligarch-circle -> russian-businessmen",
        }
    ]


def test_delete_an_actor(editor):
    client = editor.client
    client.post(ACTORS, json=BUSINESSMEN, headers=editor.write)
    client.post(
        ACTORS,
        json={
            **BUSINESSMEN,
            "id": "oligarch-circle",
            "name": "Oligarch circle",
            "aliases": [],
            "affiliation": "russian-businessmen",
        },
        headers=editor.write,
    )
    path = "/api/v1/actors/russian-businessmen"
    used = client.delete(path, headers={**editor.write, "If-Match": "*"})
    assert problem(used, 409)["detail"] == (
        "actor 'russian-businessmen' is the affiliation of 'oligarch-circle': change those first."
    )
    assert problem(client.delete(path, headers=editor.write), 428)["status"] == 428
    assert (
        client.delete(
            "/api/v1/actors/oligarch-circle", headers=editor.with_etag("/api/v1/actors/oligarch-circle")
        ).status_code
        == 204
    )
    gone = client.delete(path, headers=editor.with_etag(path))
    assert (gone.status_code, gone.content) == (204, b"")
    assert problem(client.get(path), 404)["detail"] == "No actor with id 'russian-businessmen'."
    assert problem(client.delete(path, headers={**editor.write, "If-Match": "*"}), 404)["status"] == 404
    assert ids(client.get(ACTORS, params={"q": "businessmen"})) == []
    assert editor.changes()[-2:] == [
        (100, "actor", "oligarch-circle", "deleted", "alice"),
        (101, "actor", "russian-businessmen", "deleted", "alice"),
    ]


def test_create_change_and_delete_a_region(editor):
    client = editor.client
    created = client.post(REGIONS, json=TEHRAN, headers=editor.write)
    assert created.status_code == 201, created.text
    assert created.json() == {
        "id": "tehran",
        "name": "Tehran",
        "kind": "city",
        "iso_code": None,
        "aliases": ["Tehran"],
        "description": None,
        "parent": {"id": "iran", "name": "Iran"},
        "path": [{"id": "middle-east", "name": "Middle East"}, {"id": "iran", "name": "Iran"}],
        "lat": 35.6892,
        "lon": 51.389,
        "children": [],
        "links": {
            "self": "/api/v1/regions/tehran",
            "events": "/api/v1/regions/tehran/events",
            "mentions": "/api/v1/regions/tehran/mentions",
        },
    }
    # In the hierarchy at once: inside Iran and the Middle East.
    assert [c["id"] for c in client.get("/api/v1/regions/iran").json()["children"]] == ["tehran"]
    assert ids(client.get(REGIONS, params={"within": "iran"})) == ["tehran"]
    mentions = client.get("/api/v1/regions/tehran/mentions").json()["data"]
    assert [(m["alias"], m["span"]) for m in mentions] == [("Tehran", {"start": 1385, "end": 1391})]
    moved = client.patch(
        "/api/v1/regions/tehran", json={"parent": "middle-east"}, headers=editor.with_etag("/api/v1/regions/tehran")
    )
    assert moved.json()["path"] == [{"id": "middle-east", "name": "Middle East"}]
    assert client.get("/api/v1/regions/iran").json()["children"] == []
    country = client.patch(
        "/api/v1/regions/tehran", json={"kind": "country"}, headers={**editor.write, "If-Match": "*"}
    )
    assert problem(country, 422)["errors"] == [
        {"location": "body", "message": "a country needs its ISO 3166-1 alpha-2 iso_code"}
    ]
    deleted = client.delete("/api/v1/regions/tehran", headers=editor.with_etag("/api/v1/regions/tehran"))
    assert deleted.status_code == 204
    assert ids(client.get(REGIONS, params={"within": "iran"})) == []
    assert editor.changes() == [
        (98, "region", "tehran", "created", "alice"),
        (99, "region", "tehran", "updated", "alice"),
        (100, "region", "tehran", "deleted", "alice"),
    ]


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"parent": "persia"}, [("body.parent", "unknown region 'persia'")]),
        ({"aliases": ["Anchorage"]}, [("body.aliases", "alias 'Anchorage' is also an alias of 'anchorage'")]),
        ({"kind": "country", "iso_code": "XX"}, [("body", "iso_code 'XX' is not an ISO 3166-1 alpha-2 code")]),
        ({"lat": 95}, [("body.lat", "Input should be less than or equal to 90")]),
        ({"lon": None}, [("body", "lat and lon go together")]),
    ],
)
def test_an_invalid_region_is_refused(editor, change, errors):
    response = editor.client.post(REGIONS, json={**TEHRAN, **change}, headers=editor.write)
    assert [(e["location"], e["message"]) for e in problem(response, 422)["errors"]] == errors
    assert editor.changes() == []


def test_a_region_cycle_and_a_region_in_use(editor):
    client = editor.client
    client.post(REGIONS, json=TEHRAN, headers=editor.write)
    client.post(
        REGIONS,
        json={
            **TEHRAN,
            "id": "tehran-bazaar",
            "name": "Tehran bazaar",
            "kind": "site",
            "aliases": [],
            "parent": "tehran",
        },
        headers=editor.write,
    )
    cycle = client.patch(
        "/api/v1/regions/tehran", json={"parent": "tehran-bazaar"}, headers={**editor.write, "If-Match": "*"}
    )
    assert problem(cycle, 422)["errors"] == [
        {"location": "body.parent", "message": "forms a cycle: tehran -> tehran-bazaar -> tehran"}
    ]
    used = client.delete("/api/v1/regions/tehran", headers={**editor.write, "If-Match": "*"})
    assert problem(used, 409)["detail"] == "region 'tehran' is the parent of 'tehran-bazaar': change those first."
    in_use = client.delete("/api/v1/regions/iran", headers={**editor.write, "If-Match": "*"})
    assert problem(in_use, 409)["detail"] == (
        "region 'iran' was made by `geoevents seed` and belongs to the reference coding (seeds/reference.yaml): "
        "edit it there and run `geoevents seed` again."
    )
