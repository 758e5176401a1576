"""The schema enforces the data-model rules itself, independent of the application code."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import errors

from milequest.db.migrations import apply_migrations

ENTITIES = {
    "users", "user_stats", "teams", "team_members", "team_invites", "team_goals",
    "team_progress", "activities", "achievements", "user_achievements", "notifications",
    "notification_preferences", "activity_comments", "activity_reactions", "audit_log",
    "idempotency_keys", "notification_deliveries", "push_subscriptions", "activity_shares",
}  # fmt: skip
IMMUTABLE = {
    "activity_reactions", "audit_log", "idempotency_keys", "user_achievements", "activity_shares",
}  # fmt: skip
LINE = "SRID=4326;LINESTRING(-9.14 38.72, -8.63 41.16)"


@pytest.fixture
def conn(empty_database: str) -> Iterator[psycopg.Connection]:
    applied = apply_migrations(empty_database)
    assert applied, "an empty database gets every migration"
    with psycopg.connect(empty_database, autocommit=True) as c:
        yield c


def _user(conn: psycopg.Connection, email: str | None = None) -> uuid.UUID:
    row = conn.execute(
        "INSERT INTO users (cognito_id, email, name) VALUES (%s, %s, 'U') RETURNING id",
        (uuid.uuid4().hex, email or f"{uuid.uuid4().hex}@example.com"),
    ).fetchone()
    assert row
    return row[0]


def _team(conn: psycopg.Connection, name: str | None = None) -> uuid.UUID:
    row = conn.execute(
        "INSERT INTO teams (name, invite_code) VALUES (%s, %s) RETURNING id",
        (name or uuid.uuid4().hex[:20], uuid.uuid4().hex),
    ).fetchone()
    assert row
    return row[0]


def _goal(conn: psycopg.Connection, team: uuid.UUID, status: str = "DRAFT") -> uuid.UUID:
    row = conn.execute(
        """INSERT INTO team_goals (team_id, name, status, start_location, end_location,
               route_data, route_geom, target_distance, start_date, end_date)
           VALUES (%s, 'G', %s, '{"lat": 38.72, "lng": -9.14}', '{"lat": 41.16, "lng": -8.63}',
               '{}', %s, 274000, now(), now() + interval '30 days') RETURNING id""",
        (team, status, LINE),
    ).fetchone()
    assert row
    return row[0]


def test_migrations_create_every_entity_and_rerunning_is_a_no_op(
    empty_database: str,
) -> None:
    first = apply_migrations(empty_database)
    second = apply_migrations(empty_database)

    assert len(first) >= 8
    assert second == []
    with psycopg.connect(empty_database) as c:
        tables = {r[0] for r in c.execute("SELECT tablename FROM pg_tables")}
        extensions = {r[0] for r in c.execute("SELECT extname FROM pg_extension")}
    assert ENTITIES <= tables
    assert {"postgis", "citext"} <= extensions


def test_every_mutable_table_has_an_updated_at_trigger(conn: psycopg.Connection) -> None:
    triggered = {
        r[0]
        for r in conn.execute(
            """SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'set_updated_at'"""
        )
    }
    assert triggered == ENTITIES - IMMUTABLE

    user = _user(conn)
    before = conn.execute("SELECT updated_at FROM users WHERE id = %s", (user,)).fetchone()
    conn.execute("UPDATE users SET name = 'V' WHERE id = %s", (user,))
    after = conn.execute("SELECT updated_at FROM users WHERE id = %s", (user,)).fetchone()
    assert before and after and after[0] > before[0]


def test_every_foreign_key_declares_its_on_delete(conn: psycopg.Connection) -> None:
    # confdeltype 'a' is NO ACTION: the default you get by not deciding.
    undecided = conn.execute(
        """SELECT conrelid::regclass::text, conname FROM pg_constraint
           WHERE contype = 'f' AND confdeltype = 'a' AND connamespace = 'public'::regnamespace"""
    ).fetchall()
    assert undecided == []


# Rows the application never deletes, so that a foreign key to them needs no index for its
# ON DELETE action: users are soft-deleted and scrubbed (docs/domain.md#account-deletion),
# the achievements catalog is seeded by migrations.
NEVER_DELETED = {"users", "achievements"}


def test_every_foreign_key_to_deleted_rows_has_an_index(conn: psycopg.Connection) -> None:
    """A delete of a referenced row runs the key's action (cascade, set null, restrict) as a
    lookup of the referencing rows: without an index led by the key's columns, a scan of the
    whole referencing table for every deleted row."""
    unindexed = conn.execute(
        """SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c
           WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
             AND c.confrelid::regclass::text <> ALL (%s)
             AND NOT EXISTS (
                 SELECT 1 FROM pg_index i
                 WHERE i.indrelid = c.conrelid
                   AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                   AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
           ORDER BY 1, 2""",
        (sorted(NEVER_DELETED),),
    ).fetchall()
    assert unindexed == []


def test_no_index_is_covered_by_another(conn: psycopg.Connection) -> None:
    """Every write maintains every index of its table: a plain btree whose key columns lead
    another btree's keys with the same operator classes and collations, in the same order or
    all reversed (so either one read backwards gives the other's order), and whose included
    columns that one holds too, serves no read the other cannot and only costs the writes
    (docs/architecture.md: migration 0820). Unique, partial and expression indexes are exempt:
    they decide or hold something the wider one does not."""
    covered = conn.execute(
        """WITH ix AS (
               SELECT i.indexrelid, i.indrelid, c.relname AS name,
                      (i.indkey::int2[])[0:i.indnkeyatts - 1] AS keys,
                      (i.indclass::oid[])[0:i.indnkeyatts - 1] AS classes,
                      (i.indcollation::oid[])[0:i.indnkeyatts - 1] AS collations,
                      -- per key: bit 1 DESC, bit 2 NULLS FIRST; reversed, both flip
                      (i.indoption::int2[])[0:i.indnkeyatts - 1] AS options,
                      (i.indkey::int2[])[i.indnkeyatts:] AS included,
                      i.indkey::int2[] AS columns, i.indisunique AS is_unique,
                      i.indpred IS NOT NULL OR i.indexprs IS NOT NULL AS special
                 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                 JOIN pg_am am ON am.oid = c.relam
                WHERE c.relnamespace = 'public'::regnamespace AND am.amname = 'btree')
           SELECT a.indrelid::regclass::text, a.name, b.name
             FROM ix a JOIN ix b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
            WHERE NOT a.is_unique AND NOT a.special AND NOT b.special
              AND b.keys[1:cardinality(a.keys)] = a.keys AND a.included <@ b.columns
              AND b.classes[1:cardinality(a.keys)] = a.classes
              AND b.collations[1:cardinality(a.keys)] = a.collations
              AND (b.options[1:cardinality(a.keys)] = a.options
                   OR b.options[1:cardinality(a.keys)]
                      = ARRAY(SELECT o # 3 FROM unnest(a.options) WITH ORDINALITY AS u(o, n)
                              ORDER BY n)::int2[])
            ORDER BY 1, 2, 3"""
    ).fetchall()
    assert covered == []


def test_recent_walks_stay_index_only(conn: psycopg.Connection) -> None:
    """The reads of recent walks are index-only scans only where the visibility map is
    current: activities is vacuumed after a small share of new rows, not PostgreSQL's default
    fifth of the table (migration 0830)."""
    row = conn.execute("SELECT reloptions FROM pg_class WHERE oid = 'activities'::regclass")
    options = dict(o.split("=", 1) for o in (row.fetchone() or [None])[0] or [])
    assert float(options["autovacuum_vacuum_insert_scale_factor"]) <= 0.01
    assert int(options["autovacuum_vacuum_insert_threshold"]) <= 10_000


def test_uuid_keys_are_generated_by_the_database(conn: psycopg.Connection) -> None:
    missing = conn.execute(
        """SELECT c.table_name FROM information_schema.columns c
           JOIN information_schema.tables t USING (table_schema, table_name)
           WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
             AND c.column_name = 'id' AND c.table_name NOT LIKE '\\_yoyo%%'
             AND (c.data_type <> 'uuid'
                  OR c.column_default NOT IN ('gen_random_uuid()', 'uuid_v7()')
                  OR c.column_default IS NULL)"""
    ).fetchall()
    assert missing == []


def test_walks_get_time_ordered_version_7_ids(conn: psycopg.Connection) -> None:
    """A walk's id starts with its creation time in milliseconds (UUID version 7, migration
    0900), so that inserts go to the end of the primary key's index, not to a random leaf."""
    user = _user(conn)
    ids: list[uuid.UUID] = []
    stamps = []
    for _ in range(50):
        row = conn.execute(
            """INSERT INTO activities (user_id, distance, duration, activity_at)
               VALUES (%s, 1000, 600, now()) RETURNING id, created_at,
               floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint""",
            (user,),
        ).fetchone()
        assert row
        ids.append(row[0])
        stamps.append((row[1], row[2]))
    for made, (created_at, after_ms) in zip(ids, stamps, strict=True):
        assert made.version == 7 and made.variant == uuid.RFC_4122
        made_ms = made.int >> 80
        # Stamped between the statement's start and the moment after the insert.
        assert int(created_at.timestamp() * 1000) <= made_ms <= after_ms
    assert [i.int >> 80 for i in ids] == sorted(i.int >> 80 for i in ids)
    many = conn.execute("SELECT count(DISTINCT uuid_v7()) FROM generate_series(1, 20000)")
    assert many.fetchone() == (20000,)


def test_second_live_membership_is_rejected_but_history_is_kept(conn: psycopg.Connection) -> None:
    user, team = _user(conn), _team(conn)
    conn.execute("INSERT INTO team_members (team_id, user_id) VALUES (%s, %s)", (team, user))

    with pytest.raises(errors.UniqueViolation):
        conn.execute("INSERT INTO team_members (team_id, user_id) VALUES (%s, %s)", (team, user))

    conn.execute("UPDATE team_members SET left_at = now() WHERE team_id = %s", (team,))
    conn.execute("INSERT INTO team_members (team_id, user_id) VALUES (%s, %s)", (team, user))
    count = conn.execute("SELECT count(*) FROM team_members WHERE team_id = %s", (team,)).fetchone()
    assert count == (2,)


def test_second_active_goal_per_team_is_rejected(conn: psycopg.Connection) -> None:
    team = _team(conn)
    _goal(conn, team, "ACTIVE")
    _goal(conn, team, "DRAFT")

    with pytest.raises(errors.UniqueViolation):
        _goal(conn, team, "ACTIVE")
    _goal(conn, _team(conn), "ACTIVE")  # another team is unaffected


def test_live_team_names_and_user_emails_are_unique_case_insensitively(
    conn: psycopg.Connection,
) -> None:
    team = _team(conn, "Lisbon Striders")
    with pytest.raises(errors.UniqueViolation):
        _team(conn, "LISBON striders")
    conn.execute("UPDATE teams SET deleted_at = now() WHERE id = %s", (team,))
    _team(conn, "lisbon STRIDERS")  # a deleted team frees its name

    user = _user(conn, "Walker@Example.com")
    with pytest.raises(errors.UniqueViolation):
        _user(conn, "walker@example.COM")
    conn.execute("UPDATE users SET deleted_at = now() WHERE id = %s", (user,))
    _user(conn, "walker@example.com")


@pytest.mark.parametrize(
    ("distance", "duration", "at"),
    [
        (0, 600, "2026-01-01"),
        (-5, 600, "2026-01-01"),
        (200001, 86400, "2026-01-01"),
        (1000, 0, "2026-01-01"),
        (1000, 86401, "2026-01-01"),
        (10000, 600, "2026-01-01"),  # 1 min/km: implausible pace
        (1000, 600, "1999-12-31"),
    ],
)
def test_activity_ranges_are_checked(
    conn: psycopg.Connection, distance: float, duration: int, at: str
) -> None:
    user = _user(conn)
    with pytest.raises(errors.CheckViolation):
        conn.execute(
            """INSERT INTO activities (user_id, distance, duration, activity_at)
               VALUES (%s, %s, %s, %s)""",
            (user, distance, duration, at),
        )


def test_imports_cannot_duplicate_and_pace_is_derived(conn: psycopg.Connection) -> None:
    user = _user(conn)
    insert = """INSERT INTO activities (user_id, distance, duration, activity_at, source,
                    external_id) VALUES (%s, 5000, 3000, now(), 'STRAVA', %s) RETURNING pace"""
    row = conn.execute(insert, (user, "run-1")).fetchone()
    assert row and float(row[0]) == 600.0
    with pytest.raises(errors.UniqueViolation):
        conn.execute(insert, (user, "run-1"))


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("UPDATE team_goals SET status = 'DONE' WHERE id = %(goal)s", {}),
        ("UPDATE team_goals SET end_date = start_date WHERE id = %(goal)s", {}),
        ("UPDATE team_goals SET status = 'COMPLETED' WHERE id = %(goal)s", {}),
        ("UPDATE team_goals SET waypoints = (SELECT jsonb_agg(i) FROM generate_series(1, 21) i)"
         " WHERE id = %(goal)s", {}),
        ("UPDATE team_members SET role = 'OWNER' WHERE team_id = %(team)s", {}),
        ("UPDATE users SET preferred_units = 'furlongs' WHERE id = %(user)s", {}),
        ("UPDATE teams SET invite_code = 'short' WHERE id = %(team)s", {}),
    ],
)  # fmt: skip
def test_enums_and_ranges_are_checked(
    conn: psycopg.Connection, sql: str, params: dict[str, object]
) -> None:
    user, team = _user(conn), _team(conn)
    goal = _goal(conn, team)
    conn.execute("INSERT INTO team_members (team_id, user_id) VALUES (%s, %s)", (team, user))
    with pytest.raises(errors.CheckViolation):
        conn.execute(sql, {"goal": goal, "team": team, "user": user, **params})


def test_route_geometry_is_geography_with_a_gist_index(conn: psycopg.Connection) -> None:
    team = _team(conn)
    goal = _goal(conn, team)
    length = conn.execute(
        "SELECT ST_Length(route_geom) FROM team_goals WHERE id = %s", (goal,)
    ).fetchone()
    assert length and 270_000 < length[0] < 285_000  # Lisbon → Porto, metres on the spheroid
    index = conn.execute(
        """SELECT am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'team_goals_route'"""
    ).fetchone()
    assert index == ("gist",)


def test_achievement_catalog_is_seeded_with_typed_criteria(conn: psycopg.Connection) -> None:
    rows = conn.execute("SELECT key, criteria->>'type' FROM achievements").fetchall()
    types = {t for _, t in rows}
    assert len(rows) >= 15
    assert {
        "total_distance", "streak", "single_activity_distance", "pace",
        "team_goal_completed", "top_contributor", "early_bird",
    } <= types  # fmt: skip


def test_idempotency_keys_are_unique_per_user_including_anonymous(
    conn: psycopg.Connection,
) -> None:
    insert = """INSERT INTO idempotency_keys (user_id, key, method, path, request_hash)
                VALUES (%s, 'k1', 'POST', '/x', repeat('a', 64))"""
    conn.execute(insert, (None,))
    with pytest.raises(errors.UniqueViolation):
        conn.execute(insert, (None,))
    user = _user(conn)
    conn.execute(insert, (user,))
    with pytest.raises(errors.UniqueViolation):
        conn.execute(insert, (user,))
