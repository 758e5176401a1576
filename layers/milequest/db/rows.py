"""Typed rows: SQL in, rows out (docs/architecture.md#database-access).

The one row style is a `@dataclass(frozen=True, slots=True)` declared in the table module,
filled by `fetch_one`/`fetch_all` from columns aliased to its field names; a nested object of
the wire (a member's `user`, an invite's `team`) is built in SQL with `json_build_object`, so
the domain validates its models from rows and maps nothing by hand.

One exception, `fetch_dicts`: reports whose rows go into a JSON document column for column,
with no model in between: the statistics catalogs read by the ops jobs (`db/monitoring.py`
statements and indexes, `db/index_analysis.py` findings). The data export is JSON text built
by PostgreSQL (`db/user_export.py`, docs/architecture.md#pre-serialised-responses).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from psycopg import Connection
from psycopg.rows import class_row, dict_row

T = TypeVar("T")

Params = Sequence[Any] | dict[str, Any] | None


def fetch_one(
    conn: Connection[Any], row: Callable[..., T], sql: str, params: Params = None
) -> T | None:
    with conn.cursor(row_factory=class_row(row)) as cur:  # type: ignore[arg-type]
        cur.execute(sql, params)
        return cur.fetchone()


def fetch_all(
    conn: Connection[Any], row: Callable[..., T], sql: str, params: Params = None
) -> list[T]:
    with conn.cursor(row_factory=class_row(row)) as cur:  # type: ignore[arg-type]
        cur.execute(sql, params)
        return cur.fetchall()


def fetch_dicts(conn: Connection[Any], sql: str, params: Params = None) -> list[dict[str, Any]]:
    """Dict rows, for free-form reports only (see above)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def fetch_value(conn: Connection[Any], sql: str, params: Params = None) -> Any:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
        return None if row is None else row[0]


def fields_of(row: Any) -> dict[str, Any]:
    """A dataclass row's fields as a dict, values as they are: `dataclasses.asdict` deep-copies
    every value (UUIDs, Decimals, datetimes) and cost milliseconds on a leaderboard's rows."""
    return {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
