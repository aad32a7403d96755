"""Many readers and writers at once: readers see one dataset version, writers never fail on a lock.

The load is the brief re-coded under new ids (write_copies): eight copies add 200 events
and 224 quotes to the 25 and 28 of the brief, and a "draft" coding of the same eight
sources holds none of them, with a different text.
"""

import hashlib
import json
import multiprocessing
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
import yaml
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError

import app.database
from app import tables
from app.api.app import create_app
from app.auth.tokens import create_token
from app.database import make_engine, write_transaction
from app.loader import read_dataset, seed, store
from app.settings import Settings
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parent.parent
BRIEF = "2025-08-15-putin-trump-alaska-summit"
COPIES = 8
BRIEF_EVENTS, BRIEF_QUOTES = 25, 28
# Mentions of coded actors and regions in the brief's text (tests/test_provenance.py counts them).
MENTIONS = 88


def write_copies(folder: Path, copies: int, prefix: str = "copy", *, coded: bool = True) -> Path:
    """The brief re-coded `copies` times under new ids (`{prefix}-{n}-...`), with the reference.

    Copy n's text is the brief under a line "Copy n of the brief." (or "Draft n", when
    `coded` is False and the coding holds no quote and no event).
    """
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEEDS / "reference.yaml", folder / "reference.yaml")
    text = (SEEDS / f"{BRIEF}.txt").read_text(encoding="utf-8")
    coding = yaml.safe_load((SEEDS / f"{BRIEF}.yaml").read_text(encoding="utf-8"))
    for n in range(copies):
        tag = f"{prefix}-{n}"
        copy = json.loads(json.dumps(coding, default=str))
        copy["source"].update(id=f"{tag}-{BRIEF}", file=f"{tag}.txt")
        for quote in copy["quotes"]:
            quote["id"] = f"{tag}-{quote['id']}"
        for event in copy["events"]:
            event["id"] = f"{tag}-{event['id']}"
            event["quotes"] = [f"{tag}-{quote_id}" for quote_id in event.get("quotes", [])]
        if not coded:
            copy["quotes"], copy["events"] = [], []
        heading = "Copy" if coded else "Draft"
        (folder / f"{tag}.txt").write_text(f"{heading} {n} of the brief.\n\n{text}", encoding="utf-8")
        # JSON is YAML: no date or number is reinterpreted on the way back in.
        (folder / f"{tag}.yaml").write_text(json.dumps(copy, ensure_ascii=False), encoding="utf-8")
    return folder


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """A real uvicorn server in a thread, on a free loopback port; yields its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(create_app(Settings(database_url=database_url)), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


# Stores two pre-read codings in turn, so nearly all of its time is spent writing.
TOGGLER = """
import sys
from pathlib import Path
from app.database import make_engine
from app.loader import read_dataset, store
url, rounds, *folders = sys.argv[1:]
engine = make_engine(url)
versions = [read_dataset([Path(folder)]) for folder in folders]
for _ in range(int(rounds)):
    for dataset in versions:
        store(engine, dataset)
"""


def _check_events(body: dict, base_quotes: dict[str, list[str]]) -> int:
    """The events page of one version: every event served, embeds from that same version."""
    total = body["meta"]["total"]
    assert total in (BRIEF_EVENTS, BRIEF_EVENTS + COPIES * BRIEF_EVENTS), total
    assert len(body["data"]) == total
    copies = [event for event in body["data"] if event["id"].startswith("copy-")]
    assert len(copies) == total - BRIEF_EVENTS
    for event in copies:
        tag, original = event["id"][:6], event["id"][7:]
        assert [q["id"] for q in event["quotes"]] == [f"{tag}-{q}" for q in base_quotes[original]], event["id"]
    return total


def _check_source(body: dict) -> str:
    """Copy 0 as one version: its text, counts, quotes and mentions all agree."""
    text = body["text"]
    assert hashlib.sha256(text.encode()).hexdigest() == body["sha256"]
    version = text.split(" ", 1)[0]
    expected = {"Copy": (BRIEF_QUOTES, BRIEF_EVENTS), "Draft": (0, 0)}[version]
    assert (body["quote_count"], body["event_count"]) == expected
    assert len(body["annotations"]["quotes"]) == expected[0]
    assert len(body["annotations"]["mentions"]) == MENTIONS
    for found in body["annotations"]["mentions"]:
        assert text[found["span"]["start"] : found["span"]["end"]] == found["alias"]
    return version


def test_readers_see_one_dataset_version_while_seeds_change_it(engine: Engine, database_url: str, tmp_path: Path) -> None:
    seed(engine, [SEEDS])
    full = write_copies(tmp_path / "full", COPIES)
    draft = write_copies(tmp_path / "draft", COPIES, coded=False)
    seed(engine, [draft])
    with engine.connect() as connection:
        rows = connection.execute(select(tables.event_quote).order_by(tables.event_quote.c.position)).mappings()
        base_quotes: dict[str, list[str]] = {}
        for row in rows:
            base_quotes.setdefault(row["event_id"], []).append(row["quote_id"])

    seen_totals: set[int] = set()
    seen_versions: set[str] = set()
    failures: list[str] = []
    with serving(database_url) as base:
        writer = subprocess.Popen([sys.executable, "-c", TOGGLER, database_url, "3", str(full), str(draft)],
                                  cwd=ROOT, stderr=subprocess.PIPE, text=True)

        def read() -> None:
            with httpx.Client(base_url=base, timeout=30) as http:
                while writer.poll() is None:
                    try:
                        events = http.get("/api/v1/events", params={"count": "exact", "limit": 500})
                        assert events.status_code == 200, events.text
                        seen_totals.add(_check_events(events.json(), base_quotes))
                        source = http.get(f"/api/v1/sources/copy-0-{BRIEF}", params={"annotate": "true"})
                        assert source.status_code == 200, source.text
                        seen_versions.add(_check_source(source.json()))
                    except AssertionError as error:
                        failures.append(repr(error))
                        return

        readers = [threading.Thread(target=read) for _ in range(6)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(60)
        _, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors
    assert failures == []
    # Both versions were read, so the readers really ran while the data changed.
    assert seen_totals == {BRIEF_EVENTS, BRIEF_EVENTS + COPIES * BRIEF_EVENTS}
    assert seen_versions == {"Copy", "Draft"}


# Reads and checks its coding, says so, then writes it when told to.
SEEDER = """
import sys
from pathlib import Path
from app.database import make_engine
from app.loader import read_dataset, store
url, folder = sys.argv[1:]
engine = make_engine(url)
dataset = read_dataset([Path(folder)])
print("ready", flush=True)
sys.stdin.readline()
print(store(engine, dataset)["event"]["created"], flush=True)
"""


def _seed_when_told(url: str, folder: Path, ready, go, results) -> None:  # type: ignore[no-untyped-def]
    """A writer process: check the coding, say so, and write it when all writers are ready."""
    try:
        engine = make_engine(url)
        dataset = read_dataset([folder])
        ready.release()
        go.wait()
        results.put(store(engine, dataset)["event"]["created"])
    except Exception as error:  # noqa: BLE001 - reported to the test, whatever it is
        results.put(repr(error))


def test_parallel_seeds_all_succeed(engine: Engine, database_url: str, tmp_path: Path) -> None:
    writers = 6
    folders = [write_copies(tmp_path / f"writer-{n}", 1, prefix=f"w{n}") for n in range(writers)]
    # Forked, so no writer spends seconds importing: they all ask for the write lock together.
    context = multiprocessing.get_context("fork")
    ready, go, results = context.Semaphore(0), context.Event(), context.Queue()
    processes = [context.Process(target=_seed_when_told, args=(database_url, folder, ready, go, results))
                 for folder in folders]
    for process in processes:
        process.start()
    for _ in processes:
        assert ready.acquire(timeout=60)
    go.set()
    created = sorted(results.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(10)
    assert created == [BRIEF_EVENTS] * writers
    with engine.connect() as connection:
        counts = [connection.execute(select(func.count()).select_from(table)).scalar_one()
                  for table in (tables.source, tables.actor, tables.event, tables.quote)]
    assert counts == [writers, 22, writers * BRIEF_EVENTS, writers * BRIEF_QUOTES]


def test_parallel_api_writes_and_a_seed_all_succeed(seeded_engine: Engine, database_url: str, tmp_path: Path) -> None:
    writers = 12
    with write_transaction(seeded_engine) as connection:
        token = create_token(connection, "load-test", "write")
    seeder = subprocess.Popen([sys.executable, "-c", SEEDER, database_url, str(write_copies(tmp_path / "copy", 1))],
                              cwd=ROOT, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert seeder.stdout.readline() == "ready\n", seeder.stderr.read()
    answers: dict[int, tuple[int, str]] = {}
    with serving(database_url) as base:

        def create(n: int) -> None:
            actor = {"id": f"writer-{n}", "name": f"Writer {n}", "kind": "group", "aliases": [f"Writer group {n}"],
                     "description": "Made by a parallel writer.", "affiliation": "russia"}
            with httpx.Client(base_url=base, timeout=60) as http:
                response = http.post("/api/v1/actors", json=actor, headers={"Authorization": f"Bearer {token}"})
            answers[n] = (response.status_code, response.text)

        threads = [threading.Thread(target=create, args=(n,)) for n in range(writers)]
        seeder.stdin.write("go\n")
        seeder.stdin.flush()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    out, errors = seeder.communicate(timeout=60)
    assert (seeder.returncode, out, errors) == (0, f"{BRIEF_EVENTS}\n", "")
    assert [status for status, _ in answers.values()] == [201] * writers, answers
    with seeded_engine.connect() as connection:
        made = connection.execute(select(tables.change.c.record_id).where(tables.change.c.changed_by == "load-test")
                                  .order_by(tables.change.c.record_id)).scalars().all()
        actors = connection.execute(select(func.count()).select_from(tables.actor)).scalar_one()
    assert made == sorted(f"writer-{n}" for n in range(writers))
    assert actors == 22 + writers


def test_a_writer_outwaits_a_lock_held_longer_than_the_busy_timeout(tmp_path: Path, monkeypatch) -> None:
    # SQLite only: PostgreSQL writers queue on row and advisory locks without a timeout.
    monkeypatch.setattr(app.database, "SQLITE_BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.5, holder.execute, ["COMMIT"])
    release.start()
    started = time.monotonic()
    # Told to give up sooner than the lock is held, a writer fails as SQLite alone would.
    with pytest.raises(OperationalError, match="database is locked"), write_transaction(engine, lock_wait_s=0.2):
        pass
    with write_transaction(engine) as connection:
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
    waited = time.monotonic() - started
    release.join()
    holder.close()
    assert waited >= 1.4
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT x FROM t").scalars().all() == [1]
    engine.dispose()
