"""The servers under test: each one process, one worker, pinned to core 0, on a loopback port."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Self

SERVER_CORE = 0
HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent
# Every server stops a statement after this long: geoevents' default, given to the others too.
STATEMENT_LIMIT_MS = 5000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def geoevents_command() -> list[str]:
    """`geoevents` of the running interpreter's environment (the installed entry point)."""
    script = Path(sys.executable).with_name("geoevents")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app"]


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 60,
        body: bool = True) -> tuple[int, bytes, dict]:
    """Status, body (unless `body` is False) and headers of one GET; status 0 when the answer broke off."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read() if body else b"", dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)
    except (http.client.HTTPException, ConnectionError, TimeoutError) as error:
        # An export stopped by the statement limit is cut off mid-stream, by design.
        return 0, repr(error).encode(), {}


class Server:
    """A process started by the benchmark and only ever stopped by it, by its own pid."""

    def __init__(self, name: str, command: list[str], log: Path, env: dict[str, str] | None = None,
                 ready_path: str = "/health") -> None:
        self.name, self.command, self.log, self.ready_path = name, command, log, ready_path
        self.env = {**os.environ, **(env or {})}
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.started_in_s: float | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout_s: float = 120) -> float:
        """Start pinned to SERVER_CORE; seconds from spawning to the first 200 on `ready_path`."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = ["taskset", "-c", str(SERVER_CORE), *self.command]
        begun = time.monotonic()
        with self.log.open("ab") as log:
            # taskset execs the server, so this pid is the server's own.
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=REPO)
        while time.monotonic() - begun < timeout_s:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            try:
                if get(self.url + self.ready_path, timeout=2)[0] == 200:
                    self.started_in_s = time.monotonic() - begun
                    return self.started_in_s
            except OSError:
                pass
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer {self.ready_path} within {timeout_s} s; see {self.log}")

    def peak_rss_mb(self) -> float | None:
        """The server's peak resident memory so far (VmHWM in /proc), in MB."""
        if self.process is None:
            return None
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float:
        """CPU time the server has used (user + system), from /proc."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def settle(self, limit_s: float = 60) -> float:
        """Wait until the server is idle (requests a client gave up on may still run); seconds waited."""
        begun = time.monotonic()
        while time.monotonic() - begun < limit_s:
            before = self.cpu_seconds()
            time.sleep(0.25)
            if self.cpu_seconds() - before < 0.02:
                break
        return time.monotonic() - begun

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def ours(database_url: str, log: Path) -> Server:
    """`geoevents serve`, one worker, on the benchmark database (never seeding it)."""
    server = Server("geoevents", [], log, env={"GEOEVENTS_SEED_ON_START": "false"})
    server.command = [*geoevents_command(), "serve", "--host", HOST, "--port", str(server.port),
                      "--workers", "1", "--database-url", database_url]
    return server


def floor(db_path: Path, plan_path: Path, log: Path) -> Server:
    """bench/floor.py under the same uvicorn, one worker."""
    server = Server("floor", [], log, env={"BENCH_FLOOR_DB": str(db_path), "BENCH_FLOOR_PLAN": str(plan_path),
                                           "BENCH_FLOOR_LIMIT_MS": str(STATEMENT_LIMIT_MS)})
    server.command = [sys.executable, "-m", "uvicorn", "bench.floor:app", "--host", HOST, "--port", str(server.port),
                      "--workers", "1", "--no-access-log", "--log-level", "warning"]
    return server


def datasette(venv: Path, db_link: Path, log: Path) -> Server:
    """Datasette from its own virtualenv, serving the same file (through a link named bench.db, so
    its URLs start /bench), with our statement time limit instead of its 1 s and 200 ms ones."""
    server = Server("datasette", [], log, ready_path="/-/versions.json")
    settings = {"sql_time_limit_ms": STATEMENT_LIMIT_MS, "facet_time_limit_ms": STATEMENT_LIMIT_MS,
                "max_returned_rows": 10000, "suggest_facets": "off"}
    server.command = [str(venv / "bin" / "datasette"), "serve", str(db_link),
                      "--host", HOST, "--port", str(server.port)]
    for name, value in settings.items():
        server.command += ["--setting", name, str(value)]
    return server
