"""Cold start of each area's Lambda entry in a fresh Python 3.12 process with precompiled
bytecode, beside importing only the third-party packages that entry pulls in."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from bench.harness import ROOT

PY312 = Path(os.environ.get("BENCH_PY312", Path.home() / ".pyenv/versions/3.12.1/bin/python"))
VENV = ROOT / "build" / "bench" / "py312"
RUNS = 11  # pairs per area: at 7 an area's ratio moved by ±0.2 between runs

# Imports the modules named on stdin (one a line; a name that does not import alone, such as
# an alias a package registers in sys.modules, is skipped), then reports the time (wall and
# CPU) and every module from site-packages now loaded, by full name, in the order of loading.
_PROBE = """
import json, site, sys, time
names = sys.stdin.read().split()
t, cpu = time.perf_counter(), time.process_time()
for name in names:
    try:
        __import__(name)
    except Exception:
        pass
ms, cpu_ms = (time.perf_counter() - t) * 1000, (time.process_time() - cpu) * 1000
sites = tuple(site.getsitepackages())
third = [name for name, m in list(sys.modules.items())
         if (getattr(m, "__file__", None) or "").startswith(sites)]
print(json.dumps({"ms": ms, "cpu_ms": cpu_ms, "third_party": third}))
"""


def _python() -> Path:
    """A Python 3.12 virtualenv with the project's runtime dependencies (made once, then
    reused); the project itself comes from PYTHONPATH, as in the Lambda layer."""
    python = VENV / "bin" / "python"
    if not python.exists():
        deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
        subprocess.run([str(PY312), "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *deps], check=True)
    subprocess.run(
        [str(python), "-m", "compileall", "-q", str(ROOT / "functions"), str(ROOT / "layers")],
        check=True,
    )
    return python


def _probe(python: Path, modules: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'layers'}:{ROOT}", "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run(
        [str(python), "-c", _PROBE],
        input="\n".join(modules),
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return dict(json.loads(out.stdout))


def _median(probes: list[dict[str, Any]], key: str) -> float:
    return round(statistics.median(p[key] for p in probes), 1)


def run(areas: list[str]) -> dict[str, Any]:
    if not PY312.exists():
        return {"skipped": f"no Python 3.12 at {PY312}"}
    python = _python()
    out: dict[str, Any] = {}
    for area in areas:
        entry = [f"functions.{area}"]
        # The deps-only baseline imports every third-party module the entry loaded (not only
        # their top-level packages, which import less): what is left is the project's own cost.
        deps = _probe(python, entry)["third_party"]
        init: list[dict[str, Any]] = []
        only: list[dict[str, Any]] = []
        for i in range(RUNS):  # alternated, so both see the same load on a shared machine
            if i % 2:  # and in turn first, so neither always finds the files' cache warmer
                only.append(_probe(python, deps))
                init.append(_probe(python, entry))
            else:
                init.append(_probe(python, entry))
                only.append(_probe(python, deps))
        out[area] = {
            # The ratio of each pair, then their median: the machine's speed drifts between
            # pairs (a ratio of the two medians moved by ±0.3 from run to run), hardly within.
            "ratio": round(
                statistics.median(
                    a["cpu_ms"] / max(b["cpu_ms"], 0.1) for a, b in zip(init, only, strict=True)
                ),
                2,
            ),
            # CPU time: on a shared machine the wall clock mostly measures the others' load.
            "init_ms": _median(init, "cpu_ms"),
            "deps_only_ms": _median(only, "cpu_ms"),
            "init_wall_ms": _median(init, "ms"),
            "deps_only_wall_ms": _median(only, "ms"),
            "imports_boto3": "boto3" in deps,
            "third_party_modules": len(deps),
        }
    return out


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1:] or ["health"]), indent=2))
