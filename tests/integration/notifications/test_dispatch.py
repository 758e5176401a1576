"""The dispatcher: email through moto's SES, locales, quiet hours, retries, racing dispatchers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from botocore.exceptions import ClientError

from functions.jobs import dispatch_notifications
from milequest.domain import notifications_email
from milequest.domain.notifications_dispatch import dispatch, quiet_until
from tests.integration.notifications.helpers import team_with_joiners
from tests.support.api import call


def _email_status(db: psycopg.Connection, user_id: Any) -> list[tuple[Any, ...]]:
    return db.execute(
        """SELECT status, attempts, last_error IS NOT NULL FROM notification_deliveries
            WHERE user_id = %s AND channel = 'EMAIL' ORDER BY created_at""",
        (user_id,),
    ).fetchall()


def _sent_to(ses: Any, address: str) -> list[Any]:
    return [m for m in ses.sent_messages if address in m.destinations["ToAddresses"]]


def _drain(dsn: str) -> int:
    """Dispatch until nothing is due: the session database holds other tests' due deliveries
    too, more than one run handles when the whole suite ran before. How many were sent."""
    sent = 0
    with psycopg.connect(dsn, autocommit=True) as conn:
        for _ in range(50):
            run = dispatch(conn)
            sent += run.sent
            if run.sent == 0 and run.deferred == 0 and run.failed == 0:
                return sent
    raise AssertionError("deliveries still due after 50 dispatch runs")


def test_email_is_sent_once_and_marked_sent(make_user, db, ses) -> None:
    admin = make_user("Admin")
    team = team_with_joiners(admin, make_user("Ana"))
    sent = _drain(db.info.dsn)
    with psycopg.connect(db.info.dsn, autocommit=True) as conn:
        again = dispatch(conn)
    assert sent >= 1 and again.sent == 0
    mails = _sent_to(ses, admin.email)
    assert len(mails) == 1
    assert mails[0].subject == f"Ana joined {team['name']}"
    assert f"Ana joined {team['name']}" in mails[0].body
    assert _email_status(db, admin.id) == [("SENT", 1, False)]


def test_email_in_portuguese_for_a_pt_pt_user(make_user, db, ses) -> None:
    admin = make_user("Admin")
    assert call("PATCH", "/users/me", user=admin, json_body={"locale": "PT-pt"}).status == 200
    team = team_with_joiners(admin, make_user("Rita"))
    _drain(db.info.dsn)
    [mail] = _sent_to(ses, admin.email)
    assert mail.subject == f"Rita juntou-se a {team['name']}"
    assert "Olá Admin," in mail.body and "Abrir o Mile Quest" in mail.body


def test_quiet_hours_defer_across_midnight_in_the_users_timezone(make_user, db, ses) -> None:
    _drain(db.info.dsn)  # only this test's delivery is due below
    admin = make_user("Admin")
    call("PATCH", "/users/me", user=admin, json_body={"timezone": "America/New_York"})
    call("PUT", "/notifications/preferences", user=admin, json_body={"preferences": [
        {"category": "MEMBER_JOINED", "channel": "EMAIL", "quietHoursStart": "22:00",
         "quietHoursEnd": "07:00"}]})  # fmt: skip
    team_with_joiners(admin, make_user("Ana"))
    late = datetime(2030, 1, 15, 4, 30, tzinfo=UTC)  # 23:30 in New York (EST, UTC-5)
    with psycopg.connect(db.info.dsn, autocommit=True) as conn:
        summary = dispatch(conn, now=lambda: late)
        assert summary.deferred == 1 and summary.sent == 0
        row = db.execute(
            """SELECT status, attempts, next_attempt_at FROM notification_deliveries
                WHERE user_id = %s AND channel = 'EMAIL'""",
            (admin.id,),
        ).fetchone()
        assert row == ("DEFERRED", 0, datetime(2030, 1, 15, 12, 0, tzinfo=UTC))  # 07:00 local
        # 06:59 local: still quiet, nothing due; 07:00 local: sent.
        assert dispatch(conn, now=lambda: datetime(2030, 1, 15, 11, 59, tzinfo=UTC)).sent == 0
        assert dispatch(conn, now=lambda: datetime(2030, 1, 15, 12, 0, tzinfo=UTC)).sent == 1
    assert len(_sent_to(ses, admin.email)) == 1


def test_quiet_window_arithmetic() -> None:
    from datetime import time

    lisbon_noon = datetime(2030, 7, 1, 11, 0, tzinfo=UTC)  # 12:00 WEST
    assert quiet_until(lisbon_noon, "Europe/Lisbon", time(22), time(7)) is None
    assert quiet_until(lisbon_noon, "Europe/Lisbon", time(11), time(13)) == datetime(
        2030, 7, 1, 12, 0, tzinfo=UTC
    )
    just_after_midnight = datetime(2030, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 WEST on the 2nd
    assert quiet_until(just_after_midnight, "Europe/Lisbon", time(22), time(7)) == datetime(
        2030, 7, 2, 6, 0, tzinfo=UTC
    )


class _FailingSes:
    def __init__(self, code: str) -> None:
        self.code, self.calls = code, 0

    def send_email(self, **_: Any) -> None:
        self.calls += 1
        raise ClientError({"Error": {"Code": self.code, "Message": "x"}}, "SendEmail")

    def get_suppressed_destination(self, EmailAddress: str) -> dict[str, Any]:  # noqa: N803
        return {"SuppressedDestination": {"EmailAddress": EmailAddress, "Reason": "BOUNCE"}}


def test_failures_back_off_then_fail_for_good(make_user, db, ses, monkeypatch) -> None:
    _drain(db.info.dsn)  # only this test's delivery is due below
    failing = _FailingSes("TooManyRequestsException")
    monkeypatch.setattr(notifications_email, "client", lambda: failing)
    admin = make_user("Admin")
    team_with_joiners(admin, make_user("Ana"))
    db.execute("UPDATE notification_deliveries SET max_retries = 2 WHERE user_id = %s", (admin.id,))
    t = datetime.now(UTC)
    waits = []
    with psycopg.connect(db.info.dsn, autocommit=True) as conn:
        for _ in range(3):
            summary = dispatch(conn, now=lambda t=t: t)
            row = db.execute(
                """SELECT status, attempts, next_attempt_at, last_error
                     FROM notification_deliveries WHERE user_id = %s AND channel = 'EMAIL'""",
                (admin.id,),
            ).fetchone()
            assert row is not None
            waits.append(row[2] - t)
            assert dispatch(conn, now=lambda t=t: t).sent == 0  # not due again yet
            t = row[2] + timedelta(seconds=1)
    assert row[0] == "FAILED" and row[1] == 3 and row[3] == "SES TooManyRequestsException"
    assert summary.failed == 1
    assert waits[0] == timedelta(minutes=1) and waits[1] == timedelta(minutes=2)  # growing
    assert failing.calls == 3


def test_a_suppressed_address_stops_email(make_user, db, ses, monkeypatch) -> None:
    _drain(db.info.dsn)  # only this test's deliveries are due below
    monkeypatch.setattr(notifications_email, "client", lambda: _FailingSes("MessageRejected"))
    admin = make_user("Admin")
    team_with_joiners(admin, make_user("Ana"), make_user("Ben"))
    with psycopg.connect(db.info.dsn, autocommit=True) as conn:
        summary = dispatch(conn)
    assert summary.failed == 2 and summary.sent == 0
    assert [r[0] for r in _email_status(db, admin.id)] == ["FAILED", "FAILED"]
    team_with_joiners(admin, make_user("Cy"))  # a new notification: no email delivery at all
    assert len(_email_status(db, admin.id)) == 2


def test_two_dispatchers_racing_send_each_delivery_once(make_user, db, ses) -> None:
    _drain(db.info.dsn)  # only this test's deliveries are due below, well within one run each
    admins = [make_user(f"Admin{i}") for i in range(6)]
    for admin in admins:
        team_with_joiners(admin, make_user("J1"), make_user("J2"))
    before = len(ses.sent_messages)
    start = threading.Barrier(2)
    results = []

    def run() -> None:
        with psycopg.connect(db.info.dsn, autocommit=True) as conn:
            start.wait()
            results.append(dispatch(conn))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    sent = ses.sent_messages[before:]
    addresses = [m.destinations["ToAddresses"][0] for m in sent]
    subjects = [(a, m.subject) for a, m in zip(addresses, sent, strict=True)]
    assert len(subjects) == len(set(subjects))  # nothing twice
    assert sum(r.sent for r in results) == len(sent)
    for admin in admins:
        assert len(_sent_to(ses, admin.email)) == 2  # J1 joined, J2 joined
        assert {r[0] for r in _email_status(db, admin.id)} == {"SENT"}


def test_job_publishes_its_metrics(make_user, ses, capsys, monkeypatch) -> None:
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    team_with_joiners(make_user("Admin"), make_user("Ana"))
    result = dispatch_notifications.handler({}, None)
    assert result["sent"] >= 1
    out = capsys.readouterr().out
    assert '"NotificationDeliveriesSent"' in out and '"NotificationDeliveriesFailed"' in out
    assert dispatch_notifications.SCHEDULE == "rate(1 minute)"
