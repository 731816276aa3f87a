"""The reminder daemon: on time, once, after sleep and restarts, through failures.

Most tests step time: the daemon runs on a hand clock and a stepping scheduler, and the test moves
from one scheduled tick to the next. The few marked `real_threads` run the real APScheduler with
real threads, for what only they can show: the suspend cap, the socket, the config watch.
"""

from __future__ import annotations

import os
import socket
import time
from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from tests.helpers import T0, HandClock, make_daemon, new_plan, run_in_thread, stepping_daemon, wait_idle, wait_until
from therapy_timer import daemon_client
from therapy_timer.errors import RefusedError
from therapy_timer.notify import NotifyError, bounded

stepped = pytest.mark.unit  # a hand clock and a stepping scheduler: no threads, no sleeping (make check)
real_threads = pytest.mark.daemon  # the real APScheduler and real threads


# Stepped time --------------------------------------------------------------------------------------


@real_threads
def test_a_hanging_notification_is_bounded(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0), timeout=0.3) as p:
        p.recorder.hang = True
        began = time.monotonic()  # real time: nothing is frozen here
        p.scheduler.step()
        assert time.monotonic() - began < 2
        assert p.daemon.store.reminders(1)[0].backend == "terminal"
    with pytest.raises(NotifyError, match="no answer"):
        bounded(lambda: time.sleep(5), 0.1)


@real_threads
def test_a_shutdown_before_the_daemon_runs_still_ends_it(isolated):
    """The cause of the old race: APScheduler ignores a shutdown that comes before it started."""
    new_plan(isolated)
    daemon, _, _ = make_daemon(isolated)
    daemon.shutdown()
    thread = run_in_thread(daemon)
    thread.join(5)
    assert not thread.is_alive()
    assert not daemon_client.is_running(isolated)


# Real threads ---------------------------------------------------------------------------------------


@real_threads
def test_wall_clock_jump_forward_fires_within_the_idle_cap_once(isolated):
    """A suspended laptop: the monotonic clock stood still while the wall clock moved on.

    With a 0.2 s cap the late reminder must come within 1.5 s of real time (the real daemon
    uses a 50 s cap: within 50 s of waking); the next test shows it would not come without one.
    """
    new_plan(isolated)
    with freeze_time(T0 + timedelta(seconds=1)) as frozen:
        daemon, recorder, _ = make_daemon(isolated, max_idle=0.2)
        thread = run_in_thread(daemon)
        recorder.wait_for("Ice on now")
        wait_idle(daemon, thread)
        frozen.move_to(T0 + timedelta(minutes=15, seconds=20))  # ice-off fell due "during sleep"
        recorder.wait_for("Ice off now", seconds=1.5)
        frozen.move_to(T0 + timedelta(minutes=10))  # and a manual change back: nothing fires twice
        time.sleep(0.6)  # three cap periods in which a second "Ice off now" could come
        daemon.shutdown()
        thread.join(3)
    assert recorder.titles == ["Ice on now", "Ice off now"]


@real_threads
def test_without_the_cap_apscheduler_alone_would_miss_the_jump(isolated):
    new_plan(isolated)
    with freeze_time(T0 + timedelta(seconds=1)) as frozen:
        daemon, recorder, _ = make_daemon(isolated, max_idle=None)
        thread = run_in_thread(daemon)
        recorder.wait_for("Ice on now")
        wait_idle(daemon, thread)
        frozen.move_to(T0 + timedelta(minutes=15, seconds=20))
        with pytest.raises(AssertionError, match="not sent within"):
            recorder.wait_for("Ice off now", seconds=1.5)
        daemon.shutdown()
        thread.join(3)


@real_threads
def test_one_daemon_per_user(isolated):
    new_plan(isolated)
    daemon, _, _ = make_daemon(isolated)
    thread = run_in_thread(daemon)
    assert wait_until(lambda: daemon_client.is_running(isolated))
    second, _, _ = make_daemon(isolated)
    with pytest.raises(RefusedError, match="already running"):
        second.run()
    daemon.shutdown()
    thread.join(3)
    assert not thread.is_alive() and not daemon_client.is_running(isolated)


@real_threads
def test_commands_reach_the_running_daemon_at_once(isolated, run):
    run("start", "--no-daemon", "--injured", "-3d")
    daemon, recorder, _ = make_daemon(isolated, max_idle=30)
    thread = run_in_thread(daemon)
    recorder.wait_for("Moist heat on now")
    run("log", "heat-worse")
    recorder.wait_for("Stop the heat now", seconds=1.0)
    run("stop")
    recorder.wait_for("Reminders stopped", seconds=2.0)
    thread.join(2)
    assert not thread.is_alive()


@real_threads
def test_a_replaced_plan_reaches_the_running_daemon_even_with_no_daemon(isolated, run):
    run("start", "--no-daemon")
    daemon, recorder, _ = make_daemon(isolated, max_idle=30)
    thread = run_in_thread(daemon)
    recorder.wait_for("Ice on now")
    assert "they follow the new plan" in run("start", "--replace", "--no-daemon", "--injured", "-3d").stdout
    recorder.wait_for("Moist heat on now", seconds=1.0)
    daemon.shutdown()
    thread.join(3)


@real_threads
def test_a_flood_of_nudges_costs_a_few_recomputes(isolated, run):
    run("start", "--no-daemon")
    daemon, recorder, _ = make_daemon(isolated, max_idle=30)
    recomputes = []
    real_tick = daemon._tick
    daemon._tick = lambda: (recomputes.append(1), real_tick())[1]
    thread = run_in_thread(daemon)
    recorder.wait_for("Ice on now")
    with daemon._tick_lock:  # hold the recompute while the flood arrives
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            for _ in range(16_000):
                sender.sendto(daemon_client.NUDGE, daemon_client.address(isolated))
        before = len(recomputes)
    assert wait_until(lambda: len(recomputes) > before)
    time.sleep(0.3)  # let the receiver drain what is still queued
    daemon.shutdown()
    thread.join(3)
    assert len(recomputes) - before <= 5, len(recomputes) - before


@real_threads
def test_the_socket_is_a_short_private_path_never_an_abstract_name(isolated, tmp_path, monkeypatch):
    runtime = tmp_path / "r"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    deep = isolated / ("x" * 120)  # a data folder path far longer than a socket path may be
    now = datetime.now(timezone.utc)
    new_plan(deep, now, now)
    daemon, _, _ = make_daemon(deep)
    thread = run_in_thread(daemon)
    assert wait_until(lambda: daemon.socket is not None)
    address = daemon_client.address(deep)
    assert address.startswith(str(runtime / "therapy-timer") + "/") and len(address) < 100
    assert os.stat(runtime / "therapy-timer").st_mode & 0o777 == 0o700
    assert daemon_client.nudge(deep)
    daemon.shutdown()
    thread.join(3)
    assert not os.path.exists(address)


@real_threads
def test_sockets_that_nobody_listens_on_are_removed_before_binding_and_a_live_one_is_kept(isolated, runtime_dir):
    """Issue 21.15: a daemon killed with its socket bound left the file behind, one per data folder."""
    folder = runtime_dir / "therapy-timer"
    folder.mkdir(mode=0o700)
    stale = [folder / f"{n:08x}.sock" for n in range(3)]
    for path in stale:  # bound, then the process "died": the file stays, nobody listens
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as gone:
            gone.bind(str(path))
    live = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    live.bind(str(folder / "0000beef.sock"))  # another data folder's daemon, alive
    (folder / "notes.sock").write_text("")  # not a socket: not ours to judge
    new_plan(isolated)
    daemon, _, _ = make_daemon(isolated)
    thread = run_in_thread(daemon)
    try:
        assert wait_until(lambda: daemon.socket is not None)
        assert not any(path.exists() for path in stale)
        assert (folder / "0000beef.sock").exists() and (folder / "notes.sock").exists()
        assert daemon_client.nudge(isolated)  # its own, bound after the sweep
    finally:
        live.close()
        daemon.shutdown()
        thread.join(3)


@real_threads
def test_a_hand_edit_of_the_config_reaches_the_running_daemon_at_once(isolated, config_file, run):
    config_file.write_text("[cold]\nminutes = 15\n")
    run("start", "--no-daemon")
    daemon, recorder, logged = make_daemon(isolated, max_idle=30)
    thread = run_in_thread(daemon)
    recorder.wait_for("Ice on now")
    config_file.write_text("[cold]\nminutes = 99\n")  # as an editor would save it
    recorder.wait_for("therapy-timer settings problem", seconds=1.0)
    assert any("minutes = 99" in line for line in logged)
    daemon.shutdown()
    thread.join(3)


@real_threads
def test_a_config_folder_made_after_the_daemon_started_is_still_watched(isolated, tmp_path, run):
    config = tmp_path / "not-yet" / "therapy-timer" / "config.toml"
    run("start", "--no-daemon")
    daemon, recorder, logged = make_daemon(isolated, max_idle=30, config_path=config)
    thread = run_in_thread(daemon)
    recorder.wait_for("Ice on now")
    config.parent.mkdir(parents=True)  # the folder appears only now, then the file in it
    config.write_text("[cold]\nminutes = 99\n")
    recorder.wait_for("therapy-timer settings problem", seconds=1.0)
    config.write_text("[cold]\nminutes = 12\n")  # and later edits there are seen too
    assert wait_until(lambda: any("fine again" in line for line in logged), 1.0)
    daemon.shutdown()
    thread.join(3)
