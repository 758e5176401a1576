"""Envelopes and HTTP responses (API Gateway HTTP API payload 2.0 results)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from milequest.models.base import dump

JSON = "application/json"

M = TypeVar("M", bound=BaseModel)


@dataclass
class Reply:
    """A handler's result when it needs a status or headers other than the route's defaults."""

    data: Any
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Serialised(Generic[M]):
    """`data` already serialised: JSON text of the model `M` (which OpenAPI documents), built
    by PostgreSQL for a read too large to parse and re-dump in Python (the data export). The
    envelope wraps it as it is; whoever builds it answers for it being the JSON the model's
    dump would give (docs/architecture.md#pre-serialised-responses)."""

    json: str


_SUCCESS_OPEN = '{"success":true,"data":'
# Lambda's limit on a synchronous invocation's result: the whole JSON the runtime writes
# (statusCode, headers, and the body as a JSON string).
LAMBDA_RESULT_LIMIT = 6 * 1024 * 1024
# The result's keys, statusCode and headers (Content-Type, Cache-Control, X-Request-Id of at
# most 128 characters, added after the handler returns): well under this.
_RESULT_OVERHEAD = 2048


def fits_lambda_result(
    text: str, limit: int, *, utf8_bytes: int | None = None, has_del: bool | None = None
) -> bool:
    """Whether `success(Serialised(text))`, as the runtime writes it, is at most `limit`
    bytes. The body is a JSON string inside the result: each `"` and `\\` of it doubles, and a
    non-ASCII character takes at most 12 bytes (`\\ud83d\\udc4d`), whether the runtime escapes
    it or writes UTF-8 (as the Python 3.12 runtime does), so the measure bounds either.

    `text` is JSON (what `Serialised` holds): no raw control character but whitespace, so as
    a JSON string each ASCII character of it takes at most 2 bytes, but DEL (which JSON
    leaves raw and `\\u`-escaping runtimes write as `\\u007f`), 6. A non-ASCII character is
    2-4 bytes of UTF-8, so the UTF-8 length less the length counts at least one for each.
    Whoever built the text may already know its UTF-8 length (`utf8_bytes`) and whether it
    holds a DEL (`has_del`), as the export reads them off the bytes it received (a length and a
    byte search); otherwise they are
    measured here (an encoding and a scan: ≈ 1.4 ms for 1.5 MB with an emoji in it, which
    Python then holds 4 bytes a character). Only texts that neither bound settles are
    measured exactly (a copy escaped: ~2.5 ms at 1.5 MB, ~10 ms at 5 MB)."""
    fixed = len(json.dumps(_SUCCESS_OPEN + "}")) + _RESULT_OVERHEAD
    if fixed + 12 * len(text) <= limit:
        return True  # whatever its characters
    if fixed + len(text) > limit:
        return False  # even were it all ASCII without a quote
    if utf8_bytes is None:
        utf8_bytes = len(text) if text.isascii() else len(text.encode())
    dels = text.count("\x7f") if has_del or has_del is None else 0
    if fixed + 2 * len(text) + 4 * dels + 10 * (utf8_bytes - len(text)) <= limit:
        return True
    return fixed + len(json.dumps(text)) - 2 <= limit


def _body(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def success(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> dict[str, Any]:
    if isinstance(data, Serialised):
        # One copy: `a + text + b` costs ~10 ms on a 1.5 MB text with non-ASCII characters.
        body = f"{_SUCCESS_OPEN}{data.json}}}"
    elif isinstance(data, BaseModel):
        # pydantic's serializer writes the text the dump below would (compact, fields in order,
        # the same ISO datetimes and UUIDs, UTF-8 unescaped) in one pass, without the dict in
        # between: a third of the cost of answering a logged walk. A non-finite float, which
        # no model should hold, becomes null instead of failing the answer.
        body = f"{_SUCCESS_OPEN}{data.model_dump_json(by_alias=True)}}}"
    else:
        body = _body({"success": True, "data": dump(data)})
    return {
        "statusCode": status,
        "headers": {"Content-Type": JSON, **(headers or {})},
        "body": body,
    }


def failure(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = dump(details)
    return {
        "statusCode": status,
        "headers": {"Content-Type": JSON, "Cache-Control": "no-store", **(headers or {})},
        "body": _body({"success": False, "error": error}),
    }


def mirrored(response: dict[str, Any]) -> dict[str, Any]:
    """The envelope plus, at its top level, `data`'s fields (or the error's `message`), for
    clients that read answers without unwrapping them (docs/api.md#envelope)."""
    body = response.get("body")
    if not body:
        return response
    payload = json.loads(body)
    if payload.get("success") and isinstance(payload.get("data"), dict):
        extra = payload["data"]
    elif payload.get("success") is False:
        extra = {"message": payload["error"]["message"]}
    else:
        return response
    top = {k: v for k, v in extra.items() if k not in ("success", "data", "error")}
    return {**response, "body": _body({**payload, **top})}


def strong_etag(body: str) -> str:
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = [c.strip() for c in if_none_match.split(",")]
    return etag in candidates or "*" in candidates
