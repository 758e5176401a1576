"""The code asset (no pip involved, so it runs offline): handlers, package, migrations, .pyc."""

from __future__ import annotations

import pytest

from functions.registry import ROUTES
from infra import bundling
from infra.jobs import discover_jobs


@pytest.fixture
def code(tmp_path, monkeypatch):
    monkeypatch.delenv("MILEQUEST_FAKE_BUNDLE", raising=False)
    monkeypatch.setattr(bundling, "BUILD", tmp_path)
    return bundling.code_dir()


def test_code_asset_holds_every_handler_the_package_and_the_migrations(code):
    modules = [r.module for r in ROUTES] + [j.module for j in discover_jobs()]
    modules.append("functions.deploy.apply_migrations")
    for module in modules:
        path = code / module.replace(".", "/")
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), module
    assert (code / "milequest" / "db" / "migrations.py").is_file()
    shipped = sorted(p.name for p in (code / "milequest" / "migrations").glob("*.sql"))
    assert shipped == sorted(p.name for p in (bundling.ROOT / "migrations").glob("*.sql"))
    assert not (code / "tests").exists()


@pytest.mark.skipif(bundling.python312() is None, reason="python3.12 not installed")
def test_code_asset_is_precompiled_for_python312(code):
    assert (code / "functions" / "__pycache__" / "registry.cpython-312.pyc").is_file()
    stray = [p for p in code.rglob("*.pyc") if "cpython-312" not in p.name]
    assert stray == []


def test_the_layer_leaves_out_what_the_runtime_ships_even_as_a_dependency(tmp_path):
    for name in ("botocore", "botocore-1.40.0.dist-info", "aws_xray_sdk", "wrapt"):
        (tmp_path / name).mkdir()
    bundling.drop_runtime_packages(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aws_xray_sdk", "wrapt"]
