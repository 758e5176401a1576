"""Run one scheduled job locally: `make job NAME=dispatch_notifications`."""

from __future__ import annotations

import importlib
import json
import os
import sys

from local import notify
from local.cognito import _fake_credentials


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        raise SystemExit("usage: python -m local.job <module in functions/jobs>")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    _fake_credentials()
    notify.load_env()
    job = importlib.import_module(f"functions.jobs.{args[0]}")
    print(json.dumps(job.handler({}, None), default=str))


if __name__ == "__main__":
    main()
