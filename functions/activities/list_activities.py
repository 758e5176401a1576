from __future__ import annotations

from functions.activities._paging import own_activities_page
from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.models.activities import Activity
from milequest.models.base import Page


def list_activities(req: Request) -> Page[Activity]:
    return own_activities_page(req)


handler = entrypoint(list_activities)
