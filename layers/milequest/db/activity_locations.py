"""activities.location: the optional, private point of a walk (docs/analytics.md).

Kept apart from milequest.db.activities on purpose: no general activity query selects this
column, so nothing but the owner's reads (which call this module) can ever return it. The
walk's export entry, `activities.export_json` (migrations/0870), holds the point and the
private notes too: only the owner's export (milequest.db.user_export) reads that column.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

_POINT = "ST_SetSRID(ST_MakePoint(%(lng)s, %(lat)s), 4326)::geography"


def save(conn: Connection[Any], activity_id: UUID, lat_lng: tuple[float, float] | None) -> None:
    """Set (or, with None, remove) the location of an activity."""
    if lat_lng is None:
        conn.execute("UPDATE activities SET location = NULL WHERE id = %s", (activity_id,))
        return
    conn.execute(
        f"UPDATE activities SET location = {_POINT} WHERE id = %(id)s",
        {"id": activity_id, "lat": lat_lng[0], "lng": lat_lng[1]},
    )


def owned(
    conn: Connection[Any], owner_id: UUID, activity_ids: list[UUID]
) -> dict[UUID, tuple[float, float]]:
    """(lat, lng) of those of `activity_ids` that `owner_id` owns and that have a location."""
    if not activity_ids:
        return {}
    rows = conn.execute(
        """SELECT id, ST_Y(location::geometry), ST_X(location::geometry) FROM activities
           WHERE id = ANY(%s) AND user_id = %s AND location IS NOT NULL""",
        (activity_ids, owner_id),
    ).fetchall()
    return {r[0]: (float(r[1]), float(r[2])) for r in rows}


def recent_centroid(
    conn: Connection[Any], user_id: UUID, walks: int = 10
) -> tuple[float, float] | None:
    """(lat, lng) of the centroid of the user's last `walks` located walks, if any."""
    row = conn.execute(
        """SELECT ST_Y(c), ST_X(c) FROM (
               SELECT ST_Centroid(ST_Collect(location::geometry)) AS c FROM (
                   SELECT location FROM activities
                   WHERE user_id = %s AND location IS NOT NULL
                   ORDER BY activity_at DESC LIMIT %s) last) p
           WHERE c IS NOT NULL""",
        (user_id, walks),
    ).fetchone()
    return None if row is None else (float(row[0]), float(row[1]))


def erase_for_user(conn: Connection[Any], user_id: UUID) -> int:
    """Account deletion: the walks stay (team totals), where they happened does not."""
    cur = conn.execute(
        "UPDATE activities SET location = NULL WHERE user_id = %s AND location IS NOT NULL",
        (user_id,),
    )
    return cur.rowcount
