"""Apply the versioned SQL migrations with yoyo-migrations.

Used by the local server, the test suite and the deploy-time migration Lambda, so every database
is built by exactly the same code path.
"""

from __future__ import annotations

from pathlib import Path

from yoyo import get_backend, read_migrations

# In the repository the migrations live at the top level; the Lambda bundle copies them next to
# the package (see infra), so look in both places.
_CANDIDATES = (
    Path(__file__).resolve().parents[3] / "migrations",
    Path(__file__).resolve().parents[1] / "migrations",
)


def migrations_dir() -> Path:
    for candidate in _CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("migrations directory not found")


def yoyo_url(database_url: str) -> str:
    """yoyo picks the driver from the URL scheme; we always want psycopg 3."""
    scheme, _, rest = database_url.partition("://")
    if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        return f"postgresql+psycopg://{rest}"
    raise ValueError(f"unsupported database URL scheme: {scheme}")


def apply_migrations(database_url: str, directory: Path | None = None) -> list[str]:
    """Apply pending migrations; returns the ids applied (empty when up to date)."""
    backend = get_backend(yoyo_url(database_url))
    migrations = read_migrations(str(directory or migrations_dir()))
    with backend.lock():
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    return [m.id for m in pending]
