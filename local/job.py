"""`make job NAME=<module> [EVENT=<json>]`: run functions.jobs.<module>.handler once against
DATABASE_URL, the way its EventBridge schedule would, and print its JSON report.

Only the report goes to standard output (so it can be piped to `jq`); the job's logs and EMF
metric lines go to standard error. Exit status 1 when the job raises, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
import traceback
from typing import Any

JOB_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def load_job(name: str) -> Any:
    if not JOB_NAME.match(name):
        raise ValueError(f"not a job module name: {name!r}")
    module = importlib.import_module(f"functions.jobs.{name}")
    if not callable(getattr(module, "handler", None)):
        raise ValueError(f"functions.jobs.{name} has no handler")
    return module.handler


def parse_event(text: str) -> dict[str, Any]:
    event = json.loads(text or "{}")
    if not isinstance(event, dict):
        raise ValueError("EVENT must be a JSON object")
    return event


def run(name: str, event: dict[str, Any], *, migrate: bool = True) -> dict[str, Any]:
    from local import notify
    from local.cognito import _fake_credentials
    from local.server import LocalLambdaContext

    # Point the job at the running local stack's emulators (SES, push keys), as `make run` did.
    _fake_credentials()
    notify.load_env()
    if migrate:
        from local.migrate import main as apply_local_migrations

        apply_local_migrations()
    report: dict[str, Any] = load_job(name)(event, LocalLambdaContext())
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one scheduled job locally")
    parser.add_argument("name", help="module of functions/jobs, e.g. monitor_database")
    parser.add_argument("--event", default=os.environ.get("EVENT", "{}"), help="JSON object")
    parser.add_argument("--no-migrate", action="store_true", help="skip pending migrations")
    args = parser.parse_args(argv)
    # From here on fd 1 is stderr for everything (print, loggers, EMF); the report alone is
    # written to the original standard output.
    report_out = os.fdopen(os.dup(1), "w")
    sys.stdout.flush()
    os.dup2(2, 1)
    try:
        event = parse_event(args.event)
        handler_name = args.name
        load_job(handler_name)
    except (ValueError, ImportError) as exc:
        print(f"job: {exc}", file=sys.stderr)
        return 2
    try:
        report = run(handler_name, event, migrate=not args.no_migrate)
    except Exception:  # any failure of the job: traceback on stderr, exit 1
        traceback.print_exc()
        return 1
    report_out.write(json.dumps(report, indent=2, default=str) + "\n")
    report_out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
