"""Candidate teams for a user and the signals that score them (docs/analytics.md).

One query: public live teams with an open seat that the user is not in, each with its signals
as booleans, the score and a keyset position (score desc, member count desc, name, id)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.rows import fetch_all
from milequest.db.teams import ACTIVE_GOAL, ACTIVE_GOAL_COLUMNS, NEAR_EDGE, GoalColumns

NEAR_METRES = 25_000
# My pace is measured over these weeks at request time, each team's by the view team_pace over
# the same (migration 0730 writes it as a literal; a test checks they agree).
PACE_WEEKS = 4
# The weights (docs/domain.md) are in `scored`: 3 NEAR_ROUTE + 2 TEAMMATES_THERE + SIMILAR_PACE
# + ACTIVE_GOAL.

# MATERIALIZED: each signal is computed once (inlined, the near-route and teammates tests ran
# once for their column and again inside the score).
_SQL = f"""
WITH mine AS MATERIALIZED (
    -- my weekly distance over the last PACE_WEEKS weeks
    SELECT coalesce(sum(distance), 0) / %(weeks)s AS weekly
      FROM activities
     WHERE user_id = %(me)s AND activity_at > now() - make_interval(weeks => %(weeks)s)),
my_teammates AS MATERIALIZED (
    SELECT DISTINCT other.user_id
      FROM team_members me_m
      JOIN team_members other ON other.team_id = me_m.team_id AND other.left_at IS NULL
     WHERE me_m.user_id = %(me)s AND me_m.left_at IS NULL AND other.user_id <> %(me)s),
teammate_teams AS MATERIALIZED (
    -- = ANY of an array: an index range per teammate. As a join the planner expected dozens of
    -- teammates (often 3) and read all of team_members instead.
    SELECT DISTINCT m.team_id
      FROM team_members m
     WHERE m.user_id = ANY (ARRAY(SELECT user_id FROM my_teammates)) AND m.left_at IS NULL),
near_teams AS MATERIALIZED (
    -- one of the active route's edges within the radius (the edges' GiST index, migration 0710)
    SELECT DISTINCT g.team_id
      FROM team_goal_route_edges e
      JOIN team_goals g ON g.id = e.goal_id AND g.status = 'ACTIVE'
     WHERE %(lat)s::float8 IS NOT NULL AND {NEAR_EDGE}),
candidates AS (
    -- the count as a lateral row, not a scalar subquery: that one ran twice per team (for the
    -- open-seat test and again for the column)
    SELECT t.id, t.name::text AS name, mc.member_count, t.max_members
      FROM teams t
      CROSS JOIN LATERAL (SELECT count(*)::int AS member_count FROM team_members m
                           WHERE m.team_id = t.id AND m.left_at IS NULL) mc
     WHERE t.is_public AND t.deleted_at IS NULL AND mc.member_count < t.max_members
       AND NOT EXISTS (SELECT 1 FROM team_members m
                        WHERE m.team_id = t.id AND m.user_id = %(me)s AND m.left_at IS NULL)),
signals AS MATERIALIZED (
    SELECT c.*,
           c.id IN (SELECT team_id FROM near_teams) AS near_route,
           c.id IN (SELECT team_id FROM teammate_teams) AS teammates_there,
           coalesce(mine.weekly > 0
                    AND pace.weekly BETWEEN mine.weekly * 0.5 AND mine.weekly * 1.5, false)
               AS similar_pace,
           EXISTS (SELECT 1 FROM team_goals g WHERE g.team_id = c.id AND g.status = 'ACTIVE')
               AS active_goal
      FROM candidates c
      CROSS JOIN mine
      -- the team's weekly distance per active member as of the last refresh (migration 0730)
      LEFT JOIN team_pace pace ON pace.team_id = c.id),
scored AS (
    SELECT s.*, lower(s.name) AS sort_name,
           3 * s.near_route::int + 2 * s.teammates_there::int + s.similar_pace::int
             + s.active_goal::int AS score
      FROM signals s),
page AS (
    SELECT * FROM scored
     WHERE %(after_score)s::int IS NULL
        OR (-score, -member_count, sort_name COLLATE "C", id)
           > (-%(after_score)s::int, -%(after_members)s::int, %(after_name)s COLLATE "C",
              %(after_id)s::uuid)
     ORDER BY score DESC, member_count DESC, sort_name COLLATE "C", id
     LIMIT %(limit)s)
-- the page's teams' other columns and active goal, read for these rows only
SELECT p.*, t.description, t.avatar_url, {ACTIVE_GOAL_COLUMNS}
  FROM page p
  JOIN teams t ON t.id = p.id
  {ACTIVE_GOAL}
 ORDER BY p.score DESC, p.member_count DESC, p.sort_name COLLATE "C", p.id"""

Position = tuple[int, int, str, UUID]


@dataclass(frozen=True, slots=True)
class RecommendationRow(GoalColumns):
    id: UUID
    name: str
    description: str | None
    avatar_url: str | None
    member_count: int
    max_members: int
    near_route: bool
    teammates_there: bool
    similar_pace: bool
    active_goal: bool
    sort_name: str
    score: int


def recommended(
    conn: Connection[Any],
    me: UUID,
    near: tuple[float, float] | None,
    limit: int,
    after: Position | None,
) -> list[RecommendationRow]:
    lat, lng = near if near is not None else (None, None)
    score, members, name, team = after if after is not None else (None, None, None, None)
    return fetch_all(
        conn,
        RecommendationRow,
        _SQL,
        {
            "me": me,
            "lat": lat,
            "lng": lng,
            "radius": NEAR_METRES,
            "weeks": PACE_WEEKS,
            "limit": limit,
            "after_score": score,
            "after_members": members,
            "after_name": name,
            "after_id": team,
        },
    )
