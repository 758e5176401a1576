"""Teams: create, read, edit, delete, directories (docs/domain.md#teams-and-membership)."""

from __future__ import annotations

import secrets
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import audit
from milequest.db import team_members as members_db
from milequest.db import teams as teams_db
from milequest.db.memberships import team_access
from milequest.db.rows import fields_of
from milequest.domain import paging
from milequest.domain.access import ADMIN, require_admin, visible_team
from milequest.domain.errors import NameTaken, NotFound, RateLimited
from milequest.domain.percent import percent_complete
from milequest.domain.unique import unique_or_raise
from milequest.models.base import Page, PageQuery
from milequest.models.teams import (
    CreateTeam,
    Deleted,
    GoalSummary,
    MemberPreview,
    MyTeam,
    PublicTeam,
    PublicTeamsQuery,
    Team,
    TeamDetail,
    TeamMember,
    UpdateTeam,
)


def new_code() -> str:
    """An unguessable, URL-safe join code (16 chars, 96 bits)."""
    return secrets.token_urlsafe(12)


def goal_summary(row: teams_db.GoalColumns | None) -> GoalSummary | None:
    if row is None or row.goal_id is None:
        return None
    assert row.goal_name is not None and row.goal_target is not None
    target = float(row.goal_target)
    total = float(row.goal_total or 0)
    return GoalSummary(
        id=row.goal_id,
        name=row.goal_name,
        target_distance=target,
        total_distance=total,
        percent_complete=percent_complete(total, target),
    )


def with_goal(row: teams_db.GoalColumns) -> dict[str, Any]:
    """A row with active-goal columns as a model's input: its fields, the goal summarized."""
    return {**fields_of(row), "active_goal": goal_summary(row)}


def member_preview(row: members_db.MemberRow) -> MemberPreview:
    return MemberPreview.model_validate(row)


def team_out(row: teams_db.TeamRow, role: str | None) -> Team:
    code = row.invite_code if role == ADMIN else None
    return Team.model_validate(row).model_copy(update={"invite_code": code})


def lock_team(conn: Connection[Any], team_id: UUID) -> None:
    """Take the team row lock (FOR UPDATE) before any membership or team change.

    Access checks run *after* this in their own statement, so they read the state committed by
    whoever held the lock before us (a check in the locking statement itself could see a stale
    role under READ COMMITTED).
    """
    if team_access(conn, team_id, None, lock=True) is None:
        raise NotFound("Team not found")


def _load(conn: Connection[Any], team_id: UUID) -> teams_db.TeamRow:
    row = teams_db.get_team(conn, team_id)
    if row is None:
        raise NotFound("Team not found")
    return row


def _unique_name(conn: Connection[Any]) -> AbstractContextManager[None]:
    taken = NameTaken("A team with this name already exists")
    return unique_or_raise(conn, "teams_name_live", taken)


def create_team(
    conn: Connection[Any],
    user_id: UUID,
    body: CreateTeam,
    *,
    daily_limit: int = 10,
    max_members: int | None = None,
) -> Team:
    with conn.transaction():
        teams_db.lock_creator(conn, user_id)
        recent = teams_db.recent_creations(conn, user_id, daily_limit)
        if len(recent) >= daily_limit:
            oldest = recent[-1]
            wait = (oldest + timedelta(days=1) - datetime.now(UTC)).total_seconds()
            raise RateLimited(
                f"At most {daily_limit} teams can be created per day", retry_after=int(wait) + 1
            )
        with _unique_name(conn):
            team_id = teams_db.insert_team(
                conn,
                name=body.name,
                description=body.description,
                avatar_url=body.avatar_url,
                is_public=body.is_public,
                invite_code=new_code(),
                created_by=user_id,
                max_members=max_members,
            )
        members_db.insert_member(conn, team_id, user_id, ADMIN)
        return team_out(_load(conn, team_id), ADMIN)


def get_team(conn: Connection[Any], team_id: UUID, user_id: UUID | None) -> TeamDetail:
    access = visible_team(conn, team_id, user_id)
    return team_detail(conn, team_id, user_id, access.role)


def team_detail(
    conn: Connection[Any], team_id: UUID, user_id: UUID | None, role: str | None
) -> TeamDetail:
    """What GET /teams/{teamId} answers (and PATCH and join, so `id` is the team there too)."""
    row = _load(conn, team_id)
    cap = max(row.max_members, row.member_count)
    members = [
        TeamMember.model_validate(m) for m in members_db.preview(conn, team_id, cap, user_id)
    ]
    return TeamDetail(
        **team_out(row, role).model_dump(),
        members=members,
        active_goal=goal_summary(teams_db.active_goal(conn, team_id)),
        user_role=role,
    )


def update_team(
    conn: Connection[Any], team_id: UUID, user_id: UUID, body: UpdateTeam
) -> TeamDetail:
    with conn.transaction():
        lock_team(conn, team_id)
        require_admin(conn, team_id, user_id)
        changes = {f: getattr(body, f) for f in body.model_fields_set}
        with _unique_name(conn):
            teams_db.update_team(conn, team_id, changes)
        return team_detail(conn, team_id, user_id, ADMIN)


def delete_team(conn: Connection[Any], team_id: UUID, user_id: UUID) -> Deleted:
    with conn.transaction():
        lock_team(conn, team_id)
        require_admin(conn, team_id, user_id)
        row = _load(conn, team_id)
        teams_db.soft_delete(conn, team_id)
        audit.record(
            conn,
            user_id,
            "TEAM_DELETED",
            team_id=team_id,
            target_id=team_id,
            details={"name": row.name, "memberCount": row.member_count},
        )
    return Deleted()


def _my_team(row: teams_db.MyTeamRow) -> MyTeam:
    return MyTeam.model_validate(with_goal(row))


def list_my_teams(conn: Connection[Any], user_id: UUID, q: PageQuery) -> Page[MyTeam]:
    """My teams, newest membership first, keyset-paged on (joined_at, team id)."""
    after, fetch = paging.window(q)
    rows = [_my_team(r) for r in teams_db.my_teams(conn, user_id, limit=fetch, after=after)]
    return paging.page(rows, q, lambda t: (t.joined_at, t.id))


def all_my_teams(conn: Connection[Any], user_id: UUID) -> list[MyTeam]:
    return [_my_team(r) for r in teams_db.my_teams(conn, user_id, limit=None)]


def list_public_teams(
    conn: Connection[Any],
    query: PublicTeamsQuery,
) -> Page[PublicTeam]:
    after, fetch = paging.window(query)
    rows = teams_db.public_teams(
        conn,
        q=query.q,
        near=query.near_point,
        radius_m=query.radius_km * 1000,
        limit=fetch,
        after=after,
    )
    items = [PublicTeam.model_validate(with_goal(r)) for r in rows]
    return paging.page(items, query, lambda t: (t.created_at, t.id))
