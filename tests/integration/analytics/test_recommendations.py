"""GET /teams/recommended (docs/analytics.md): each signal alone, the weights, the order; the
teams' pace as of the last refresh of its view (the board refresh job's, migration 0730).

Recommendations look at every public team, so these tests own a database (no other test's
teams in it) and call the domain function with a connection to it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from milequest.db.team_recommendations import PACE_WEEKS
from milequest.domain.leaderboards import refresh_team_pace
from milequest.domain.recommendations import recommended_teams
from milequest.models.analytics import RecommendedQuery
from tests.support.api import call

LISBON = (38.7223, -9.1393)
PORTO = (41.1579, -8.6291)
# ~20 km from the Lisbon end of a Lisbon → Porto route; ~300 km from any Porto → Braga one
SINTRA = (38.8029, -9.3817)


@pytest.fixture
def conn(new_migrated_database) -> Iterator[psycopg.Connection]:
    with psycopg.connect(new_migrated_database(), autocommit=True) as c:
        yield c


def user(conn: psycopg.Connection, name: str = "Walker") -> uuid.UUID:
    return conn.execute(
        "INSERT INTO users (cognito_id, email, name) VALUES (%s, %s, %s) RETURNING id",
        (uuid.uuid4().hex, f"{uuid.uuid4().hex}@example.com", name),
    ).fetchone()[0]


def team(
    conn: psycopg.Connection, name: str, members: list[uuid.UUID], *, public: bool = True, cap=100
) -> uuid.UUID:
    team_id = conn.execute(
        "INSERT INTO teams (name, invite_code, is_public, max_members) VALUES (%s, %s, %s, %s)"
        " RETURNING id",
        (name, uuid.uuid4().hex, public, cap),
    ).fetchone()[0]
    for i, member in enumerate(members):
        conn.execute(
            "INSERT INTO team_members (team_id, user_id, role, joined_at)"
            " VALUES (%s, %s, %s, now() - interval '90 days')",
            (team_id, member, "ADMIN" if i == 0 else "MEMBER"),
        )
    return team_id


def active_goal(conn: psycopg.Connection, team_id: uuid.UUID, a=LISBON, b=PORTO) -> None:
    conn.execute(
        """INSERT INTO team_goals (team_id, name, status, start_location, end_location,
                                   route_data, route_geom, target_distance, start_date, end_date)
           VALUES (%s, 'Route', 'ACTIVE', '{}', '{}', '{}', ST_GeogFromText(%s), 300000,
                   now() - interval '1 day', now() + interval '30 days')""",
        (team_id, f"LINESTRING({a[1]} {a[0]}, {b[1]} {b[0]})"),
    )


def walk(conn: psycopg.Connection, who: uuid.UUID, metres: float, days_ago: float, at=None) -> None:
    conn.execute(
        """INSERT INTO activities (user_id, distance, duration, activity_at, location)
           VALUES (%s, %s, %s, %s, %s::geography)""",
        (
            who,
            metres,
            int(metres),
            datetime.now(UTC) - timedelta(days=days_ago),
            None if at is None else f"SRID=4326;POINT({at[1]} {at[0]})",
        ),
    )


def recommend(conn, me, **query: Any) -> list[tuple[str, int, list[str]]]:
    page = recommended_teams(conn, me, RecommendedQuery.model_validate(query))
    return [(r.team.name, r.score, list(r.reasons)) for r in page.items]


def test_each_signal_alone_scores_its_weight(conn) -> None:
    me, friend, peer, other = user(conn), user(conn), user(conn), user(conn)
    team(conn, "Mine", [me, friend])  # I am in it: never recommended
    team(conn, "Plain", [other])
    near = team(conn, "Near route", [user(conn)])
    active_goal(conn, near)  # NEAR_ROUTE and ACTIVE_GOAL
    far = team(conn, "Far route", [user(conn)])
    active_goal(conn, far, PORTO, (41.5454, -8.4265))  # ACTIVE_GOAL only
    team(conn, "Friends", [user(conn), friend])  # TEAMMATES_THERE
    team(conn, "Peers", [peer])  # SIMILAR_PACE: 12 km a week each, like me
    walk(conn, me, 12_000, 3)
    walk(conn, peer, 15_000, 2)
    walk(conn, other, 50_000, 2)  # "Plain": 4x my pace, not similar
    refresh_team_pace(conn)

    got = recommend(conn, me, near=f"{SINTRA[0]},{SINTRA[1]}")

    assert got == [
        ("Near route", 4, ["NEAR_ROUTE", "ACTIVE_GOAL"]),
        ("Friends", 2, ["TEAMMATES_THERE"]),
        ("Far route", 1, ["ACTIVE_GOAL"]),
        ("Peers", 1, ["SIMILAR_PACE"]),
        ("Plain", 0, []),
    ]


def test_near_defaults_to_the_centroid_of_my_last_ten_located_walks(conn) -> None:
    me = user(conn)
    near = team(conn, "Near route", [user(conn)])
    active_goal(conn, near)
    walk(conn, me, 3000, 40, at=PORTO)  # older than the last ten: left out
    for i in range(10):
        walk(conn, me, 3000, 30 - i, at=SINTRA)
    assert recommend(conn, me)[0] == ("Near route", 4, ["NEAR_ROUTE", "ACTIVE_GOAL"])

    # Without located walks and without `near`, no route is near
    assert recommend(conn, user(conn))[0] == ("Near route", 1, ["ACTIVE_GOAL"])


def test_private_deleted_and_full_teams_are_never_offered(conn) -> None:
    me = user(conn)
    team(conn, "Private", [user(conn)], public=False)
    gone = team(conn, "Deleted", [user(conn)])
    conn.execute("UPDATE teams SET deleted_at = now() WHERE id = %s", (gone,))
    team(conn, "Full", [user(conn), user(conn)], cap=2)
    team(conn, "Open", [user(conn)], cap=2)
    assert [name for name, _, _ in recommend(conn, me)] == ["Open"]


def test_ties_go_to_bigger_teams_then_by_name_and_pages_follow(conn) -> None:
    me = user(conn)
    team(conn, "b small", [user(conn)])
    team(conn, "A small", [user(conn)])
    team(conn, "Big", [user(conn), user(conn), user(conn)])
    first = recommended_teams(conn, me, RecommendedQuery(limit=2))
    assert [r.team.name for r in first.items] == ["Big", "A small"]
    assert first.has_more and first.next_cursor
    rest = recommended_teams(conn, me, RecommendedQuery(limit=2, cursor=first.next_cursor))
    assert [r.team.name for r in rest.items] == ["b small"] and not rest.has_more


def test_bad_near_or_limit_is_400_and_anonymous_is_401(make_user) -> None:
    me = make_user("Recommended")
    for query in ({"near": "91,0"}, {"near": "x"}, {"near": "1,2,3"}, {"limit": "51"}):
        r = call("GET", "/teams/recommended", user=me, query=query)
        assert r.status == 400, (query, r.body)
    assert call("GET", "/teams/recommended").status == 401
    ok = call("GET", "/teams/recommended", user=me, query={"near": "38.7,-9.1", "limit": "3"})
    assert ok.status == 200 and len(ok.data["items"]) <= 3


def test_near_route_follows_every_edge_of_the_route_and_its_changes(conn) -> None:
    me = user(conn)
    near = team(conn, "Detour", [user(conn)])
    # Porto → Braga → Lisbon: the Lisbon end is on the route's second edge
    conn.execute(
        """INSERT INTO team_goals (team_id, name, status, start_location, end_location,
                                   route_data, route_geom, target_distance, start_date, end_date)
           VALUES (%s, 'Route', 'ACTIVE', '{}', '{}', '{}',
                   ST_GeogFromText('LINESTRING(-8.6291 41.1579, -8.4265 41.5454, -9.1393 38.7223)'),
                   300000, now() - interval '1 day', now() + interval '30 days')""",
        (near,),
    )
    sintra = {"near": f"{SINTRA[0]},{SINTRA[1]}"}
    assert recommend(conn, me, **sintra) == [("Detour", 4, ["NEAR_ROUTE", "ACTIVE_GOAL"])]
    # The route is changed to Porto → Braga only: no longer near Sintra
    conn.execute(
        "UPDATE team_goals SET route_geom = ST_GeogFromText(%s) WHERE team_id = %s",
        ("LINESTRING(-8.6291 41.1579, -8.4265 41.5454)", near),
    )
    assert recommend(conn, me, **sintra) == [("Detour", 1, ["ACTIVE_GOAL"])]


def test_similar_pace_moves_with_the_refresh_not_with_each_walk(conn) -> None:
    me, peer = user(conn), user(conn)
    team(conn, "Peers", [peer])
    walk(conn, me, 12_000, 3)
    walk(conn, peer, 12_000, 2)
    # Not refreshed since the team walked: it has no pace yet
    assert recommend(conn, me) == [("Peers", 0, [])]

    refresh_team_pace(conn)
    assert recommend(conn, me) == [("Peers", 1, ["SIMILAR_PACE"])]

    walk(conn, peer, 80_000, 1)  # now 7.7x my pace, but only once refreshed
    assert recommend(conn, me) == [("Peers", 1, ["SIMILAR_PACE"])]
    refresh_team_pace(conn)
    assert recommend(conn, me) == [("Peers", 0, [])]
    # My own pace is read live: walking as much makes us similar again at once
    walk(conn, me, 80_000, 1)
    assert recommend(conn, me) == [("Peers", 1, ["SIMILAR_PACE"])]


def test_team_pace_is_per_active_current_member_private_walks_included(conn) -> None:
    me, walker, idle, resting, gone = (user(conn) for _ in range(5))
    crew = team(conn, "Crew", [walker, idle, resting, gone])
    conn.execute(
        "UPDATE team_members SET left_at = now() WHERE team_id = %s AND user_id = %s",
        (crew, gone),
    )
    walk(conn, me, 12_000, 3)
    walk(conn, walker, 12_000, 2)
    conn.execute("UPDATE activities SET is_private = true WHERE user_id = %s", (walker,))
    walk(conn, gone, 80_000, 2)  # left the team: not counted
    # `idle` walked only before the window and `resting` never: not active, so they do not
    # dilute the pace per member (over all three it would be a third of mine)
    walk(conn, idle, 80_000, PACE_WEEKS * 7 + 1)
    refresh_team_pace(conn)
    assert recommend(conn, me) == [("Crew", 1, ["SIMILAR_PACE"])]


def test_the_pace_window_is_pace_weeks_for_me_and_for_the_teams(conn) -> None:
    """The view writes the window as a literal (migration 0730): it must be PACE_WEEKS."""
    me, inside, outside = user(conn), user(conn), user(conn)
    team(conn, "Inside", [inside])
    team(conn, "Outside", [outside])
    walk(conn, me, 12_000, PACE_WEEKS * 7 - 0.5)  # my only walk, at the window's far end
    walk(conn, inside, 12_000, PACE_WEEKS * 7 - 0.5)
    walk(conn, outside, 12_000, PACE_WEEKS * 7 + 0.5)
    walk(conn, outside, 1, 1)  # active in the window, at nowhere near my pace
    refresh_team_pace(conn)
    assert recommend(conn, me) == [("Inside", 1, ["SIMILAR_PACE"]), ("Outside", 0, [])]
