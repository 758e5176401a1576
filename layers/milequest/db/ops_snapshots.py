"""ops_snapshots rows: the previous reading of a monitoring job, keyed by name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from milequest.db.rows import fetch_dict


def previous(conn: Connection[Any], name: str) -> tuple[datetime, dict[str, Any]] | None:
    row = fetch_dict(conn, "SELECT taken_at, data FROM ops_snapshots WHERE name = %s", (name,))
    return None if row is None else (row["taken_at"], row["data"])


def store(conn: Connection[Any], name: str, data: dict[str, Any]) -> None:
    conn.execute(
        """INSERT INTO ops_snapshots (name, data) VALUES (%s, %s)
           ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data, taken_at = now()""",
        (name, Jsonb(data)),
    )
