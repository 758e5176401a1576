"""What the routes' paths need that the data set lacks: a share of the walker's newest walk, an
invite of their team (made by its admin), their newest notification, a comment of theirs.

Everything is made through the routes themselves (so it is as real as the rest of the data), on
the bench's own copy of the data set."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import psycopg

from bench.harness import Walker, admin_of, call


def _data(response: dict[str, Any], key: str) -> str:
    assert response["statusCode"] < 300, response["body"]
    return str(json.loads(response["body"])["data"][key])


def _newest_notification(conn: psycopg.Connection[Any], user_id: str) -> str | None:
    row = conn.execute(
        "SELECT id FROM notifications WHERE user_id = %s ORDER BY created_at DESC LIMIT 1",
        (user_id,),
    ).fetchone()
    return str(row[0]) if row else None


def prepare(conn: psycopg.Connection[Any], w: Walker) -> tuple[Walker, Walker]:
    """`w` with the extra ids its routes' paths name, and an admin of its team with the same
    ids (for the routes only admins may call)."""
    activity = f"/activities/{w.activity_id}"
    extra = {
        "shareId": _data(call("POST", f"{activity}/share", w), "shareId"),
        "commentId": _data(call("POST", f"{activity}/comments", w, body={"text": "bench"}), "id"),
        "emoji": "%F0%9F%91%8F",
    }
    notification = _newest_notification(conn, w.id)
    if notification is not None:
        extra["id"] = notification
    admin = admin_of(conn, w)
    invite = call("POST", f"/teams/{w.team_id}/invites", admin, body={})
    extra["inviteId"] = _data(invite, "id")
    return replace(w, extra=extra), replace(admin, extra=extra)
