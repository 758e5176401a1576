"""The request a handler receives: parsed, validated, with the caller's identity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from milequest.api.routing import Route
from milequest.domain.errors import Unauthorized, ValidationFailed


@dataclass(frozen=True)
class Caller:
    """The signed-in user as far as the token says (claims put there by the JWT authorizer)."""

    sub: str
    email: str | None
    name: str | None
    email_verified: bool
    claims: dict[str, Any]


@dataclass
class Request:
    route: Route
    request_id: str
    path_params: dict[str, str]
    headers: dict[str, str]
    raw_query: dict[str, str]
    body: BaseModel | None = None
    query: BaseModel | None = None
    caller: Caller | None = None
    conn: Any = None  # psycopg connection lent for this request (None for uses_db=False routes)
    user_id: UUID | None = None  # the caller's users.id, resolved by the entry for auth routes

    def path_uuid(self, name: str) -> UUID:
        raw = self.path_params.get(name, "")
        try:
            return UUID(raw)
        except ValueError:
            raise ValidationFailed(
                f"{name} is not a valid id", [{"field": name, "message": "must be a UUID"}]
            ) from None

    def path(self, name: str) -> str:
        return self.path_params[name]

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def me(self) -> UUID:
        """The signed-in user's id; routes with auth=True always have one."""
        if self.user_id is None:
            raise Unauthorized("Sign in required")
        return self.user_id
