"""Call registered routes the way API Gateway does: build a payload-2.0 event, invoke the
route's Lambda handler, decode the envelope."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from local.events import build_event
from local.server import load_handler, match


@dataclass
class TestUser:
    __test__ = False  # not a pytest class

    sub: str
    email: str
    name: str
    id: uuid.UUID | None = None
    extra_claims: dict[str, Any] = field(default_factory=dict)

    @property
    def claims(self) -> dict[str, Any]:
        return {
            "sub": self.sub,
            "email": self.email,
            "name": self.name,
            "email_verified": True,
            "token_use": "id",
            **self.extra_claims,
        }


@dataclass
class Result:
    status: int
    headers: dict[str, str]
    body: Any
    text: str = ""  # the body as sent

    @property
    def data(self) -> Any:
        assert self.body is not None and self.body.get("success"), self.body
        return self.body["data"]

    @property
    def error(self) -> dict[str, Any]:
        assert self.body is not None and self.body.get("success") is False, self.body
        return self.body["error"]

    @property
    def code(self) -> str:
        return str(self.error["code"])


def call(
    method: str,
    path: str,
    *,
    user: TestUser | None = None,
    json_body: Any = None,
    raw_body: bytes | None = None,
    query: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Result:
    found = match(method, path)
    assert found is not None, f"no route for {method} {path}"
    route, params = found
    body = (
        raw_body
        if raw_body is not None
        else (json.dumps(json_body).encode() if json_body is not None else None)
    )
    qs = urlencode({k: v for k, v in (query or {}).items() if v is not None})
    event = build_event(
        route,
        path,
        params,
        query=qs,
        headers=headers or {},
        body=body,
        claims=user.claims if user else None,
    )
    response = load_handler(route.handler)(event, None)
    text = response.get("body") or ""
    return Result(
        status=response["statusCode"],
        headers=response.get("headers") or {},
        body=json.loads(text) if text else None,
        text=text,
    )


def new_user(name: str = "Walker") -> TestUser:
    tag = uuid.uuid4().hex[:10]
    return TestUser(sub=str(uuid.uuid4()), email=f"{name.lower()}-{tag}@example.com", name=name)
