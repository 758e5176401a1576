"""Private activity locations (docs/analytics.md): written with the activity, shown to its
owner only. Every read that answers with the owner's own activities goes through `for_owner`;
any other view builds `Activity` without a location, so it is null there by construction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import activity_locations as locations_db
from milequest.models.activities import Activity, ActivityLocation


def save(conn: Connection[Any], activity_id: UUID, location: ActivityLocation | None) -> None:
    locations_db.save(conn, activity_id, None if location is None else (location.lat, location.lng))


def for_owner(conn: Connection[Any], me: UUID, activities: list[Activity]) -> list[Activity]:
    """The same activities, with the location of those `me` owns."""
    mine = [a.id for a in activities if a.user_id == me]
    found = locations_db.owned(conn, me, mine)
    return [
        a.model_copy(update={"location": ActivityLocation(lat=found[a.id][0], lng=found[a.id][1])})
        if a.id in found
        else a
        for a in activities
    ]


def one_for_owner(conn: Connection[Any], me: UUID, activity: Activity) -> Activity:
    return for_owner(conn, me, [activity])[0]
