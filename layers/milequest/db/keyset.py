"""The SQL side of keyset paging (milequest.domain.paging holds the cursors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID


def after(
    position: tuple[datetime, UUID] | None, columns: str, op: Literal["<", ">"] = "<"
) -> tuple[str, dict[str, Any]]:
    """`AND (columns) op (at, id)` and its parameters: the rows past `position` in the order
    (`<` for newest first); nothing on the first page. `columns` is a fixed SQL fragment."""
    if position is None:
        return "", {}
    return f"AND ({columns}) {op} (%(at)s, %(id)s)", {"at": position[0], "id": position[1]}
