"""Teams: create, read, edit, delete; my teams; the public directory; feed and stats."""

from __future__ import annotations

from uuid import UUID

from milequest.api.request import Request
from milequest.api.routing import Public, Router
from milequest.config import get_settings
from milequest.domain import team_activity, teams
from milequest.models.base import Page, PageQuery
from milequest.models.teams import (
    CreateTeam,
    Deleted,
    FeedItem,
    MyTeam,
    PublicTeam,
    PublicTeamsQuery,
    Team,
    TeamDetail,
    TeamStats,
    UpdateTeam,
)

router = Router()


@router.post("/teams", "Create a team (the creator becomes its admin)", status=201)
def create_team(req: Request, body: CreateTeam) -> Team:
    settings = get_settings()
    return teams.create_team(
        req.conn,
        req.me,
        body,
        daily_limit=settings.team_creation_limit,
        max_members=settings.team_member_cap,
    )


@router.get("/teams", "My teams, paged")
def list_my_teams(req: Request, query: PageQuery) -> Page[MyTeam]:
    return teams.list_my_teams(req.conn, req.me, query)


@router.get("/users/me/teams", "All my teams, as a list")
def list_my_teams_all(req: Request) -> list[MyTeam]:
    return teams.all_my_teams(req.conn, req.me)


@router.get(
    "/teams/public",
    "Public team directory: name search and teams whose active route passes nearby",
    auth=False,
    cache=Public(max_age=60),
)
def list_public_teams(req: Request, query: PublicTeamsQuery) -> Page[PublicTeam]:
    return teams.list_public_teams(req.conn, query)


@router.get("/teams/{teamId}", "A team with its members summary, active goal and my role")
def get_team(req: Request, team_id: UUID) -> TeamDetail:
    return teams.get_team(req.conn, team_id, req.me)


@router.patch("/teams/{teamId}", "Edit a team (admins); answers the team detail")
def update_team(req: Request, body: UpdateTeam, team_id: UUID) -> TeamDetail:
    return teams.update_team(req.conn, team_id, req.me, body)


@router.delete("/teams/{teamId}", "Delete a team (admins; soft delete)")
def delete_team(req: Request, team_id: UUID) -> Deleted:
    return teams.delete_team(req.conn, team_id, req.me)


@router.get(
    "/teams/{teamId}/activities",
    "Team feed: teammates' public activities and my own, newest first (members)",
)
def team_feed(req: Request, query: PageQuery, team_id: UUID) -> Page[FeedItem]:
    return team_activity.feed(req.conn, team_id, req.me, query)


@router.get(
    "/teams/{teamId}/stats", "Team totals, distance this day/week/month, active members (members)"
)
def team_stats(req: Request, team_id: UUID) -> TeamStats:
    return team_activity.stats(req.conn, team_id, req.me)
