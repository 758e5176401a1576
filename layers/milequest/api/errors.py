"""The one map from domain errors to HTTP responses."""

from __future__ import annotations

from typing import Any

from milequest.api.responses import failure
from milequest.domain import errors as e

STATUS: dict[type[e.DomainError], int] = {
    e.ValidationFailed: 400,
    e.Unauthorized: 401,
    e.Forbidden: 403,
    e.NotFound: 404,
    e.Conflict: 409,
    e.PayloadTooLarge: 413,
    e.Unprocessable: 422,
    e.RateLimited: 429,
    e.Unavailable: 503,
}


def status_for(error: e.DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def error_response(error: e.DomainError) -> dict[str, Any]:
    headers: dict[str, str] = {}
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return failure(status_for(error), error.code, error.message, error.details, headers)


def internal_error() -> dict[str, Any]:
    return failure(500, "INTERNAL_ERROR", "Something went wrong on our side")


def validation_details(exc: Any, prefix: str = "") -> list[dict[str, str]]:
    """pydantic ValidationError → [{field, message}] with camelCase dotted paths."""
    details = []
    for err in exc.errors(include_url=False):
        loc = [str(p) if not isinstance(p, int) else f"[{p}]" for p in err.get("loc", ())]
        path = ".".join(loc).replace(".[", "[")
        details.append(
            {
                "field": f"{prefix}{path}" if path else prefix.rstrip(".") or "body",
                "message": err.get("msg", "invalid"),
            }
        )
    return details
