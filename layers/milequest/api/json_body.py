"""Strict JSON request bodies: raw bytes and a pydantic model in, the validated model out.

Every refusal is `ValidationFailed` (400 VALIDATION_ERROR with `details`), never a 5xx:

- nesting deeper than `MAX_DEPTH` is refused by a flat scan before any parser recurses;
- pydantic's own JSON parser in strict mode: number fields take JSON numbers only (not `true`,
  not `"1000"`), while ISO strings still parse as datetimes, dates and UUIDs;
- NaN, Infinity and numbers that overflow to infinity (`1e400`) are refused: by the models
  (allow_inf_nan=False), and in fields that take any JSON by a scan of the parsed body;
- the model's own bounds and rules apply as before.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from milequest.api.errors import validation_details
from milequest.domain.errors import ValidationFailed

MAX_DEPTH = 64

M = TypeVar("M", bound=BaseModel)

_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")
_QUOTE, _BACKSLASH = ord('"'), ord("\\")


def parse_body(raw: bytes, model: type[M]) -> M:
    """The body as `model`, or ValidationFailed saying which field broke which rule."""
    if not raw.strip():
        raw = b"{}"  # no body: the model decides whether every field has a default
    if _too_deep(raw):
        raise ValidationFailed(
            "Body nested too deeply",
            [{"field": "body", "message": f"nesting deeper than {MAX_DEPTH} levels"}],
        )
    try:
        value = model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise _refusal(exc) from None
    if _free_form(model):
        _reject_non_finite(value.model_dump(by_alias=True), "")
    return value


@cache
def _free_form(model: type[BaseModel]) -> bool:
    """Whether the model (or a model nested in it) has a field that takes any JSON (`Any`,
    `object`, an unparameterised dict or list): only there can a NaN or an infinity get past
    allow_inf_nan=False, so only such bodies are scanned."""
    return _takes_any(model, set())


def _takes_any(annotation: Any, seen: set[type[BaseModel]]) -> bool:
    if annotation is Any or annotation is object or annotation in (dict, list):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return False
        seen.add(annotation)
        return any(_takes_any(f.annotation, seen) for f in annotation.model_fields.values())
    return any(_takes_any(arg, seen) for arg in get_args(annotation))


def _too_deep(raw: bytes) -> bool:
    # Cheap exit for ordinary bodies; the scan only runs when the brackets could add up.
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _BACKSLASH:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False


def _refusal(exc: ValidationError) -> ValidationFailed:
    errors = exc.errors(include_url=False)
    if any(err.get("type") == "json_invalid" for err in errors):
        return ValidationFailed(
            "Malformed JSON body", [{"field": "body", "message": "not valid JSON"}]
        )
    if any(err.get("type") == "model_type" and not err.get("loc") for err in errors):
        return ValidationFailed(
            "Body must be a JSON object", [{"field": "body", "message": "expected an object"}]
        )
    return ValidationFailed("Invalid request", validation_details(exc))


def _reject_non_finite(value: Any, path: str) -> None:
    """Free-form fields (dict[str, object]) escape the model's allow_inf_nan=False."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise ValidationFailed(
                "Invalid request", [{"field": where or "body", "message": "must be finite"}]
            )
        if isinstance(item, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k)) for k, v in item.items())
        elif isinstance(item, list | tuple):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(item))
