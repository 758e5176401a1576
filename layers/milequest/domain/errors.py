"""The domain's exception hierarchy. Mapped to HTTP in exactly one place (milequest.api.errors)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error the API turns into a 4xx/5xx envelope."""

    code = "ERROR"

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationFailed(DomainError):
    """Input is well-formed JSON but breaks a rule; `details` lists `{field, message}`."""

    code = "VALIDATION_ERROR"


class Unauthorized(DomainError):
    code = "UNAUTHORIZED"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class EmailNotVerified(Forbidden):
    code = "EMAIL_NOT_VERIFIED"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class AlreadyMember(Conflict):
    code = "ALREADY_MEMBER"


class TeamFull(Conflict):
    code = "TEAM_FULL"


class GoalActive(Conflict):
    code = "GOAL_ACTIVE"


class LastAdmin(Conflict):
    code = "LAST_ADMIN"


class NameTaken(Conflict):
    code = "NAME_TAKEN"


class PayloadTooLarge(DomainError):
    code = "PAYLOAD_TOO_LARGE"


class Unprocessable(DomainError):
    code = "UNPROCESSABLE"


class IdempotencyKeyReused(Unprocessable):
    code = "IDEMPOTENCY_KEY_REUSED"


class RouteError(Unprocessable):
    code = "ROUTE_ERROR"


class RateLimited(DomainError):
    code = "RATE_LIMITED"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


class Unavailable(DomainError):
    code = "UNAVAILABLE"

    def __init__(
        self,
        message: str = "Service temporarily unavailable",
        retry_after: int = 2,
        details: Any = None,
    ) -> None:
        super().__init__(message, details)
        self.retry_after = retry_after
