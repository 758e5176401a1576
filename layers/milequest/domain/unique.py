"""Unique-violation translation: a named unique constraint that rejects a write becomes the
domain error the API maps to a 409, instead of a database error (a 500)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from psycopg import Connection, errors

from milequest.domain.errors import DomainError


@contextmanager
def unique_or_raise(conn: Connection[Any], constraint: str, error: DomainError) -> Iterator[None]:
    """Run the block in a savepoint; when `constraint` rejects it, raise `error`.

    The savepoint keeps the caller's transaction usable after the violation; a violation of
    any other constraint is a bug and propagates unchanged."""
    try:
        with conn.transaction():
            yield
    except errors.UniqueViolation as exc:
        if exc.diag.constraint_name == constraint:
            raise error from exc
        raise
