"""Lambda assets built without Docker.

* Dependencies layer: `pip install --platform manylinux2014_aarch64 --only-binary=:all:
  --python-version 3.12 --implementation cp --target build/deps-<hash>/python` for the runtime
  dependencies of pyproject.toml (minus boto3/botocore, which the Lambda runtime provides).
  Cached under build/, keyed by a hash of pyproject.toml: re-run only when dependencies change.
* Code asset: layers/milequest + functions + migrations (copied to milequest/migrations, where
  milequest.db.migrations looks for them in a bundle), rebuilt on every synth (cheap).

Both are precompiled for CPython 3.12 into `__pycache__` with `--invalidation-mode
unchecked-hash`: the Lambda runtime then loads the .pyc without comparing source mtimes (asset
zips do not preserve them) and never tries to write to its read-only file system. The .py files
stay in the bundle so tracebacks show source lines. When no python3.12 is found the .py files
are shipped alone (correct, only a slower cold start).

MILEQUEST_FAKE_BUNDLE=1 produces tiny placeholder directories instead (offline, fast: used by
tests/infra).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
PYTHON_VERSION = "3.12"
PLATFORM = "manylinux2014_aarch64"
PROVIDED_BY_RUNTIME = frozenset({"boto3", "botocore"})
# Pure-Python packages published only as source: built here into (platform-independent) wheels,
# since the install for the Lambda platform takes wheels only.
SOURCE_ONLY = frozenset({"http-ece"})
_PY312_CANDIDATES = (
    os.environ.get("MILEQUEST_PYTHON312", ""),
    "/root/.pyenv/versions/3.12.1/bin/python",
    shutil.which("python3.12") or "",
)


def fake_bundle() -> bool:
    return os.environ.get("MILEQUEST_FAKE_BUNDLE", "") not in ("", "0", "false")


def runtime_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """pyproject's runtime dependencies, minus what the Lambda runtime already ships."""
    deps: list[str] = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    return [dep for dep in deps if _name(dep) not in PROVIDED_BY_RUNTIME]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].strip().lower()


def _source_only_wheels(requirements: list[str], wheels: Path) -> None:
    wanted = [r for r in requirements if _name(r) in SOURCE_ONLY]
    if wanted:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels)]
            + wanted,
            check=True,
        )


def drop_runtime_packages(site: Path) -> None:
    """Remove what pip pulled in as a dependency of another package but the runtime ships
    (aws-xray-sdk requires botocore): the layer would otherwise carry a second botocore."""
    for name in PROVIDED_BY_RUNTIME:
        for path in [site / name, *site.glob(f"{name}-*.dist-info")]:
            if path.is_dir():
                shutil.rmtree(path)


def python312() -> str | None:
    for candidate in _PY312_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _compile(directory: Path) -> None:
    interpreter = python312()
    if interpreter is None:
        print("bundling: python3.12 not found, shipping .py only", file=sys.stderr)
        return
    subprocess.run(
        [
            interpreter,
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            str(directory),
        ],
        check=True,
    )


def _placeholder(name: str, files: dict[str, str]) -> Path:
    target = BUILD / "fake" / name
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    return target


def deps_layer_dir() -> Path:
    """Directory whose `python/` holds the runtime dependencies (the layer asset)."""
    if fake_bundle():
        return _placeholder("deps", {"python/placeholder.txt": "fake dependencies layer\n"})
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    target = BUILD / f"deps-{key}"
    marker = BUILD / f"deps-{key}.complete"
    if marker.exists() and target.is_dir():
        return target
    if target.exists():
        shutil.rmtree(target)
    site = target / "python"
    site.mkdir(parents=True)
    wheels = BUILD / f"wheels-{key}"
    _source_only_wheels(runtime_requirements(), wheels)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",
            "--platform",
            PLATFORM,
            "--only-binary=:all:",
            "--python-version",
            PYTHON_VERSION,
            "--implementation",
            "cp",
            "--find-links",
            str(wheels),
            "--target",
            str(site),
            *runtime_requirements(),
        ],
        check=True,
    )
    for junk in site.glob("*.dist-info/RECORD"):
        junk.unlink()
    drop_runtime_packages(site)
    _compile(site)
    marker.write_text(key + "\n")
    return target


def _ignore(_dir: str, names: list[str]) -> set[str]:
    return {n for n in names if n == "__pycache__" or n.endswith((".pyc", ".pyo"))}


def code_dir() -> Path:
    """Directory with milequest/, functions/ and milequest/migrations/ (the code asset)."""
    if fake_bundle():
        return _placeholder("code", {"functions/__init__.py": "", "milequest/__init__.py": ""})
    target = BUILD / "code"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "layers" / "milequest", target / "milequest", ignore=_ignore)
    shutil.copytree(ROOT / "functions", target / "functions", ignore=_ignore)
    shutil.copytree(ROOT / "migrations", target / "milequest" / "migrations", ignore=_ignore)
    _compile(target)
    return target


def migrations_hash() -> str:
    """Changes whenever a migration file changes: the migration custom resource re-runs then."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "migrations").rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
