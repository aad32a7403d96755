"""wrk, pinned to the core the servers do not use, driving one paths file at fixed concurrency."""

import json
import os
import shutil
import subprocess
from pathlib import Path

LUA = Path(__file__).with_name("paths.lua")
CLIENT_CORE = 1


class LoadError(RuntimeError):
    """wrk failed or printed no summary."""


def require_wrk() -> str:
    """The wrk binary, or a LoadError saying how to install it."""
    found = shutil.which("wrk")
    if found is None:
        raise LoadError("wrk is not installed: apt-get install -y wrk")
    return found


def drive(base_url: str, paths_file: Path, *, connections: int, seconds: float, headers: tuple[str, ...] = (),
          timeout_s: int = 30) -> dict:
    """Run wrk for `seconds` at `connections` over the paths in `paths_file`; req/s and latencies in ms."""
    command = ["taskset", "-c", str(CLIENT_CORE), require_wrk(), "-t1", f"-c{connections}",
               f"-d{max(1, round(seconds))}s", f"--timeout={timeout_s}s", "-s", str(LUA)]
    for header in headers:
        command += ["-H", header]
    command.append(base_url)
    env = {**os.environ, "BENCH_PATHS": str(paths_file)}
    # Bounded: wrk stops itself after `seconds`; the extra allows for requests still in flight.
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + timeout_s + 30,
                          check=False)
    line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise LoadError(f"wrk failed ({done.returncode}): {done.stdout[-500:]} {done.stderr[-500:]}")
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    seconds_run = raw["duration_us"] / 1e6
    # No request finished within the run: latencies are unknown, not zero.
    finished = raw["requests"] > 0
    errors = raw["errors_status"] + raw["errors_connect"] + raw["errors_read"] + raw["errors_write"] + raw["errors_timeout"]
    return {
        "requests": raw["requests"],
        "errors": errors,
        "rps": raw["requests"] / seconds_run,
        "ok_rps": max(0, raw["requests"] - raw["errors_status"]) / seconds_run,
        "p50_ms": raw["p50_us"] / 1000 if finished else None,
        "p99_ms": raw["p99_us"] / 1000 if finished else None,
        "max_ms": raw["max_us"] / 1000 if finished else None,
        "mb_per_s": raw["bytes"] / seconds_run / 1e6,
    }
