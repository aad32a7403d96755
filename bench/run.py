"""The benchmark: `python bench/run.py [--events N] [--quick] [--database-url URL] [--workdir DIR]`.

Builds or reuses a database of N events, serves it with geoevents (one worker pinned to core
0), drives it with wrk from core 1, and does the same for the floor (bench/floor.py) and the
peer (Datasette), then prints the Markdown report and writes it to WORKDIR/latest.md.
See README, "Performance".
"""

import argparse
import json
import os
import platform
import shlex
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import capture, dataset, loadgen, measure, pgcopy, profile, report, servers, suite

QUICK_EVENTS = 50_000
DEEP_PAGE = 10_000
PROFILED = ("region_dates", "detail", "search", "deep_page")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], prog="bench/run.py")
    parser.add_argument("--events", type=int, help="Events in the database (default 1,000,000; --quick 50,000).")
    parser.add_argument("--quick", action="store_true", help="50,000 events, 2 s per endpoint: a couple of minutes.")
    parser.add_argument("--database-url", help="Serve ours from this PostgreSQL database (copied from the SQLite "
                        "file; dropped and created again when it holds other data). Floor and peer are SQLite-only.")
    parser.add_argument("--workdir", type=Path, default=Path("bench-data"), help="Cache of databases, URL files, "
                        "logs, Datasette's virtualenv and the reports (default ./bench-data).")
    parser.add_argument("--seconds", type=float, help="Seconds per measured run (default 10; --quick 2).")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16).")
    parser.add_argument("--seed", type=int, default=1, help="Seed of the data and of the drawn queries.")
    parser.add_argument("--cases", type=int, help="Distinct URLs drawn per endpoint (default 30,000; --quick 3,000).")
    parser.add_argument("--only", nargs="*", choices=list(suite.BY_NAME), help="Only these endpoints.")
    parser.add_argument("--no-floor", action="store_true", help="Skip the floor.")
    parser.add_argument("--no-peer", action="store_true", help="Skip Datasette.")
    parser.add_argument("--no-profile", action="store_true", help="Skip the py-spy profile of our server.")
    parser.add_argument("--resume", action="store_true", help="Reuse our server's figures from the last run with "
                        "the same database and backend (after a failure in the floor's or the peer's part).")
    parser.add_argument("--checked", type=int, default=3, help="URLs per endpoint on which the floor's answers "
                        "are compared with ours, besides the three it learns from (default 3).")
    args = parser.parse_args(argv)
    args.events = args.events or (QUICK_EVENTS if args.quick else 1_000_000)
    args.seconds = args.seconds or (2.0 if args.quick else 10.0)
    args.cases = args.cases or (3_000 if args.quick else 30_000)
    return args


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine())
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB, Python {platform.python_version()}, " \
           f"SQLite {sqlite3.sqlite_version}"


def check_tools() -> None:
    loadgen.require_wrk()
    if (os.cpu_count() or 1) < 2:
        raise SystemExit("the benchmark needs two cores: one for the server, one for wrk")


def learn_floor(url: str, db_path: Path, cases: dict[str, list[dict]], workdir: Path, checks: int,  # type: ignore[no-untyped-def]
                log) -> tuple[Path, list]:
    """Learn the floor's statements from ours (three requests per endpoint and any it cannot serve yet),
    checking it on `checks` more each."""
    log("learning the floor's statements from ours")
    paths = {name: [suite.BY_NAME[name].ours(c) for c in capture.branch_order(url, name, drawn)]
             for name, drawn in cases.items()}
    plan, same, differing = capture.learn_and_check(url, str(db_path), paths, checks=checks)
    for line in differing[:5]:
        log(f"floor differs: {line}")
    plan_path = workdir / "floor-plan.json"
    plan_path.write_text(json.dumps(plan))
    return plan_path, [same, same + len(differing)]


def run_ours(args, url: str, db_path: Path, cases: dict, workdir: Path, results: dict, log) -> dict:  # type: ignore[no-untyped-def]
    plan = measure.Plan(args.seconds, args.connections, 1 if args.quick else 2, 1 if args.quick else 3, 30, log)
    logs, paths_dir = workdir / "logs", workdir / "paths" / f"{db_path.stem}-{results['meta']['backend']}"
    server = servers.ours(url, logs / "ours.log")
    server.backend = results["meta"]["backend"].lower()
    results["service"]["start_s"] = round(server.start(), 2)
    log(f"geoevents serve answered /health {results['service']['start_s']} s after starting")
    try:
        deep = min(DEEP_PAGE, args.events // 50)
        log(f"minting the cursors of pages 2 to {deep:,} of /events")
        cursors = measure.mint_cursors(url, deep)
        measure.check_cursors(server, cursors)
        if "deep_page" in cases:
            cases["deep_page"] = measure.deep_cases(db_path, cursors, max(2, deep // 10))
        files = measure.path_files(paths_dir, cases, warm_count=200)
        ours = measure.suite_runs(server, files["ours"], plan)
        first = {name: files["ours"][name][0].read_text().split("\n", 1)[0] for name in cases}
        repeat = measure.repeats(server, first, paths_dir, plan)
        results["single"] = single_requests(server, cursors, deep, paths_dir, plan)
        if not args.no_profile and profile.py_spy():
            results["profile"] = profiles(server, files["ours"], workdir, plan)
        results["service"]["peak_rss_mb"] = round(server.peak_rss_mb() or 0)
    finally:
        server.stop()
    return {"files": files, "ours": ours, "repeat": repeat}


def single_requests(server, cursors, deep: int, directory: Path, plan) -> list[dict]:  # type: ignore[no-untyped-def]
    """Service times at one connection: first vs deep page, count=estimated, the whole-table aggregates."""
    types = ["AGREE", "CONSULT", "PROTEST", "ASSAULT", "THREATEN", "AID", "SANCTION", "REQUEST"]
    statuses = ["occurred", "ongoing", "planned", "proposed"]
    filtered = [f"/api/v1/events?limit=1&include=&type={t}&status={s}" for t in types for s in statuses]
    # Long enough for a whole-table aggregate to finish or be stopped by the statement limit.
    slow = servers.STATEMENT_LIMIT_MS / 1000 + 3
    return [
        measure.single(server, "first page of /events", ["/api/v1/events"], directory, plan),
        measure.single(server, f"page {deep:,} of /events (cursor)", [f"/api/v1/events?cursor={cursors[-1][0]}"],
                       directory, plan, target="as fast as the first page"),
        measure.single(server, "/events?type=&status=&limit=1, no count", filtered, directory, plan),
        measure.single(server, "the same with count=estimated", [p + "&count=estimated" for p in filtered],
                       directory, plan, target_ms=report.MAX_ESTIMATE_MS),
        measure.single(server, "facets, whole table (5 facets)",
                       [f"/api/v1/events/facets?facet={','.join(suite.FACET_NAMES)}"], directory, plan,
                       seconds=slow, target_ms=report.MAX_AGGREGATE_P50_MS),
        measure.single(server, "timeline by month, whole table", ["/api/v1/events/timeline?interval=month"],
                       directory, plan, seconds=slow, target_ms=report.MAX_AGGREGATE_P50_MS),
    ]


def profiles(server, files: dict, workdir: Path, plan) -> dict:  # type: ignore[no-untyped-def]
    found = {}
    for name in [n for n in PROFILED if n in files]:
        seconds = max(2, round(plan.seconds / 2))
        output = workdir / f"profile-{name}-{server.backend}.txt"
        # One connection: one request at a time, so the samples show where a request's time goes.
        found[name] = profile.record(server.process.pid, seconds, output,
                                     lambda paths=files[name][0], s=seconds: measure.run(server, paths, plan,
                                                                                        connections=1, seconds=s))
        server.settle()
    if found:
        name = next(iter(found))
        profile.record(server.process.pid, 3, workdir / f"profile-{name}-{server.backend}.svg",
                       lambda: measure.run(server, files[name][0], plan, connections=1, seconds=3), svg=True)
    return found


def _files(measured: dict, who: str) -> dict[str, tuple[Path, Path]]:
    return {name: (Path(pair[0]), Path(pair[1])) for name, pair in measured["files"][who].items()}


def run_reference(server, files: dict, args, log) -> dict:  # type: ignore[no-untyped-def]
    plan = measure.Plan(args.seconds, args.connections, 1 if args.quick else 2, 1, 30, log)
    with server:
        return measure.suite_runs(server, files, plan)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    check_tools()
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    log = lambda message: print(message, file=sys.stderr, flush=True)
    load_before = os.getloadavg()[0]
    db_path, built = dataset.sqlite_database(workdir, args.events, args.seed, log)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    url = args.database_url or f"sqlite:///{db_path}"
    if args.database_url:
        pgcopy.prepare(url, db_path, dataset.upgrade, log)
    log(f"drawing {args.cases:,} URLs per endpoint from the data")
    cases = suite.draw_cases(str(db_path), args.cases, args.seed,
                             workdir / "paths" / f"{db_path.stem}-cases-{args.cases}-{args.seed}.json")
    if args.only:
        cases = {name: drawn for name, drawn in cases.items() if name in args.only}
        cases.update({"deep_page": []} if "deep_page" in args.only else {})
    else:
        cases["deep_page"] = []
    cases = {e.name: cases[e.name] for e in suite.SUITE if e.name in cases}
    results = {"meta": {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "backend": backend, "events": args.events,
        "command": "python bench/run.py " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "setup": f"One server worker pinned to core 0, wrk -t1 -c{args.connections} for {args.seconds:g} s pinned "
                 "to core 1, each endpoint driven with distinct URLs drawn from the data; every server stops a "
                 f"statement after {servers.STATEMENT_LIMIT_MS / 1000:g} s.",
        "notes": [f"Database built by {built['builder']} ({built['seconds']:,.0f} s)."]},
        "service": {"import_rate": built.get("import_rate"), "builder": built["builder"]}, "endpoints": []}
    saved = workdir / f"ours-{db_path.stem}-{backend.lower()}.json"
    if args.resume and saved.exists():
        log(f"reusing our server's figures from {saved}")
        measured, cases, kept = json.loads(saved.read_text())
        results.update(kept)
    else:
        measured = run_ours(args, url, db_path, cases, workdir, results, log)
        kept = {k: results.get(k) for k in ("service", "single", "profile")}
        saved.write_text(json.dumps([measured, cases, kept], default=str))
        measured = json.loads(json.dumps(measured, default=str))
    floor_runs, peer_runs = {}, {}
    if args.database_url:
        results["meta"]["notes"].append("The floor and Datasette read SQLite files only: on PostgreSQL only ours runs. "
                                        "PostgreSQL's own processes are not pinned: they share both cores with wrk.")
    else:
        if not args.no_floor:
            try:
                plan_path, identical = learn_floor(url, db_path, cases, workdir, args.checked, log)
                results["meta"]["notes"].append(f"The floor answered {identical[0]} of {identical[1]} checked URLs "
                                                "byte for byte like ours.")
                floor = servers.floor(db_path, plan_path, workdir / "logs" / "floor.log")
                floor_runs = run_reference(floor, _files(measured, "ours"), args, log)
            except Exception as error:  # noqa: BLE001 - the report says what failed and goes on
                log(f"the floor failed: {error}")
                results["meta"]["notes"].append(f"The floor failed: {str(error)[:300]}")
        if not args.no_peer:
            try:
                venv = dataset.datasette_venv(workdir, log)
                peer = servers.datasette(venv, dataset.peer_link(workdir, db_path), workdir / "logs" / "datasette.log")
                peer_runs = run_reference(peer, _files(measured, "peer"), args, log)
            except Exception as error:  # noqa: BLE001 - the report says what failed and goes on
                log(f"Datasette failed: {error}")
                results["meta"]["notes"].append(f"Datasette failed: {str(error)[:300]}")
    for endpoint in suite.SUITE:
        if endpoint.name in cases:
            results["endpoints"].append({
                "name": endpoint.name, "label": endpoint.label, "distinct": measured["files"]["distinct"][endpoint.name],
                "ours": measured["ours"].get(endpoint.name), "floor": floor_runs.get(endpoint.name),
                "peer": peer_runs.get(endpoint.name), "repeat": measured["repeat"].get(endpoint.name),
                "peer_note": endpoint.peer_note})
    results["meta"]["notes"].append(f"Load average {load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after "
                                    "(anything else running on the machine skews every figure).")
    text = report.markdown(results)
    print(text)
    (workdir / "latest.md").write_text(text)
    (workdir / "latest.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"benchmark took {time.monotonic() - started:.0f} s", file=sys.stderr)
    sys.exit(code)
