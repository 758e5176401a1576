"""Account deletion and data export (docs/domain.md#account-deletion,
docs/domain.md#data-export)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol
from uuid import UUID

from psycopg import Connection

from milequest.db import activity_locations as locations_db
from milequest.db import audit, user_export
from milequest.db import notifications as notifications_db
from milequest.db import team_invites as invites_db
from milequest.db import team_members as members_db
from milequest.db import teams as teams_db
from milequest.db import users as users_db
from milequest.domain.accounts import UserPool
from milequest.domain.errors import LastAdmin, Unauthorized, Unavailable
from milequest.export_store import StoredExport
from milequest.models.users import Deleted, ExportDownload
from milequest.observability import MetricUnit, logger, metrics


def delete_account(conn: Connection[Any], pool: UserPool, me: UUID) -> Deleted:
    """Soft delete + scrub, end memberships, then remove the Cognito identity.

    One transaction: the user row is locked, then each team the user belongs to (in id order,
    the membership-change lock), so the last-admin rule is checked on a stable state. A sole
    admin of a team with other members must hand over first (409 LAST_ADMIN); a team where the
    user is the only member is soft-deleted with the account. Activities are kept (attached to
    the scrubbed row) so team totals do not change.
    """
    with conn.transaction():
        account = users_db.lock_live(conn, me)
        if account is None:
            raise Unauthorized("This account cannot be used")
        deleted_teams: list[UUID] = []
        for membership in members_db.live_memberships_of(conn, me):
            team_id = membership.team_id
            teams_db.lock_team(conn, team_id)
            others = members_db.live_counts(conn, team_id, besides=me)
            if others.members == 0:
                deleted_teams.append(team_id)
            elif membership.role == "ADMIN" and others.admins == 0:
                raise LastAdmin(
                    "You are the only admin of a team: make another member admin first",
                    details=[{"field": "teamId", "message": str(team_id)}],
                )
        for team_id in deleted_teams:
            teams_db.mark_deleted(conn, team_id)
            audit.record(
                conn, me, "TEAM_DELETED", team_id=team_id, details={"reason": "ACCOUNT_DELETED"}
            )
        left = members_db.end_memberships_of(conn, me)
        invites_db.revoke_pending_for(conn, me, account.email)
        users_db.scrub(conn, me)
        locations_db.erase_for_user(conn, me)
        notifications_db.delete_preferences(conn, me)
        audit.record(
            conn,
            me,
            "ACCOUNT_DELETED",
            target_user_id=me,
            details={"membershipsEnded": left, "teamsDeleted": [str(t) for t in deleted_teams]},
        )
    # After the commit: a failure here leaves a Cognito identity whose row is deleted; its next
    # sign-in is refused and deletes it again (milequest.domain.accounts.ensure_account).
    try:
        pool.delete_user(account.cognito_id)
    except Unavailable:
        logger.error("Cognito user not deleted", extra={"user_id": str(me)})
        metrics.add_metric(name="CognitoDeleteFailed", unit=MetricUnit.Count, value=1)
    return Deleted()


class ExportStore(Protocol):
    """Where an export too large to answer inline goes (milequest.export_store; fakes in
    tests)."""

    def save(self, user_id: UUID, document: bytes) -> StoredExport: ...


def export_data(
    conn: Connection[Any],
    me: UUID,
    *,
    fits_inline: Callable[[str, int, bool], bool],
    store: ExportStore,
) -> str | ExportDownload:
    """The user's export as JSON text (the `DataExport` shape), built by PostgreSQL and passed
    through unparsed (at thousands of activities, models and a re-dump cost half a second);
    or, when the text does not `fits_inline`, stored and linked (docs/domain.md#data-export).
    `fits_inline` is given the text, its UTF-8 length and whether it holds a DEL character
    (read off the bytes received, for less than measuring the decoded text would cost).

    The audit row is written in the transaction that reads, after the store took the
    document: a store that fails raises before it, and the transaction rolls back (nothing
    delivered, nothing recorded). Until then the transaction holds no lock, only its
    connection. A commit that fails after the write leaves an object no one has a link to,
    which the bucket expires within a day."""
    with conn.transaction():
        document = user_export.export_document(conn, me)
        if document is None:
            raise Unauthorized("This account cannot be used")
        if fits_inline(document.text, document.utf8_bytes, document.has_del):
            audit.record(
                conn, me, "DATA_EXPORTED", target_user_id=me, details={"delivery": "inline"}
            )
            return document.text
        body = document.text.encode()
        stored = store.save(me, body)
        audit.record(
            conn,
            me,
            "DATA_EXPORTED",
            target_user_id=me,
            details={"delivery": "download", "objectKey": stored.key, "bytes": len(body)},
        )
    return ExportDownload(url=stored.url, expires_at=stored.expires_at, size=len(body))
