from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.achievements import earned_by
from milequest.models.activities import EarnedAchievement


def list_my_achievements(req: Request) -> list[EarnedAchievement]:
    return earned_by(req.conn, req.me)


handler = entrypoint(list_my_achievements)
