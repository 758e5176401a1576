from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.domain import users_account
from milequest.models.users import DataExport


def export_me(req: Request) -> DataExport:
    return users_account.export_data(req.conn, req.me)


handler = entrypoint(export_me)
