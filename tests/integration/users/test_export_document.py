"""GET /users/me/export, field for field: the document PostgreSQL builds (db/user_export.py)
against an expectation written here from the rows the test inserts, in the formats the API
has always sent (ISO-8601 with `+00:00`, `Z` for exportedAt, numerics as JSON floats)."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from uuid import UUID

import psycopg
import pytest

from milequest.models.users import DataExport
from tests.integration.users.helpers import add_activity, make_team
from tests.support.api import TestUser, call

NOTES = 'Line "one"\nTwo \\ ünï 👟 \x01 </script>'
EXPORTED_AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")


def _insert(db: psycopg.Connection[Any], table: str, **cols: Any) -> UUID:
    names = ", ".join(cols)
    marks = ", ".join(f"%({c})s" for c in cols)
    row = db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id", cols)
    return UUID(str(row.fetchone()[0]))  # type: ignore[index]


def _goal(db: psycopg.Connection[Any], team: UUID, creator: UUID, name: str) -> UUID:
    return _insert(
        db,
        "team_goals",
        team_id=team,
        created_by=creator,
        name=name,
        description=None,
        start_location=json.dumps({"lat": 38.7, "lng": -9.14, "name": "Lisboa"}),
        end_location=json.dumps({"lat": 41.15, "lng": -8.61}),
        waypoints=json.dumps([{"lat": 40.2, "lng": -8.4, "name": "Coimbra"}]),
        route_data="{}",
        route_geom="SRID=4326;LINESTRING(-9.14 38.7, -8.61 41.15)",
        target_distance="313500.000",
        start_date="2026-03-01 00:00:00+00",
        end_date=None,
        created_at="2026-03-01 08:00:00.100000+00",
        updated_at="2026-03-01 08:00:00.100000+00",
    )


def seed(db: psycopg.Connection[Any], ann: TestUser, bob: TestUser) -> dict[str, Any]:
    """Ann owns a row in every section; Bob owns one beside each, which Ann must not see."""
    ids: dict[str, Any] = {}
    ids["team"] = make_team(db, [(ann.id, "ADMIN"), (bob.id, "MEMBER")])
    ids["old_team"] = make_team(db, [(ann.id, "MEMBER")])
    for sql, params in (
        ("UPDATE team_members SET joined_at = %s, left_at = %s WHERE team_id = %s",
         ("2026-01-01 10:00:00+00", "2026-02-01 10:00:00.5+00", ids["old_team"])),
        ("UPDATE team_members SET joined_at = %s WHERE team_id = %s",
         ("2026-02-02 09:30:00.000001+00", ids["team"])),
        ("UPDATE teams SET deleted_at = %s WHERE id = %s",
         ("2026-02-03 00:00:00+00", ids["old_team"])),
    ):  # fmt: skip
        db.execute(sql, params)
    walk = {"source": "MANUAL", "is_private": False, "notes": None, "external_id": None}
    ids["a1"] = _insert(
        db, "activities", user_id=ann.id, distance="2500.000", duration=1000,
        activity_at="2026-03-04 05:06:07+00", notes=NOTES, is_private=True, source="STRAVA",
        external_id="ext-1", location="SRID=4326;POINT(-9.1355678 38.7071234)",
        created_at="2026-03-04 05:10:00.12+00", updated_at="2026-03-04 05:10:00.123456+00",
    )  # fmt: skip
    ids["a2"] = _insert(
        db, "activities", user_id=ann.id, distance="1234.567", duration=900,
        activity_at="2026-03-05 18:00:00.5+00", created_at="2026-03-05 18:01:00+00",
        updated_at="2026-03-05 18:01:00+00", **walk,
    )  # fmt: skip
    ids["b1"] = _insert(
        db, "activities", user_id=bob.id, distance="3000", duration=1500,
        activity_at="2026-03-04 07:00:00+00", **walk,
    )  # fmt: skip
    ids["comment"] = _insert(
        db, "activity_comments", activity_id=ids["b1"], user_id=ann.id, text="Nice 🎉 \"walk\"",
        created_at="2026-03-04 08:00:00+00", updated_at="2026-03-04 08:05:00.25+00",
    )  # fmt: skip
    _insert(db, "activity_comments", activity_id=ids["a2"], user_id=bob.id, text="Bob's words")
    ids["reaction"] = _insert(
        db, "activity_reactions", activity_id=ids["b1"], user_id=ann.id, emoji="❤️",
        created_at="2026-03-04 08:01:00+00",
    )  # fmt: skip
    _insert(db, "activity_reactions", activity_id=ids["a2"], user_id=bob.id, emoji="🔥")
    ids["achievement"] = db.execute(
        "SELECT id, key, name, description, category FROM achievements ORDER BY sort_order LIMIT 1"
    ).fetchone()
    for user, earned in ((ann.id, "2026-03-04 05:10:01+00"), (bob.id, "2026-03-04 07:00:00+00")):
        db.execute(
            """INSERT INTO user_achievements (user_id, achievement_id, activity_id, earned_at)
               VALUES (%s, %s, %s, %s)""",
            (user, ids["achievement"][0], ids["a1"] if user == ann.id else ids["b1"], earned),
        )
    ids["goal"] = _goal(db, ids["team"], ann.id, "Lisboa → Porto")
    _goal(db, ids["old_team"], bob.id, "Bob's goal")
    ids["notification"] = _insert(
        db, "notifications", user_id=ann.id, team_id=ids["team"], category="ACTIVITY_COMMENT",
        channel="REALTIME", title='Bob said "hi"', body="", read_at=None,
        data=json.dumps({"activityId": str(ids["a2"]), "count": 2, "ratio": 1.5}),
        created_at="2026-03-05 19:00:00+00",
    )  # fmt: skip
    _insert(db, "notifications", user_id=bob.id, category="MEMBER_JOINED", title="Bob's", body="")
    ids["delivery"] = _insert(
        db, "notification_deliveries", notification_id=ids["notification"], user_id=ann.id,
        channel="PUSH", status="FAILED", attempts=3, last_error="410 Gone",
        sent_at=None, read_at=None, created_at="2026-03-05 19:00:00.000100+00",
    )  # fmt: skip
    ids["push"] = _insert(
        db, "push_subscriptions", user_id=ann.id, endpoint="https://push.example/ann",
        p256dh="key", auth="secret", created_at="2026-03-02 00:00:00+00",
        updated_at="2026-03-02 00:00:00+00",
    )  # fmt: skip
    _insert(db, "push_subscriptions", user_id=bob.id, endpoint="https://push.example/bob",
            p256dh="key", auth="secret")  # fmt: skip
    ids["share"] = "share_" + uuid.uuid4().hex[:16]
    _insert(db, "activity_shares", share_id=ids["share"], activity_id=ids["a2"], user_id=ann.id,
            created_at="2026-03-05 18:30:00+00")  # fmt: skip
    _insert(db, "activity_shares", share_id="share_" + uuid.uuid4().hex[:16],
            activity_id=ids["b1"], user_id=bob.id)  # fmt: skip
    for user in (ann.id, bob.id):
        _insert(
            db, "notification_preferences", user_id=user, category="ACTIVITY_COMMENT",
            channel="PUSH", enabled=False, quiet_hours_start="22:00",
            quiet_hours_end="07:30:15.25", updated_at="2026-03-02 12:00:00+00",
        )  # fmt: skip
    db.execute(
        """UPDATE users SET created_at = %s, timezone = 'Europe/Lisbon',
                  preferred_units = 'imperial' WHERE id = %s""",
        ("2026-01-01 00:00:00.000010+00", ann.id),
    )
    db.execute(
        """UPDATE user_stats SET total_distance = 3734.567, total_duration = 1900,
                  total_activities = 2, current_streak = 2, longest_streak = 5,
                  last_activity_at = '2026-03-05 18:00:00.5+00', last_activity_date = '2026-03-05'
            WHERE user_id = %s""",
        (ann.id,),
    )
    return ids


def expected(db: psycopg.Connection[Any], ann: TestUser, ids: dict[str, Any]) -> dict[str, Any]:
    """Ann's document, written from what `seed` inserted (the names and timestamps the database
    chose itself are read back)."""
    team_name = {
        t: db.execute("SELECT name FROM teams WHERE id = %s", (t,)).fetchone()[0]  # type: ignore[index]
        for t in (ids["team"], ids["old_team"])
    }
    (updated_at,) = db.execute("SELECT updated_at FROM users WHERE id = %s", (ann.id,)).fetchone()  # type: ignore[misc]
    _, key, name, description, category = ids["achievement"]
    a1, a2, team = str(ids["a1"]), str(ids["a2"]), str(ids["team"])
    return {
        "profile": {
            "id": str(ann.id), "email": ann.email, "name": ann.name, "avatarUrl": None,
            "emailVerified": True, "timezone": "Europe/Lisbon", "preferredUnits": "imperial",
            "locale": "en", "createdAt": "2026-01-01T00:00:00.000010+00:00",
            "updatedAt": updated_at.isoformat(),
        },
        "stats": {
            "totalDistance": 3734.567, "totalDuration": 1900, "totalActivities": 2,
            "currentStreak": 2, "longestStreak": 5,
            "lastActivityAt": "2026-03-05T18:00:00.500000+00:00", "lastActivityDate": "2026-03-05",
        },
        "memberships": [
            {"teamId": str(ids["old_team"]), "teamName": team_name[ids["old_team"]],
             "role": "MEMBER", "joinedAt": "2026-01-01T10:00:00+00:00",
             "leftAt": "2026-02-01T10:00:00.500000+00:00",
             "teamDeletedAt": "2026-02-03T00:00:00+00:00"},
            {"teamId": team, "teamName": team_name[ids["team"]], "role": "ADMIN",
             "joinedAt": "2026-02-02T09:30:00.000001+00:00", "leftAt": None,
             "teamDeletedAt": None},
        ],
        "activities": [
            {"id": a1, "distance": 2500.0, "duration": 1000, "pace": 400.0,
             "activityAt": "2026-03-04T05:06:07+00:00", "notes": NOTES, "isPrivate": True,
             "source": "STRAVA", "externalId": "ext-1",
             "createdAt": "2026-03-04T05:10:00.120000+00:00",
             "updatedAt": "2026-03-04T05:10:00.123456+00:00",
             "location": {"lat": 38.7071234, "lng": -9.1355678}},
            {"id": a2, "distance": 1234.567, "duration": 900, "pace": 729.0,
             "activityAt": "2026-03-05T18:00:00.500000+00:00", "notes": None,
             "isPrivate": False, "source": "MANUAL", "externalId": None,
             "createdAt": "2026-03-05T18:01:00+00:00", "updatedAt": "2026-03-05T18:01:00+00:00",
             "location": None},
        ],
        "goalsCreated": [
            {"id": str(ids["goal"]), "teamId": team, "name": "Lisboa → Porto",
             "description": None, "status": "DRAFT",
             "startLocation": {"lat": 38.7, "lng": -9.14, "name": "Lisboa"},
             "endLocation": {"lat": 41.15, "lng": -8.61},
             "waypoints": [{"lat": 40.2, "lng": -8.4, "name": "Coimbra"}],
             "targetDistance": 313500.0, "startDate": "2026-03-01T00:00:00+00:00",
             "endDate": None, "completedAt": None,
             "createdAt": "2026-03-01T08:00:00.100000+00:00",
             "updatedAt": "2026-03-01T08:00:00.100000+00:00"},
        ],
        "comments": [
            {"id": str(ids["comment"]), "activityId": str(ids["b1"]), "text": 'Nice 🎉 "walk"',
             "createdAt": "2026-03-04T08:00:00+00:00",
             "updatedAt": "2026-03-04T08:05:00.250000+00:00"},
        ],
        "reactions": [
            {"id": str(ids["reaction"]), "activityId": str(ids["b1"]), "emoji": "❤️",
             "createdAt": "2026-03-04T08:01:00+00:00"},
        ],
        "achievements": [
            {"key": key, "name": name, "description": description, "category": category,
             "earnedAt": "2026-03-04T05:10:01+00:00", "activityId": a1, "goalId": None},
        ],
        "notifications": [
            {"id": str(ids["notification"]), "teamId": team, "category": "ACTIVITY_COMMENT",
             "channel": "REALTIME", "title": 'Bob said "hi"', "body": "",
             # jsonb's own key order (shortest first), as psycopg has always loaded it
             "data": {"count": 2, "ratio": 1.5, "activityId": a2}, "readAt": None,
             "createdAt": "2026-03-05T19:00:00+00:00"},
        ],
        "notificationDeliveries": [
            {"id": str(ids["delivery"]), "notificationId": str(ids["notification"]),
             "channel": "PUSH", "status": "FAILED", "attempts": 3, "lastError": "410 Gone",
             "sentAt": None, "readAt": None, "createdAt": "2026-03-05T19:00:00.000100+00:00"},
        ],
        "pushSubscriptions": [
            {"id": str(ids["push"]), "endpoint": "https://push.example/ann",
             "expirationTime": None, "createdAt": "2026-03-02T00:00:00+00:00",
             "updatedAt": "2026-03-02T00:00:00+00:00"},
        ],
        "shares": [
            {"shareId": ids["share"], "activityId": a2, "createdAt": "2026-03-05T18:30:00+00:00"},
        ],
        "preferences": {
            "timezone": "Europe/Lisbon", "preferredUnits": "imperial", "locale": "en",
            "notifications": [
                {"category": "ACTIVITY_COMMENT", "channel": "PUSH", "enabled": False,
                 "quietHoursStart": "22:00:00", "quietHoursEnd": "07:30:15.250000",
                 "updatedAt": "2026-03-02T12:00:00+00:00"},
            ],
        },
    }  # fmt: skip


def _typed(value: Any) -> Any:
    """The value with each number's JSON type kept (2500.0 is not 2500 to every client)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def test_export_is_the_callers_rows_field_for_field(make_user, db) -> None:
    ann, bob = make_user("Ann"), make_user("Bob")
    ids = seed(db, ann, bob)

    r = call("GET", "/users/me/export", user=ann)

    assert r.status == 200
    assert r.headers["Content-Type"] == "application/json"
    assert r.headers["Cache-Control"] == "private, no-store"
    data = dict(r.data)
    assert EXPORTED_AT.match(data.pop("exportedAt"))
    want = expected(db, ann, ids)
    # Same values, same JSON types, same key order everywhere.
    assert _typed(data) == _typed(want)
    assert json.dumps(data) == json.dumps(want)
    DataExport.model_validate(r.data)
    # Compact like every other answer: no whitespace outside strings but in jsonb columns.
    assert r.text.startswith('{"success":true,"data":{"exportedAt":"')
    assert '"distance":2500.0,"duration":1000,"pace":400.0,' in r.text
    # Bob's rows are not in it, not even his activity's id beyond the one Ann commented on.
    for bobs in ("Bob's words", "🔥", "Bob's goal", "Bob's", "https://push.example/bob"):
        assert bobs not in r.text
    assert r.text.count(str(ids["b1"])) == 2  # Ann's comment and reaction on it


def test_export_of_a_user_with_nothing(make_user, db) -> None:
    fresh = make_user("Fresh")
    r = call("GET", "/users/me/export", user=fresh)
    assert r.status == 200
    data = r.data
    assert data["profile"]["id"] == str(fresh.id)
    assert data["stats"] == {
        "totalDistance": 0.0, "totalDuration": 0, "totalActivities": 0, "currentStreak": 0,
        "longestStreak": 0, "lastActivityAt": None, "lastActivityDate": None,
    }  # fmt: skip
    assert _typed(data["stats"]["totalDistance"]) == ("float", 0.0)
    for section in ("memberships", "activities", "goalsCreated", "comments", "reactions",
                    "achievements", "notifications", "notificationDeliveries",
                    "pushSubscriptions", "shares"):  # fmt: skip
        assert data[section] == [], section
    assert data["preferences"] == {
        "timezone": "UTC", "preferredUnits": "metric", "locale": "en", "notifications": [],
    }  # fmt: skip
    assert list(data) == [f.alias for f in DataExport.model_fields.values()]


def test_a_walks_entry_follows_the_walk_whoever_writes_it(make_user, db) -> None:
    # Each walk's entry is rendered when the walk is written (migrations/0870): its pace is
    # the pace column's, its times are UTC whatever the writer's session time zone, and an
    # edit renders it anew.
    ann = make_user("Ann")
    walks = [("1", 1), ("3.333", 2000), ("999.999", 86400), ("2500", 1000), ("200000", 86400),
             ("1234.567", 900), ("4200.001", 2999)]  # fmt: skip
    db.execute("SET TimeZone = 'Asia/Kolkata'")
    db.execute("SET extra_float_digits = 0")  # float text this session would write short
    for distance, duration in walks:
        _insert(db, "activities", user_id=ann.id, distance=distance, duration=duration,
                activity_at="2026-03-04 23:59:59.999999+00",
                location="SRID=4326;POINT(-0.30000000000000004 12.345678901234567)")  # fmt: skip
    db.execute("RESET TimeZone")
    db.execute("RESET extra_float_digits")
    rows = db.execute(
        "SELECT pace, export_json::json->>'pace', export_json::json->>'activityAt',"
        " substring(export_json FROM '\"location\":(\\{[^}]*\\})')"
        " FROM activities WHERE user_id = %s", (ann.id,),
    ).fetchall()  # fmt: skip
    assert len(rows) == len(walks)
    for pace, exported, at, location in rows:
        assert float(exported) == float(pace)
        assert at == "2026-03-04T23:59:59.999999+00:00"
        assert location == '{"lat":12.345678901234567,"lng":-0.30000000000000004}'

    (walk,) = [a for a in call("GET", "/users/me/export", user=ann).data["activities"]
               if a["distance"] == 2500.0]  # fmt: skip
    r = call("PATCH", f"/activities/{walk['id']}", user=ann,
             json_body={"distance": 5000, "notes": "longer, \"really\""})  # fmt: skip
    assert r.status == 200, r.text
    (edited,) = [a for a in call("GET", "/users/me/export", user=ann).data["activities"]
                 if a["id"] == walk["id"]]  # fmt: skip
    assert (edited["distance"], edited["pace"], edited["notes"]) == (
        5000.0,
        200.0,
        'longer, "really"',
    )
    assert edited["updatedAt"] > walk["updatedAt"]


def test_the_document_comes_with_its_utf8_length_and_whether_it_holds_a_del(make_user, db) -> None:
    from milequest.db.user_export import export_document

    ann = make_user("Ann")
    walk = add_activity(db, ann.id, 2500)
    db.execute("UPDATE activities SET notes = %s WHERE id = %s", (NOTES, walk))
    plain = export_document(db, ann.id)
    assert plain is not None
    assert plain.utf8_bytes == len(plain.text.encode()) > len(plain.text)
    assert plain.has_del is False
    db.execute("UPDATE activities SET notes = notes || chr(127) WHERE user_id = %s", (ann.id,))
    with_del = export_document(db, ann.id)
    assert with_del is not None
    assert "\x7f" in with_del.text and with_del.has_del is True
    assert with_del.utf8_bytes == len(with_del.text.encode())
    assert export_document(db, uuid.uuid4()) is None


def test_an_object_split_around_its_array_joins_back_into_the_object(db) -> None:
    from milequest.db.json_text import array, literal, obj, obj_around, value

    fields = (
        ("a", literal("1")),
        ("xs", array(literal("g"), "generate_series(1, %(n)s) g", "g")),
        ("b", value("'z'::text")),
    )
    for n, xs in ((0, []), (3, [1, 2, 3])):
        whole = db.execute(f"SELECT {obj(*fields)}", {"n": n}).fetchone()[0]
        parts = db.execute("SELECT " + ", ".join(obj_around("xs", *fields)), {"n": n}).fetchone()
        assert parts[0] + (parts[1] or "") + parts[2] == whole
        assert json.loads(whole) == {"a": 1, "xs": xs, "b": "z"}
    # Two arrays with the same SQL: the one asked for is the one split out.
    twins = (("x", fields[1][1]), ("y", fields[1][1]))
    head, _, tail = obj_around("y", *twins)
    whole = db.execute(f"SELECT {obj(*twins)}", {"n": 2}).fetchone()[0]
    parts = db.execute(f"SELECT {head}, {tail}", {"n": 2}).fetchone()
    assert (parts[0], parts[1]) == ('{"x":[1,2],"y":[', "]}")
    assert json.loads(whole) == {"x": [1, 2], "y": [1, 2]}
    for not_an_array in ("a", "missing"):
        with pytest.raises(ValueError):
            obj_around(not_an_array, *fields)


def test_a_session_in_another_client_encoding_gets_the_same_document_and_its_utf8_length(
    make_user, db
) -> None:
    from milequest.db.user_export import export_document

    walker = make_user("Encodings")
    walk = add_activity(db, walker.id, 1800)
    db.execute("UPDATE activities SET notes = %s WHERE id = %s", ("Café über Straße\x7f", walk))
    utf8 = export_document(db, walker.id)
    db.execute("SET client_encoding TO 'LATIN1'")
    try:
        latin1 = export_document(db, walker.id)
    finally:
        db.execute("SET client_encoding TO 'UTF8'")
    assert utf8 is not None and latin1 is not None
    assert db.info.encoding == "utf-8"
    assert json.loads(latin1.text)["activities"] == json.loads(utf8.text)["activities"]
    assert latin1.utf8_bytes == len(latin1.text.encode()) > len(latin1.text)
    assert latin1.has_del is True
