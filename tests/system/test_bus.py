"""Only the notification server answers a reminder: a real private session bus, a real dunst, and a
forging client on the same bus (issue 21: items 5, 7, 8 and 9).

The forger is what any program in the session could be: a jeepney connection that emits
`ActionInvoked` as if it were the server, broadcast and sent to the daemon alone, claims the
service in a forged `NameOwnerChanged`, and floods. Each test shows the daemon's own refusal: the
record, the screen and `daemon.log` are read from outside, as a user would see them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.desktop import PATIENCE, answers, count, fired, history, press
from tests.helpers import tt, wait_until
from therapy_timer.notify.dbus import PATH, SERVICE

BUS = "org.freedesktop.DBus"


class Forger:
    """A program on the session bus that is not the notification server."""

    def __init__(self, address: str) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self.conn = open_dbus_connection(bus=address)

    def ask(self, method: str, *args: str) -> tuple:
        from jeepney import message_bus
        from jeepney.wrappers import unwrap_msg

        return tuple(unwrap_msg(self.conn.send_and_get_reply(getattr(message_bus, method)(*args), timeout=10)))

    def emit(self, member: str, signature: str, body: tuple, to: str | None = None, interface: str = SERVICE) -> None:
        from jeepney import DBusAddress, HeaderFields, new_signal

        path = "/org/freedesktop/DBus" if interface == BUS else PATH
        message = new_signal(DBusAddress(path, interface=interface), member, signature, body)
        if to is not None:
            message.header.fields[HeaderFields.destination] = to
        self.conn.send(message)

    def settle(self) -> None:
        """A round trip to the bus: it handles one connection's messages in order, so every signal
        sent before has been routed (queued for the daemon ahead of anything the server sends later)."""
        self.ask("GetId")

    def name_of(self, pid: int) -> str:
        """The unique bus name of the connection that process `pid` holds."""
        for name in self.ask("ListNames")[0]:
            if name.startswith(":"):
                with contextlib.suppress(Exception):
                    if self.ask("GetConnectionUnixProcessID", name)[0] == pid:
                        return str(name)
        raise AssertionError(f"process {pid} has no connection on this bus")

    def close(self) -> None:
        self.conn.close()


@pytest.fixture
def forger(desktop) -> Iterator[Forger]:
    forger = Forger(desktop["DBUS_SESSION_BUS_ADDRESS"])
    yield forger
    forger.close()


def folder(env) -> Path:
    return Path(env["THERAPY_TIMER_DATA_DIR"])


def daemon_pid(env) -> int:
    return int((folder(env) / "daemon.lock").read_text().split()[0])


def log_lines(env) -> list[str]:
    return (folder(env) / "daemon.log").read_text(errors="replace").splitlines()


def resident_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1])


def test_forged_presses_are_refused_logged_once_on_one_line_and_a_flood_grows_nothing(desktop, forger):
    env = desktop
    tt(env, "start")  # "Ice on now": Skip and Snooze 10 min
    assert wait_until(lambda: count(env, "displayed") == 1 and fired(env) != [], PATIENCE)
    assert fired(env)[0] == ("Ice on now", "desktop (D-Bus)")
    daemon = forger.name_of(daemon_pid(env))
    before, memory = len(log_lines(env)), resident_kib(daemon_pid(env))

    fake = "skip\n2026-11-24 09:00:00 answered from the notification: ice marked skip\x1b]0;pwned\x07\x1b[2J"
    for note_id in range(1, 6):  # whichever id the reminder has: dunst counts from 1
        forger.emit("ActionInvoked", "us", (note_id, "skip"))  # broadcast, as a server would
        forger.emit("ActionInvoked", "us", (note_id, "skip"), to=daemon)  # and to the daemon alone
        forger.emit("ActionInvoked", "us", (note_id, fake), to=daemon)
    # A forged "the service is mine now" (only the bus itself can send that), then a press as the "owner".
    forger.emit("NameOwnerChanged", "sss", (SERVICE, "", forger.conn.unique_name), to=daemon, interface=BUS)
    forger.emit("ActionInvoked", "us", (1, "skip"), to=daemon)
    for _ in range(20_000):  # the flood
        forger.emit("ActionInvoked", "us", (1, fake + "x" * 500), to=daemon)
    forger.settle()
    refusal = lambda: any("not the notification server" in line for line in log_lines(env))  # noqa: E731
    assert wait_until(refusal, PATIENCE), "the daemon did not refuse the forged presses"

    press(env, "Snooze 10 min")  # the server's own press, queued for the daemon after all of the above
    assert wait_until(lambda: answers(env) != [], PATIENCE)
    assert answers(env) == [("snooze", "notification")], "a forged press was recorded"
    added = log_lines(env)[before:]
    refused = [line for line in added if "not the notification server" in line]
    assert len(refused) == 1, added[:5]  # once, however many came
    assert forger.conn.unique_name in refused[0] and "(button 'skip')" in refused[0]
    assert len(added) <= 4, added[:8]  # the refusal, the answer, the snooze: not a line per forged signal
    assert all(line.isprintable() for line in added)  # no raw escape reached the log
    assert not any(line.startswith("2026-11-24 09:00:00 answered") for line in added)  # no forged log line
    grown = resident_kib(daemon_pid(env)) - memory
    assert grown < 8 * 1024, f"the daemon grew by {grown} KiB under the flood"


def test_a_forged_closing_does_not_make_the_daemon_forget_its_notification(desktop, forger):
    env = desktop
    tt(env, "start", "--injured", "-3d")  # moist heat: its stop must take this notification's place
    assert wait_until(lambda: count(env, "displayed") == 1 and fired(env) != [], PATIENCE)
    daemon = forger.name_of(daemon_pid(env))
    for note_id in range(1, 6):
        forger.emit("NotificationClosed", "uu", (note_id, 2), to=daemon)  # "the user dismissed it"
    forger.settle()
    tt(env, "log", "heat-worse")
    assert wait_until(lambda: fired(env)[-1][0] == "Stop the heat now", PATIENCE)
    assert wait_until(lambda: count(env, "displayed") == 1, PATIENCE)  # in the heat reminder's place, not a second
    assert count(env, "displayed") == 1
    assert any("not the notification server" in line for line in log_lines(env))


def start_dunst(env, config: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        ["dunst", "-config", str(config)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    assert wait_until(lambda: subprocess.run(["dunstctl", "count"], env=env, capture_output=True).returncode == 0, 10)
    return server


def notify_send(env, *args: str) -> int:
    done = subprocess.run(["notify-send", "-p", *args], env=env, capture_output=True, text=True, timeout=10, check=True)
    return int(done.stdout)


def test_after_the_server_restarts_a_reminder_never_takes_another_apps_notification(desktop, forger, tmp_path):
    env = desktop
    probe = notify_send(env, "probe", "the first id a fresh dunst gives")
    subprocess.run(["dunstctl", "close-all"], env=env, check=True)
    tt(env, "start", "--injured", "-3d")  # "Moist heat on now": the next id
    assert wait_until(lambda: count(env, "displayed") == 1 and fired(env) != [], PATIENCE)
    ours = probe + 1

    server = forger.ask("GetNameOwner", SERVICE)[0]
    os.kill(forger.ask("GetConnectionUnixProcessID", server)[0], signal.SIGTERM)  # the fixture's dunst
    assert wait_until(lambda: forger.ask("NameHasOwner", SERVICE)[0] is False, PATIENCE)
    restarted = start_dunst(env, tmp_path / "dunstrc")
    try:
        others: list[int] = []
        while not others or others[-1] < ours:  # the new server counts from the start: another app gets our id
            news = f"its own news {len(others)}"  # each different: dunst stacks identical ones into one
            others.append(notify_send(env, "-a", "other-app", "-t", "0", "Other app", news))
        assert others[-1] == ours

        tt(env, "log", "heat-worse")  # the heat session's stop comes next, in its session's notification
        assert wait_until(lambda: fired(env)[-1][0] == "Stop the heat now", PATIENCE)
        on_screen = len(others) + 1
        assert wait_until(lambda: count(env, "displayed") == on_screen, PATIENCE), (
            "another app's notification was replaced"
        )
        shown = [(n["summary"], n["appname"]) for n in history(env)]
        assert shown == [("Other app", "other-app")] * len(others) + [("Stop the heat now", "therapy-timer")]
        assert any("notification server changed" in line for line in log_lines(env))
    finally:
        tt(env, "stop")
        restarted.terminate()
        restarted.wait(10)


def test_forget_takes_the_take_it_off_reminder_off_the_screen(desktop):
    env = desktop
    tt(env, "start", "--at", "-16m")  # the first ice session has ended: "Ice off now", critical, no expiry
    assert wait_until(lambda: count(env, "displayed") == 1 and fired(env) != [], PATIENCE)
    assert fired(env)[-1][0] == "Ice off now"
    tt(env, "forget", "--yes")
    assert wait_until(lambda: count(env, "displayed") == 0, PATIENCE), "a reminder whose buttons do nothing stayed"
    assert not folder(env).joinpath("therapy-timer.sqlite3").exists()
