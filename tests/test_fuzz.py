"""Property-based fuzzing of every operation in the live OpenAPI document, with Schemathesis.

For each operation, reads and writes alike, Schemathesis sends the documented examples,
boundary cases and generated requests, valid and invalid, to the real app (create_app over
a seeded SQLite database, called in-process over ASGI) and checks every answer: no 5xx;
a documented status code, content type, headers and body schema; invalid input refused;
an `Allow` that lists the documented methods. Every request carries a write-scope bearer
token, so the editing operations are fuzzed past authentication.

Not checked: that every schema-valid request is accepted. Rules between parameters (`from`
after `to`, `affiliated` without `actor`, relevance without `q`, a cursor from another
query) are refused with 4xx problems by design, and no JSON Schema can state them.

CI runs GEOEVENTS_FUZZ_EXAMPLES examples per operation (default 10), the same ones on
every run; setting the variable also draws new ones each time, for a longer search:

    GEOEVENTS_FUZZ_EXAMPLES=500 .venv/bin/pytest tests/test_fuzz.py
"""

import os
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings

from app.api.app import create_app
from app.auth.tokens import create_token
from app.database import make_engine
from app.loader import seed
from app.migrate import upgrade
from app.settings import Settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXAMPLES = int(os.environ.get("GEOEVENTS_FUZZ_EXAMPLES", "10"))
# The same examples on every CI run; a chosen number explores anew each time.
REPEATABLE = "GEOEVENTS_FUZZ_EXAMPLES" not in os.environ

CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # Rules between parameters cannot be stated in JSON Schema (see above).
            "positive_data_acceptance": {"enabled": False},
            # Invalid input is refused with these; 412 too: a stale If-Match refuses any body.
            "negative_data_rejection": {
                "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 413, 414, 415, 422, 428, 429]
            },
        }
    }
)
# The operations come from the app's own document; building it touches no database.
schema = schemathesis.openapi.from_dict(create_app(Settings(database_url="sqlite://")).openapi(), config=CONFIG)
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    derandomize=REPEATABLE,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, dict[str, str]]:
    """The app over a freshly seeded SQLite database, and a write token's Authorization header."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'geoevents.db'}"
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, [SEEDS])
    with engine.begin() as connection:
        token = create_token(connection, "fuzzer", "write")
    engine.dispose()
    return create_app(Settings(database_url=url)), {"Authorization": f"Bearer {token}"}


def call_and_validate(case: schemathesis.Case, fuzzed_app: tuple[FastAPI, dict[str, str]]) -> None:
    """Send `case` to the seeded app with the write token, and run every check on the answer."""
    app, authorization = fuzzed_app
    # The operations were read from a document built without a database: send this case,
    # and the probes its checks derive from it (the same request without the token...),
    # to the seeded app, in-process.
    case.operation.app = case.operation.schema.app = app
    case.call_and_validate(headers=authorization)


@schema.include(method="GET").parametrize()
@HYPOTHESIS
def test_every_read_answers_as_documented(case, fuzzed_app):
    call_and_validate(case, fuzzed_app)


@schema.exclude(method="GET").parametrize()
@HYPOTHESIS
def test_every_write_answers_as_documented(case, fuzzed_app):
    call_and_validate(case, fuzzed_app)
