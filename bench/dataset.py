"""The benchmark database: built once per size and seed under the workdir, then reused.

`geoevents generate --events N --seed S` builds it (the import rate it reports goes into the
table), and `geoevents db upgrade` runs on it before every benchmark, as an operator would.
"""

import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.servers import geoevents_command

# `generate` lives in app/cli/generate.py; importing it registers it even before app.cli does.
_GENERATE = [sys.executable, "-c", "import app.cli.generate; from app.cli import main; main(prog_name='geoevents')"]
_RATE = re.compile(r"([\d,]+) events/s")


def _cli(arguments: list[str], command: list[str] | None = None, timeout_s: float = 3 * 3600) -> str:
    done = subprocess.run([*(command or geoevents_command()), *arguments], capture_output=True, text=True,
                          timeout=timeout_s, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"geoevents {' '.join(arguments)} failed: {done.stdout[-800:]} {done.stderr[-800:]}")
    return done.stdout


def upgrade(database_url: str) -> None:
    """`geoevents db upgrade` on the database."""
    _cli(["db", "upgrade", "--database-url", database_url])


def sqlite_database(workdir: Path, events: int, seed: int, log=print) -> tuple[Path, dict]:  # type: ignore[no-untyped-def]
    """The SQLite file of `events` events for `seed` (built when missing) and how it was built."""
    path = workdir / f"events-{events}-seed-{seed}.sqlite"
    about = path.with_suffix(".json")
    if path.exists() and about.exists():
        log(f"reusing {path}")
        upgrade(f"sqlite:///{path}")
        return path, json.loads(about.read_text())
    building = path.with_name(path.name + ".building")
    for stale in workdir.glob(building.name + "*"):
        stale.unlink()
    url = f"sqlite:///{building}"
    started = time.monotonic()
    log(f"building {path} with geoevents generate --events {events} --seed {seed}")
    output = _cli(["generate", "--events", str(events), "--seed", str(seed), "--database-url", url,
                   "--no-progress"], _GENERATE)
    seconds = time.monotonic() - started
    reported = _RATE.findall(output)
    info = {"builder": "geoevents generate", "events": events, "seed": seed, "seconds": round(seconds, 1),
            "import_rate": int(reported[-1].replace(",", "")) if reported else round(events / seconds)}
    upgrade(url)
    # Fold the WAL back in, so the file is complete on its own (Datasette and the floor read it).
    connection = sqlite3.connect(building)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    building.rename(path)
    about.write_text(json.dumps(info, indent=2))
    return path, info


def datasette_venv(workdir: Path, log=print) -> Path:  # type: ignore[no-untyped-def]
    """A virtualenv of its own holding Datasette, so it never touches the project's dependencies."""
    venv = workdir / "datasette-venv"
    if not (venv / "bin" / "datasette").exists():
        log(f"installing Datasette into {venv}")
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True, timeout=300)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "datasette"], check=True, timeout=900)
    return venv


def peer_link(workdir: Path, db_path: Path) -> Path:
    """bench.db beside the peer's files, pointing at the database: Datasette names it /bench."""
    link = workdir / "peer" / "bench.db"
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(db_path.resolve())
    return link
