"""What wins between the editing API and `geoevents seed`: each keeps to the records it made.

Seeded records belong to their coding files (the API refuses to change or delete them);
records made through the API are never changed or pruned by a seed, and a seed refuses an
id the API holds."""

import shutil
from pathlib import Path

import pytest

from app.loader import CodingError, seed
from tests.conftest import SEEDS
from tests.edit_support import BRIEF, CODING, TEXT, problem, records

# The `editor` fixture: an app over a seeded database of each test's own, with tokens.
pytest_plugins = ["tests.edit_fixtures"]

RESEED_UNCHANGED = {
    "source": {"created": 0, "updated": 0, "unchanged": 1, "deleted": 0},
    "actor": {"created": 0, "updated": 0, "unchanged": 22, "deleted": 0},
    "region": {"created": 0, "updated": 0, "unchanged": 21, "deleted": 0},
    "quote": {"created": 0, "updated": 0, "unchanged": 28, "deleted": 0},
    "event": {"created": 0, "updated": 0, "unchanged": 25, "deleted": 0},
}
ACTOR = {
    "id": "russian-businessmen",
    "name": "Russian businessmen",
    "kind": "group",
    "aliases": ["Russian businessmen"],
    "description": "Businessmen.",
    "affiliation": "russia",
}


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of seeds/ to edit and re-seed."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_reseed_neither_changes_nor_prunes_what_the_api_made(editor, seeds):
    client = editor.client
    assert (
        client.post("/api/v1/sources", json={"text": TEXT, "coding": CODING}, headers=editor.write).status_code == 201
    )
    assert client.post("/api/v1/actors", json=ACTOR, headers=editor.write).status_code == 201
    before = records(editor.engine)
    assert seed(editor.engine, [seeds]) == RESEED_UNCHANGED
    assert records(editor.engine) == before
    # A re-seed that drops an event of its own document prunes that one only.
    coding = seeds / f"{BRIEF}.yaml"
    text = coding.read_text(encoding="utf-8")
    start = text.index("  - id: trump-demands-immediate-ceasefire")
    coding.write_text(text[:start] + text[text.index("  - id: trump-reframes-talks-as-peace-deal") :], encoding="utf-8")
    tally = seed(editor.engine, [seeds])
    assert tally["event"] == {"created": 0, "updated": 0, "unchanged": 24, "deleted": 1}
    assert client.get("/api/v1/events/trump-demands-immediate-ceasefire").status_code == 404
    for path in (
        "/api/v1/events/copy-summit",
        "/api/v1/quotes/copy-putin-quiet",
        "/api/v1/sources/alaska-brief-copy",
        "/api/v1/actors/russian-businessmen",
    ):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("kind", "snippet"),
    [
        ("actor", "  - id: wwi-major-belligerents\n"),
        ("region", "  - id: zangezur-corridor\n"),
    ],
)
def test_a_seed_refuses_an_id_the_api_holds(editor, seeds, kind, snippet):
    if kind == "actor":
        editor.client.post("/api/v1/actors", json=ACTOR, headers=editor.write)
        entry = (
            "  - id: russian-businessmen\n    name: Russian businessmen\n    kind: group\n"
            "    aliases: [Russian businessmen]\n    description: Coded in the file as well.\n"
        )
    else:
        editor.client.post(
            "/api/v1/regions",
            json={"id": "tehran", "name": "Tehran", "kind": "city", "parent": "iran"},
            headers=editor.write,
        )
        entry = "  - id: tehran\n    name: Tehran\n    kind: city\n    parent: iran\n"
    reference = seeds / "reference.yaml"
    edit(reference, snippet, entry + snippet)
    before = records(editor.engine)
    with pytest.raises(CodingError) as refused:
        seed(editor.engine, [seeds])
    record_id = "russian-businessmen" if kind == "actor" else "tehran"
    assert (
        str(refused.value)
        == f"database: {kind}: id: {kind} id {record_id!r} already belongs to a record created by api"
    )
    assert records(editor.engine) == before


def test_a_seed_refuses_a_document_id_the_api_holds(editor, seeds):
    editor.client.post("/api/v1/sources", json={"text": TEXT, "coding": CODING}, headers=editor.write)
    edit(seeds / f"{BRIEF}.yaml", "  - id: lead-no-agreement\n", "  - id: copy-putin-quiet\n")
    edit(seeds / f"{BRIEF}.yaml", "      - lead-no-agreement\n", "      - copy-putin-quiet\n")
    with pytest.raises(CodingError) as refused:
        seed(editor.engine, [seeds])
    assert (
        str(refused.value)
        == "database: quote: id: quote id 'copy-putin-quiet' already belongs to a record created by api"
    )


SEEDED = [
    (
        "events",
        "putin-trump-alaska-summit",
        {"title": "x"},
        f"event 'putin-trump-alaska-summit' was made by `geoevents seed` and belongs to the coding file of source {BRIEF!r}",
    ),
    (
        "quotes",
        "summit-details",
        {"kind": "analysis"},
        f"quote 'summit-details' was made by `geoevents seed` and belongs to the coding file of source {BRIEF!r}",
    ),
    (
        "actors",
        "vladimir-putin",
        {"description": "x"},
        "actor 'vladimir-putin' was made by `geoevents seed` and belongs to the reference coding (seeds/reference.yaml)",
    ),
    (
        "regions",
        "alaska",
        {"description": "x"},
        "region 'alaska' was made by `geoevents seed` and belongs to the reference coding (seeds/reference.yaml)",
    ),
    ("sources", BRIEF, {"title": "x"}, f"source {BRIEF!r} was made by `geoevents seed` and belongs to its coding file"),
]


@pytest.mark.parametrize(("collection", "record_id", "patch", "owner"), SEEDED)
def test_the_api_refuses_to_change_or_delete_a_seeded_record(editor, collection, record_id, patch, owner):
    path = f"/api/v1/{collection}/{record_id}"
    before = records(editor.engine)
    headers = editor.with_etag(path)
    detail = f"{owner}: edit it there and run `geoevents seed` again."
    assert problem(editor.client.patch(path, json=patch, headers=headers), 409)["detail"] == detail
    assert problem(editor.client.delete(path, headers=headers), 409)["detail"] == detail
    assert records(editor.engine) == before
