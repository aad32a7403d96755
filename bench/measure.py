"""The measurements made against a running server: the suite, repeats, single requests, the cursor walk."""

import sqlite3
from pathlib import Path
from urllib.parse import quote

import orjson

from bench import loadgen, suite
from bench.servers import Server, get


class Plan:
    """How long and how hard each run drives a server."""

    def __init__(self, seconds: float, connections: int, warm_seconds: float, single_seconds: float,
                 timeout_s: int, log) -> None:  # type: ignore[no-untyped-def]
        self.seconds, self.connections, self.warm_seconds = seconds, connections, warm_seconds
        self.single_seconds, self.timeout_s, self.log = single_seconds, timeout_s, log


def write_paths(path: Path, paths: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(paths) + "\n")
    return path


def run(server: Server, paths_file: Path, plan: Plan, *, connections: int | None = None,
        seconds: float | None = None, headers: tuple[str, ...] = ()) -> dict:
    """One wrk run against `server`, then wait until the server has finished what wrk left in flight."""
    result = loadgen.drive(server.url, paths_file, connections=connections or plan.connections,
                           seconds=seconds or plan.seconds, headers=headers, timeout_s=plan.timeout_s)
    result["settle_s"] = round(server.settle(), 1)
    return result


def suite_runs(server: Server, files: dict[str, tuple[Path, Path]], plan: Plan) -> dict[str, dict]:
    """Every endpoint: a short warm-up on URLs of its own, then the measured run."""
    results = {}
    for name, (measured, warm) in files.items():
        if plan.warm_seconds:
            run(server, warm, plan, seconds=plan.warm_seconds)
        results[name] = run(server, measured, plan)
        r = results[name]
        plan.log(f"  {server.name:9} {name:13} {r['ok_rps']:9.1f} req/s  p50 {r['p50_ms']} ms  "
                 f"p99 {r['p99_ms']} ms  errors {r['errors']}  ({r['requests']} requests)")
    return results


def repeats(server: Server, first_paths: dict[str, str], directory: Path, plan: Plan) -> dict[str, dict]:
    """Each endpoint's first URL again and again, with the ETag it was answered with: 304s."""
    results = {}
    for name, path in first_paths.items():
        status, _, headers = get(server.url + path, timeout=plan.timeout_s, body=False)
        etag = headers.get("ETag") or headers.get("etag")
        if status != 200 or not etag:
            plan.log(f"  no ETag for {name} ({status}); no repeat figure")
            continue
        file = write_paths(directory / f"repeat-{name}.txt", [path])
        results[name] = run(server, file, plan, seconds=max(1, plan.seconds / 2), headers=(f"If-None-Match: {etag}",))
        plan.log(f"  repeat    {name:13} {results[name]['ok_rps']:9.1f} req/s  p50 {results[name]['p50_ms']} ms")
    return results


def single(server: Server, label: str, paths: list[str], directory: Path, plan: Plan, seconds: float | None = None,
           **extra: object) -> dict:
    """Latency of requests sent one at a time (1 connection): service time without queueing."""
    file = write_paths(directory / f"single-{len(list(directory.glob('single-*')))}.txt", paths)
    result = run(server, file, plan, connections=1, seconds=seconds or plan.single_seconds)
    plan.log(f"  single    {label[:40]:40} p50 {result['p50_ms']} ms  p99 {result['p99_ms']} ms  "
             f"errors {result['errors']}")
    return {"label": label, "requests": result["requests"], "p50_ms": result["p50_ms"], "p99_ms": result["p99_ms"],
            "errors": result["errors"], **extra}


def mint_cursors(database_url: str, pages: int) -> list[tuple[str, str]]:
    """The cursors a walk of the default events list (pages of 50) meets, for pages 2 to `pages`,
    with the id of the row before each: made as our server makes them, in one pass over the sort
    order instead of `pages` requests (check_cursors compares them with a real walk)."""
    from sqlalchemy import select

    from app.api import cursors
    from app.api.params import EventParams
    from app.database import make_engine
    from app.queries.events import sort_keys
    from app.settings import get_settings
    from app.tables import event

    keys = sort_keys("-date")
    query = (select(*(k.expression.label(f"key{i}") for i, k in enumerate(keys)), event.c.id.label("row_id"))
             .select_from(event).order_by(*(k.ordered() for k in keys)).limit(pages * 50))
    fingerprint = cursors.fingerprint("/api/v1/events", EventParams().model_dump(by_alias=True, mode="json"))
    secret = get_settings().cursor_secret
    engine = make_engine(database_url)
    found = []
    with engine.connect() as connection:
        for index, row in enumerate(connection.execute(query)):
            if index % 50 == 49 and index < (pages - 1) * 50:
                values = [v.isoformat() if hasattr(v, "isoformat") else v for v in row[: len(keys)]]
                found.append((cursors.encode(values, fingerprint, secret), row.row_id))
    engine.dispose()
    return found


def check_cursors(server: Server, minted: list[tuple[str, str]], steps: int = 3) -> None:
    """Walk the first pages for real: the cursors met must be the minted ones, byte for byte."""
    base = f"{server.url}/api/v1/events?limit=50&include=&fields=id"
    url = base
    for index in range(min(steps, len(minted))):
        status, body, _ = get(url, timeout=120)
        page = orjson.loads(body) if status == 200 else {}
        met = (page.get("meta", {}).get("next_cursor"), page.get("data", [{}])[-1].get("id"))
        if met != tuple(minted[index]):
            raise RuntimeError(f"page {index + 1}: the server's cursor {met} is not the minted {minted[index]}")
        url = f"{base}&cursor={quote(met[0])}"


def deep_cases(db_path: Path, cursors: list[tuple[str, str]], first_page: int) -> list[dict]:
    """Deep-page cases from the walk: pages from `first_page` on, with the row each page follows."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    cases = []
    for cursor, after_id in cursors[first_page - 2:]:
        after_date = db.execute("SELECT start_date FROM event WHERE id = ?", (after_id,)).fetchone()[0]
        cases.append({"cursor": cursor, "after_id": after_id, "after_date": after_date})
    db.close()
    return cases


def path_files(directory: Path, cases: dict[str, list[dict]], warm_count: int) -> dict[str, dict]:
    """Per endpoint: the measured and warm-up URL files for ours (and the floor) and for the peer."""
    files: dict[str, dict] = {"ours": {}, "peer": {}}
    for name, drawn in cases.items():
        endpoint = suite.BY_NAME[name]
        warm_count_here = min(warm_count, max(1, len(drawn) // 10))
        measured, warm = drawn[:-warm_count_here] or drawn, drawn[-warm_count_here:]
        for who, render in (("ours", endpoint.ours), ("peer", endpoint.peer)):
            files[who][name] = (write_paths(directory / who / f"{name}.txt", [render(c) for c in measured]),
                                write_paths(directory / who / f"{name}-warm.txt", [render(c) for c in warm]))
        files.setdefault("distinct", {})[name] = len({endpoint.ours(c) for c in measured})
    return files
