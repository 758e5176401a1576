"""Raw rows of the scale data set, generated in Python and loaded with COPY.

Users, teams and memberships, one goal per team on a real multi-waypoint route, a year of
walks with daily and weekly rhythms, comments and reactions between teammates. Aggregates are
derived afterwards from these rows (`local.scale.derived`), the way reconciliation would."""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from psycopg import Connection
from psycopg.types.json import Jsonb

from milequest.geo import LatLng, provider_for

ZONES = ("Europe/Lisbon", "Europe/London", "Europe/Paris", "America/New_York",
         "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney", "UTC")  # fmt: skip
CITIES = (
    (38.72, -9.14), (41.16, -8.63), (40.42, -3.70), (48.86, 2.35), (51.51, -0.13),
    (52.52, 13.40), (45.46, 9.19), (41.90, 12.50), (40.71, -74.01), (42.36, -71.06),
    (34.05, -118.24), (37.77, -122.42), (35.68, 139.69), (-33.87, 151.21), (47.37, 8.54),
)  # fmt: skip
# Walks per weekday (Mon..Sun) and per local hour: mornings, lunch and evenings.
WEEKDAY = (1.0, 0.95, 0.95, 0.9, 0.85, 1.3, 1.4)
HOURS = [0.2] * 5 + [1, 2.5, 3, 2, 1, 1, 1.5, 2.5, 1.5, 1, 1, 1.2, 2, 3, 2.5, 1.5, 0.8, 0.4, 0.2]
EMOJI = ("👍", "❤️", "🔥", "👏", "💪", "🎉")


@dataclass
class Dataset:
    now: datetime
    users: list[uuid.UUID] = field(default_factory=list)
    zones: dict[uuid.UUID, str] = field(default_factory=dict)
    teams: list[uuid.UUID] = field(default_factory=list)
    members: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    goals: list[uuid.UUID] = field(default_factory=list)
    public_activities: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    activity_count: dict[uuid.UUID, int] = field(default_factory=dict)


def _copy(conn: Connection[Any], table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
    n = 0
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def users(conn: Connection[Any], ds: Dataset, count: int, rng: random.Random) -> None:
    created = ds.now - timedelta(days=400)

    def rows() -> Iterable[tuple]:
        for i in range(count):
            uid = uuid.uuid4()
            zone = ZONES[i % len(ZONES)]
            ds.users.append(uid)
            ds.zones[uid] = zone
            yield (uid, f"scale-{i}", f"walker{i}@scale.milequest.dev", f"Walker {i}",
                   True, zone, "metric" if rng.random() < 0.8 else "imperial", created)  # fmt: skip

    cols = ("id", "cognito_id", "email", "name", "email_verified", "timezone",
            "preferred_units", "created_at")  # fmt: skip
    _copy(conn, "users", cols, rows())


def team_sizes(count: int, rng: random.Random) -> list[int]:
    """Skewed: most teams are a handful of friends, a few are whole offices (2..200)."""
    return [min(200, 2 + int(rng.paretovariate(1.3) * 3) - 3) for _ in range(count)]


def teams(conn: Connection[Any], ds: Dataset, count: int, rng: random.Random) -> None:
    joined = ds.now - timedelta(days=390)
    team_rows, member_rows = [], []
    for i, size in enumerate(team_sizes(count, rng)):
        tid = uuid.uuid4()
        ds.teams.append(tid)
        people = rng.sample(ds.users, max(2, size))
        if i == 0:  # the benchmark's heavy and light walkers share the first team
            people += [u for u in ds.users[:2] if u not in people]
        ds.members[tid] = people
        team_rows.append((tid, f"Scale team {i:04d}", f"Team number {i}", rng.random() < 0.6,
                          secrets.token_urlsafe(12), 200, people[0], joined))  # fmt: skip
        for j, uid in enumerate(people):
            at = joined + timedelta(hours=j)
            member_rows.append((tid, uid, "ADMIN" if j == 0 else "MEMBER", at))
    _copy(conn, "teams", ("id", "name", "description", "is_public", "invite_code",
                          "max_members", "created_by", "created_at"), team_rows)  # fmt: skip
    _copy(conn, "team_members", ("team_id", "user_id", "role", "joined_at"), member_rows)


def goals(conn: Connection[Any], ds: Dataset, rng: random.Random) -> None:
    """One goal per team: most ACTIVE (started 2-7 months ago), some from earlier in the year
    (later derived as COMPLETED or FAILED from what was walked), a few cancelled."""
    provider = provider_for("great-circle")
    rows = []
    for i, tid in enumerate(ds.teams):
        stops = [CITIES[(i + k * 3) % len(CITIES)] for k in range(2 + i % 4)]
        points = [LatLng(lat + rng.uniform(-0.3, 0.3), lng + rng.uniform(-0.3, 0.3))
                  for lat, lng in stops]  # fmt: skip
        route = provider.route(points)
        kind = rng.random()
        if kind < 0.85:
            status, start = "ACTIVE", ds.now - timedelta(days=rng.randint(60, 210))
            end = ds.now + timedelta(days=rng.randint(30, 200))
        elif kind < 0.97:
            status, start = "PAST", ds.now - timedelta(days=rng.randint(300, 360))
            end = start + timedelta(days=rng.randint(40, 80))
        else:
            status, start = "CANCELLED", ds.now - timedelta(days=rng.randint(100, 200))
            end = ds.now + timedelta(days=30)
        gid = uuid.uuid4()
        ds.goals.append(gid)
        loc = [{"lat": p.lat, "lng": p.lng} for p in points]
        rows.append((gid, tid, f"Route {i:04d}", status, Jsonb(loc[0]), Jsonb(loc[-1]),
                     Jsonb(loc[1:-1]), Jsonb(route.to_data()), route.wkt(),
                     round(route.total_distance, 3), start, end, start))  # fmt: skip
    conn.execute("CREATE TEMP TABLE scale_goals (LIKE team_goals INCLUDING DEFAULTS)")
    conn.execute("ALTER TABLE scale_goals ALTER route_geom TYPE text")
    cols = (
        "id",
        "team_id",
        "name",
        "status",
        "start_location",
        "end_location",
        "waypoints",
        "route_data",
        "route_geom",
        "target_distance",
        "start_date",
        "end_date",
        "created_at",
    )
    _copy(conn, "scale_goals", cols, rows)


def _walk_times(ds: Dataset, uid: uuid.UUID, n: int, rng: random.Random) -> list[datetime]:
    zone = ZoneInfo(ds.zones[uid])
    days = rng.choices(range(365), k=n)
    out = []
    for back in days:
        local_day = (ds.now - timedelta(days=back)).astimezone(zone).date()
        if rng.random() > WEEKDAY[local_day.weekday()] / 1.4:
            local_day -= timedelta(days=1)  # fewer walks on weekdays: move some to the eve
        hour = rng.choices(range(24), weights=HOURS)[0]
        local = datetime(local_day.year, local_day.month, local_day.day, hour,
                         rng.randint(0, 59), rng.randint(0, 59), tzinfo=zone)  # fmt: skip
        at = local.astimezone(UTC)
        out.append(min(at, ds.now - timedelta(minutes=10)))
    return out


def activities(
    conn: Connection[Any], ds: Dataset, total: int, rng: random.Random, heavy: int
) -> None:
    """`total` walks: user 0 is the heavy walker (`heavy` walks), user 1 a light one (10), the
    rest by a skewed activity level."""
    weights = [rng.lognormvariate(0, 1) for _ in ds.users[2:]]
    scale = (total - heavy - 10) / sum(weights)
    counts = [heavy, 10, *(max(1, round(w * scale)) for w in weights)]

    def rows() -> Iterable[tuple]:
        for uid, n in zip(ds.users, counts, strict=True):
            ds.activity_count[uid] = n
            mine = ds.public_activities.setdefault(uid, [])
            for i, at in enumerate(_walk_times(ds, uid, n, rng)):
                distance = round(min(40_000, max(400, rng.lognormvariate(8.4, 0.5))), 1)
                duration = int(distance * rng.uniform(0.54, 0.8))
                private = rng.random() < 0.1
                aid = uuid.uuid4()
                if not private and len(mine) < 50:
                    mine.append(aid)
                strava = i % 7 == 0
                yield (aid, uid, distance, duration, at, None, private,
                       "STRAVA" if strava else "MANUAL", f"s-{aid.hex}" if strava else None,
                       at + timedelta(minutes=5))  # fmt: skip

    cols = (
        "id",
        "user_id",
        "distance",
        "duration",
        "activity_at",
        "notes",
        "is_private",
        "source",
        "external_id",
        "created_at",
    )
    _copy(conn, "activities", cols, rows())


def social(conn: Connection[Any], ds: Dataset, comments: int, rng: random.Random) -> None:
    """Comments and reactions between teammates on non-private walks."""
    comment_rows, reaction_rows, seen = [], [], set()
    teams = [t for t in ds.teams if len(ds.members[t]) >= 2]
    for i in range(comments):
        people = ds.members[rng.choice(teams)]
        author, reader = rng.sample(people, 2)
        walks = ds.public_activities.get(author)
        if not walks:
            continue
        aid = rng.choice(walks)
        comment_rows.append((aid, reader, f"Nice walk! #{i}"))
        key = (aid, reader, EMOJI[i % len(EMOJI)])
        if key not in seen:
            seen.add(key)
            reaction_rows.append(key)
    _copy(conn, "activity_comments", ("activity_id", "user_id", "text"), comment_rows)
    _copy(conn, "activity_reactions", ("activity_id", "user_id", "emoji"), reaction_rows)
