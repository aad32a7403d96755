"""The `geoevents` command line: seed (and --check), db upgrade/current, schema."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, inspect, select

from app import tables
from app.cli import main
from app.database import make_engine
from tests.conftest import SEEDS
from tests.helpers import HEAD_REVISION, snapshot
from tests.loader_support import edit, seeds  # noqa: F401 - seeds is a fixture

ROOT = Path(__file__).resolve().parent.parent

HEADER = "table     created  updated  unchanged  deleted"
FIRST_SEED = [
    HEADER,
    "source          1        0          0        0",
    "actor          22        0          0        0",
    "region         21        0          0        0",
    "quote          28        0          0        0",
    "event          25        0          0        0",
]
RESEED = [
    HEADER,
    "source          0        0          1        0",
    "actor           0        0         22        0",
    "region          0        0         21        0",
    "quote           0        0         28        0",
    "event           0        0         25        0",
]
OK = "ok: 1 source(s), 22 actor(s), 21 region(s), 28 quote(s), 25 event(s)\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def table_names(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return inspect(connection).get_table_names()
    finally:
        engine.dispose()


def source_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(tables.source)).scalar_one()
    finally:
        engine.dispose()


def test_seed_prints_the_tally(runner: CliRunner, database_url: str) -> None:
    result = runner.invoke(main, ["seed", str(SEEDS), "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == FIRST_SEED
    assert result.stderr == ""
    assert source_count(database_url) == 1


def test_reseed_prints_unchanged(runner: CliRunner, database_url: str) -> None:
    first = runner.invoke(main, ["seed", str(SEEDS), "--database-url", database_url])
    assert first.exit_code == 0, first.output
    result = runner.invoke(main, ["seed", str(SEEDS), "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == RESEED
    assert result.stderr == ""


def test_seed_defaults_to_the_bundled_seeds(runner: CliRunner, database_url: str) -> None:
    result = runner.invoke(main, ["seed", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == FIRST_SEED


def test_seed_shows_an_edited_event_as_updated(runner: CliRunner, database_url: str, seeds: Path) -> None:
    first = runner.invoke(main, ["seed", "seeds", "--database-url", database_url])
    assert first.exit_code == 0, first.output
    edit(seeds / "2025-08-15-putin-trump-alaska-summit.yaml", "    title: World War I\n", "    title: The First World War\n")
    result = runner.invoke(main, ["seed", "seeds", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "event           0        1         24        0"


def test_check_writes_nothing(runner: CliRunner, database_url: str, engine: Engine) -> None:
    before = snapshot(engine)
    result = runner.invoke(main, ["seed", "--check", str(SEEDS), "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert result.stdout == OK
    assert result.stderr == ""
    assert snapshot(engine) == before
    assert source_count(database_url) == 0


def test_broken_coding_fails_and_writes_nothing(runner: CliRunner, database_url: str, seeds: Path) -> None:
    edit(
        seeds / "2025-08-15-putin-trump-alaska-summit.yaml",
        "{id: anton-siluanov, role: participant}",
        "{id: anton-siluanoff, role: participant}",
    )
    result = runner.invoke(main, ["seed", "seeds", "--database-url", database_url])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "error: seeds/2025-08-15-putin-trump-alaska-summit.yaml: events[0] 'putin-trump-alaska-summit': "
        "actors.2.id: unknown actor 'anton-siluanoff'\n"
        "1 problem(s); nothing was written.\n"
    )
    # Validation comes first: not even the migrations ran.
    assert table_names(database_url) == []


def test_broken_coding_fails_the_check(runner: CliRunner, seeds: Path) -> None:
    edit(seeds / "reference.yaml", "    iso_code: RU\n", "    iso_code: XX\n")
    edit(seeds / "2025-08-15-putin-trump-alaska-summit.yaml", "    speaker: vladimir-putin\n", "")
    result = runner.invoke(main, ["seed", "--check", "seeds"])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "error: seeds/reference.yaml: regions[6] 'russia': iso_code 'XX' is not an ISO 3166-1 alpha-2 code\n"
        "error: seeds/2025-08-15-putin-trump-alaska-summit.yaml: quotes[6] 'putin-secret-negotiations-statement': "
        "a statement needs its speaker\n"
        "2 problem(s); nothing was written.\n"
    )


def test_seed_of_a_missing_path(runner: CliRunner, database_url: str, seeds: Path) -> None:
    result = runner.invoke(main, ["seed", "seeds/nothing-here.yaml", "--database-url", database_url])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == "error: seeds/nothing-here.yaml: does not exist\n1 problem(s); nothing was written.\n"


def test_seed_with_an_explicit_reference(runner: CliRunner, database_url: str, seeds: Path) -> None:
    reference = seeds.parent / "shared" / "reference.yaml"
    reference.parent.mkdir()
    (seeds / "reference.yaml").rename(reference)
    missing = runner.invoke(main, ["seed", "--check", "seeds"])
    assert missing.exit_code == 1, missing.output
    assert missing.stderr == "error: seeds/reference.yaml: reference file not found\n1 problem(s); nothing was written.\n"
    result = runner.invoke(main, ["seed", "seeds", "--reference", "shared/reference.yaml", "--database-url", database_url])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == FIRST_SEED


def test_db_upgrade_and_current(runner: CliRunner, database_url: str) -> None:
    before = runner.invoke(main, ["db", "current", "--database-url", database_url])
    assert before.exit_code == 0, before.output
    assert before.stdout == f"database: not migrated; newest: {HEAD_REVISION}\n"
    upgraded = runner.invoke(main, ["db", "upgrade", "--database-url", database_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.stdout == f"database at revision {HEAD_REVISION}\n"
    after = runner.invoke(main, ["db", "current", "--database-url", database_url])
    assert after.exit_code == 0, after.output
    assert after.stdout == f"database: {HEAD_REVISION}; newest: {HEAD_REVISION}\n"
    again = runner.invoke(main, ["db", "upgrade", "--database-url", database_url])
    assert again.exit_code == 0, again.output
    assert again.stdout == f"database at revision {HEAD_REVISION}\n"
    assert source_count(database_url) == 0


def test_schema_document(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema", "document"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["title"] == "DocumentCoding"
    assert schema["required"] == ["source", "quotes", "events"]


def test_schema_reference(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema", "reference"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["title"] == "ReferenceCoding"
    assert schema["required"] == ["actors", "regions"]


def test_schema_of_an_unknown_kind(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema", "events"])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '{document|reference}': 'events' is not one of 'document', 'reference'."
    )


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"], prog_name="geoevents")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"geoevents, version {version('geoevents')}\n"


def test_python_m_app_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Usage: python -m app [OPTIONS] COMMAND [ARGS]..."
    commands = {line.split()[0] for line in lines[lines.index("Commands:") + 1 :]}
    # Other modules add their own commands; these are the ones this CLI must always have.
    assert {"db", "import", "schema", "seed", "serve"} <= commands
    assert result.stderr == ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ask(port: int, path: str, method: str = "GET", request_id: str | None = None) -> tuple[int, dict, bytes]:
    headers = {"X-Request-ID": request_id} if request_id else {}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()


def test_serve_writes_the_json_access_log_and_answers_head(tmp_path: Path) -> None:
    port, log_path = _free_port(), tmp_path / "serve.log"
    url = f"sqlite:///{tmp_path / 'served.db'}"
    with log_path.open("w") as log:
        server = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port), "--database-url", url],
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    _ask(port, "/health")
                    break
                except OSError:
                    assert time.monotonic() < deadline, log_path.read_text()
                    time.sleep(0.2)
            path = "/api/v1/events/putin-trump-alaska-summit"
            got = _ask(port, path + "?fields=id", request_id="serve-get")
            head = _ask(port, path + "?fields=id", "HEAD", request_id="serve-head")
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert (head[0], head[2], head[1]["content-length"], head[1]["etag"]) == (200, b"", got[1]["content-length"],
                                                                            got[1]["etag"])
    lines = log_path.read_text().splitlines()
    logged = [json.loads(line) for line in lines if line.startswith("{") and '"request_id":"serve-' in line]
    assert [{k: v for k, v in entry.items() if k != "duration_ms"} for entry in logged] == [
        {"method": method, "path": path, "query": "fields=id", "status": 200, "request_id": f"serve-{name}",
         "bytes": size, "client": "127.0.0.1"}
        for method, name, size in (("GET", "get", len(got[2])), ("HEAD", "head", 0))
    ]
    # uvicorn's own text access line ('127.0.0.1:port - "GET /health HTTP/1.1" 200') is gone.
    assert [line for line in lines if "HTTP/1.1" in line] == []
    assert "seeded an empty database: 25 events" in lines
