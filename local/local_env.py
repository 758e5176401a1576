"""Point this process's settings at a running local stack's SES emulator for a while (the
e2e tests run the dispatcher in-process against the server's database)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

from local.notify import SENDER
from milequest.config import get_settings
from milequest.domain import notifications_email


@contextmanager
def dispatcher_env(ses_endpoint: str) -> Iterator[None]:
    wanted = {
        "SES_ENDPOINT_URL": ses_endpoint,
        "EMAIL_FROM": SENDER,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "eu-west-1",
    }
    try:
        with patch.dict(os.environ, wanted):  # restores the environment as it was on exit
            _clear_caches()
            yield
    finally:
        _clear_caches()


def _clear_caches() -> None:
    get_settings.cache_clear()
    notifications_email.client.cache_clear()
