"""The one way a handler module becomes a Lambda entry point."""

from __future__ import annotations

from functions.registry import route_for
from milequest.api.entry import Handler, LambdaHandler, lambda_handler


def entrypoint(fn: Handler) -> LambdaHandler:
    """Wrap `fn` with the plumbing for the route registered for this module's `handler`."""
    return lambda_handler(route_for(f"{fn.__module__}.handler"), fn)
