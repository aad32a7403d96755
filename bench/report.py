"""The benchmark's results as a Markdown report: the suite table, repeats, single requests, service, profile."""

# The targets, with one worker on one core.
FAST = ("region_dates", "actor", "detail", "search", "deep_page")
MIN_SHARE_OF_FLOOR = 0.5
MIN_TIMES_PEER = 5.0
MAX_P99_MS = 25.0
MAX_AGGREGATE_P50_MS = 250.0
MAX_ESTIMATE_MS = 10.0
MAX_START_S = 2.0
MAX_RSS_MB = 300.0
MIN_IMPORT_RATE = 50_000


def _n(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if value >= 10 or digits == 0 else f"{value:.{max(digits, 1)}f}"


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def _run(run: dict | None) -> tuple[str, str]:
    """('req/s', 'p50 / p99') of one wrk run; errors are counted beside the rate."""
    if not run:
        return "–", "–"
    if not run["requests"]:
        return "none finished", "–"
    rate = _n(run["ok_rps"], 1 if run["ok_rps"] < 10 else 0)
    if run["errors"]:
        rate += f" ({run['errors']:,} errors)"
    return rate, f"{_ms(run['p50_ms'])} / {_ms(run['p99_ms'])}"


def ratio(ours: dict | None, other: dict | None) -> float | None:
    """ours' successful req/s over the other's (None when either is missing or the other did nothing)."""
    if not ours or not other or not other["ok_rps"] or not ours["requests"]:
        return None
    return ours["ok_rps"] / other["ok_rps"]


def _x(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}×" if value < 10 else f"{value:.0f}×"


def verdict(endpoint: dict) -> str:
    """Whether the endpoint meets its targets, and if not, which it misses."""
    ours = endpoint.get("ours")
    if endpoint["name"] not in FAST or not ours:
        return ""
    if not ours["requests"]:
        return "missed: no request finished"
    missed = []
    share, times = ratio(ours, endpoint.get("floor")), ratio(ours, endpoint.get("peer"))
    if share is not None and share < MIN_SHARE_OF_FLOOR:
        missed.append(f"{share:.0%} of floor")
    if times is not None and times < MIN_TIMES_PEER:
        missed.append(f"{times:.1f}× peer")
    if ours["p99_ms"] >= MAX_P99_MS:
        missed.append(f"p99 {ours['p99_ms']:.0f} ms")
    if ours["errors"]:
        missed.append("errors")
    return "met" if not missed else "missed: " + ", ".join(missed)


def _suite(results: dict) -> list[str]:
    lines = [
        ("| Endpoint | ours req/s | ours p50 / p99 ms | floor req/s | floor p50 / p99 ms | Datasette req/s "
         "| Datasette p50 / p99 ms | ours/floor | ours/peer | targets |"),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for e in results["endpoints"]:
        ours, floor, peer = _run(e.get("ours")), _run(e.get("floor")), _run(e.get("peer"))
        lines.append(f"| {e['label']} | {ours[0]} | {ours[1]} | {floor[0]} | {floor[1]} | {peer[0]} | {peer[1]} "
                     f"| {_x(ratio(e.get('ours'), e.get('floor')))} | {_x(ratio(e.get('ours'), e.get('peer')))} "
                     f"| {verdict(e)} |")
    return lines


def _repeats(results: dict) -> list[str]:
    rows = [e for e in results["endpoints"] if e.get("repeat")]
    if not rows:
        return []
    lines = ["", "Repeat requests (one URL again and again with its `If-None-Match`: 304 from the data version):", "",
             "| Endpoint | 304 req/s | p50 / p99 ms | vs distinct URLs |", "| --- | ---: | ---: | ---: |"]
    for e in rows:
        rate, latency = _run(e["repeat"])
        lines.append(f"| {e['label']} | {rate} | {latency} | {_x(ratio(e['repeat'], e.get('ours')))} |")
    return lines


def _met(value: float | None, limit: float, below: bool = True) -> str:
    if value is None:
        return "–"
    return "met" if (value < limit if below else value >= limit) else "missed"


def _single(results: dict) -> list[str]:
    rows = results.get("single") or []
    if not rows:
        return []
    lines = ["", "One connection (service time, no queueing):", "",
             "| Request | p50 ms | p99 ms | target | |", "| --- | ---: | ---: | --- | --- |"]
    for row in rows:
        target = row.get("target_ms")
        if row.get("requests") == 0:
            lines.append(f"| {row['label']} | none finished | – | {f'p50 < {target:g} ms' if target else ''} "
                         f"| {'missed' if target else ''} |")
            continue
        lines.append(f"| {row['label']} | {_ms(row['p50_ms'])} | {_ms(row['p99_ms'])} "
                     f"| {f'p50 < {target:g} ms' if target else row.get('target', '')} "
                     f"| {_met(row['p50_ms'], target) if target else row.get('verdict', '')} |")
    return lines


def _service(results: dict) -> list[str]:
    service = results.get("service") or {}
    rate = service.get("import_rate")
    lines = ["", "| Service | measured | target | |", "| --- | ---: | --- | --- |"]
    lines.append(f"| `geoevents serve` start to first 200 on /health | {_n(service.get('start_s'), 2)} s "
                 f"| < {MAX_START_S:g} s | {_met(service.get('start_s'), MAX_START_S)} |")
    lines.append(f"| our server's peak RSS (VmHWM) | {_n(service.get('peak_rss_mb'))} MB | < {MAX_RSS_MB:g} MB "
                 f"| {_met(service.get('peak_rss_mb'), MAX_RSS_MB)} |")
    lines.append(f"| import ({service.get('builder', 'generator')}) | {_n(rate)} events/s "
                 f"| ≥ {MIN_IMPORT_RATE:,} events/s | {_met(rate, MIN_IMPORT_RATE, below=False)} |")
    return lines


PROFILE_COLUMNS = ("framework", "sqlalchemy", "pydantic", "json", "sql", "app", "other")


def _profile(results: dict) -> list[str]:
    profile = results.get("profile") or {}
    if not profile:
        return []
    lines = ["", "Where our server's time goes (py-spy samples of the worker serving one request at a time, % of busy samples):", "",
             "| Endpoint | " + " | ".join(PROFILE_COLUMNS) + " |", "| --- |" + " ---: |" * len(PROFILE_COLUMNS)]
    for name, shares in profile.items():
        lines.append(f"| {name} | " + " | ".join(f"{shares.get(c, 0):.0%}" for c in PROFILE_COLUMNS) + " |")
    return lines


def markdown(results: dict) -> str:
    """The whole report."""
    meta = results["meta"]
    lines = [
        f"### {meta['date']}: {meta['backend']}, {meta['events']:,} events",
        "",
        f"`{meta['command']}` on {meta['machine']}. {meta['setup']}",
    ]
    if meta.get("notes"):
        lines += ["", *[f"- {note}" for note in meta["notes"]]]
    lines += ["", *_suite(results), *_repeats(results), *_single(results), *_service(results), *_profile(results)]
    return "\n".join(lines) + "\n"
