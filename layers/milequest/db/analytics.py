"""Team analytics reads (docs/analytics.md): the weekly series and top contributors (the
forecast's pace sample is milequest.db.pace_sample). Read-only: every query here may run on
the read replica."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from psycopg import Connection

from milequest.db.rows import fetch_all
from milequest.db.team_feed import IN_SPAN, MEMBER_SPANS


@dataclass(frozen=True, slots=True)
class WeekRow:
    start_date: date
    distance: Decimal
    activities: int
    active_members: int
    members: int


@dataclass(frozen=True, slots=True)
class ContributorRow:
    user_id: UUID
    name: str
    distance: Decimal


@dataclass(frozen=True, slots=True)
class _FigureRow:
    """A row of `weekly_and_top`: a week (`start_date` set) or a contributor (`user_id` set)."""

    start_date: date | None
    distance: Decimal
    activities: int | None
    active_members: int | None
    members: int | None
    user_id: UUID | None
    name: str | None


def weekly_and_top(
    conn: Connection[Any], team_id: UUID, tz: str, first: date, weeks: int, now: datetime,
    limit: int,
) -> tuple[list[WeekRow], list[ContributorRow]]:  # fmt: skip
    """Per week of `tz` starting on `first` (a Monday): the team's walks and its members then;
    and the `limit` members with the most distance from `first` until `now`, best first.

    Both from one read of the walks: one index-only range per membership span over the
    window (activities_by_user_time covers the distance and is_private); each walk finds its
    week among the bounds by binary search (width_bucket) and is summed per week and member.
    Week bounds are local midnights, so a week with a DST change is 167 or 169 hours long.
    Per-person figures are seen by teammates, so a contributor's distance leaves private walks
    out (as everywhere a teammate's numbers are shown), and a member with only private walks
    is not listed; the weeks are team totals and count them."""
    rows = fetch_all(
        conn,
        _FigureRow,
        f"""WITH {MEMBER_SPANS},
            wk AS (
                SELECT k, %(first)s::date + 7 * k AS start_date,
                       (%(first)s::date + 7 * k)::timestamp AT TIME ZONE %(tz)s AS lo,
                       (%(first)s::date + 7 * (k + 1))::timestamp AT TIME ZONE %(tz)s AS hi
                  FROM generate_series(0, %(weeks)s - 1) AS k),
            bounds AS (SELECT array_agg(lo ORDER BY k) AS lows FROM wk),
            per AS (
                SELECT width_bucket(w.activity_at, bounds.lows) - 1 AS k, s.user_id,
                       sum(w.distance) AS distance, count(*) AS walks,
                       sum(w.distance) FILTER (WHERE NOT w.is_private
                                                 AND w.activity_at < %(now)s) AS shown
                  FROM spans s CROSS JOIN bounds
                 CROSS JOIN LATERAL (
                     SELECT a.activity_at, a.distance, a.is_private FROM activities a
                      WHERE {IN_SPAN} AND a.activity_at >= %(lo)s AND a.activity_at < %(hi)s) w
                 GROUP BY 1, 2),
            weeks AS (
                SELECT wk.start_date,
                       coalesce(sum(per.distance), 0) AS distance,
                       coalesce(sum(per.walks), 0)::int AS activities,
                       count(DISTINCT per.user_id)::int AS active_members,
                       (SELECT count(*) FROM team_members m
                         WHERE m.team_id = %(team)s AND m.joined_at < wk.hi
                           AND (m.left_at IS NULL OR m.left_at > wk.lo))::int AS members
                  FROM wk
                  LEFT JOIN per ON per.k = wk.k
                 GROUP BY wk.k, wk.start_date, wk.lo, wk.hi),
            top AS (
                SELECT user_id, sum(shown) AS distance FROM per
                 WHERE shown IS NOT NULL GROUP BY user_id),
            named AS (
                -- a key lookup of each member's name: as a join, the planner (guessing fewer
                -- members than there are) hashes the whole users table instead
                SELECT top.user_id, (SELECT name FROM users WHERE id = top.user_id) AS name,
                       top.distance
                  FROM top
                 ORDER BY top.distance DESC, name, top.user_id
                 LIMIT %(limit)s)
            SELECT start_date, distance, activities, active_members, members,
                   NULL::uuid AS user_id, NULL::text AS name
              FROM weeks
            UNION ALL
            SELECT NULL, distance, NULL, NULL, NULL, user_id, name FROM named
            -- the weeks in order, then the contributors best first
            ORDER BY start_date NULLS LAST, distance DESC, name, user_id""",
        {
            "team": team_id,
            "tz": tz,
            "first": first,
            "weeks": weeks,
            "now": now,
            "limit": limit,
            "lo": _midnight(first, tz),
            "hi": _midnight(first + timedelta(days=7 * weeks), tz),
        },
    )
    week_rows = [
        WeekRow(r.start_date, r.distance, r.activities or 0, r.active_members or 0, r.members or 0)
        for r in rows
        if r.start_date is not None
    ]
    top = [
        ContributorRow(r.user_id, r.name, r.distance)
        for r in rows
        if r.user_id is not None and r.name is not None  # a users row always has a name
    ]
    return week_rows, top


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(tz))
