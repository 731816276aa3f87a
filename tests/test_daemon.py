"""The reminder daemon: on time, once, after sleep and restarts, through failures."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from tests.helpers import HandClock, make_daemon, run_in_thread
from therapy_timer import control
from therapy_timer.errors import RefusedError
from therapy_timer.notify import NotifyError, bounded
from therapy_timer.store import Store

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)  # 09:00 in Berlin


def new_plan(folder, injured=T0, started=T0) -> int:
    store = Store(folder)
    plan_id = store.start_plan(injured, started, False, started).id
    store.close()
    return plan_id


def test_a_tick_fires_what_is_due_and_records_due_and_fired_times(isolated):
    new_plan(isolated)
    clock = HandClock(T0 + timedelta(seconds=0.3))
    daemon, recorder, _ = make_daemon(isolated, clock)
    daemon.tick()
    assert recorder.titles == ["Ice on now"]
    clock.advance(minutes=15)
    daemon.tick()
    assert recorder.sent[-1][0] == "Ice off now" and recorder.sent[-1][2] is True  # stays until dismissed
    record = daemon.store.reminders(1)
    assert [(r.outcome, r.backend) for r in record] == [("fired", "recorder")] * 2
    assert record[0].due_at == T0 and record[0].fired_at == T0 + timedelta(seconds=0.3)
    daemon.tick()
    assert len(recorder.sent) == 2  # nothing fires twice


def test_after_downtime_only_the_latest_relevant_reminder_fires_the_rest_are_recorded_missed(isolated):
    new_plan(isolated)
    clock = HandClock(T0 + timedelta(minutes=17))
    daemon, recorder, _ = make_daemon(isolated, clock)
    daemon.tick()
    assert recorder.titles == ["Ice off now"]
    assert {r.key.rsplit("/", 1)[1]: r.outcome for r in daemon.store.reminders(1)} == {"on": "missed", "off": "fired"}


def test_an_ice_off_reminder_hours_late_is_not_fired(isolated):
    new_plan(isolated)
    clock = HandClock(T0 + timedelta(hours=2, minutes=5))
    daemon, recorder, _ = make_daemon(isolated, clock)
    daemon.tick()
    assert recorder.titles == ["Ice on now"]  # the 11:00 session, not 09:15's ice-off
    assert sum(r.outcome == "missed" for r in daemon.store.reminders(1)) >= 4


def test_a_restarted_daemon_continues_the_same_plan(isolated):
    new_plan(isolated)
    clock = HandClock(T0 + timedelta(seconds=1))
    first, recorder, _ = make_daemon(isolated, clock)
    first.tick()
    clock.advance(minutes=15)
    second, recorder2, _ = make_daemon(isolated, clock)  # as after a crash or reboot
    second.tick()
    assert recorder.titles == ["Ice on now"] and recorder2.titles == ["Ice off now"]


def test_repeats_until_done(isolated, run):
    new_plan(isolated)
    clock = HandClock(T0)
    daemon, recorder, _ = make_daemon(isolated, clock)
    for minutes in (0, 15, 5):
        clock.advance(minutes=minutes)
        daemon.tick()
    assert recorder.titles == ["Ice on now", "Ice off now", "Is the ice still on? Take it off now"]
    with freeze_time(clock.now() + timedelta(minutes=1)):
        run("done")
    clock.advance(minutes=5)
    daemon.tick()
    assert len(recorder.sent) == 3


def test_wall_clock_jump_forward_fires_within_the_idle_cap_once(isolated):
    """A suspended laptop: the monotonic clock stood still while the wall clock moved on."""
    new_plan(isolated)
    with freeze_time(T0 + timedelta(seconds=1)) as frozen:
        daemon, recorder, _ = make_daemon(isolated, max_idle=0.2)
        thread = run_in_thread(daemon)
        recorder.wait_for("Ice on now")
        time.sleep(0.3)
        frozen.move_to(T0 + timedelta(minutes=15, seconds=20))  # ice-off fell due "during sleep"
        took = recorder.wait_for("Ice off now", seconds=3)
        time.sleep(0.5)
        frozen.move_to(T0 + timedelta(minutes=10))  # and a manual change back: nothing fires twice
        time.sleep(0.6)
        daemon.shutdown()
        thread.join(3)
    assert took < 1.5
    assert recorder.titles == ["Ice on now", "Ice off now"]


def test_without_the_cap_apscheduler_alone_would_miss_the_jump(isolated):
    new_plan(isolated)
    with freeze_time(T0 + timedelta(seconds=1)) as frozen:
        daemon, recorder, _ = make_daemon(isolated, max_idle=None)
        thread = run_in_thread(daemon)
        recorder.wait_for("Ice on now")
        time.sleep(0.3)
        frozen.move_to(T0 + timedelta(minutes=15, seconds=20))
        time.sleep(1.5)
        titles = list(recorder.titles)
        daemon.shutdown()
        thread.join(3)
    assert titles == ["Ice on now"]


def test_desktop_failure_falls_back_to_the_terminal_says_so_once_and_recovers(isolated):
    new_plan(isolated)
    clock = HandClock(T0)
    daemon, recorder, logged = make_daemon(isolated, clock)
    recorder.failure = NotifyError("no server")
    for minutes in (0, 15, 5):
        clock.advance(minutes=minutes)
        daemon.tick()
    assert [r.backend for r in daemon.store.reminders(1)] == ["terminal"] * 3
    assert sum("not reaching you" in line for line in logged) == 1
    assert sum(line.startswith(">>> ") for line in logged) == 3
    recorder.failure = None
    clock.advance(minutes=5)
    daemon.tick()
    assert recorder.titles == ["Is the ice still on? Take it off now"]
    assert any("work again" in line for line in logged)


def test_a_hanging_notification_is_bounded(isolated):
    new_plan(isolated)
    daemon, recorder, _logged = make_daemon(isolated, HandClock(T0), timeout=0.3)
    recorder.hang = True
    began = time.monotonic()
    daemon.tick()
    assert time.monotonic() - began < 2
    assert daemon.store.reminders(1)[0].backend == "terminal"
    with pytest.raises(NotifyError, match="no answer"):
        bounded(lambda: time.sleep(5), 0.1)


def test_a_broken_config_keeps_the_last_good_one_and_says_why(isolated, config_file):
    config_file.write_text("[cold]\nminutes = 12\n")
    new_plan(isolated)
    clock = HandClock(T0)
    daemon, recorder, logged = make_daemon(isolated, clock)
    daemon._config = daemon._load_config()
    daemon.tick()
    config_file.write_text("[cold]\nminutes = 99\n")
    clock.advance(minutes=12)
    daemon.tick()
    assert recorder.titles == ["Ice on now", "therapy-timer settings problem", "Ice off now"]
    assert any("keep the previous settings" in line and "minutes = 99" in line for line in logged)


def test_one_daemon_per_user(isolated):
    new_plan(isolated)
    daemon, _, _ = make_daemon(isolated)
    thread = run_in_thread(daemon)
    deadline = time.monotonic() + 3
    while not control.is_running(isolated) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert control.is_running(isolated)
    second, _, _ = make_daemon(isolated)
    with pytest.raises(RefusedError, match="already running"):
        second.run()
    daemon.shutdown()
    thread.join(3)
    assert not control.is_running(isolated)


def test_commands_reach_the_running_daemon_at_once(isolated, run):
    run("start", "--no-daemon", "--injured", "-3d")
    daemon, recorder, _ = make_daemon(isolated, max_idle=30)
    thread = run_in_thread(daemon)
    recorder.wait_for("Moist heat on now")
    run("log", "heat-worse")
    assert recorder.wait_for("Stop the heat now: ice on instead", seconds=1.0) < 1.0
    run("stop")
    assert recorder.wait_for("Reminders stopped", seconds=2.0) < 2.0
    thread.join(2)
    assert not thread.is_alive()


def test_run_refuses_without_a_plan(run):
    assert "no active plan" in run("run", code=1).stderr


def test_a_replaced_plan_reaches_the_running_daemon_even_with_no_daemon(isolated, run):
    run("start", "--no-daemon")
    daemon, recorder, _ = make_daemon(isolated, max_idle=30)
    thread = run_in_thread(daemon)
    recorder.wait_for("Ice on now")
    assert "they follow the new plan" in run("start", "--replace", "--no-daemon", "--injured", "-3d").stdout
    assert recorder.wait_for("Moist heat on now", seconds=1.0) < 1.0
    daemon.shutdown()
    thread.join(3)


def test_a_hand_edit_of_the_config_reaches_the_running_daemon_at_once(isolated, config_file, run):
    config_file.write_text("[cold]\nminutes = 15\n")
    run("start", "--no-daemon")
    daemon, recorder, logged = make_daemon(isolated, max_idle=30)
    thread = run_in_thread(daemon)
    recorder.wait_for("Ice on now")
    config_file.write_text("[cold]\nminutes = 99\n")  # as an editor would save it
    assert recorder.wait_for("therapy-timer settings problem", seconds=1.0) < 1.0
    assert any("minutes = 99" in line for line in logged)
    daemon.shutdown()
    thread.join(3)
