from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import team_membership
from milequest.models.teams import MemberPreview, UpdateMember


def update_member(req: Request) -> MemberPreview:
    return team_membership.update_member(
        req.conn,
        req.path_uuid("teamId"),
        req.me,
        req.path_uuid("userId"),
        req.body_as(UpdateMember),
    )


handler = entrypoint(update_member)
