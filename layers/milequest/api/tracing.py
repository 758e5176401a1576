"""X-Ray traces (Powertools Tracer) for the Lambda entries that call AWS APIs.

Lambda's active tracing (infra/functions.py) already records each invocation; the Tracer adds a
subsegment per AWS SDK call (it patches botocore), so a slow Cognito, Secrets Manager, SES or
RDS call shows up as such. Loading the X-Ray SDK and patching costs 190-265 ms of cold start,
so only the areas and jobs that call AWS build a Tracer, and only in Lambda: locally and in
tests (no LAMBDA_TASK_ROOT, or POWERTOOLS_TRACE_DISABLED set) `traced` returns the handler as
it is and nothing of the X-Ray SDK is imported.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from aws_lambda_powertools.shared import constants
from aws_lambda_powertools.shared.functions import resolve_truthy_env_var_choice

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer

# Areas whose routes call AWS APIs: Cognito (auth, users), Secrets Manager (notifications'
# VAPID key pair). Every route also signs an RDS IAM token, but that is computed locally.
TRACED_AREAS = frozenset({"auth", "users", "notifications"})

Handler = TypeVar("Handler", bound=Callable[[dict[str, Any], Any], Any])


def enabled() -> bool:
    """In Lambda, unless POWERTOOLS_TRACE_DISABLED says otherwise (the Tracer's own rule)."""
    if resolve_truthy_env_var_choice(env=os.getenv(constants.TRACER_DISABLED_ENV, "false")):
        return False
    return bool(os.getenv(constants.LAMBDA_TASK_ROOT_ENV))


@functools.cache
def tracer() -> Tracer:
    from aws_lambda_powertools import Tracer

    # botocore only: the AWS calls are what we trace; patching every library it knows would
    # import them all.
    return Tracer(patch_modules=["botocore"])


def traced(handler: Handler) -> Handler:
    """The handler inside a traced invocation (cold start annotated, errors recorded; response
    bodies are not recorded: they hold user data). Outside Lambda: the handler itself."""
    if not enabled():
        return handler
    return cast(Handler, tracer().capture_lambda_handler(handler, capture_response=False))
