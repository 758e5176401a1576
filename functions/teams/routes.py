"""teams routes (registered in functions/registry.py)."""

from __future__ import annotations

from milequest.api.routing import Public, Route
from milequest.models.base import Page, PageQuery
from milequest.models.teams import (
    CreateTeam,
    Deleted,
    JoinResult,
    JoinTeam,
    Member,
    MemberPreview,
    MemberRemoved,
    MyTeam,
    PublicTeam,
    PublicTeamsQuery,
    Team,
    TeamDetail,
    UpdateMember,
    UpdateTeam,
)

_T = "functions.teams"

ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/teams",
        f"{_T}.create_team.handler",
        "Create a team (the creator becomes its admin)",
        body=CreateTeam,
        response=Team,
        status=201,
    ),
    Route(
        "GET",
        "/teams",
        f"{_T}.list_my_teams.handler",
        "My teams, paged",
        query=PageQuery,
        response=Page[MyTeam],
    ),
    Route(
        "GET",
        "/users/me/teams",
        f"{_T}.list_my_teams_all.handler",
        "All my teams, as a list",
        response=list[MyTeam],
    ),
    Route(
        "GET",
        "/teams/public",
        f"{_T}.list_public_teams.handler",
        "Public team directory: name search and teams whose active route passes nearby",
        query=PublicTeamsQuery,
        response=Page[PublicTeam],
        auth=False,
        cache=Public(max_age=60),
    ),
    Route(
        "GET",
        "/teams/{teamId}",
        f"{_T}.get_team.handler",
        "A team with its members summary, active goal and my role",
        response=TeamDetail,
    ),
    Route(
        "PATCH",
        "/teams/{teamId}",
        f"{_T}.update_team.handler",
        "Edit a team (admins)",
        body=UpdateTeam,
        response=Team,
    ),
    Route(
        "DELETE",
        "/teams/{teamId}",
        f"{_T}.delete_team.handler",
        "Delete a team (admins; soft delete)",
        response=Deleted,
    ),
    Route(
        "POST",
        "/teams/join",
        f"{_T}.join_team.handler",
        "Join a team by invite code, or a public team by id",
        body=JoinTeam,
        response=JoinResult,
    ),
    Route(
        "GET",
        "/teams/{teamId}/members",
        f"{_T}.list_members.handler",
        "Team members with their activity since joining (members)",
        query=PageQuery,
        response=Page[Member],
    ),
    Route(
        "PATCH",
        "/teams/{teamId}/members/{userId}",
        f"{_T}.update_member.handler",
        "Change a member's role (admins)",
        body=UpdateMember,
        response=MemberPreview,
    ),
    Route(
        "DELETE",
        "/teams/{teamId}/members/{userId}",
        f"{_T}.remove_member.handler",
        "Remove a member (admins), or leave with userId `me`",
        response=MemberRemoved,
    ),
)
