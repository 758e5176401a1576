"""ops_snapshots rows: the previous reading of a monitoring job, keyed by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from milequest.db.rows import fetch_one


@dataclass(frozen=True, slots=True)
class Snapshot:
    taken_at: datetime
    data: dict[str, Any]  # the job's own document, stored as JSON


def previous(conn: Connection[Any], name: str) -> Snapshot | None:
    return fetch_one(
        conn, Snapshot, "SELECT taken_at, data FROM ops_snapshots WHERE name = %s", (name,)
    )


def store(conn: Connection[Any], name: str, data: dict[str, Any]) -> None:
    conn.execute(
        """INSERT INTO ops_snapshots (name, data) VALUES (%s, %s)
           ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data, taken_at = now()""",
        (name, Jsonb(data)),
    )
