#!/usr/bin/env bash
# Takes a fresh machine to a working development environment: virtualenv and packages,
# a reachable PostgreSQL with PostGIS available. Safe to run repeatedly; each step is skipped
# when already done. Used by `make run`, `make test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

say() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }

# --- Python -----------------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  say "creating virtualenv ($($PYTHON --version))"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  say "installing packages"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -e '.[dev]'
  touch "$stamp"
fi

# checkov pins versions (packaging, ...) the test tools cannot share: its own virtualenv.
TOOLS=.venv-tools
tools_stamp="$TOOLS/.installed"
if [ ! -f "$tools_stamp" ] || [ .ci/scan-requirements.txt -nt "$tools_stamp" ]; then
  say "installing template scanners"
  [ -x "$TOOLS/bin/python" ] || "$PYTHON" -m venv "$TOOLS"
  "$TOOLS/bin/pip" install -q -r .ci/scan-requirements.txt
  touch "$tools_stamp"
fi

# --- PostgreSQL -------------------------------------------------------------------------
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "starting PostgreSQL"
    for v in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    done
    for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
  fi
  pg_isready -q -h "$PGHOST" -p "$PGPORT" || {
    echo "PostgreSQL is not reachable at $PGHOST:$PGPORT. Install and start PostgreSQL 15+" >&2
    echo "(Debian: apt-get install postgresql-15 postgresql-15-postgis-3) or set PGHOST/PGPORT." >&2
    exit 1
  }
fi

has_postgis() {
  [ "$(psql -X -At -d postgres -c "select count(*) from pg_available_extensions where name='postgis'")" != 0 ]
}
if ! has_postgis; then
  major=$(psql -X -At -d postgres -c "show server_version_num" | cut -c1-2)
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing PostGIS for PostgreSQL $major"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$major-postgis-3" >/dev/null
  fi
  has_postgis || {
    echo "PostGIS is not available to the PostgreSQL server at $PGHOST:$PGPORT." >&2
    echo "Install it (Debian: apt-get install postgresql-$major-postgis-3) and run again." >&2
    exit 1
  }
fi
say "ready"
