"""The Markdown section a bench run adds to BENCHMARKS.md."""

from __future__ import annotations

from typing import Any


def _routes(rows: dict[str, Any]) -> list[str]:
    lines = [
        "| route | heavy median | heavy p95 | raw SQL median | plumbing | light median "
        "| heavy/light |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, r in rows.items():
        if "median_ms" not in r:
            lines.append(f"| {key} | answered {r} |  |  |  |  |  |")
            continue
        small, large = r.get("small_user_median_ms"), r["large_user_median_ms"]
        ratio = f"{large / small:.2f}×" if small else "—"
        lines.append(
            f"| {key} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} | {r['raw_sql_median_ms']:.2f} "
            f"| {r['median_ms'] - r['raw_sql_median_ms']:.2f} | {small or 0:.2f} | {ratio} |"
        )
    return lines


def markdown(results: dict[str, Any]) -> str:
    d = results["dataset"]
    lines = [
        f"### Run of {results['at']} — `{results['command'].strip()}`",
        "",
        f"Data set: {d['users']} users, {d['teams']} teams, {d['activities']} activities. "
        f"Machine: {results['machine']}. Times in ms.",
        "",
    ]
    if "routes" in results:
        lines += ["Reads in-process (heavy ≈ 5 000 walks, light ≈ 10):", ""]
        lines += _routes(results["routes"]) + [""]
    if "write_routes" in results:
        lines += ["| write route (heavy user) | median | p95 |", "|---|---:|---:|"]
        for key, r in results["write_routes"].items():
            lines.append(f"| {key} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} |")
        lines.append("")
    if "writes" in results:
        w = results["writes"]
        lines += [
            f"8 writers into one busy team: {w['route_tps_8']} tx/s; pgbench tpcb-like -c 8: "
            f"{w['pgbench_tps_8']} tps (ratio {w['ratio']}).",
            "",
        ]
    if "http" in results:
        lines += [
            "| over the local HTTP server | clients | median | p95 | rps | in-process median |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for key, r in results["http"].items():
            lines.append(
                f"| {key} | {r['clients']} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} "
                f"| {r['rps']} | {r['inprocess_median_ms']:.2f} |"
            )
        lines.append("")
    if "cold_start" in results:
        lines += ["| cold start (Python 3.12, .pyc) | init | deps only | ratio | boto3 |",
                  "|---|---:|---:|---:|---|"]  # fmt: skip
        for area, r in results["cold_start"].items():
            if not isinstance(r, dict):
                lines.append(f"| {area} | {r} |  |  |  |")
                continue
            ratio = r["init_ms"] / r["deps_only_ms"] if r["deps_only_ms"] else 0
            lines.append(
                f"| {area} | {r['init_ms']} | {r['deps_only_ms']} | {ratio:.2f}× "
                f"| {'yes' if r['imports_boto3'] else 'no'} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"
