"""End to end against a real notification server: a private D-Bus session, Xvfb and dunst.

The app runs as a user would run it (real processes, the daemon spawned by `start`), and we read
what dunst received. Skipped on a developer machine without those packages; never in CI.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.desktop import (
    BUS_CONFIG,
    NEEDED,
    PATIENCE,
    SERVER,
    answers,
    count,
    fired,
    history,
    press,
    private_bus,
)
from tests.helpers import needs_tools, tt, unavailable, wait_until


def test_reminders_reach_a_real_notification_server_one_per_session(desktop):
    env = desktop
    tt(env, "start")
    assert wait_until(lambda: count(env, "displayed") == 1, PATIENCE), "no notification after start"
    assert wait_until(lambda: fired(env) != [], PATIENCE)  # recorded just after the server took it
    assert fired(env) == [("Ice on now", "desktop (D-Bus)")]

    tt(env, "start", "--replace", "--injured", "-3d")  # day 4: moist heat; the old plan's reminder goes
    assert wait_until(lambda: (count(env, "displayed"), count(env, "history")) == (1, 1), PATIENCE)
    tt(env, "log", "heat-worse")
    assert wait_until(lambda: fired(env)[-1][0] == "Stop the heat now", PATIENCE)
    assert count(env, "displayed") == 1  # the stop took the heat reminder's place

    assert json.loads(tt(env, "status", "--json").stdout)["daemon_running"] is True
    tt(env, "stop")
    stopped = wait_until(lambda: not json.loads(tt(env, "status", "--json").stdout)["daemon_running"], PATIENCE)
    assert stopped, "daemon still running"
    shown = history(env)
    assert [n["summary"] for n in shown] == ["Ice on now", "Stop the heat now", "Reminders stopped"]
    assert {n["appname"] for n in shown} == {"therapy-timer"}
    assert (
        "Take the heat off right now, as it made things worse, and look at the skin" in shown[1]["body"]
        and shown[1]["timeout"] == 0
    )  # stays until answered


@pytest.mark.parametrize(
    ("injured", "label", "logged", "follow_up"),
    [
        ("-3d", "Made it worse", "heat-worse", "Stop the heat now"),
        ("-3d", "Didn't help", "heat-no-help", None),
        ("-3d", "Snooze 10 min", "snooze", None),
        ("now", "Skip", "skip", None),
    ],
)
def test_a_button_pressed_on_a_real_server_is_recorded_and_followed_up(desktop, injured, label, logged, follow_up):
    env = desktop
    tt(env, "start", "--injured", injured)
    assert wait_until(lambda: count(env, "displayed") == 1 and fired(env) != [], PATIENCE)
    assert fired(env)[0][1] == "desktop (D-Bus)"
    press(env, label)
    assert wait_until(lambda: answers(env) == [(logged, "notification")], PATIENCE), answers(env)
    if follow_up:
        assert wait_until(lambda: fired(env)[-1][0] == follow_up, PATIENCE)
        assert wait_until(lambda: count(env, "displayed") == 1, PATIENCE)  # it came in the pressed one's place
        press(env, "Done, it's off")
        assert wait_until(lambda: answers(env)[-1] == ("done", "notification"), PATIENCE)
    assert wait_until(lambda: count(env, "displayed") == 0, PATIENCE), "the answered reminder is still on screen"
    assert "notification" in tt(env, "history").stdout  # the record says where the answer came from


def test_a_session_answered_on_the_command_line_leaves_the_screen(desktop):
    env = desktop
    tt(env, "start", "--injured", "-3d")
    assert wait_until(lambda: count(env, "displayed") == 1, PATIENCE)
    tt(env, "skip")
    assert wait_until(lambda: count(env, "displayed") == 0, PATIENCE)
    press_after = subprocess.run(["dunstctl", "count", "history"], env=env, capture_output=True, text=True)
    assert press_after.stdout.strip() == "1"


def test_doctor_names_the_backend_that_delivered(desktop):
    report = json.loads(tt(desktop, "doctor", "--json").stdout)
    assert report["notifications"]["delivered_by"] == "desktop (D-Bus)"
    assert report["notifications"]["buttons"] is True  # dunst offers actions
    assert report["notifications"]["notification_server"] == "running"
    shown = history(desktop)
    assert shown[-1]["summary"] == "therapy-timer test"


def test_doctor_from_a_plain_terminal_reports_how_the_running_reminders_reach_the_desktop(desktop):
    """Issue 21.3: from a terminal outside the desktop session doctor said notifications did not work
    while the daemon delivered them, with buttons. It asks the daemon now, and tests its own
    terminal apart, saying which is which."""
    env = desktop
    tt(env, "start")
    assert wait_until(lambda: fired(env) != [], PATIENCE)
    plain = {k: v for k, v in env.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY")}
    report = json.loads(tt(plain, "doctor", "--json").stdout)  # exit 0: the reminders reach the desktop
    assert report["ok"] is True and report["daemon"]["answered"] is True
    last = report["daemon"]["last_reminder"]
    assert (last["title"], last["delivered_by"], last["buttons"]) == ("Ice on now", "desktop (D-Bus)", True)
    assert report["daemon"]["test"] == {"delivered_by": "desktop (D-Bus)", "buttons": True}
    assert report["notifications"]["session"] == "this terminal"
    assert report["notifications"]["delivered_by"] == "terminal"  # the terminal's own session, apart
    said = tt(plain, "doctor").stdout
    assert "their last reminder (Ice on now, " in said and "delivered by desktop (D-Bus), with buttons" in said
    assert "That is this terminal only" in said and "are not working" not in said
    tests = {n["body"] for n in history(env) if n["summary"] == "therapy-timer test"}  # dunst stacks repeats
    assert tests == {"A test from your running reminders, sent the way they send theirs."}  # the terminal's: not here


def test_without_a_session_bus_doctor_says_what_is_missing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY")}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    done = tt(env, "doctor", code=1)
    assert "delivered by terminal" in done.stdout and "D-Bus" in done.stdout


def test_doctor_starts_no_bus_of_its_own_in_a_terminal_with_a_display(tmp_path):
    """Issue 21.15: with an X display and no session bus address, dbus-send autolaunched a bus
    (`dbus-launch --autolaunch` and a dbus-daemon) that stayed after doctor ended."""
    needs_tools("dbus-send", "dbus-launch", "Xvfb", package="dbus dbus-x11 xvfb")
    from tests.conftest import TEST_MARK, marked

    screen = subprocess.Popen(["Xvfb", "-displayfd", "1", "-nolisten", "tcp"], stdout=subprocess.PIPE)
    display = ":" + screen.stdout.readline().decode().strip()
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(DISPLAY=display, XDG_RUNTIME_DIR=str(tmp_path))  # no bus socket there either
    try:
        done = tt(env, "doctor", "--json", code=None)
        assert json.loads(done.stdout)["notifications"]["notification_server"].startswith("no session bus")
        started = [command for _, command in marked(TEST_MARK, os.environ[TEST_MARK]) if "dbus" in command]
        assert started == [], started
    finally:
        screen.terminate()
        screen.wait(10)


@pytest.fixture
def bus_without_server(monkeypatch):
    """A real private session bus on which no notification server runs."""
    needs_tools("dbus-daemon", "notify-send", package="dbus libnotify-bin")
    address, pid = private_bus()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    os.kill(pid, signal.SIGTERM)


def test_a_failed_notify_send_is_known_as_failed_and_falls_back(bus_without_server):
    """Issue 11.3: notify-send exits 1 with no server; plyer hid that, so the reminder counted as delivered."""
    from therapy_timer.bootstrap import desktop_backends
    from therapy_timer.notify import Note, Notifier, NotifyError, NotifySendBackend, TerminalBackend

    with pytest.raises(NotifyError, match="notify-send failed"):
        NotifySendBackend().send(Note("Ice on now", "body"))
    shown, logged = [], []
    delivered = Notifier(desktop_backends(), TerminalBackend(shown.append), log=logged.append).send(Note("Ice on", "b"))
    assert delivered.backend == "terminal" and shown == [">>> Ice on: b"]
    assert "notify-send failed" in logged[0]


def test_a_hanging_notify_send_is_killed_and_reaped(tmp_path, monkeypatch):
    """A notify-send that never answers costs one bounded wait: no thread and no child left behind."""
    import threading

    from therapy_timer.notify import Note, Notifier, NotifySendBackend, TerminalBackend

    fake = tmp_path / "notify-send"
    fake.write_text('#!/bin/sh\necho $$ > "$(dirname "$0")/pid"\nexec sleep 600\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
    notifier = Notifier([NotifySendBackend(timeout=0.5)], TerminalBackend(lambda line: None), log=lambda line: None)
    before = {t for t in threading.enumerate() if t.name == "notify"}  # other tests' hung fakes may linger
    for _ in range(3):
        assert notifier.send(Note("Ice off now", "b", True)).backend == "terminal"
    pid = int((tmp_path / "pid").read_text())
    assert not os.path.exists(f"/proc/{pid}"), "the hung notify-send was not reaped"
    assert not [t for t in threading.enumerate() if t.name == "notify" and t.is_alive() and t not in before]


def test_a_lost_session_bus_falls_back_then_reconnects_with_backoff(tmp_path, monkeypatch):
    """The bus goes away (session restarted): reminders go to the fallback, and once a bus answers
    at the address again, buttons work again, without a restart of the daemon."""
    from therapy_timer.notify import Note, Notifier, TerminalBackend
    from therapy_timer.notify.dbus import DBusBackend

    needs_tools(*NEEDED, package=SERVER)
    socket_path = tmp_path / "bus"
    address = f"unix:path={socket_path}"
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)

    def session() -> tuple[int, subprocess.Popen]:
        socket_path.unlink(missing_ok=True)
        pid = subprocess.run(
            ["dbus-daemon", f"--config-file={BUS_CONFIG}", f"--address={address}", "--fork", "--print-pid=1"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.split()[0]  # fmt: skip
        server = subprocess.Popen(["dunst"], env={**os.environ, "DISPLAY": display}, stderr=subprocess.DEVNULL)
        assert wait_until(lambda: subprocess.run(["dunstctl", "count"], capture_output=True).returncode == 0, 10)
        return int(pid), server

    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-nolisten", "tcp"], stdout=subprocess.PIPE)
    display = ":" + xvfb.stdout.readline().decode().strip()
    now = [0.0]
    backend = DBusBackend(monotonic=lambda: now[0])
    heard: list = []
    shown: list[str] = []
    notifier = Notifier([backend], TerminalBackend(shown.append), log=shown.append)
    notifier.listen(heard.append)
    try:
        bus, server = session()
        assert notifier.send(Note("Ice on now", "b", buttons=("skip",))).backend == "desktop (D-Bus)"
        server.terminate()
        server.wait(10)
        os.kill(bus, signal.SIGTERM)
        assert wait_until(lambda: not os.path.exists(f"/proc/{bus}"), 5)

        assert notifier.send(Note("Ice off now", "b", True, ("done",))).backend == "terminal"
        assert "trying again in 1 s" in (backend.problem() or "")
        now[0] += 1.5
        assert notifier.send(Note("Ice off now", "b", True, ("done",))).backend == "terminal"  # no bus yet
        assert "trying again in 2 s" in (backend.problem() or "")  # the wait doubles

        bus, server = session()
        now[0] += 2.5
        delivery = notifier.send(Note("Ice off now", "b", True, ("done",)))
        assert delivery.backend == "desktop (D-Bus)" and "work again" in shown[-1]
        notifier.close(delivery)
        assert wait_until(lambda: any(e.kind == "closed" and e.id == delivery.id for e in heard), 3)
    finally:
        backend.shutdown()
        with contextlib.suppress(Exception):
            server.terminate()
            os.kill(bus, signal.SIGTERM)
        xvfb.terminate()


GTK_SERVER = "/usr/lib/notification-daemon/notification-daemon"


def test_a_reminder_shows_its_buttons_on_a_server_that_draws_them(tmp_path):
    """GNOME's stand-alone notification server draws actions as buttons: a screenshot of the
    virtual screen shows the reminder the daemon sent (and is the README's picture)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    from xwd2png import content_box, convert, pixels

    needs_tools("Xvfb", package="xvfb")
    if not os.path.exists(GTK_SERVER):
        unavailable(
            "apt install notification-daemon", f"CI must install notification-daemon (see .ci/run): {GTK_SERVER}"
        )
    address, bus_pid = private_bus()
    screen = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "900x260x24", "-fbdir", str(tmp_path)],
        stdout=subprocess.PIPE,
    )
    display = ":" + screen.stdout.readline().decode().strip()
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address, "DISPLAY": display, "NO_AT_BRIDGE": "1"}
    server = subprocess.Popen([GTK_SERVER], env=env, stderr=subprocess.DEVNULL)
    try:
        tt(env, "start", "--injured", "-3d", "--at", "-16m")  # day 4: the first heat session has just ended
        assert wait_until(lambda: fired(env) != [], 10)
        assert fired(env)[0] == ("Heat off now", "desktop (D-Bus)")
        dump = tmp_path / "Xvfb_screen0"
        time.sleep(1)  # let the server draw it (nothing to wait on from outside)
        width, height, rows = pixels(dump.read_bytes())
        left, top, right, bottom = content_box(rows, width)
        assert (right - left, bottom - top) != (width, height) and right - left > 200, "nothing drawn"
        shot = Path(os.environ.get("THERAPY_TIMER_SCREENSHOT", tmp_path / "reminder.png"))
        size = convert(dump, shot)
        assert size[0] > 200 and size[1] > 80
    finally:
        tt(env, "stop")
        server.terminate()
        screen.terminate()
        os.kill(bus_pid, signal.SIGTERM)


def test_a_daemon_started_outside_the_desktop_takes_the_session_a_command_offers(desktop):
    """Started with no session bus (a console, ssh), the reminders reach only the log; any command
    run from the desktop session offers its bus, and from then on they reach the desktop."""
    env = desktop
    console = {k: v for k, v in env.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    started = tt(console, "start").stdout
    assert "until you run any therapy-timer command" in started
    assert wait_until(lambda: fired(env) != [], PATIENCE)
    assert fired(env)[0][1] == "terminal" and count(env, "displayed") == 0

    tt(env, "status")  # from the desktop
    tt(env, "start", "--replace", "--injured", "-3d")  # the next reminder
    assert wait_until(lambda: count(env, "displayed") == 1, PATIENCE), "the reminder did not reach the desktop"
    assert wait_until(lambda: fired(env)[-1] == ("Moist heat on now", "desktop (D-Bus)"), PATIENCE)


def due_check_in(env) -> dict[str, str]:
    """An environment in which the daily check-in fell due a minute ago: the plan's clock is set
    near midday (so no midnight is near), and the night's quiet period ended 31 minutes ago."""
    from datetime import datetime, timedelta, timezone

    utc = datetime.now(timezone.utc)
    ahead = 12 - utc.hour  # hours ahead of UTC that put the local clock near 12:00
    ahead += 24 if ahead < -12 else 0
    zone = f"Etc/GMT{-ahead:+d}" if ahead else "Etc/UTC"  # Etc/GMT-5 is five hours ahead of UTC
    night_ends = (utc + timedelta(hours=ahead) - timedelta(minutes=31)).replace(second=0, microsecond=0)
    # A long night, so the one walk of the day (halfway through the waking time) falls hours from
    # now: with a one-hour night it fell near noon, beside the check-in, and showed with it.
    night = f"{night_ends - timedelta(hours=8):%H:%M}-{night_ends:%H:%M}"
    Path(env["THERAPY_TIMER_CONFIG"]).write_text(f'[quiet_hours]\nperiods = ["{night}"]\n[walk]\ntimes_per_day = 1\n')
    return {**env, "TZ": zone}


@pytest.mark.parametrize("label", ["None of these", "One of these is new"])
def test_the_daily_check_in_is_answered_on_a_real_server(desktop, label):
    env = due_check_in(desktop)
    tt(env, "start", "--injured", "-3d", "--at", "-2h")  # moist heat began two hours ago: nothing else is due
    checkin = ("Daily check: any of these new?", "desktop (D-Bus)")
    assert wait_until(lambda: checkin in fired(env), PATIENCE), fired(env)
    assert wait_until(lambda: count(env, "displayed") == 1, PATIENCE)
    press(env, label)
    if label == "None of these":
        assert wait_until(lambda: ("check", "notification") in answers(env), PATIENCE), answers(env)
        assert wait_until(lambda: count(env, "displayed") == 0, PATIENCE), "the answered check-in is still on screen"
        assert "none" in tt(env, "history").stdout
        return
    log = Path(env["THERAPY_TIMER_DATA_DIR"], "daemon.log")
    assert wait_until(lambda: "showed the warning signs" in log.read_text(), PATIENCE), log.read_text()
    assert count(env, "displayed") == 1  # in the check-in's place
    shown = history(env)
    assert shown[-1]["summary"] == "Warning signs: what to do", shown
    assert "therapy-timer check --sign NAME" in shown[-1]["body"] and "(chest-pain)" in shown[-1]["body"]
    assert ("check", "notification") not in answers(env)  # which one is not said yet
