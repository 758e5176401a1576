"""Cold start of each area's Lambda entry in a fresh Python 3.12 process with precompiled
bytecode, beside importing only the third-party packages that entry pulls in."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.harness import ROOT

PY312 = Path(os.environ.get("BENCH_PY312", Path.home() / ".pyenv/versions/3.12.1/bin/python"))
VENV = ROOT / "build" / "bench" / "py312"
RUNS = 7

_PROBE = """
import sys, time, json
t = time.perf_counter()
for name in sys.argv[1].split(","):
    __import__(name)
ms = (time.perf_counter() - t) * 1000
own = ("functions", "milequest", "local", "bench", "tests", "infra")
third = sorted({m.split(".")[0] for m in sys.modules
                if not m.startswith(own) and m.split(".")[0] not in sys.stdlib_module_names
                and not m.startswith("_")})
print(json.dumps({"ms": ms, "third_party": third}))
"""


def _python() -> Path:
    """A Python 3.12 virtualenv with the project's packages (made once, then reused)."""
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([str(PY312), "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", str(ROOT)], check=True)
    subprocess.run(
        [str(python), "-m", "compileall", "-q", str(ROOT / "functions"), str(ROOT / "layers")],
        check=True,
    )
    return python


def _probe(python: Path, modules: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'layers'}:{ROOT}", "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run(
        [str(python), "-c", _PROBE, modules], check=True, capture_output=True, text=True, env=env
    )
    return json.loads(out.stdout)


def run(areas: list[str]) -> dict[str, Any]:
    if not PY312.exists():
        return {"skipped": f"no Python 3.12 at {PY312}"}
    python = _python()
    out: dict[str, Any] = {}
    for area in areas:
        entry = f"functions.{area}"
        first = _probe(python, entry)
        deps = ",".join(first["third_party"]) or "json"
        init = [_probe(python, entry)["ms"] for _ in range(RUNS)]
        only = [_probe(python, deps)["ms"] for _ in range(RUNS)]
        out[area] = {
            "init_ms": round(statistics.median(init), 1),
            "deps_only_ms": round(statistics.median(only), 1),
            "imports_boto3": "boto3" in first["third_party"],
        }
    return out


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1:] or ["health"]), indent=2))
