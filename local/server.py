"""`make run`: every registered route on http://127.0.0.1:3001.

Each HTTP request becomes an API Gateway HTTP API payload-2.0 event and is passed to the same
handler function Lambda calls (local.dispatch), behind waitress (local.http_server). Protected
routes need a Cognito token, verified here against the local Cognito emulator exactly as API
Gateway's JWT authorizer would verify it in the cloud.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading

from functions.registry import ROUTES
from local import cognito, exports, http_server, notify, scheduler
from local.dispatch import LocalLambdaContext, load_handler, match
from local.tokens import TokenVerifier
from milequest.allocator import restart_with_settings
from milequest.config import get_settings

# Re-exported: tests/support/api.py, bench and local/job.py import them from here.
__all__ = ["LocalLambdaContext", "load_handler", "main", "match", "serve"]


def serve(host: str, port: int, cognito_port: int | None) -> None:
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "milequest")
    from local.migrate import main as migrate

    migrate()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto, pool = cognito.start(cognito_port)
    pool.export()
    pushes, _ = notify.start(pool.endpoint_url, pool.region)
    storage = exports.start(pool.endpoint_url, pool.region)
    get_settings.cache_clear()  # settings were read by the migration step, before the pool
    httpd = http_server.create(TokenVerifier(pool), host, port)
    info = {
        "url": f"http://{host}:{httpd.effective_port}",
        "cognito": pool.endpoint_url,
        "userPoolId": pool.user_pool_id,
        "clientId": pool.client_id,
        "ses": pool.endpoint_url,
        "s3": pool.endpoint_url,
        "exportBucket": storage["EXPORT_BUCKET"],
        "pushService": pushes.base_url,
    }
    print(f"Mile Quest API listening on {info['url']}  ({len(ROUTES)} routes)", flush=True)
    print(json.dumps(info), flush=True)
    try:
        httpd.run()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.close()
        pushes.stop()
        moto.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Mile Quest local API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3001")))
    parser.add_argument("--cognito-port", type=int, default=None)
    args = parser.parse_args(argv)
    scheduler.start(threading.Event())  # functions/jobs on their schedules; LOCAL_JOBS=0: off
    serve(args.host, args.port, args.cognito_port)


if __name__ == "__main__":
    restart_with_settings()  # the allocator settings Lambda has
    main(sys.argv[1:])
