from __future__ import annotations

from functions.entry import entrypoint
from milequest.api.request import Request
from milequest.cognito import get_cognito
from milequest.domain import accounts
from milequest.models.auth import LoggedOut, LogOut


def log_out(req: Request) -> LoggedOut:
    caller = req.caller
    assert caller is not None  # auth=True: the entry answered 401 otherwise
    claims = caller.claims
    # The bearer token is the one API Gateway's authorizer verified to produce these claims.
    header = req.header("authorization") or ""
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    access_token = token if token and claims.get("token_use") == "access" else None
    username = str(claims.get("cognito:username") or claims.get("username") or caller.sub)
    return accounts.logout(
        get_cognito(),
        username,
        access_token=access_token,
        refresh_token=req.body_as(LogOut).refresh_token,
    )


handler = entrypoint(log_out)
