"""Where our server spends its time: py-spy samples of the worker under load, grouped by layer."""

import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from bench.loadgen import CLIENT_CORE

# A sample is charged to the layer of its innermost Python frame (time in C code, such as
# sqlite3 or orjson, shows up in the Python frame that called it): (path part, function part).
_LAYERS = (
    ("idle", (("threading.py", "wait"), ("asyncio/runners.py", "run"), ("selectors.py", "select"),
              ("asyncio/base_events.py", "_run_once"), ("concurrent/futures/thread.py", "_worker"))),
    ("sql", (("sqlalchemy/engine/default.py", "do_execute"), ("sqlalchemy/engine/cursor.py", "fetch"),
             ("app/database.py", "expired"), ("psycopg/", ""))),
    ("json", (("app/api/responses.py", "render"), ("orjson", ""))),
    ("sqlalchemy", (("sqlalchemy/", ""),)),
    ("pydantic", (("pydantic", ""),)),
    ("framework", tuple((part, "") for part in (
        "fastapi/", "starlette/", "uvicorn/", "anyio/", "h11/", "httptools/", "asyncio/", "uvloop/",
        "concurrent/futures/", "threading.py", "selectors.py", "socket.py", "logging/", "uuid.py"))),
    ("app", (("app/", ""),)),
)


def py_spy() -> str | None:
    """The py-spy binary (PyPI `py-spy`), beside this Python or on PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def layer(frame: str) -> str:
    """The layer of one py-spy frame, `function (path/to/file.py:line)`."""
    function, _, where = frame.rpartition(" (")
    path = where.split(":")[0]
    for name, markers in _LAYERS:
        if any(part in path and wanted in function for part, wanted in markers):
            return name
    return "other"


def shares(raw: str) -> dict[str, float]:
    """Fractions of the busy samples per layer (threads waiting for work left out), from py-spy's
    raw (collapsed stack) output."""
    counts: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        counts[layer(frames[-1])] += int(count)
    counts.pop("idle", None)
    total = sum(counts.values())
    return {name: n / total for name, n in counts.items()} if total else {}


def record(pid: int, seconds: int, output: Path, drive, svg: bool = False) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Sample `pid` while `drive()` loads it; the layer shares (and the raw or SVG file at `output`)."""
    binary = py_spy()
    if binary is None:
        raise RuntimeError("py-spy is not installed: pip install py-spy")
    command = ["taskset", "-c", str(CLIENT_CORE), binary, "record", "--pid", str(pid), "--duration", str(seconds),
               "--rate", "200", "--nonblocking", "--format", "flamegraph" if svg else "raw", "-o", str(output)]
    sampler = threading.Thread(target=subprocess.run, args=(command,),
                               kwargs={"capture_output": True, "timeout": seconds + 60})
    sampler.start()
    drive()
    sampler.join()
    if svg or not output.exists():
        return {}
    return shares(output.read_text())
