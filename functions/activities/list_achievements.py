from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.achievements import catalog
from milequest.models.activities import CatalogAchievement


def list_achievements(req: Request) -> list[CatalogAchievement]:
    return catalog(req.conn)


handler = entrypoint(list_achievements)
