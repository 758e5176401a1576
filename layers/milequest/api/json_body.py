"""Request bodies: raw JSON bytes to a validated model, or 400 VALIDATION_ERROR with details.

Refused before the model sees them: nesting deeper than MAX_DEPTH (the stdlib parser would
recurse into a RecursionError, a 500), NaN and Infinity (not JSON, though Python accepts them),
numbers that overflow to infinity or underflow to a subnormal (they break arithmetic later: a
pace check divided by a distance that rounds to zero), and anything but an object at the top.
The model then validates the same bytes in strict JSON mode: number fields take JSON numbers
only (not `true`, not `"1000"`), while dates, times and UUIDs still come as ISO strings.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from milequest.api.errors import validation_details
from milequest.domain.errors import ValidationFailed

MAX_DEPTH = 64

M = TypeVar("M", bound=BaseModel)

# Strings first, so brackets inside them are skipped; then any bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_OPENERS = frozenset(b"[{")


def parse_body(raw: bytes, model: type[M]) -> M:
    """The body as `model`; an empty body is an empty object (models with defaults only)."""
    if not raw.strip():
        raw = b"{}"
    _check_depth(raw)
    try:
        value = json.loads(raw, parse_constant=_Refused, parse_float=_finite_float)
    except (ValueError, UnicodeDecodeError):
        raise _invalid("not valid JSON", "Malformed JSON body") from None
    refused = _first_refused(value, "")
    if refused is not None:
        raise ValidationFailed("Invalid request", [refused])
    if not isinstance(value, dict):
        raise _invalid("expected an object", "Body must be a JSON object")
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise ValidationFailed("Invalid request", validation_details(exc)) from None


class _Refused:
    """Stands in for a number we do not accept, so the error can name its field."""

    def __init__(self, text: str, why: str = "is not a JSON number") -> None:
        self.message = f"{text[:40]} {why}"


def _check_depth(raw: bytes) -> None:
    depth = 0
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if len(token) != 1:
            continue  # a string
        if token[0] in _OPENERS:
            depth += 1
            if depth > MAX_DEPTH:
                raise _invalid(f"nested deeper than {MAX_DEPTH} levels")
        else:
            depth -= 1


def _finite_float(text: str) -> float | _Refused:
    value = float(text)
    if math.isinf(value):
        return _Refused(text, "is out of range")
    if value != 0.0 and abs(value) < sys.float_info.min:
        return _Refused(text, "is too small (subnormal)")
    return value


def _first_refused(value: Any, path: str) -> dict[str, str] | None:
    if isinstance(value, _Refused):
        return {"field": path or "body", "message": value.message}
    if isinstance(value, dict):
        items: Any = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for sub_path, item in items:
        found = _first_refused(item, sub_path)
        if found is not None:
            return found
    return None


def _invalid(message: str, summary: str = "Invalid request") -> ValidationFailed:
    return ValidationFailed(summary, [{"field": "body", "message": message}])
