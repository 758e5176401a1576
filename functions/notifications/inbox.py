"""My notifications: list, unread count, mark read, preferences."""

from __future__ import annotations

from uuid import UUID

from milequest.api.request import Request
from milequest.api.routing import Router
from milequest.domain import notifications_inbox as inbox
from milequest.models.base import Page
from milequest.models.notifications import (
    Notification,
    NotificationQuery,
    Preferences,
    PreferencesIn,
    ReadAll,
    UnreadCount,
)

router = Router()


@router.get("/notifications", "My notifications, newest first", profile="light")
def list_notifications(req: Request, query: NotificationQuery) -> Page[Notification]:
    return inbox.list_notifications(req.conn, req.me, query)


@router.get(
    "/notifications/unread-count", "How many of my notifications are unread", profile="light"
)
def unread_count(req: Request) -> UnreadCount:
    return UnreadCount(count=inbox.unread_count(req.conn, req.me))


@router.post("/notifications/read-all", "Mark all my notifications read", profile="light")
def read_all(req: Request) -> ReadAll:
    return ReadAll(updated=inbox.mark_all_read(req.conn, req.me))


@router.get(
    "/notifications/preferences", "My notification preferences (defaults included)", profile="light"
)
def get_preferences(req: Request) -> Preferences:
    return inbox.preferences(req.conn, req.me)


@router.put(
    "/notifications/preferences", "Change some of my notification preferences", profile="light"
)
def put_preferences(req: Request, body: PreferencesIn) -> Preferences:
    return inbox.update_preferences(req.conn, req.me, body)


@router.post("/notifications/{id}/read", "Mark one of my notifications read", profile="light")
def read_one(req: Request, id: UUID) -> Notification:  # noqa: A002 - the path names it {id}
    return inbox.mark_read(req.conn, req.me, id)
