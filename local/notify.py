"""Notifications on the local stack (`make run`): a VAPID key pair generated once into
.local/vapid.json (git-ignored), SES served by the same moto server as Cognito with the sender
verified, and a push service stand-in on 127.0.0.1 that records pushes. What the server exports
is also written to .local/notify.env so `make job NAME=dispatch_notifications` in another shell
sends through the same emulator."""

from __future__ import annotations

import json
import os
from pathlib import Path

import boto3

from local import push_service
from milequest import vapid

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ROOT / ".local"
SENDER = "notifications@milequest.dev"


def ensure_vapid() -> dict[str, str]:
    path = LOCAL / "vapid.json"
    if not path.exists():
        LOCAL.mkdir(exist_ok=True)
        path.write_text(json.dumps(vapid.generate()))
        path.chmod(0o600)
    return dict(json.loads(path.read_text()))


def start(moto_endpoint: str, region: str) -> tuple[push_service.PushService, dict[str, str]]:
    keys = ensure_vapid()
    ses = boto3.client("sesv2", region_name=region, endpoint_url=moto_endpoint)
    ses.create_email_identity(EmailIdentity=SENDER)
    env = {
        "SES_ENDPOINT_URL": moto_endpoint,
        "EMAIL_FROM": SENDER,
        "VAPID_PRIVATE_KEY": keys["privateKey"],
        "VAPID_PUBLIC_KEY": keys["publicKey"],
    }
    os.environ.update(env)
    LOCAL.mkdir(exist_ok=True)
    (LOCAL / "notify.env").write_text(json.dumps({**env, "AWS_REGION": region}))
    return push_service.start(), env


def load_env() -> None:
    """For a job run in another process: point it at the running local stack's emulators."""
    path = LOCAL / "notify.env"
    if path.exists():
        for key, value in json.loads(path.read_text()).items():
            os.environ.setdefault(key, value)
