from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.activity_reads import user_stats
from milequest.models.activities import UserStats


def get_my_stats(req: Request) -> UserStats:
    return user_stats(req.conn, req.me)


handler = entrypoint(get_my_stats)
