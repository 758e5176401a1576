"""What a notification's texts are filled with: the names behind the ids in its data, looked up
once per notify() call, and the recipients' locales."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_one


@dataclass(frozen=True, slots=True)
class Names:
    """The names behind a notification's ids; None where the id is absent or unknown."""

    goal_name: str | None
    target: Decimal | None
    team_name: str | None
    user_name: str | None
    achievement_name: str | None
    achievement_desc: str | None


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value)) if value is not None else None
    except ValueError:
        return None


def params_for(conn: Connection[Any], data: dict[str, Any], team_id: UUID | None) -> dict[str, Any]:
    """`data` plus goalName, distanceKm, teamName, userName, achievementName/Description when
    the ids they belong to are in it."""
    row = fetch_one(
        conn,
        Names,
        """SELECT (SELECT name FROM team_goals WHERE id = %(goal)s) AS goal_name,
                  (SELECT target_distance FROM team_goals WHERE id = %(goal)s) AS target,
                  (SELECT name::text FROM teams WHERE id = %(team)s) AS team_name,
                  (SELECT name FROM users WHERE id = %(user)s) AS user_name,
                  (SELECT name FROM achievements WHERE key = %(key)s) AS achievement_name,
                  (SELECT description FROM achievements WHERE key = %(key)s) AS achievement_desc""",
        {
            "goal": _uuid(data.get("goalId")),
            "team": team_id or _uuid(data.get("teamId")),
            "user": _uuid(data.get("userId")),
            "key": data.get("key"),
        },
    )
    params = dict(data)
    if row is None:
        return params
    found = {
        "goalName": row.goal_name,
        "distanceKm": round(float(row.target) / 1000, 1) if row.target else None,
        "teamName": row.team_name,
        "userName": row.user_name,
        "achievementName": row.achievement_name,
        "achievementDescription": row.achievement_desc,
        "achievementKey": data.get("key") if row.achievement_name else None,
    }
    params.update({k: v for k, v in found.items() if v is not None})
    if isinstance(data.get("waypoint"), int):
        params["waypointNumber"] = data["waypoint"] + 1
    return params


def locales_of(conn: Connection[Any], user_ids: list[UUID]) -> dict[UUID, str]:
    rows = conn.execute("SELECT id, locale FROM users WHERE id = ANY(%s)", (user_ids,)).fetchall()
    return {r[0]: r[1] for r in rows}
