"""Team-wide activity reads: the team feed and the team stats (docs/analytics.md, "Team feed,
stats and analytics at scale").

A walk counts for a team while its walker was a member: `joined_at <= activity_at < left_at`,
history included (a former member's walks from while they belonged stay). Both reads start
from the team's membership spans and reach `activities` only through per-member index ranges,
so their cost follows the members and the page (or the counted window), not the size of the
activities table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db.keyset import after as paged_after
from milequest.db.rows import fetch_all, fetch_one

# Each member's membership history as disjoint [lo, hi) spans (hi NULL while still a member):
# a membership starts where the same member's earlier ones end, so a walk inside two
# overlapping memberships counts once (as with the EXISTS rule this replaces), and every span
# is one index range scan of that member's walks. A window, not range_agg + unnest: the
# planner then knows there is one span per membership row (a set-returning function is
# estimated at 100 rows a call, which priced these queries into JIT compilation).
MEMBER_SPANS = """spans AS (
    SELECT m.user_id,
           greatest(m.joined_at,
                    max(coalesce(m.left_at, 'infinity')) OVER (
                        PARTITION BY m.user_id ORDER BY m.joined_at, m.id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS lo,
           m.left_at AS hi
      FROM team_members m
     WHERE m.team_id = %(team)s)"""

# A walk `a` of span `s`.
IN_SPAN = (
    "a.user_id = s.user_id AND a.activity_at >= s.lo AND (s.hi IS NULL OR a.activity_at < s.hi)"
)


@dataclass(frozen=True, slots=True)
class FeedRow:
    id: UUID
    user_id: UUID
    user_name: str
    distance: Decimal
    duration: int
    pace: Decimal | None
    timestamp: datetime
    notes: str | None
    is_private: bool
    created_at: datetime


def feed(
    conn: Connection[Any],
    team_id: UUID,
    viewer_id: UUID,
    *,
    limit: int,
    after: tuple[datetime, UUID] | None = None,
) -> list[FeedRow]:
    """Teammates' non-private activities and the viewer's own, newest first, keyset-paged on
    (activity_at, id). Each span gives at most `limit` keys from its member's index range
    (index-only: activities_by_user_time covers is_private, migration 0710); the best `limit`
    of those are the page, and only they are read from the table."""
    keyset, params = paged_after(after, "a.activity_at, a.id")
    params.update(team=team_id, me=viewer_id, limit=limit)
    return fetch_all(
        conn,
        FeedRow,
        f"""WITH {MEMBER_SPANS},
                 page AS (
                     SELECT k.activity_at, k.id
                       FROM spans s
                      CROSS JOIN LATERAL (
                          SELECT a.activity_at, a.id FROM activities a
                           WHERE {IN_SPAN} AND (NOT a.is_private OR a.user_id = %(me)s) {keyset}
                           ORDER BY a.activity_at DESC, a.id DESC
                           LIMIT %(limit)s) k
                      ORDER BY k.activity_at DESC, k.id DESC
                      LIMIT %(limit)s)
            SELECT a.id, a.user_id, u.name AS user_name, a.distance, a.duration, a.pace,
                   a.activity_at AS timestamp, a.notes, a.is_private, a.created_at
              FROM page JOIN activities a ON a.id = page.id JOIN users u ON u.id = a.user_id
             ORDER BY page.activity_at DESC, page.id DESC""",
        params,
    )


@dataclass(frozen=True, slots=True)
class StatsRow:
    timezone: str
    total_distance: Decimal
    total_activities: int
    today: Decimal
    this_week: Decimal
    this_month: Decimal
    active_today: int
    active_this_week: int
    member_count: int


def stats(conn: Connection[Any], team_id: UUID, viewer_id: UUID) -> StatsRow:
    """Totals and per-period figures (private walks included: they are team totals); periods
    start at midnight/Monday/1st in the viewer's zone. One index-only range per span
    (activities_by_user_time covers the distance)."""
    row = fetch_one(
        conn,
        StatsRow,
        f"""WITH b AS (
                SELECT tz,
                       date_trunc('day', now() AT TIME ZONE tz) AT TIME ZONE tz AS day0,
                       date_trunc('week', now() AT TIME ZONE tz) AT TIME ZONE tz AS week0,
                       date_trunc('month', now() AT TIME ZONE tz) AT TIME ZONE tz AS month0
                  FROM (SELECT coalesce((SELECT timezone FROM users WHERE id = %(me)s), 'UTC')
                               AS tz) z),
            {MEMBER_SPANS},
            per AS (
                SELECT s.user_id, x.*
                  FROM spans s CROSS JOIN b
                 CROSS JOIN LATERAL (
                     SELECT sum(a.distance) AS total, count(*) AS walks,
                            sum(a.distance) FILTER (WHERE a.activity_at >= b.day0) AS today,
                            sum(a.distance) FILTER (WHERE a.activity_at >= b.week0) AS week,
                            sum(a.distance) FILTER (WHERE a.activity_at >= b.month0) AS month
                       FROM activities a WHERE {IN_SPAN}) x)
            SELECT b.tz AS timezone,
                   coalesce(sum(per.total), 0) AS total_distance,
                   coalesce(sum(per.walks), 0)::int AS total_activities,
                   coalesce(sum(per.today), 0) AS today,
                   coalesce(sum(per.week), 0) AS this_week,
                   coalesce(sum(per.month), 0) AS this_month,
                   count(DISTINCT per.user_id) FILTER (WHERE per.today IS NOT NULL)::int
                       AS active_today,
                   count(DISTINCT per.user_id) FILTER (WHERE per.week IS NOT NULL)::int
                       AS active_this_week,
                   (SELECT count(*) FROM team_members m
                     WHERE m.team_id = %(team)s AND m.left_at IS NULL)::int AS member_count
              FROM b LEFT JOIN per ON true
             GROUP BY b.tz""",
        {"team": team_id, "me": viewer_id},
    )
    assert row is not None  # `b` is one row
    return row
