"""What the daemon leaves on a real notification server's screen, and what it takes from the bus:
a real private session bus and a real dunst (issue 21: items 5, 7, 8 and 9).

The record, the screen and `daemon.log` are read from outside, as a user would see them.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_desktop import PATIENCE, count, desktop, fired, tt, wait_until

__all__ = ["desktop"]  # the fixture, shared with test_desktop.py


def folder(env) -> Path:
    return Path(env["THERAPY_TIMER_DATA_DIR"])


def test_forget_takes_the_take_it_off_reminder_off_the_screen(desktop):
    env = desktop
    tt(env, "start", "--at", "-16m")  # the first ice session has ended: "Ice off now", critical, no expiry
    assert wait_until(lambda: count(env, "displayed") == 1 and fired(env) != [], PATIENCE)
    assert fired(env)[-1][0] == "Ice off now"
    tt(env, "forget", "--yes")
    assert wait_until(lambda: count(env, "displayed") == 0, PATIENCE), "a reminder whose buttons do nothing stayed"
    assert not folder(env).joinpath("therapy-timer.sqlite3").exists()
