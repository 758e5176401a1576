"""Achievements read (docs/domain.md#achievements): the catalog in the caller's language and a
user's earned ones. Apart from the awarding (milequest.domain.achievements), whose criteria
models and notifications are only the writes' cold start."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from psycopg import Connection

from milequest.db import achievements as achievements_db
from milequest.i18n import gettext
from milequest.models.activities import CatalogAchievement, EarnedAchievement


def catalog(conn: Connection[Any], locale: str = "en") -> list[CatalogAchievement]:
    """The catalog with names and descriptions from the message catalogs of `locale`."""
    return [
        a.model_copy(
            update={"name": gettext(locale, a.name), "description": gettext(locale, a.description)}
        )
        for a in achievements_db.catalog(conn)
    ]


def earned_by(conn: Connection[Any], user_id: UUID) -> list[EarnedAchievement]:
    return achievements_db.earned_by(conn, user_id)
