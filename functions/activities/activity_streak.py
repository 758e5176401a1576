from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.activity_reads import streak
from milequest.models.activities import Streak


def activity_streak(req: Request) -> Streak:
    return streak(req.conn, req.me)


handler = entrypoint(activity_streak)
