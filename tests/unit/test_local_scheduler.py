"""Local scheduler: EventBridge rate()/cron() parsing and a tick that runs due jobs only."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from local import scheduler
from local.schedules import Cron, Rate, parse

T0 = datetime(2025, 3, 14, 10, 7, 30, tzinfo=UTC)  # a Friday


@pytest.mark.parametrize(
    ("expression", "every"),
    [
        ("rate(5 minutes)", timedelta(minutes=5)),
        ("rate(1 minute)", timedelta(minutes=1)),
        ("rate(1 hour)", timedelta(hours=1)),
        ("rate(2 days)", timedelta(days=2)),
    ],
)
def test_rates(expression, every):
    schedule = parse(expression)
    assert schedule == Rate(every)
    assert schedule.next_after(T0) == T0 + every


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("cron(15 3 * * ? *)", datetime(2025, 3, 15, 3, 15, tzinfo=UTC)),
        ("cron(0/10 * * * ? *)", datetime(2025, 3, 14, 10, 10, tzinfo=UTC)),
        ("cron(0 9 ? * MON-FRI *)", datetime(2025, 3, 17, 9, 0, tzinfo=UTC)),
        ("cron(0 12 ? * 1 *)", datetime(2025, 3, 16, 12, 0, tzinfo=UTC)),  # 1 = Sunday
        ("cron(30 8 1 JAN,JUL ? *)", datetime(2025, 7, 1, 8, 30, tzinfo=UTC)),
        ("cron(0 0 29 2 ? 2028)", datetime(2028, 2, 29, 0, 0, tzinfo=UTC)),
        ("cron(8 10 * * ? *)", datetime(2025, 3, 14, 10, 8, tzinfo=UTC)),
    ],
)
def test_crons_fire_at_their_next_utc_minute(expression, expected):
    schedule = parse(expression)
    assert isinstance(schedule, Cron)
    assert schedule.next_after(T0) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "rate(0 minutes)",
        "rate(5 fortnights)",
        "every 5 minutes",
        "cron(0 3 * * *)",  # five fields: EventBridge needs six
        "cron(0 3 * * MON *)",  # day-of-month and day-of-week both set
        "cron(0 3 L * ? *)",
        "cron(0 3 ? * 6#3 *)",
        "cron(61 3 * * ? *)",
    ],
)
def test_bad_expressions_are_errors(expression):
    with pytest.raises(ValueError):
        parse(expression)


def _jobs_dir(tmp_path, monkeypatch):
    package = tmp_path / "fakejobs"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "fast.py").write_text(
        "RUNS = []\nSCHEDULE = 'rate(1 hour)'\nLOCAL_SCHEDULE = 'rate(1 minute)'\n"
        "def handler(event, context):\n    RUNS.append(event)\n    return {}\n"
    )
    (package / "nightly.py").write_text(
        "RUNS = []\nSCHEDULE = 'cron(0 3 * * ? *)'\n"
        "def handler(event, context):\n    RUNS.append(event)\n    return {}\n"
    )
    (package / "broken.py").write_text(
        "SCHEDULE = 'rate(1 minute)'\ndef handler(event, context):\n    raise RuntimeError('x')\n"
    )
    (package / "_helpers.py").write_text("def handler(event, context):\n    raise AssertionError\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return package


def test_tick_runs_due_jobs_only_and_survives_a_failing_one(tmp_path, monkeypatch):
    package = _jobs_dir(tmp_path, monkeypatch)
    jobs = scheduler.discover(T0, package, "fakejobs")
    assert {j.name: j.expression for j in jobs} == {
        "broken": "rate(1 minute)",
        "fast": "rate(1 minute)",  # LOCAL_SCHEDULE wins
        "nightly": "cron(0 3 * * ? *)",
    }
    import fakejobs.fast as fast
    import fakejobs.nightly as nightly

    # Nothing is due at start: rates count from the start, like a new EventBridge rule
    assert scheduler.tick(jobs, T0) == []
    # A minute later the per-minute jobs run; the failing one does not stop the other
    assert scheduler.tick(jobs, T0 + timedelta(minutes=1)) == ["broken", "fast"]
    assert fast.RUNS == [{}] and nightly.RUNS == []
    # Not again until their next time
    assert scheduler.tick(jobs, T0 + timedelta(minutes=1, seconds=30)) == []
    # The nightly cron runs at 03:00 UTC
    at_three = datetime(2025, 3, 15, 3, 0, tzinfo=UTC)
    assert "nightly" in scheduler.tick(jobs, at_three)
    assert nightly.RUNS == [{}]
    assert next(j for j in jobs if j.name == "nightly").next_run == at_three + timedelta(days=1)


def test_every_real_job_has_a_schedule_the_scheduler_understands():
    jobs = scheduler.discover(T0)
    names = {j.name for j in jobs}
    assert {"monitor_database", "check_data_quality", "analyze_indexes"} <= names
    assert {"purge_idempotency_keys", "reconcile_aggregates", "fail_expired_goals"} <= names


def test_local_jobs_off_starts_a_thread_that_does_nothing(monkeypatch):
    monkeypatch.setenv("LOCAL_JOBS", "0")
    called = []
    monkeypatch.setattr(scheduler, "_loop", lambda stop: called.append(stop))
    thread = scheduler.start(threading.Event())
    thread.join(timeout=5)
    assert not thread.is_alive() and called == [] and thread.daemon


def test_start_runs_the_loop_in_a_daemon_thread_until_stopped(monkeypatch):
    monkeypatch.delenv("LOCAL_JOBS", raising=False)
    seen = []
    monkeypatch.setattr(scheduler, "_loop", lambda stop: seen.append(stop.wait(5)))
    stop = threading.Event()
    thread = scheduler.start(stop)
    assert thread.daemon and thread.name == "local-jobs"
    stop.set()
    thread.join(timeout=5)
    assert seen == [True]
