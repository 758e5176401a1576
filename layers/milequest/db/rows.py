"""Small typed-row helpers: SQL in, dataclass/pydantic rows out."""

from __future__ import annotations

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


def fetch_dict(conn: Connection[Any], sql: str, params: Params = None) -> dict[str, Any] | None:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def fetch_dicts(conn: Connection[Any], sql: str, params: Params = None) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def fetch_value(conn: Connection[Any], sql: str, params: Params = None) -> Any:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
        return None if row is None else row[0]
