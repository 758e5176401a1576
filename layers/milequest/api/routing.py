"""The shape of a route declaration. The declarations themselves live in `functions/registry.py`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
MUTATING: frozenset[str] = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Memory/timeout classes the infrastructure maps to Lambda settings.
Profile = Literal["light", "standard", "heavy"]


@dataclass(frozen=True)
class Private:
    """Per-user response: never cached by anything in between."""

    header: str = "private, no-store"


@dataclass(frozen=True)
class Public:
    """Public response, cached by CloudFront and browsers for `max_age` seconds, with an ETag."""

    max_age: int = 60

    @property
    def header(self) -> str:
        return f"public, max-age={self.max_age}"


CacheClass = Private | Public

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Route:
    method: Method
    path: str
    handler: str  # dotted path of the Lambda entry, e.g. "functions.health.get_health.handler"
    summary: str
    auth: bool = True
    cache: CacheClass = field(default_factory=Private)
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: Any = None  # pydantic model (or list[...] of one) describing `data`, for OpenAPI
    status: int = 200
    # False only for routes that manage their own database access (health must answer even
    # when the database is down).
    uses_db: bool = True
    profile: Profile = "standard"

    @property
    def key(self) -> str:
        """API Gateway's routeKey, e.g. 'GET /teams/{teamId}'."""
        return f"{self.method} {self.path}"

    @property
    def module(self) -> str:
        return self.handler.rsplit(".", 1)[0]

    @property
    def area(self) -> str:
        return self.handler.split(".")[1]

    @property
    def name(self) -> str:
        """Short unique name, e.g. 'teams-get_team' (used for Lambda function ids)."""
        parts = self.module.split(".")
        return f"{parts[1]}-{parts[-1]}"

    @property
    def path_params(self) -> list[str]:
        return _PARAM.findall(self.path)

    @property
    def mutating(self) -> bool:
        return self.method in MUTATING

    def pattern(self) -> re.Pattern[str]:
        """Regex matching concrete paths (used by the local server)."""
        regex = _PARAM.sub(
            lambda m: f"(?P<{m.group(1)}>[^/]+)",
            re.escape(self.path).replace(r"\{", "{").replace(r"\}", "}"),
        )
        return re.compile(f"^{regex}$")
