"""GET /dashboard: user, stats, teams with goal cards and my rank, the merged feed, weekly
boards and the unread count, at a fixed number of queries (milequest.domain.dashboard)."""

from __future__ import annotations

from milequest.api.request import Request
from milequest.api.routing import Router
from milequest.domain import dashboard
from milequest.models.dashboard import Dashboard

router = Router()


@router.get("/dashboard", "Everything the home screen shows, in one call")
def get_dashboard(req: Request) -> Dashboard:
    return dashboard.dashboard(req.conn, req.me)
