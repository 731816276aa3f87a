"""The daemon-tier tests of `tests/cli/test_hardening.py` (helpers shared in `tests/fixtures/hardening.py`)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.fixtures.hardening import next_reminder
from tests.helpers import THERAPY_TIMER, HandClock, make_daemon, run_in_thread, stepping_daemon, tt
from therapy_timer import bootstrap, clock, protocol, reminders
from therapy_timer.notify import NotifyError
from therapy_timer.settings import Config
from therapy_timer.store import Store


def test_kill_9_the_daemon_30_times_while_commands_log(isolated):
    tt(None, "start", "--no-daemon", "--injured", "-1h")
    before = next_reminder(isolated)
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    saved, failures, stop = [], [], threading.Event()

    def log_pain() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            done = tt(None, "log", "pain", str(n % 11), "--note", f"entry {n}", code=None)
            (saved if done.returncode == 0 and "Saved" in done.stdout else failures).append((n, done.stderr))

    writer = threading.Thread(target=log_pain)
    writer.start()
    rng = random.Random(4)
    try:
        for _ in range(30):
            daemon = subprocess.Popen(
                [*THERAPY_TIMER, "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(rng.uniform(0.05, 0.5))
            daemon.kill()
            daemon.wait(10)
    finally:
        stop.set()
        writer.join(60)
    assert not failures and len(saved) >= 10
    notes = {e.text for e in Store(isolated).events() if e.kind == "pain"}
    assert {f"entry {n}" for n, _ in saved} <= notes
    with sqlite3.connect(isolated / "therapy-timer.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert next_reminder(isolated) == before


@pytest.mark.parametrize("fault", ["raises", "hangs", "missing"])
def test_an_hour_of_failing_notifications_loses_no_reminder(isolated, fault):
    """An hour of plan time, stepped; each hanging call is cut off after 0.05 s of real time."""
    start = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)
    store = Store(isolated)
    store.start_plan(start, start, False, start)
    with stepping_daemon(isolated, HandClock(start), timeout=0.05) as p:
        if fault == "raises":
            p.recorder.failure = NotifyError("the desktop said no")
        elif fault == "hangs":
            p.recorder.hang = True
        else:
            p.recorder.problem = lambda: "notify-send not found"
        bootstrap.end_at(p.daemon, start + timedelta(hours=1), "an hour is over")
        p.scheduler.run_until(start + timedelta(hours=2))
    logged = p.logged
    assert p.scheduler.stopped and any("an hour is over" in line for line in logged)
    expected = {
        r.key
        for r in reminders.build(
            Config(),
            protocol.build(Config(), protocol.Plan(start, start), [], start + timedelta(hours=2), clock.local_zone()),
            [],
            start,
            start + timedelta(minutes=59),
        )
    }
    record = {r.key: r for r in store.reminders(1)}
    assert expected and expected <= set(record)
    assert {record[k].outcome for k in expected} == {"fired"} and {record[k].backend for k in expected} == {"terminal"}
    assert sum("not reaching you" in line for line in logged) == 1


def test_jumping_hours_forward_then_back_fires_each_due_reminder_once(isolated):
    from freezegun import freeze_time

    t0 = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)
    store = Store(isolated)
    store.start_plan(t0, t0, False, t0)
    with freeze_time(t0 + timedelta(seconds=1)) as frozen:
        daemon, recorder, _ = make_daemon(isolated, max_idle=0.2)
        thread = run_in_thread(daemon)
        recorder.wait_for("Ice on now")
        frozen.move_to(t0 + timedelta(hours=4, minutes=3))  # asleep through two sessions
        time.sleep(1.0)
        frozen.move_to(t0 + timedelta(hours=1))  # someone sets the clock back
        time.sleep(1.0)
        frozen.move_to(t0 + timedelta(hours=4, minutes=16))
        time.sleep(1.0)
        daemon.shutdown()
        thread.join(3)
    fired = [r.key for r in store.reminders(1) if r.outcome == "fired"]
    assert len(recorder.sent) == len(fired)  # the record holds each key once; none was delivered twice
    assert recorder.titles == ["Ice on now", "Ice on now", "Ice off now"]
