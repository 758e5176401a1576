"""Team analytics reads (DOMAIN.md, Analytics): the forecast's pace sample, weekly series and
top contributors. Read-only: every query here may run on the read replica."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from milequest.db.rows import fetch_all

# A walk counts for a team while its walker was a member (the rule of the team's stats).
_MEMBER_WALKS = """
    SELECT a.id, a.user_id, a.distance, a.activity_at, a.is_private
      FROM team_members m
      JOIN activities a ON a.user_id = m.user_id
                       AND a.activity_at >= m.joined_at
                       AND (m.left_at IS NULL OR a.activity_at < m.left_at)
     WHERE m.team_id = %(team)s AND a.activity_at >= %(lo)s AND a.activity_at < %(hi)s"""


def daily_sample(conn: Connection[Any], team_id: UUID, days: int) -> list[float]:
    """Metres walked per day by the team's current members over their last `days` local days
    (today included, each walk on its walker's local date), oldest first, zero days included.
    All their walks count, private ones too: the sample only ever leaves as a forecast."""
    rows = conn.execute(sample_days_sql("%(team)s"), {"team": team_id, "days": days}).fetchall()
    return [float(r[1]) for r in rows]


@dataclass(frozen=True)
class WeekRow:
    start_date: date
    distance: Decimal
    activities: int
    active_members: int
    members: int


def weekly(conn: Connection[Any], team_id: UUID, tz: str, first: date, weeks: int) -> list[WeekRow]:
    """Per week of `tz` starting on `first` (a Monday): the team's walks and its members then.
    Week bounds are local midnights, so a week with a DST change is 167 or 169 hours long."""
    return fetch_all(
        conn,
        WeekRow,
        f"""WITH wk AS (
                SELECT w::date AS start_date,
                       w::timestamp AT TIME ZONE %(tz)s AS lo,
                       (w + interval '7 days')::timestamp AT TIME ZONE %(tz)s AS hi
                  FROM generate_series(%(first)s::date,
                                       %(first)s::date + 7 * (%(weeks)s - 1),
                                       interval '7 days') AS w),
            walks AS ({_MEMBER_WALKS})
            SELECT wk.start_date,
                   coalesce(sum(walks.distance), 0) AS distance,
                   count(walks.id)::int AS activities,
                   count(DISTINCT walks.user_id)::int AS active_members,
                   (SELECT count(*) FROM team_members m
                     WHERE m.team_id = %(team)s AND m.joined_at < wk.hi
                       AND (m.left_at IS NULL OR m.left_at > wk.lo))::int AS members
              FROM wk
              LEFT JOIN walks ON walks.activity_at >= wk.lo AND walks.activity_at < wk.hi
             GROUP BY wk.start_date, wk.lo, wk.hi
             ORDER BY wk.start_date""",
        {
            "team": team_id,
            "tz": tz,
            "first": first,
            "weeks": weeks,
            "lo": _midnight(first, tz),
            "hi": _midnight(first + timedelta(days=7 * weeks), tz),
        },
    )


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(tz))


@dataclass(frozen=True)
class ContributorRow:
    user_id: UUID
    name: str
    distance: Decimal


def top_contributors(
    conn: Connection[Any], team_id: UUID, lo: datetime, hi: datetime, limit: int
) -> list[ContributorRow]:
    """Members' distance in [lo, hi), best first. Per-person figures are seen by teammates, so
    private walks are left out (as everywhere a teammate's numbers are shown)."""
    return fetch_all(
        conn,
        ContributorRow,
        f"""SELECT walks.user_id, u.name, sum(walks.distance) AS distance
              FROM ({_MEMBER_WALKS}) walks JOIN users u ON u.id = walks.user_id
             WHERE NOT walks.is_private
             GROUP BY walks.user_id, u.name
             ORDER BY distance DESC, u.name, walks.user_id
             LIMIT %(limit)s""",
        {"team": team_id, "lo": lo, "hi": hi, "limit": limit},
    )


def sample_days_sql(team: str) -> str:
    """The statement behind `daily_sample`: rows (ago, metres), oldest first, one per day of
    the last %(days)s local days (ago 0 = today). `team` is an SQL expression for the team's
    id: a parameter, or an outer column where the dashboard runs it per team in a LATERAL.
    One index-only range scan of activities_user_time_distance per current member."""
    return f"""
        WITH walks AS (
            SELECT a.distance,
                   (now() AT TIME ZONE u.timezone)::date
                       - (a.activity_at AT TIME ZONE u.timezone)::date AS ago
              FROM team_members m
              JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL
              JOIN activities a ON a.user_id = m.user_id
                               AND a.activity_at > now() - make_interval(days => %(days)s + 1)
             WHERE m.team_id = {team} AND m.left_at IS NULL)
        SELECT d.ago, coalesce(sum(w.distance), 0) AS distance
          FROM generate_series(0, %(days)s - 1) AS d(ago)
          LEFT JOIN walks w ON w.ago = d.ago
         GROUP BY d.ago ORDER BY d.ago DESC"""
