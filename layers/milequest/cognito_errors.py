"""The one map from Cognito errors to domain errors, by operation and error code (no message
matching), and `translated`, the block every Cognito call in milequest.cognito runs in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from botocore.exceptions import ClientError

from milequest.aws_errors import NETWORK_ERRORS
from milequest.domain.errors import (
    Conflict,
    DomainError,
    EmailNotVerified,
    Forbidden,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)

Operation = Literal[
    "sign_up",
    "confirm_sign_up",
    "resend_code",
    "login",
    "refresh",
    "sign_out",
    "forgot_password",
    "confirm_forgot_password",
    "delete_user",
]

BAD_CREDENTIALS = "Invalid email or password"
_BAD_CODE = "Invalid or expired verification code"


# --- the one map from Cognito errors to domain errors ---------------------------------------

Make = Callable[[str, Operation], DomainError]


def _password_field(op: Operation) -> str:
    return "newPassword" if op == "confirm_forgot_password" else "password"


def _bad_code(message: str, op: Operation) -> DomainError:
    return ValidationFailed(_BAD_CODE, [{"field": "code", "message": message or _BAD_CODE}])


_COMMON: dict[str, Make] = {
    "UsernameExistsException": lambda m, op: Conflict("An account with this email already exists"),
    "AliasExistsException": lambda m, op: Conflict("An account with this email already exists"),
    "UserNotConfirmedException": lambda m, op: EmailNotVerified("Email address not verified"),
    "InvalidPasswordException": lambda m, op: ValidationFailed(
        "Password does not meet the requirements", [{"field": _password_field(op), "message": m}]
    ),
    "CodeMismatchException": _bad_code,
    "ExpiredCodeException": _bad_code,
    "InvalidParameterException": lambda m, op: ValidationFailed(
        "Invalid request", [{"field": "body", "message": m}]
    ),
    "NotAuthorizedException": lambda m, op: Unauthorized("Not authorized"),
    "PasswordResetRequiredException": lambda m, op: Forbidden("Password reset required"),
    "UserNotFoundException": lambda m, op: NotFound("Account not found"),
    "TooManyRequestsException": lambda m, op: RateLimited("Too many requests", retry_after=5),
    "LimitExceededException": lambda m, op: RateLimited(
        "Too many attempts, try again later", retry_after=60
    ),
    "TooManyFailedAttemptsException": lambda m, op: RateLimited(
        "Too many failed attempts, try again later", retry_after=60
    ),
    "CodeDeliveryFailureException": lambda m, op: Unavailable(
        "Could not send the verification code", retry_after=30
    ),
    "UnsupportedTokenTypeException": lambda m, op: ValidationFailed(
        "Not a refresh token", [{"field": "refreshToken", "message": m}]
    ),
    "UnauthorizedException": lambda m, op: Unauthorized("Not authorized"),
    "InternalErrorException": lambda m, op: Unavailable("Sign-in service unavailable", 5),
    "ServiceUnavailableException": lambda m, op: Unavailable("Sign-in service unavailable", 5),
}

# Where one operation needs a different answer for the same Cognito error.
_BY_OPERATION: dict[tuple[Operation, str], Make] = {
    # Same message for an unknown email and a wrong password: no account enumeration.
    ("login", "NotAuthorizedException"): lambda m, op: Unauthorized(BAD_CREDENTIALS),
    ("login", "UserNotFoundException"): lambda m, op: Unauthorized(BAD_CREDENTIALS),
    ("refresh", "NotAuthorizedException"): lambda m, op: Unauthorized(
        "Invalid, expired or revoked refresh token"
    ),
    ("sign_out", "NotAuthorizedException"): lambda m, op: Unauthorized("Token already revoked"),
    # Verifying an already confirmed account.
    ("confirm_sign_up", "NotAuthorizedException"): lambda m, op: Conflict(
        "Email address already verified"
    ),
    ("confirm_sign_up", "UserNotFoundException"): _bad_code,
    ("confirm_forgot_password", "UserNotFoundException"): _bad_code,
    # moto answers an unknown user here with ResourceNotFoundException.
    ("confirm_forgot_password", "ResourceNotFoundException"): _bad_code,
    ("confirm_forgot_password", "NotAuthorizedException"): _bad_code,
    # "User is already confirmed."
    ("resend_code", "InvalidParameterException"): lambda m, op: Conflict(
        "Email address already verified"
    ),
    # No verified email / disabled user: the caller answers exactly as for an unknown email.
    ("forgot_password", "InvalidParameterException"): lambda m, op: NotFound("No recovery"),
    ("forgot_password", "NotAuthorizedException"): lambda m, op: NotFound("No recovery"),
}


def domain_error(error: ClientError, op: Operation) -> DomainError | None:
    """The domain error for a Cognito error in `op`; None for an unexpected one (a bug or a
    misconfiguration: it propagates and becomes a logged 500)."""
    code = str(error.response.get("Error", {}).get("Code", ""))
    message = str(error.response.get("Error", {}).get("Message", ""))
    make = _BY_OPERATION.get((op, code)) or _COMMON.get(code)
    return make(message, op) if make else None


@contextmanager
def translated(op: Operation) -> Iterator[None]:
    try:
        yield
    except ClientError as err:
        mapped = domain_error(err, op)
        if mapped is None:
            raise
        raise mapped from None
    except NETWORK_ERRORS:
        raise Unavailable("Sign-in service unavailable", retry_after=5) from None
