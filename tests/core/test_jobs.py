"""`flask jobs run-due`: each daily job at most once a day, after JOBS_DAILY_AT, failures recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
import pytest

from cpevents import jobs
from cpevents.core.cache import DataVersion
from cpevents.extensions import db

# 3 December 2026: London is on GMT, so 02:00 in London is 02:00 UTC.
MORNING = datetime(2026, 12, 3, 2, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _daily_at(app):
    """The tests read the default time, whatever JOBS_DAILY_AT the machine running them has."""
    saved = app.config["JOBS_DAILY_AT"]
    app.config["JOBS_DAILY_AT"] = "02:00 Europe/London"
    yield
    app.config["JOBS_DAILY_AT"] = saved


class Calls:
    def __init__(self, fail: set[str] = frozenset()):
        self.ran: list[str] = []
        self.fail = set(fail)

    def jobs(self) -> dict[str, click.Command]:
        return {name: click.Command(name) for name in ("a job", "another job")}

    def invoke(self, command: click.Command) -> None:
        self.ran.append(command.name)
        if command.name in self.fail:
            raise RuntimeError("the job broke")


def run(calls: Calls, now: datetime):
    return {o.job: o for o in jobs.run_due(now=now, jobs=calls.jobs(), invoke=calls.invoke)}


def test_due_jobs_run_once_and_not_again_the_same_day(app):
    calls = Calls()
    with app.app_context():
        first = run(calls, MORNING)
        assert calls.ran == ["a job", "another job"]
        assert {o.result for o in first.values()} == {"ran"}
        again = run(calls, MORNING + timedelta(hours=5))
        assert calls.ran == ["a job", "another job"]  # not twice
        assert again["a job"].why == "already ran today"
        run(calls, MORNING + timedelta(days=1))
        assert calls.ran == ["a job", "another job"] * 2  # and again the next day


def test_nothing_runs_before_the_daily_time(app):
    calls = Calls()
    with app.app_context():
        outcomes = run(calls, MORNING.replace(hour=1, minute=59))
    assert calls.ran == []
    assert outcomes["a job"].why == "not before 02:00 Europe/London"


def test_the_daily_time_is_in_its_own_time_zone(app):
    calls = Calls()
    summer = datetime(2026, 7, 1, 1, 30, tzinfo=UTC)  # 02:30 in London (BST)
    with app.app_context():
        run(calls, summer)
    assert calls.ran == ["a job", "another job"]


def test_a_failure_is_recorded_does_not_stop_the_others_and_is_tried_again_a_few_times(app):
    calls = Calls(fail={"a job"})
    with app.app_context():
        outcomes = run(calls, MORNING)
        assert outcomes["a job"].result == "failed" and "RuntimeError" in outcomes["a job"].why
        assert outcomes["another job"].result == "ran"
        record = jobs.last_runs(["a job"])["a job"]
        assert (record.day.isoformat(), record.state, record.attempts) == ("2026-12-03", "failed", 1)
        run(calls, MORNING + timedelta(minutes=5))
        run(calls, MORNING + timedelta(minutes=10))
        last = run(calls, MORNING + timedelta(minutes=15))
        assert calls.ran.count("a job") == jobs.MAX_ATTEMPTS
        assert calls.ran.count("another job") == 1
        assert "tries again tomorrow" in last["a job"].why
        calls.fail.clear()
        run(calls, MORNING + timedelta(days=1))
        assert jobs.last_runs(["a job"])["a job"].state == "done"


def test_a_job_claimed_by_another_machine_is_left_to_it(app):
    calls = Calls()
    with app.app_context():
        db.session.add(DataVersion(name="job:a job", token="2026-12-03 running 1 02:04"))
        db.session.commit()
        outcomes = run(calls, MORNING)
        assert calls.ran == ["another job"]
        assert outcomes["a job"].why == "running on another machine"
        # ... unless that machine died: the claim is taken over after STALE_AFTER.
        run(calls, MORNING + jobs.STALE_AFTER)
        assert calls.ran == ["another job", "a job"]


def test_a_claim_made_before_midnight_utc_is_still_seen_as_running(app):
    """At 00:30 London time in summer it is 23:30 UTC the day before."""
    calls = Calls()
    just_after = datetime(2026, 7, 1, 23, 40, tzinfo=UTC)  # 00:40 on 2 July in London
    saved = app.config["JOBS_DAILY_AT"]
    with app.app_context():
        app.config["JOBS_DAILY_AT"] = "00:30 Europe/London"
        try:
            db.session.add(DataVersion(name="job:a job", token="2026-07-02 running 1 23:31"))
            db.session.commit()
            outcomes = run(calls, just_after)
        finally:
            app.config["JOBS_DAILY_AT"] = saved
    assert outcomes["a job"].why == "running on another machine"
    assert calls.ran == ["another job"]


def test_a_claim_changed_since_it_was_read_is_not_taken(app):
    with app.app_context():
        db.session.add(DataVersion(name="job:x", token="2026-12-02 done 1 02:05"))
        db.session.commit()
        assert not jobs._claim("job:x", "2026-12-01 done 1 02:05", "2026-12-03 running 1 02:05")
        assert jobs._claim("job:x", "2026-12-02 done 1 02:05", "2026-12-03 running 1 02:05")
        assert jobs._claim("job:y", None, "2026-12-03 running 1 02:05")  # the first machine creates the row
        assert not jobs._claim("job:y", None, "2026-12-03 running 1 02:05")  # the second finds it taken


def test_run_due_runs_the_real_daily_jobs_from_the_command_line(app):
    assert list(jobs._commands()) == list(jobs.DAILY_JOBS)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run-due"])
    assert result.exit_code == 0, result.output
    # Whatever the time of day the suite runs, every job is either run or not yet due.
    for job in jobs.DAILY_JOBS:
        assert f"{job}: ran" in result.output or f"{job}: skipped (not before" in result.output
    status = runner.invoke(args=["jobs", "status"])
    assert status.exit_code == 0 and "privacy purge:" in status.output


@pytest.mark.parametrize("setting, expected", [("02:00 Europe/London", "02:00 Europe/London"), ("23:30", "23:30 Europe/London"), ("06:15 UTC", "06:15 UTC")])
def test_jobs_daily_at_reads_a_time_and_an_optional_zone(setting, expected):
    at, zone = jobs.daily_at(setting)
    assert f"{at:%H:%M} {zone.key}" == expected


@pytest.mark.no_db_isolation
def test_two_machines_calling_at_once_run_each_job_once(app):
    """Real commits, two threads with their own sessions (as two machines would have)."""
    import threading
    import time
    import uuid

    from sqlalchemy import delete

    names = [f"race {uuid.uuid4().hex[:8]}", f"race {uuid.uuid4().hex[:8]}"]
    ran: list[str] = []
    start = threading.Barrier(2)

    def invoke(command):
        ran.append(command.name)
        time.sleep(0.3)  # long enough for the other caller to find the claim

    def machine():
        with app.app_context():
            start.wait()
            jobs.run_due(now=MORNING, jobs={n: click.Command(n) for n in names}, invoke=invoke)
            db.session.remove()

    threads = [threading.Thread(target=machine) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(ran) == sorted(names)  # each job once, whichever machine ran it
        with app.app_context():
            assert {r.state for r in jobs.last_runs(names).values()} == {"done"}
    finally:
        with app.app_context():
            db.session.execute(delete(DataVersion).where(DataVersion.name.in_([jobs.PREFIX + n for n in names])))
            db.session.commit()
