"""Request bodies the editing API refuses before reading them whole or validating them:
too large (413), the wrong media type (415), malformed or too deep JSON."""

import json

import pytest
from fastapi.testclient import TestClient

from app.api.app import create_app
from app.settings import Settings
from tests.edit_support import problem, records, tokens

# The `editor` fixture: an app over a seeded database of each test's own, with tokens.
pytest_plugins = ["tests.edit_fixtures"]

ACTORS = "/api/v1/actors"
ACTOR = {"id": "russian-businessmen", "name": "Russian businessmen", "kind": "group", "description": "Businessmen."}


def post(editor, content: bytes, content_type: str | None = "application/json", path: str = ACTORS, **headers):
    sent = {**editor.write, **headers}
    if content_type is not None:
        sent["Content-Type"] = content_type
    return editor.client.post(path, content=content, headers=sent)


def test_json_is_accepted(editor):
    assert post(editor, json.dumps(ACTOR).encode(), "application/json; charset=utf-8").status_code == 201


def test_a_body_over_the_limit_is_413_from_its_content_length(editor):
    before = records(editor.engine)
    body = b'{"description": "' + b"x" * (1024 * 1024) + b'"}'
    response = post(editor, body)
    assert problem(response, 413) == {
        "type": "/problems/body-too-large",
        "title": "Request Entity Too Large",
        "status": 413,
        "detail": "The body is larger than 1048576 bytes.",
        "instance": "/api/v1/actors",
    }
    assert records(editor.engine) == before


def test_a_streamed_body_is_cut_off_at_the_limit(seeded_engine, database_url):
    write, _ = tokens(seeded_engine)
    sent: list[int] = []

    def chunks():
        for _ in range(100):
            sent.append(1)
            yield b" " * 64

    settings = Settings(database_url=database_url, max_body_bytes=1000)
    with TestClient(create_app(settings)) as client:
        # A generator is sent chunked, with no Content-Length to refuse it by.
        response = client.post(
            ACTORS, content=chunks(), headers={"Authorization": f"Bearer {write}", "Content-Type": "application/json"}
        )
        assert problem(response, 413)["detail"] == "The body is larger than 1000 bytes."
        small = client.post(ACTORS, json=ACTOR, headers={"Authorization": f"Bearer {write}"})
        assert small.status_code == 201


@pytest.mark.parametrize(
    ("content_type", "detail"),
    [
        (None, "The body needs a Content-Type: application/json."),
        ("text/plain", "The body must be application/json (UTF-8), not 'text/plain'."),
        (
            "application/x-www-form-urlencoded",
            "The body must be application/json (UTF-8), not 'application/x-www-form-urlencoded'.",
        ),
        (
            "application/json; charset=latin-1",
            "The body must be application/json (UTF-8), not 'application/json; charset=latin-1'.",
        ),
        (
            "application/merge-patch+json",
            "The body must be application/json (UTF-8), not 'application/merge-patch+json'.",
        ),
    ],
)
def test_a_post_that_is_not_json_is_415(editor, content_type, detail):
    response = post(editor, json.dumps(ACTOR).encode(), content_type)
    assert problem(response, 415)["detail"] == detail
    assert response.headers["accept-post"] == "application/json"


def test_a_patch_takes_merge_patch_or_plain_json(editor):
    post(editor, json.dumps(ACTOR).encode())
    path = f"{ACTORS}/russian-businessmen"
    headers = {**editor.write, "If-Match": "*"}
    for content_type, description in (("application/merge-patch+json", "One."), ("application/json", "Two.")):
        response = editor.client.patch(
            path,
            content=json.dumps({"description": description}).encode(),
            headers={**headers, "Content-Type": content_type},
        )
        assert response.json()["description"] == description
    refused = editor.client.patch(
        path, content=b"description=Three.", headers={**headers, "Content-Type": "text/plain"}
    )
    assert problem(refused, 415)["detail"] == (
        "The body must be application/merge-patch+json or application/json (UTF-8), not 'text/plain'."
    )
    assert refused.headers["accept-patch"] == "application/merge-patch+json, application/json"


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize(
    ("content", "status", "kind", "detail"),
    [
        (nested(33), 422, "invalid-parameters", "body: JSON nested deeper than 32 levels."),
        (nested(5000), 422, "invalid-parameters", "body: JSON nested deeper than 32 levels."),
        (
            b'{"description": ' + b'{"a": ' * 40 + b"1" + b"}" * 41,
            422,
            "invalid-parameters",
            "body: JSON nested deeper than 32 levels.",
        ),
        (b"[" + b"0," * 100_000 + b"0]", 413, "body-too-large", "The body holds more than 100000 JSON values."),
        (
            b'{"id": "x",',
            400,
            "invalid-json",
            "The body is not valid JSON: unexpected end of data: line 1 column 12 (char 11).",
        ),
        (
            b'{"id": NaN}',
            400,
            "invalid-json",
            "The body is not valid JSON: unexpected character, expected a JSON value: line 1 column 8 (char 7).",
        ),
        (
            b'{"name": "\xff"}',
            400,
            "invalid-json",
            "The body is not valid JSON: str is not valid UTF-8: surrogates not allowed: line 1 column 1 (char 0).",
        ),
        (
            b'{"name": "Russian\\u0000businessmen"}',
            422,
            "invalid-parameters",
            "body: strings may not contain the NUL character (\\u0000).",
        ),
    ],
)
def test_malformed_deep_or_huge_json_is_refused_before_validation(editor, content, status, kind, detail):
    before = records(editor.engine)
    body = problem(post(editor, content), status)
    assert (body["type"], body["detail"]) == (f"/problems/{kind}", detail)
    assert records(editor.engine) == before


def test_json_32_levels_deep_reaches_validation(editor):
    body = problem(post(editor, nested(32)), 422)
    assert body["errors"] == [
        {"location": "body", "message": "Input should be a valid dictionary or object to extract fields from"}
    ]


def test_the_token_is_checked_before_the_body(editor):
    response = editor.client.post(ACTORS, content=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "text/plain"})
    assert problem(response, 401)["type"] == "/problems/unauthorized"


def test_an_empty_body_is_a_missing_one(editor):
    response = post(editor, b"")
    assert [(e["location"], e["message"]) for e in problem(response, 422)["errors"]] == [("body", "Field required")]


@pytest.mark.parametrize(
    ("name", "description"),
    [
        (
            "body-too-large",
            (
                "The request body is larger than the server accepts (GEOEVENTS_MAX_BODY_BYTES), or holds "
                "more than 100000 JSON values."
            ),
        ),
        (
            "unsupported-media-type",
            (
                "The request body's Content-Type is not one this operation accepts (see the "
                "Accept-Post or Accept-Patch header)."
            ),
        ),
        ("invalid-json", "The request body is not well-formed UTF-8 JSON."),
        (
            "precondition-required",
            (
                "PATCH and DELETE need an If-Match header with the record's ETag, so that a change "
                "made since cannot be overwritten unseen."
            ),
        ),
        (
            "precondition-failed",
            "The record changed since the ETag in If-Match was issued: GET it again and redo the edit.",
        ),
        (
            "conflict",
            (
                "The edit contradicts what is stored: the id is taken, the record belongs to a coding file or an "
                "import (edit it there), or other records depend on it."
            ),
        ),
        (
            "invalid-coding",
            (
                "A document coding has problems; `errors` lists each with its entry and field, as "
                "`geoevents seed` reports them. Nothing was written."
            ),
        ),
    ],
)
def test_the_editing_problem_types_are_described(client, name, description):
    assert client.get(f"/problems/{name}").json() == {"type": f"/problems/{name}", "description": description}
