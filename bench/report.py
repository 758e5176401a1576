"""The Markdown section a bench run adds to BENCHMARKS.md, and the shape of results.json.

Each table marks the issue's targets (docs: BENCHMARKS.md, "Method"): ✓ met, ✗ missed."""

from __future__ import annotations

from typing import Any

# The keys results.json must have (issue 17); extra keys are allowed.
ROUTE_KEYS = ("median_ms", "p95_ms", "raw_sql_median_ms", "small_user_median_ms",
              "large_user_median_ms")  # fmt: skip
SHAPE: dict[str, tuple[str, ...]] = {
    "dataset": ("users", "teams", "activities"),
    "writes": ("route_tps_8", "pgbench_tps_8"),
}
PER_KEY: dict[str, tuple[str, ...]] = {
    "routes": ROUTE_KEYS,
    "http": ("clients", "median_ms", "p95_ms", "rps", "inprocess_median_ms"),
    "cold_start": ("init_ms", "deps_only_ms"),
}
READ_P95_MS, WRITE_P95_MS = 15.0, 25.0
HEAVY_OVER_LIGHT, PLUMBING_MS, WRITE_SHARE, HTTP_EXTRA_MS, COLD_RATIO = 1.5, 1.5, 0.5, 1.0, 1.3


def shape_errors(results: dict[str, Any]) -> list[str]:
    """What results.json lacks of the issue's shape (an empty list: it has it all)."""
    errors = [f"{part}.{key}" for part, keys in SHAPE.items() if part in results
              for key in keys if key not in results[part]]  # fmt: skip
    for part, keys in PER_KEY.items():
        for name, row in (results.get(part) or {}).items():
            errors += [f"{part}[{name}].{key}" for key in keys if key not in row]
    return errors


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _route_line(key: str, r: dict[str, Any]) -> str:
    if r.get("median_ms") is None:
        return f"| {key} | not measured: {r.get('note', 'error')} |  |  |  |  |  |  |  |"
    small, large, raw = r["small_user_median_ms"], r["large_user_median_ms"], r["raw_sql_median_ms"]
    ratio = large / small if small else None
    plumbing = r["median_ms"] - raw if raw is not None else None
    small_p95 = r.get("small_user_p95_ms")
    p95_ok = max(r["p95_ms"], small_p95 or 0.0) <= READ_P95_MS
    flags = _mark(p95_ok)
    flags += _mark(ratio is None or ratio <= HEAVY_OVER_LIGHT)
    flags += _mark(plumbing is None or plumbing <= PLUMBING_MS)
    who = f" ({r['as']})" if r.get("as") else ""
    return (
        f"| {key}{who} | {_ms(r['median_ms'])} | {_ms(r['p95_ms'])} | {_ms(raw)} "
        f"| {_ms(plumbing)} | {_ms(small)} | {_ms(small_p95)} "
        f"| {'—' if ratio is None else f'{ratio:.2f}×'} "
        f"| {flags} |"
    )


def _routes(rows: dict[str, Any]) -> list[str]:
    lines = [
        "Reads in-process, heavy user (≈ 5 000 walks) beside a light one (≈ 10, whose teams "
        f"may be bigger); targets: p95 ≤ {READ_P95_MS:g} ms for both, heavy/light ≤ "
        f"{HEAVY_OVER_LIGHT}×, plumbing ≤ {PLUMBING_MS} ms:",
        "",
        "| route | heavy median | heavy p95 | raw SQL median | plumbing | light median "
        "| light p95 | heavy/light | targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    return lines + [_route_line(key, r) for key, r in rows.items()] + [""]


def _writes(rows: dict[str, Any]) -> list[str]:
    lines = [f"| write route (heavy user) | median | p95 ≤ {WRITE_P95_MS:g} |", "|---|---:|---:|"]
    for key, r in rows.items():
        ok = _mark(r["p95_ms"] <= WRITE_P95_MS)
        lines.append(f"| {key} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} {ok} |")
    return lines + [""]


def _contention(w: dict[str, Any]) -> list[str]:
    ratio = w["route_tps_8"] / w["pgbench_tps_8"] if w["pgbench_tps_8"] else 0.0
    lines = [
        f"8 writers logging walks into one busy team: {w['route_tps_8']} tx/s; `pgbench -b "
        f"tpcb-like -c 8` (scale 1, same server, same run): {w['pgbench_tps_8']} tps; ratio "
        f"{ratio:.2f} (target ≥ {WRITE_SHARE}) {_mark(ratio >= WRITE_SHARE)}. "
        + (
            "Every walk moved the team's ACTIVE goal (its count grew by the walks logged)."
            if w.get("every_walk_counted")
            else "Not every walk moved the team's ACTIVE goal: the run did not measure its lock."
        ),
        "",
    ]
    server = w.get("function_tps_8")
    if server is not None:  # runs before 2026-12-07 did not measure it
        share = server / w["pgbench_tps_8"] if w["pgbench_tps_8"] else 0.0
        lines += [
            f"The route's server call alone (`activity_log` as the route sends it, from pgbench "
            f"at 8 clients, same team, same run): {server} tps, ratio {share:.2f}; what it has "
            "over the route is the writers' own CPU, on the database's 2 cores here.",
            "",
        ]
    return lines


def _http(rows: dict[str, Any]) -> list[str]:
    lines = [
        f"Over the local HTTP server (waitress); target at one client: median ≤ in-process + "
        f"{HTTP_EXTRA_MS:g} ms (both measured alternately, request by request). The handler's "
        "time inside the server (Server-Timing) and the CPU per request of the server process "
        "against the in-process call's tell the serving path's own cost from scheduling waits:",
        "",
        "| route | clients | median | p95 | rps | in-process median | extra | target "
        "| server's handler median | server CPU | in-process CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for key, r in rows.items():
        extra = r["median_ms"] - r["inprocess_median_ms"]
        target = _mark(extra <= HTTP_EXTRA_MS) if r["clients"] == 1 else ""
        lines.append(
            f"| {key} | {r['clients']} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} | {r['rps']} "
            f"| {r['inprocess_median_ms']:.2f} | {extra:+.2f} | {target} "
            f"| {_ms(r.get('server_handler_median_ms'))} | {_ms(r.get('server_cpu_ms'))} "
            f"| {_ms(r.get('inprocess_cpu_ms'))} |"
        )
    return lines + [""]


def _cold(rows: dict[str, Any]) -> list[str]:
    lines = [
        f"Cold start: each area's entry imported in a fresh Python 3.12 process (.pyc "
        f"precompiled), CPU ms, beside importing the same third-party modules alone (medians "
        f"of alternated pairs; the ratio is the median of the pairs' ratios); target "
        f"≤ {COLD_RATIO}×:",
        "",
        "| area | init | deps only | ratio | wall init | wall deps | boto3 | target |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for area, r in rows.items():
        if not isinstance(r, dict):
            lines.append(f"| {area} | {r} |  |  |  |  |  |  |")
            continue
        # The median of the alternated pairs' ratios where the run has it (bench.cold_start).
        ratio = r.get("ratio") or (r["init_ms"] / r["deps_only_ms"] if r["deps_only_ms"] else 0.0)
        lines.append(
            f"| {area} | {r['init_ms']} | {r['deps_only_ms']} | {ratio:.2f}× "
            f"| {r.get('init_wall_ms', '—')} | {r.get('deps_only_wall_ms', '—')} "
            f"| {'yes' if r.get('imports_boto3') else 'no'} | {_mark(ratio <= COLD_RATIO)} |"
        )
    return lines + [""]


def markdown(results: dict[str, Any]) -> str:
    d = results["dataset"]
    lines = [
        f"### Run of {results['at']} — `{results['command'].strip()}`",
        "",
        f"Data set: {d['users']} users, {d['teams']} teams, {d['activities']} activities. "
        f"Machine: {results['machine']}. Times in ms. Took {results.get('seconds', '?')} s.",
        "",
    ]
    for part, render in (("routes", _routes), ("write_routes", _writes), ("writes", _contention),
                         ("http", _http), ("cold_start", _cold)):  # fmt: skip
        if part in results:
            lines += render(results[part])
    return "\n".join(lines) + "\n"
