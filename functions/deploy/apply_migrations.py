"""Deploy-time migrations: the on-event handler of the `Custom::MileQuestMigrations` provider.

The CDK custom resource Provider (infra/migrations.py) invokes it on create and on every update
of the resource (its properties carry a hash of migrations/ and the release version). It reads
the master credentials from Secrets Manager, applies pending migrations with the same code path
as local and test databases (milequest.db.migrations.apply_migrations; the bundle ships them in
milequest/migrations), then makes sure the application's IAM-authenticated database user exists
with DML rights only.

Not an HTTP route. It returns the resource's physical id and data; an exception fails the
resource, and the Provider's framework reports either to CloudFormation.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

import boto3
import psycopg
from psycopg import sql

from milequest.db.migrations import apply_migrations
from milequest.observability import logger

PHYSICAL_ID = "milequest-migrations"

_APP_ROLE_SQL = [
    "GRANT CONNECT ON DATABASE {db} TO {role}",
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    "GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
    "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO {role}",
]


def database_url(secret: dict[str, Any]) -> str:
    """URL for the RDS-generated master secret (host, port, username, password, dbname)."""
    user = quote(str(secret["username"]), safe="")
    password = quote(str(secret["password"]), safe="")
    dbname = secret.get("dbname") or "milequest"
    return (
        f"postgresql://{user}:{password}@{secret['host']}:{secret.get('port', 5432)}/{dbname}"
        "?sslmode=require&connect_timeout=10"
    )


def read_secret(arn: str) -> dict[str, Any]:
    client = boto3.client("secretsmanager")
    value: dict[str, Any] = json.loads(client.get_secret_value(SecretId=arn)["SecretString"])
    return value


def ensure_app_role(conn: psycopg.Connection[Any], role: str) -> None:
    """Create the application's login role (IAM auth via rds_iam on RDS) and grant DML."""
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    ident = sql.Identifier(role)
    if exists is None:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
    has_rds_iam = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam'").fetchone()
    if has_rds_iam is not None:
        conn.execute(sql.SQL("GRANT rds_iam TO {}").format(ident))
    dbname = conn.execute("SELECT current_database()").fetchone()
    assert dbname is not None
    for statement in _APP_ROLE_SQL:
        conn.execute(sql.SQL(statement).format(db=sql.Identifier(dbname[0]), role=ident))


def migrate(url: str, app_role: str) -> list[str]:
    applied = apply_migrations(url)
    with psycopg.connect(url, autocommit=True) as conn:
        ensure_app_role(conn, app_role)
    return applied


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    # Keeping the physical id on update: a new one would make CloudFormation delete the "old"
    # resource, which is the same schema.
    physical_id = str(event.get("PhysicalResourceId") or PHYSICAL_ID)
    data: dict[str, str] = {}
    if event["RequestType"] in ("Create", "Update"):
        url = database_url(read_secret(os.environ["MASTER_SECRET_ARN"]))
        try:
            applied = migrate(url, os.environ.get("DB_APP_USER", "milequest_app"))
        except Exception:
            logger.exception("migration failed")
            raise
        logger.info("migrations applied", extra={"applied": applied})
        data = {"Applied": ",".join(applied)[:1000], "Count": str(len(applied))}
    return {"PhysicalResourceId": physical_id, "Data": data}
