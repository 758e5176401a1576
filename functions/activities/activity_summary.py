from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain.activity_reads import summary
from milequest.models.activities import Summaries, SummaryQuery


def activity_summary(req: Request) -> Summaries:
    q = req.query_as(SummaryQuery)
    return summary(req.conn, req.me, q.period, q.count)


handler = entrypoint(activity_summary)
