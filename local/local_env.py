"""Point this process's settings at a running local stack's SES emulator for a while (the
e2e tests run the dispatcher in-process against the server's database)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

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
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    get_settings.cache_clear()
    notifications_email.client.cache_clear()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()
        notifications_email.client.cache_clear()
