"""Expand-contract, enforced: migrations run at deploy while the previous release's functions
still serve traffic, so a migration may only add what the old code can ignore. Statements that
would break the old code (dropping or renaming, changing a type, adding NOT NULL without a
default) belong in a contract migration, marked `-- contract: <why nothing uses it any more>`
and shipped a release after the code stopped using what it removes (infra/README.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
CONTRACT_MARK = re.compile(r"^--\s*contract:\s*\S", re.MULTILINE)
BREAKING = {
    "drops a table": re.compile(r"\bDROP\s+TABLE\b", re.I),
    "drops a column": re.compile(r"\bDROP\s+COLUMN\b", re.I),
    "renames": re.compile(r"\bRENAME\b", re.I),
    "changes a column type": re.compile(r"\bALTER\s+COLUMN\s+\w+\s+(SET\s+DATA\s+)?TYPE\b", re.I),
    "makes a column NOT NULL": re.compile(r"\bSET\s+NOT\s+NULL\b", re.I),
    "adds a NOT NULL column without a default": re.compile(
        r"\bADD\s+COLUMN\b(?:(?!\bDEFAULT\b)[^,;])*\bNOT\s+NULL\b(?:(?!\bDEFAULT\b)[^,;])*[,;]",
        re.I,
    ),
}


def _statements(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def breaking_changes(sql: str) -> list[str]:
    if CONTRACT_MARK.search(sql):
        return []
    body = _statements(sql)
    return [what for what, pattern in BREAKING.items() if pattern.search(body)]


@pytest.mark.parametrize("path", sorted(MIGRATIONS.glob("*.sql")), ids=lambda p: p.name)
def test_migration_only_expands(path):
    assert breaking_changes(path.read_text()) == []


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        ("ALTER TABLE users DROP COLUMN nickname;", ["drops a column"]),
        ("ALTER TABLE teams RENAME COLUMN name TO title;", ["renames"]),
        ("ALTER TABLE goals ALTER COLUMN target TYPE bigint;", ["changes a column type"]),
        (
            "ALTER TABLE users ADD COLUMN locale text NOT NULL;",
            ["adds a NOT NULL column without a default"],
        ),
        ("ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en';", []),
        ("ALTER TABLE users ADD COLUMN locale text;", []),
        ("-- contract: 0.9 stopped reading nickname\nALTER TABLE users DROP COLUMN nickname;", []),
        ("-- we never DROP TABLE here\nCREATE TABLE t (id int);", []),
    ],
)
def test_the_guard_tells_expanding_from_contracting(sql, found):
    assert breaking_changes(sql) == found
