"""Opaque keyset cursors.

A cursor is the sort key of the last item served (e.g. `[activity_at, id]`), JSON-encoded,
base64url'd and tagged with a short digest so a hand-edited or truncated cursor is rejected
(400) instead of silently paging from an arbitrary place. Cursors carry no authority: every query
still filters by what the caller may see.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from pydantic import TypeAdapter, ValidationError

from milequest.domain.errors import ValidationFailed
from milequest.models.base import Page, PageQuery

T = TypeVar("T")
_TAG = b"milequest-cursor-v1"


def _digest(payload: bytes) -> str:
    return hashlib.sha256(_TAG + payload).hexdigest()[:12]


def encode_cursor(values: list[Any]) -> str:
    payload = json.dumps(values, default=str, separators=(",", ":")).encode()
    token = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{token}.{_digest(payload)}"


def decode_cursor(cursor: str, shape: type[T]) -> T:
    """Decode a cursor into `shape` (e.g. `tuple[datetime, UUID]`), or raise 400."""
    try:
        token, _, digest = cursor.partition(".")
        payload = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        if digest != _digest(payload):
            raise ValueError("digest mismatch")
        return TypeAdapter(shape).validate_python(json.loads(payload))
    except (ValueError, ValidationError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            "Invalid cursor", [{"field": "cursor", "message": "not a cursor this API issued"}]
        ) from exc


def page_of(items: list[T], limit: int, key: Any) -> tuple[list[T], str | None]:
    """Given up to limit+1 rows, return the page and the next cursor (None on the last page)."""
    if len(items) <= limit:
        return items, None
    page = items[:limit]
    return page, encode_cursor(list(key(page[-1])))


Key = tuple[datetime, UUID]


def window(q: PageQuery) -> tuple[Key | None, int]:
    """Where a page starts (None: the first page) and how many rows to fetch for it: one more
    than the page, so the extra row tells whether there is a next page."""
    after: Key | None = decode_cursor(q.cursor, Key) if q.cursor else None  # type: ignore[arg-type]
    return after, q.limit + 1


def page(rows: list[T], q: PageQuery, key: Callable[[T], Key]) -> Page[T]:
    """The page of up to limit+1 fetched rows, with the cursor of its last item."""
    items, cursor = page_of(rows, q.limit, key)
    return Page[T](items=items, next_cursor=cursor, has_more=cursor is not None)
