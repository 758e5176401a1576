"""What every AWS call of the API treats alike: botocore's errors that mean the service could not
be reached or did not answer in time (a retry later may work), whatever the service."""

from __future__ import annotations

from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

NETWORK_ERRORS = (
    EndpointConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
    ConnectionClosedError,
)
