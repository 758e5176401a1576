"""Invariant checks the schema cannot enforce (soft deletes, cross-row rules) or that only a
damaged database would break (rows whose parent is gone). Each check is a query returning the
ids of offending rows; none of them writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import Connection, sql

# A goal is failed by the hourly expiry job, so one is "late" only after that job had its
# chance (an hour between runs plus a retry margin).
EXPIRY_GRACE = "2 hours"
SAMPLE_SIZE = 5

CHECKS: dict[str, str] = {
    # Orphans: live rows pointing at soft-deleted or missing parents.
    "memberships_of_deleted_users": """
        SELECT m.id FROM team_members m JOIN users u ON u.id = m.user_id
        WHERE m.left_at IS NULL AND u.deleted_at IS NOT NULL""",
    "memberships_of_deleted_teams": """
        SELECT m.id FROM team_members m JOIN teams t ON t.id = m.team_id
        WHERE m.left_at IS NULL AND t.deleted_at IS NOT NULL""",
    "pending_invites_of_deleted_teams": """
        SELECT i.id FROM team_invites i JOIN teams t ON t.id = i.team_id
        WHERE i.status = 'PENDING' AND t.deleted_at IS NOT NULL""",
    "active_goals_of_deleted_teams": """
        SELECT g.id FROM team_goals g JOIN teams t ON t.id = g.team_id
        WHERE g.status = 'ACTIVE' AND t.deleted_at IS NOT NULL""",
    "progress_of_missing_goals": """
        SELECT p.goal_id AS id FROM team_progress p
        WHERE NOT EXISTS (SELECT 1 FROM team_goals g WHERE g.id = p.goal_id)""",
    "progress_team_mismatch": """
        SELECT p.goal_id AS id FROM team_progress p JOIN team_goals g ON g.id = p.goal_id
        WHERE p.team_id <> g.team_id""",
    "reactions_on_missing_activities": """
        SELECT r.id FROM activity_reactions r
        WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.id = r.activity_id)""",
    "comments_on_missing_activities": """
        SELECT c.id FROM activity_comments c
        WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.id = c.activity_id)""",
    "stats_of_missing_users": """
        SELECT s.user_id AS id FROM user_stats s
        WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)""",
    "users_without_stats": """
        SELECT u.id FROM users u
        WHERE u.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM user_stats s WHERE s.user_id = u.id)""",
    "empty_daily_totals": """
        SELECT d.user_id AS id FROM user_daily_totals d WHERE d.activities <= 0""",
    # Derived rows a trigger keeps (migrations/0710): each goal's route has one edge row per
    # segment, so a near-route search finds exactly the goals whose route passes nearby.
    "route_edges_out_of_step": """
        SELECT g.id FROM team_goals g
        LEFT JOIN (SELECT goal_id, count(*) AS n FROM team_goal_route_edges GROUP BY goal_id) e
               ON e.goal_id = g.id
        WHERE coalesce(e.n, 0)
              <> coalesce(greatest(ST_NPoints(g.route_geom::geometry) - 1, 0), 0)""",
    # Each walk's export entry is rendered once, when the row is written (migrations/0870):
    # a later change of activity_export_json leaves the rows written before it rendered the old
    # way until they are rewritten. A sample of the table (about 2 000 rows, the whole of a
    # small one; ≈ 45 ms at 1 M walks) compared with their rendering now finds such a change:
    # it concerns every older row. The arguments are the generated column's, in its order.
    "export_entries_out_of_date": """
        SELECT a.id FROM activities a
          TABLESAMPLE SYSTEM ((SELECT least(100, 100.0 * 2000 / greatest(c.reltuples, 1))
                                 FROM pg_class c WHERE c.oid = 'activities'::regclass))
         WHERE a.export_json IS DISTINCT FROM activity_export_json(
                   a.id, a.distance, a.duration, a.activity_at, a.notes, a.is_private,
                   a.source, a.external_id, a.created_at, a.updated_at, a.location)""",
    # Rules the database cannot express.
    "active_goals_past_end_date": f"""
        SELECT g.id FROM team_goals g JOIN teams t ON t.id = g.team_id
        WHERE g.status = 'ACTIVE' AND t.deleted_at IS NULL
          AND g.end_date < now() - interval '{EXPIRY_GRACE}'""",
    "live_teams_without_admin": """
        SELECT t.id FROM teams t
        WHERE t.deleted_at IS NULL
          AND EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.left_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id
                          AND m.left_at IS NULL AND m.role = 'ADMIN')""",
    "duplicate_live_memberships": """
        SELECT min(m.id::text)::uuid AS id FROM team_members m
        WHERE m.left_at IS NULL GROUP BY m.team_id, m.user_id HAVING count(*) > 1""",
    "teams_over_capacity": """
        SELECT t.id FROM teams t
        WHERE t.deleted_at IS NULL
          AND (SELECT count(*) FROM team_members m
               WHERE m.team_id = t.id AND m.left_at IS NULL) > t.max_members""",
}


@dataclass(frozen=True)
class CheckResult:
    count: int
    sample: list[str]


def run_check(conn: Connection[Any], name: str) -> CheckResult:
    query = sql.SQL(
        "SELECT count(*), coalesce((array_agg(id::text ORDER BY id))[1:{n}], '{{}}')"
        " FROM ({check}) AS offending"
    ).format(n=sql.Literal(SAMPLE_SIZE), check=sql.SQL(CHECKS[name]))
    row = conn.execute(query).fetchone()
    assert row is not None
    return CheckResult(count=int(row[0]), sample=list(row[1]))
