"""`make migrate`: create the local database when missing and apply pending migrations."""

from __future__ import annotations

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from milequest.config import get_settings
from milequest.db.migrations import apply_migrations


def ensure_database(database_url: str) -> None:
    params = conninfo_to_dict(database_url)
    name = str(params.get("dbname") or "milequest")
    admin = make_conninfo(database_url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def main() -> None:
    url = get_settings().database_url
    ensure_database(url)
    applied = apply_migrations(url)
    print(f"migrations applied: {len(applied)}" + (f" ({', '.join(applied)})" if applied else ""))


if __name__ == "__main__":
    main()
